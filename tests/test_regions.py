"""The path's regions against local circumstances: two computations of the
same thing by different routes (footprint unions vs. per-observer contacts)."""

import numpy as np
import pytest
import shapely

import eclipse
from validation.cache import path_of as ours


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2025-03-29", "2012-05-20"])
def test_penumbra_region_is_where_the_eclipse_is_seen(date):
    """On a 2-degree grid, the penumbra polygon holds exactly the places that
    see some of the eclipse with the Sun up, except within one grid step of
    its edge (the polygon's sunrise/sunset edge is drawn to ~14 km, and a
    grid point near the edge can fall either side)."""
    e = eclipse.at(date)
    region = e.path().penumbra
    lon, lat = np.meshgrid(np.arange(-179.0, 180.0, 2.0), np.arange(-89.0, 90.0, 2.0))
    seen = e.local(lat, lon).visible
    inside = shapely.contains_xy(region, lon, lat)
    disagree = inside != seen
    assert disagree.mean() < 0.005
    near_edge = shapely.distance(region.boundary, shapely.points(lon[disagree], lat[disagree]))
    assert np.all(near_edge < 2.0)


@pytest.mark.parametrize("date", ["2024-04-08", "2017-08-21"])
def test_umbra_region_is_where_the_central_phase_is_seen(date):
    e = eclipse.at(date)
    region = e.path().umbra
    west, south, east, north = region.bounds
    lon, lat = np.meshgrid(np.arange(west, east, 0.25), np.arange(south, north, 0.25))
    seen = e.local(lat, lon).kind_seen == e.kind
    inside = shapely.contains_xy(region, lon, lat)
    disagree = inside != seen
    assert seen.sum() > 50
    near_edge = shapely.distance(region.boundary, shapely.points(lon[disagree], lat[disagree]))
    assert np.all(near_edge < 0.25)


def test_polar_penumbra_covers_the_pole():
    import shapely

    # 2021-12-04: the partial phase is seen at the South Pole (Sun above the
    # horizon all day there in December, the umbra passes within 15 degrees).
    assert shapely.contains_xy(ours("2021-12-04").penumbra, 0.0, -89.9)
    assert not shapely.contains_xy(ours("2024-04-08").penumbra, 0.0, -89.9)
