"""The path's regions against local circumstances: two computations of the
same thing by different routes (footprint unions vs. per-observer contacts)."""

import json

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


# --- first-level divisions (eclipse/data/naturalearth/admin_1_divisions, --region Texas) --------


def _division(text):
    from eclipse.maps import framing

    return framing.resolve(text)


@pytest.mark.parametrize("text, inside, outside", [
    ("Texas", ["Dallas, TX", "Houston, TX", "Lubbock, TX", "Austin, TX"], ["Oklahoma City", "Shreveport", "Monterrey"]),
    ("TX", ["San Antonio, TX"], ["Albuquerque"]),
    ("Asturias", ["Oviedo", "Gijon"], ["Leon, Spain", "Santander, Spain", "Lugo"]),
    ("Ontario", ["Toronto", "Ottawa", "Thunder Bay"], ["Montreal", "Detroit", "Winnipeg"]),
    ("Georgia, US", ["Atlanta", "Savannah"], ["Tbilisi", "Jacksonville", "Charlotte"]),
    ("Bavaria", ["Munich", "Nuremberg"], ["Stuttgart", "Salzburg"]),
])
def test_division_shapes_hold_their_cities(text, inside, outside):
    """The shape a division is framed by holds its cities (GeoNames'
    positions) and not its neighbours'.  (Not tested: El Paso, which lies
    within a few kilometres of New Mexico and Mexico and which the 1:50m
    lines put in New Mexico; see the test below.)"""
    from eclipse.io.places import find_place

    frame = _division(text)
    for name in inside + outside:
        place = find_place(name)
        assert frame.shape.covers(shapely.Point(place.longitude, place.latitude)) == (name in inside), name
    assert frame.shape.covers(shapely.points(frame.longitude, frame.latitude)).all()


def test_division_shapes_agree_with_natural_earth_places():
    """An independent attribution: Natural Earth's 1:50m populated places
    each name their first-level division (adm1name, Natural Earth's own).
    Of the 1,151 whose division the gazetteer knows by that name, at least
    97% lie in its shape (measured: 98.9%).  The rest are border cities that
    the 1:50m boundaries or the Voronoi cells of towns (where Natural Earth
    ships no admin-1 lines: scripts/build_divisions.py) put on the wrong
    side by a few kilometres (El Paso, Laredo, International Falls), and
    capitals whose name is also their surrounding province's (Lima)."""
    from eclipse.io.mapdata import division_shapes, features
    from eclipse.io.places import _qualifier

    shapes = division_shapes()
    keys = list(shapes)
    tree = shapely.STRtree([shapely.from_geojson(json.dumps(shapes[k])) for k in keys])
    places = [f["properties"] for f in features("populated_places_simple", "50m") if f["properties"]["adm1name"]]
    wanted = [{(c, r) for c, r in _qualifier(p["adm1name"]) if c == p["iso_a2"] and r} for p in places]
    named = [i for i, w in enumerate(wanted) if w]
    point, shape = tree.query(shapely.points([[places[i]["longitude"], places[i]["latitude"]] for i in named]),
                              predicate="intersects")
    right = {point[k] for k in range(len(point)) if keys[shape[k]] in wanted[named[point[k]]]}
    assert len(named) > 1100
    assert len(right) / len(named) >= 0.97


def test_a_name_of_a_country_and_a_division_is_the_one_the_eclipse_reaches():
    """'Georgia' is the Caucasus country and the US state: where the eclipse
    is seen decides (here a box over either); both or neither: an error that
    lists both as each can be named alone.  A country's own division of its
    name (the State of Mexico) and a country's ISO code ('CA': Canada, not
    California) do not compete."""
    from eclipse.maps import framing

    over_us, over_caucasus = shapely.box(-100, 25, -75, 45), shapely.box(38, 38, 50, 45)
    assert framing.resolve("Georgia", seen=over_us).name == "Georgia, United States"
    assert framing.resolve("Georgia", seen=over_caucasus).name == "Georgia"
    for seen, which in ((shapely.union(over_us, over_caucasus), "several"), (shapely.box(0, -10, 10, 0), "none")):
        with pytest.raises(framing.RegionError, match=rf"Georgia \('GEO'\) or Georgia, United States "
                                                      rf"\('Georgia, US'\); the eclipse reaches {which}"):
            framing.resolve("Georgia", seen=seen)
    assert framing.resolve("Georgia, US").name == framing.resolve("Georgia", seen=over_us).name
    assert framing.resolve("GEO").name == "Georgia"
    assert framing.resolve("Mexico").name == "Mexico"
    assert framing.resolve("CA").name == "Canada"
    assert framing.resolve("ON").name == "Ontario, Canada"
