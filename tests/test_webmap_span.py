"""The page of a span (issue 20, "span maps that tell the truth"): the paths
listed at a place are those it is inside, as `eclipse local` sees it; the
filters by kind and years; the path highlighted on hover or tap; the flat map
dragged as one picture of the world; what the page draws against the
full-resolution paths; the credit's range of Delta T.

The browser tests (headless Chromium, as tests/test_webmap_browser.py, whose
conventions they keep: real input events, no fixed waits) share one browser at
the issue's 1400x900 and one page, the decade 2020-2029.  Without Chromium
they skip, except under CI.
"""

import os
from pathlib import Path

import browser  # tests/browser.py
import numpy as np
import pytest
import shapely

import eclipse
import eclipse.web
from eclipse.geometry.regions import SPAN_TOLERANCE_DEG
from eclipse.web import document

WAIT_S = 30
DALLAS = (32.78, -96.80)
#: Places where the page and Python may list different paths: within this
#: distance (km) of a path's limit.  The page computes the kind seen with
#: the port of `eclipse local` (circumstances.js) from the eclipse's own
#: elements, written to the page in full double precision (JSON round-trips
#: them), and agrees with Python's magnitudes to 1e-9 and instants to 1 ms
#: (tests/test_circumstances_node.py): at a limit the umbral magnitude
#: changes by about 1e-4 a kilometre, so 1e-9 moves the limit by 10 mm.
#: The drawn umbra (to SPAN_TOLERANCE_DEG) only chooses which eclipses are
#: computed, with a margin of span.js MARGIN_DEG (0.5 degree, fifty times
#: the drawing's tolerance): it never decides.
LIMIT_KM = 0.001
CENTRAL = ("total", "annular")


@pytest.fixture(scope="module")
def decade():
    return eclipse.find(start="2020-01-01", end="2029-12-31")


@pytest.fixture(scope="module")
def page(decade, tmp_path_factory):
    return eclipse.web.page(decade).save(str(tmp_path_factory.mktemp("span") / "decade.html"))


@pytest.fixture(scope="module")
def driver():
    yield from browser.session(1400, 900, script_timeout_s=60)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = os.environ.get("ECLIPSE_SCREENSHOTS") or str(tmp_path_factory.mktemp("screenshots"))
    os.makedirs(folder, exist_ok=True)
    return lambda driver, name: driver.save_screenshot(os.path.join(folder, f"span-{name}.png"))


def settle(driver, since=None):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script(
        "return eclipseMap.idle() && (arguments[0] === null || eclipseMap.stats.draws > arguments[0])", since))


def load(driver, path):
    browser.console_errors(driver)
    browser.open_page(driver, path)
    assert browser.console_errors(driver) == []


def click_at(driver, xy):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(round(xy[0])), int(round(xy[1]))).click()
    before = driver.execute_script("return eclipseMap.stats.draws")
    actions.perform()
    settle(driver, before)


def pixel(driver, lat, lon):
    return driver.execute_script("return eclipseMap.toPixel(arguments[0], arguments[1])", lat, lon)


def places(decade, rng):
    """200 places: 60 anywhere on the Earth, 70 about the central lines (within
    a path's width either side), 70 about the umbral limits (within 5 km)."""
    paths = [e.path() for e in decade if e.central]
    lat = list(np.degrees(np.arcsin(rng.uniform(-1, 1, 60))))
    lon = list(rng.uniform(-180, 180, 60))
    for k in range(140):
        path = paths[k % len(paths)]
        if k < 70:
            curve, spread = path.central_line, path.central_line.width_km[len(path.central_line) // 2] / 111.0
        else:
            curve = [c for c in (path.umbra_north_limit, path.umbra_south_limit) if c is not None][k % 2 - 2]
            spread = 0.05
        i = rng.integers(len(curve))
        lat.append(np.clip(curve.latitude[i] + rng.normal(0, spread), -90, 90))
        lon.append((curve.longitude[i] + rng.normal(0, spread) + 180) % 360 - 180)
    return np.asarray(lat), np.asarray(lon)


def inside(e, lat, lon):
    return np.isin(np.asarray(e.local(lat, lon).kind_seen), CENTRAL)


def near_a_limit(e, lat, lon):
    """Whether a place is within LIMIT_KM of one of the eclipse's limits:
    Python sees it inside at some of eight points that far around it and
    outside at others."""
    step = LIMIT_KM / 111.2
    turns = np.radians(np.arange(0, 360, 45))
    la = lat + step * np.cos(turns)
    lo = lon + step * np.sin(turns) / max(np.cos(np.radians(lat)), 1e-6)
    seen = inside(e, la, lo)
    return bool(seen.any() and not seen.all())


def test_places_list_the_paths_they_are_inside(driver, page, decade, shots):
    """A tap on Dallas lists 2024-04-08 only (not the annular 2023-10-14,
    seen there partial 0.863), highlights it and names it; at 200 seeded
    places the paths listed are those of the eclipses Python sees total or
    annular there (``eclipse.local``), except within LIMIT_KM of a limit."""
    load(driver, page)
    click_at(driver, pixel(driver, *DALLAS))
    lat, lon = driver.execute_script("return eclipseMap.selected()")
    details = driver.execute_script(
        "return [...document.querySelectorAll('#local-panel .path-details')].map(h => h.dataset.date)")
    assert details == ["2024-04-08"]
    assert [e.date for e in decade if e.central and inside(e, lat, lon)] == ["2024-04-08"]
    assert str(next(e for e in decade if e.date == "2023-10-14").local(lat, lon).kind_seen) == "partial"
    assert driver.execute_script("return eclipseMap.highlighted()") == "2024-04-08"
    assert driver.find_element("id", "span-highlight").text == "Highlighted: 2024-04-08 total"
    shots(driver, "dallas")

    lat, lon = places(decade, np.random.default_rng(20))
    js = driver.execute_script("return arguments[0].map(p => eclipseMap.hits(p[0], p[1]))",
                               np.stack([lat, lon], -1).tolist())
    central = [e for e in decade if e.central]
    seen = np.stack([inside(e, lat, lon) for e in central], -1)
    assert 40 < seen.any(axis=1).sum() < 160  # places inside paths and outside them both
    for i in range(len(lat)):
        expected = {e.date for e, s in zip(central, seen[i]) if s}
        for date in expected.symmetric_difference(js[i]):
            e = next(x for x in central if x.date == date)
            assert near_a_limit(e, lat[i], lon[i]), (date, lat[i], lon[i], sorted(expected), js[i])


def test_filters_and_highlight(driver, page, decade, shots):
    """The filters are labelled controls; a kind unchecked or years left out
    take the paths off the map and off the places' lists; hovering a place
    inside a path highlights it, leaving it ends the highlight."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.support.ui import WebDriverWait

    load(driver, page)
    names = {i: (driver.find_element("id", i).accessible_name, driver.find_element("id", i).aria_role)
             for i in ("span-kind-total", "span-kind-annular", "span-kind-hybrid", "span-from", "span-to")}
    assert names == {"span-kind-total": ("Total", "checkbox"), "span-kind-annular": ("Annular", "checkbox"),
                     "span-kind-hybrid": ("Hybrid", "checkbox"), "span-from": ("From year", "spinbutton"),
                     "span-to": ("To year", "spinbutton")}
    annular = next(e for e in decade if e.date == "2023-10-14")
    assert driver.execute_script("return eclipseMap.hits(arguments[0], arguments[1])",
                                 annular.latitude, annular.longitude) == ["2023-10-14"]
    # the 2024-04-08 path's pixels about its central line over Mexico, with and without totals
    line = next(e for e in decade if e.date == "2024-04-08").path().central_line
    x, y = pixel(driver, line.latitude[len(line) // 3], line.longitude[len(line) // 3])
    box = "return Array.from(document.getElementById('map').getContext('2d')" \
          f".getImageData({int(x) - 12}, {int(y) - 12}, 24, 24).data)"
    before = np.asarray(driver.execute_script(box))
    details = "return [...document.querySelectorAll('#local-panel .path-details')].map(h => h.dataset.date)"
    driver.execute_script("eclipseMap.select(arguments[0], arguments[1])", *DALLAS)
    assert driver.execute_script(details) == ["2024-04-08"]
    n = driver.execute_script("return eclipseMap.stats.draws")
    driver.find_element("id", "span-kind-total").click()
    settle(driver, n)
    assert driver.execute_script("return eclipseMap.hits(arguments[0], arguments[1])", *DALLAS) == []
    assert driver.execute_script(details) == []  # the open panel follows the filter
    driver.find_element("css selector", "#local-panel .close").click()
    without = np.asarray(driver.execute_script(box))
    assert (np.abs(without - before).reshape(-1, 4).max(axis=1) > 40).sum() > 60  # the path is gone
    shots(driver, "no-totals")
    n = driver.execute_script("return eclipseMap.stats.draws")
    driver.find_element("id", "span-kind-total").click()
    settle(driver, n)
    assert np.array_equal(np.asarray(driver.execute_script(box)), before)
    assert driver.execute_script("return eclipseMap.hits(arguments[0], arguments[1])", *DALLAS) == ["2024-04-08"]
    field = driver.find_element("id", "span-from")
    field.clear()
    field.send_keys("2024")
    assert driver.execute_script("return eclipseMap.hits(arguments[0], arguments[1])",
                                 annular.latitude, annular.longitude) == []
    assert driver.execute_script("return eclipseMap.hits(arguments[0], arguments[1])", *DALLAS) == ["2024-04-08"]
    field.clear()
    field.send_keys("2020")

    # hover: the annular path at greatest eclipse, then the Pacific outside every path
    pacific = (-5.0, -140.0)
    assert not any(inside(e, *pacific) for e in decade if e.central)
    for (lat, lon), expected in (((annular.latitude, annular.longitude), "2023-10-14"), (pacific, None)):
        x, y = pixel(driver, lat, lon)
        actions = ActionBuilder(driver)
        actions.pointer_action.move_to_location(int(x), int(y))
        actions.perform()
        WebDriverWait(driver, WAIT_S).until(
            lambda d, expected=expected: d.execute_script("return eclipseMap.highlighted()") == expected)
        settle(driver)
        text = driver.find_element("id", "span-highlight").text
        assert text == ("Highlighted: 2023-10-14 annular" if expected else "Hover or tap a path")
        if expected:
            shots(driver, "hover")


#: Pixels (of 1400x900) that may differ between the flat map drawn while it
#: moves (the world's picture, placed at a fraction of a pixel) and drawn at
#: rest at the same view: anti-aliased edges resampled.  Measured: 0.17 %
#: (a picture one pixel off would differ along every coast and path).
MOVING_DIFFERENT = 0.005


def test_flat_map_moves_as_the_picture_of_the_world(driver, page, shots):
    """While the flat map is dragged across the antimeridian, each frame is
    the picture of the world at rest (drawn once, placed and wrapped), and
    takes no more than placing it: the frame is the one drawn at rest at the
    same view, to the anti-aliasing."""
    load(driver, page)
    drag = """
    const done = arguments[0], canvas = document.getElementById('map'), r = canvas.getBoundingClientRect();
    eclipseMap.setView({mode: 'flat', zoom: 1, lon: 120, lat: 0});
    let x = r.left + 300, y = r.top + 450;
    const send = type => canvas.dispatchEvent(new PointerEvent(type, {pointerId: 9, isPrimary: true,
      clientX: x, clientY: y, bubbles: true, buttons: 1}));
    send('pointerdown');
    let k = 0;
    requestAnimationFrame(function step() {
      if (k++ < 6) { x += 25; send('pointermove'); requestAnimationFrame(step); return; }
      const moving = !eclipseMap.idle(), view = eclipseMap.getView();
      window.movingFrame = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      send('pointerup');
      done({moving: moving, view: view});
    });
    """
    for _ in range(5):  # a frame drawn while moving (a loaded machine can end the move first)
        moved = driver.execute_async_script(drag)
        if moved["moving"]:
            break
    assert moved["moving"]
    settle(driver)
    shots(driver, "moved")
    view = moved["view"]
    assert 60 < view["lon"] < 120  # dragged 150 px east: the view's centre moved west
    n = driver.execute_script("return eclipseMap.stats.draws")
    driver.execute_script("eclipseMap.setView(arguments[0])", view)
    settle(driver, n)
    # the share of pixels whose red, green or blue differs by more than 48 of 255
    different = driver.execute_script(
        "const c = document.getElementById('map'), a = window.movingFrame,"
        " b = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        "for (let i = 0; i < a.length; i += 4) {"
        "  if (Math.abs(a[i] - b[i]) > 48 || Math.abs(a[i + 1] - b[i + 1]) > 48 || Math.abs(a[i + 2] - b[i + 2]) > 48) n++;"
        "}"
        "return n / (a.length / 4)")
    assert different < MOVING_DIFFERENT, different


# --- without a browser ----------------------------------------------------------------------


#: The span's central lines are simplified to SPAN_TOLERANCE_DEG and written
#: to document.SPAN_DECIMALS (3: half of 0.001 degree off in each coordinate
#: at most, 0.0007 degree across).
LINE_DEG = SPAN_TOLERANCE_DEG + 0.0008


def test_span_lines_keep_to_the_full_paths(decade, page):
    """Every central line the span's page draws lies within LINE_DEG of the
    full-resolution central line (``Eclipse.path()``), and it within LINE_DEG
    of the drawn one (Hausdorff distance, degrees of longitude and latitude)."""
    data = browser.page_data(Path(page).read_text(encoding="utf-8"))
    by_date = {e.date: e for e in decade}
    assert len(data["paths"]) == sum(e.central for e in decade) >= 10
    for p in data["paths"]:
        curve = by_date[p["date"]].path().central_line
        drawn = p["lines"]["central_line"]
        scale = 10.0 ** -drawn["decimals"]
        lines = [np.cumsum(np.asarray(f).reshape(-1, 2), axis=0) * scale for f in drawn["parts"]]
        full = [np.stack([curve.longitude[i], curve.latitude[i]], -1) for i in curve.parts()]
        assert len(lines) == len(full)
        for a, b in zip(lines, full):
            distance = shapely.hausdorff_distance(shapely.linestrings(a), shapely.linestrings(b))
            assert distance < LINE_DEG, (p["date"], distance)
            assert len(a) < len(b)  # simplified


def test_span_credit_gives_the_range_of_delta_t(decade, page):
    """The span's credit gives Delta T from its least to its greatest over
    the span's eclipses; one eclipse's, its own."""
    data = browser.page_data(Path(page).read_text(encoding="utf-8"))
    values = [round(e.delta_t_s, 2) for e in decade]
    assert f"; Delta T {min(values):.1f} to {max(values):.1f} s;" in data["credit"]
    assert f"{min(values):.1f}" != f"{max(values):.1f}"  # a range, not one value
    one = eclipse.at("2024-04-08")
    assert f"; Delta T {round(one.delta_t_s, 2):.1f} s;" in document.credit(one)
