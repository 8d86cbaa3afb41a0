"""The path's regions against local circumstances: two computations of the
same thing by different routes (footprint unions vs. per-observer contacts)."""

import numpy as np
import pytest
import shapely

import eclipse
from support.cache import path_of as ours


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2025-03-29", "2012-05-20"])
def test_penumbra_region_is_where_the_eclipse_is_seen(date):
    """On a 2-degree grid, the penumbra polygon holds exactly the places that
    see some of the eclipse with the Sun up, except within one grid step of
    its edge (the polygon's sunrise/sunset edge is drawn to ~14 km, and a
    grid point near the edge can fall either side).  The path's regions are
    bounded by the geometric horizon (zeta = 0): so are the places here."""
    e = eclipse.at(date)
    region = e.path().penumbra
    lon, lat = np.meshgrid(np.arange(-179.0, 180.0, 2.0), np.arange(-89.0, 90.0, 2.0))
    seen = e.local(lat, lon, horizon="geometric").visible
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
    seen = e.local(lat, lon, horizon="geometric").kind_seen == e.kind  # (as above)
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


def test_sigma_band_is_where_totality_is_seen_within_one_sigma():
    """136 BCE (Delta T uncertain by about 100 s): the band a map hatches
    holds the places that see the eclipse total for some Delta T within
    +-1 sigma (``Eclipse.kinds_seen_within_sigma``, per-observer contacts), and
    no others, except within 0.05 degree of its edge (the band joins copies
    of the path turned every half degree at most; the observer's turns are
    sampled every 0.05 degree)."""
    from eclipse.geometry import regions

    e = eclipse.at("-0135-04-15")
    umbra = e.path().umbra
    band = regions.sigma_band(e, umbra)
    shift = e.sigma_shift_deg
    assert shift == pytest.approx(e.delta_t_sigma_s * 0.004178, rel=1e-3)  # FORMULAS: 0.004178 deg per s
    # the path turned by +-1 sigma lies in the band (to slivers of the
    # unions' rounding, 1e-10 of its area); turned by 1.25 sigma, 1.5% of it
    # does not (the path reaches the antimeridian: turned copies are cut there)
    for turn, outside in ((0.0, 0.0), (-1.0, 0.0), (1.0, 0.0), (-1.25, 0.015), (1.25, 0.015)):
        turned = regions.fold_antimeridian(shapely.affinity.translate(umbra, xoff=turn * shift))
        share = turned.difference(band).area / umbra.area
        assert (share < 1e-6) if outside == 0.0 else (share > outside), (turn, share)
    rng = np.random.default_rng(5)
    lon = rng.uniform(40.0, 50.0, 300)
    lat = rng.uniform(26.0, 36.0, 300)
    clear = shapely.distance(band.boundary, shapely.points(lon, lat)) > 0.05
    inside = shapely.contains_xy(band, lon, lat)
    total = np.array([("total" in e.kinds_seen_within_sigma(a, o)) for a, o in zip(lat, lon)])
    assert clear.sum() > 200 and inside[clear].sum() > 20 and (~inside[clear]).sum() > 20
    assert np.array_equal(inside[clear], total[clear])
    modern = eclipse.at("2024-04-08")
    assert regions.sigma_band(modern, modern.path().umbra) is None  # 1600-2100: no band
