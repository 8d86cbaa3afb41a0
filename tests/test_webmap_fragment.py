"""The interactive page's link to a view, elevation field, sky at the
slider's instant and night shade, in headless Chromium.

One browser and one page (2024-04-08) serve the module.  The link: a view,
place, elevation and time set with the page's controls are written to the
URL's fragment (history.replaceState: no request, no navigation, no history
entry) and a fresh page opened with it shows them again; bad fragments
leave the default view and log nothing.  The elevation field: the panel's
JSON at Dallas with 1000 m is `eclipse local --elevation-m 1000 --format
json`'s.  The Sun and the Moon drawn at the slider's instant and the night
shade are compared with eclipse.geometry (the same formulas on the same
elements) and with Skyfield (DE421, topocentric apparent positions: an
independent computation).

Nothing waits a fixed time (test_webmap_browser.settle; the fragment is
waited for until it equals ``eclipseMap.link()``).
"""

import json
import os

import browser  # tests/browser.py
import numpy as np
import pytest
from test_webmap_browser import WAIT_S, assert_same, draws, settle

import eclipse
import eclipse.web
from eclipse.dates import format_datetime
from eclipse.geometry.earth import observer, parallactic_angle, sun_altitude_azimuth
from eclipse.geometry.horizon import APPARENT, sun_semidiameter
from eclipse.geometry.shadow import magnitude, obscuration, position_angle, shadow
from eclipse.io.records import local_record

DATE = "2024-04-08"
DALLAS = (32.7767, -96.797)
#: The link writes places and the view's centre to 1e-4 degree, the zoom to
#: four significant digits and the time to the second: a restored page is
#: within half of that of the page linked (and float rounding).
LINK_DEGREES = 0.5e-4 + 1e-9
LINK_ZOOM = 0.5e-3  # relative
LINK_HOURS = 0.5 / 3600 + 1e-9
#: The sky drawn at an instant is computed with the formulas of
#: eclipse.geometry on the same elements, in double precision both: what
#: differs is the last bits of sin, cos and atan2 (V8's and NumPy's).
SAME = 1e-9


@pytest.fixture(scope="module")
def driver():
    yield from browser.session()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fragment")
    return eclipse.web.page(eclipse.at(DATE)).save(str(folder / f"{DATE}.html"))


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = os.environ.get("ECLIPSE_SCREENSHOTS") or str(tmp_path_factory.mktemp("screenshots"))
    os.makedirs(folder, exist_ok=True)

    def take(driver, name):
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script("return eclipseMap.idle()"))
        driver.save_screenshot(os.path.join(folder, f"{name}.png"))

    return take


def url_of(path):
    return "file://" + os.path.abspath(path)


def open_at(driver, path, fragment=""):
    """A fresh page (about:blank first: a URL that differs from the current
    one only by its fragment would not load the page again), with no request
    but itself and no error."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    browser.network_requests(driver)
    browser.console_errors(driver)
    driver.get(url_of(path) + fragment)
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return !!(window.eclipseMap && eclipseMap.stats.firstDraw)"))
    assert_offline(driver, path)


def assert_offline(driver, path):
    requests = [u.split("#")[0] for u in browser.network_requests(driver) if u != "data:,"]
    assert requests in ([], [url_of(path)]), requests
    names = driver.execute_script(
        "return performance.getEntries().filter(e => e.entryType == 'resource' || e.entryType == 'navigation')"
        ".map(e => e.name)")
    assert [n.split("#")[0] for n in names] == [url_of(path)]
    assert browser.console_errors(driver) == []


def written(driver):
    """The fragment once the page has written it (it writes at most every
    0.4 s while things change): location.hash equal to eclipseMap.link()."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script("return location.hash === eclipseMap.link()"))
    return driver.execute_script("return location.hash")


def hours_at(e, iso):
    """Hours from t0 (TT) of a UT time of the eclipse's day."""
    from eclipse.dates import parse_date

    clock = iso.rstrip("Z").split("T")[1].split(":")
    jd_ut = parse_date(DATE) + (int(clock[0]) * 3600 + int(clock[1]) * 60 + float(clock[2])) / 86400
    return (jd_ut + e.delta_t_s / 86400 - e.elements.t0) * 24


def cli_local(lat, lon, elevation):
    """`eclipse local DATE --lat --lon --elevation-m --format json` (the
    command's main, in this process: no interpreter to start)."""
    import contextlib
    import io

    from eclipse.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["local", DATE, "--lat", repr(lat), "--lon", repr(lon), "--elevation-m", str(elevation),
                     "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_link_restores_view_place_elevation_and_time(driver, page, shots):
    """Flat view, zoomed and moved, Dallas found by the search box, 1000 m
    typed into the elevation field, the slider at C2 + 30 s: the fragment
    holds them; the address changed by replaceState alone (same document,
    no history entry, no request); a fresh page opened with it restores
    the view, the slider, the place, its name and elevation, and the panel;
    the panel's JSON is `eclipse local --elevation-m 1000`'s."""
    from selenium.webdriver.common.keys import Keys

    e = eclipse.at(DATE)
    open_at(driver, page)
    driver.execute_script("window.sameDocument = true")
    length = driver.execute_script("return history.length")
    before = draws(driver)
    driver.find_element("id", "view-flat").click()
    settle(driver, before)
    box = driver.find_element("id", "search")
    box.send_keys("Dallas")
    before = draws(driver)
    box.send_keys(Keys.ENTER)
    settle(driver, before)
    lat, lon = driver.execute_script("return eclipseMap.selected()")
    field = driver.find_element("id", "elevation")
    assert field.get_property("value") == "0"
    at_zero = driver.execute_script("return eclipseMap.shown().json")
    field.clear()
    field.send_keys("1000", Keys.ENTER)
    shown = driver.execute_script("return eclipseMap.shown()")
    assert shown["elevation"] == 1000 and shown["json"]["elevation_m"] == 1000
    # the panel's JSON at 1000 m is the command's
    py = cli_local(lat, lon, 1000)
    assert_same(py, shown["json"], ("Dallas", lat, lon, 1000))
    for key in ("magnitude", "duration_s"):  # 1000 m makes a difference the test can see
        assert shown["json"][key] != at_zero[key], key
    assert shown["json"]["c2"] != at_zero["c2"] or shown["json"]["c3"] != at_zero["c3"]
    # a bad elevation says why and keeps the results
    field.clear()
    field.send_keys("200000", Keys.ENTER)
    assert driver.find_element("id", "elevation-note").text == "outside -1000 to 100000 m"
    assert field.get_attribute("aria-invalid") == "true"
    assert driver.execute_script("return eclipseMap.shown().elevation") == 1000
    field.clear()
    field.send_keys("1000", Keys.ENTER)
    # the view moved and zoomed with the controls, the slider set
    driver.execute_script("eclipseMap.setView({lon: -90.5, lat: 31.25})")
    before = draws(driver)
    driver.find_element("id", "zoom-in").click()
    settle(driver, before)
    hours = driver.execute_script(
        "const t = EclipseMath.circumstances(new EclipseMath.Elements(arguments[0]), arguments[1], arguments[2], 1000)"
        ".hours[1] + 30 / 3600; eclipseMap.setHours(t); return t", e.elements.to_dict(), lat, lon)
    fragment = written(driver)
    shots(driver, "fragment-linked")
    assert fragment.startswith(f"#place={round(lat, 4):g},{round(lon, 4):g}&elev=1000&name=Dallas&view=flat"
                               "&center=31.25,-90.5&zoom="), fragment
    assert fragment.endswith("&time=" + driver.execute_script("return EclipseMath.utc(new EclipseMath.Elements("
                                                              "arguments[0]), arguments[1])", e.elements.to_dict(),
                                                              hours)), fragment
    assert driver.execute_script("return [window.sameDocument, history.length]") == [True, length]
    assert driver.current_url == url_of(page) + fragment
    assert_offline(driver, page)
    linked = {"view": driver.execute_script("return eclipseMap.getView()"), "hours": hours,
              "place": (lat, lon), "json": driver.execute_script("return eclipseMap.shown().json"),
              "label": driver.find_element("id", "time-label").text,
              "panel": driver.find_element("id", "local-panel").text}

    open_at(driver, page, fragment)
    settle(driver)
    view = driver.execute_script("return eclipseMap.getView()")
    assert view["mode"] == "flat"
    assert abs(view["lat"] - linked["view"]["lat"]) <= LINK_DEGREES
    assert abs(view["lon"] - linked["view"]["lon"]) <= LINK_DEGREES
    assert view["zoom"] == pytest.approx(linked["view"]["zoom"], rel=LINK_ZOOM)
    assert abs(driver.execute_script("return eclipseMap.hours()") - hours) <= LINK_HOURS
    # (the range input keeps its value to 15 digits)
    assert float(driver.find_element("id", "time").get_property("value")) == pytest.approx(
        driver.execute_script("return eclipseMap.hours()"), abs=1e-12)
    assert driver.find_element("id", "time-label").text == linked["label"]
    restored = driver.execute_script("return eclipseMap.selected()")
    assert np.allclose(restored, linked["place"], atol=LINK_DEGREES, rtol=0)
    shown = driver.execute_script("return eclipseMap.shown()")
    assert shown["elevation"] == 1000 and driver.find_element("id", "elevation").get_property("value") == "1000"
    assert not driver.find_element("id", "local-panel").get_property("hidden")
    # what the panel shows is `eclipse local` at the place as linked
    assert_same(local_record(e.local(*restored, 1000)), shown["json"], ("restored", restored))
    assert driver.find_element("id", "local-panel").text.split("\n")[:3] == linked["panel"].split("\n")[:3]
    assert driver.execute_script("return eclipseMap.link()") == fragment
    shots(driver, "fragment-restored")
    # the panel closed, the link has no place
    driver.find_element("css selector", "#local-panel .close").click()
    assert not written(driver).startswith("#place=")


def test_bad_fragments_leave_the_default_view(driver, page):
    """A fragment that is not a link, or whose parts are out of range, is
    ignored part by part: the default view, no place, no error logged."""
    open_at(driver, page)
    default = driver.execute_script("return [eclipseMap.getView(), eclipseMap.hours()]")
    limits = "{elevation: [-1000, 100000], zoom: [0.5, 400], modes: ['globe', 'flat']}"
    cases = {
        "": {}, "#": {}, "#%E0%A4%A": {}, "#&&==&": {}, "#place": {}, "#place=": {},
        "#place=91,0": {}, "#place=abc,def": {}, "#place=1e3,5": {}, "#place=0x10,5": {}, "#place=10,360": {},
        "#place=10,200&elev=999999": {"place": {"lat": 10, "lon": -160, "elevation": 0, "name": None}},
        "#place=-33.5,151.25&elev=-50&name=S%C3%A3o%20X": {
            "place": {"lat": -33.5, "lon": 151.25, "elevation": -50, "name": "S\u00e3o X"}},
        "#view=cube&zoom=1e9&center=95,0": {}, "#view=flat&zoom=0.1": {"mode": "flat"},
        "#zoom=12.5&center=10,-20": {"zoom": 12.5, "centre": {"lat": 10, "lon": -20}},
        "#time=2024-04-08T18:40:00": {}, "#time=yesterday": {},
        "#time=2024-04-08T18:40:00Z": {"time": "2024-04-08T18:40:00Z"},
    }
    parsed = driver.execute_script(
        f"return arguments[0].map(h => EclipseLink.parse(h, {limits}))", list(cases))
    for (hash_, expected), got in zip(cases.items(), parsed):
        assert got == expected, hash_
    # whole pages: nothing of these is used, and nothing thrown or logged
    for fragment in ("#place=91,0&view=cube&zoom=abc&center=x&time=2024-04-09T23:00:00Z",
                     "#%ZZ&time=-0135-04-15T05:00:00Z", "#place=" + "9" * 400 + "&time=2024-04-08T18:99:00Z"):
        open_at(driver, page, fragment)
        assert driver.execute_script("return [eclipseMap.getView(), eclipseMap.hours()]") == default, fragment
        assert driver.execute_script("return eclipseMap.selected()") is None
        assert driver.find_element("id", "local-panel").get_property("hidden")


def test_copy_link(driver, page):
    """The button copies the address with the view's fragment (the
    clipboard, or a selected text field) and says "Copied"; it has a name."""
    from selenium.webdriver.support.ui import WebDriverWait

    open_at(driver, page)
    button = driver.find_element("id", "copy-link")
    assert button.get_attribute("aria-label") == "Copy link to this view" and button.text == "Copy link"
    driver.execute_script("eclipseMap.select(40.0, -80.0)")
    button.click()
    WebDriverWait(driver, WAIT_S).until(lambda d: d.find_element("id", "copy-status").get_property("textContent"))
    status = driver.find_element("id", "copy-status").get_property("textContent")
    href = driver.execute_script("return location.href")
    assert "#place=40,-80&" in href
    field = driver.find_element("id", "link-text")
    if field.get_property("hidden"):  # the clipboard took it
        assert status == "Copied" and button.text == "Copied"
    else:  # the field: copied by the editing command, or selected for Ctrl+C
        assert field.get_property("value") == href
        assert status == ("Copied" if field.get_attribute("data-copied") == "true" else "Press Ctrl+C to copy the link")
    # a change of view makes it a button to copy again
    driver.execute_script("eclipseMap.setView({zoom: 2})")
    WebDriverWait(driver, WAIT_S).until(lambda d: d.find_element("id", "copy-link").text == "Copy link")
    assert_offline(driver, page)


def test_link_in_a_notebook_frame(driver, page, tmp_path):
    """In the notebook's sandboxed srcdoc frame the address cannot change:
    the link is kept in the page, the copy button disabled with a reason,
    nothing thrown or logged, the notebook's address unchanged."""
    from selenium.webdriver.support.ui import WebDriverWait

    from eclipse.web import InteractiveMap

    with open(page, encoding="utf-8") as f:
        frame = InteractiveMap(f.read(), "total")._repr_html_()
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body><h1>Cell</h1>{frame}</body></html>", encoding="utf-8")
    browser.network_requests(driver)
    browser.console_errors(driver)
    driver.get("file://" + str(notebook))
    driver.switch_to.frame(driver.find_element("tag name", "iframe"))
    try:
        WebDriverWait(driver, 10).until(lambda d: d.execute_script(
            "return !!(window.eclipseMap && eclipseMap.stats.firstDraw)"))
        button = driver.find_element("id", "copy-link")
        assert not button.is_enabled() and "notebook" in button.get_attribute("title")
        driver.execute_script("eclipseMap.select(arguments[0], arguments[1]); eclipseMap.setView({zoom: 3})", *DALLAS)
        link = driver.execute_script("return eclipseMap.link()")
        assert link.startswith("#place=32.7767,-96.797&view=globe") and "&zoom=3&" in link
        WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script("return eclipseMap.idle()"))
        assert driver.execute_script("return location.href") == "about:srcdoc"
    finally:
        driver.switch_to.default_content()
    assert driver.current_url == "file://" + str(notebook)
    assert browser.console_errors(driver) == []


def test_sky_at_the_slider_time(driver, page, shots):
    """The panel draws the Sun and the Moon at the slider's instant: the
    Moon's offset Delta / R and its angle V from the zenith, the magnitude,
    obscuration and the Sun's altitude then are eclipse.geometry's at that
    instant (shadow, magnitude, obscuration, position_angle,
    parallactic_angle, sun_altitude_azimuth, the apparent horizon) within
    SAME, from before C1 to after C4, and the caption names the next contact
    and the time to it.  At mid-partial phase the direction and the
    separation agree with Skyfield's topocentric apparent Sun and Moon."""
    from skyfield.api import wgs84

    from eclipse.sources.kernel import load as load_ephemeris

    e = eclipse.at(DATE)
    lat, lon, height = DALLAS[0], DALLAS[1], 1000.0
    lc = e.local(lat, lon, height)
    contacts = {n: (float(lc.time_tt(n)) - e.elements.t0) * 24 for n in ("c1", "c2", "max", "c3", "c4")}
    open_at(driver, page, f"#place={lat},{lon}&elev=1000")
    assert driver.execute_script("return eclipseMap.shown().elevation") == 1000
    instants = [contacts["c1"] - 0.2, (contacts["c1"] + contacts["c2"]) / 2, contacts["c2"] + 0.01,
                contacts["max"] + 0.002, contacts["c4"] - 0.05, contacts["c4"] + 0.1]
    names = {"c1": "C1", "c2": "C2", "max": "Maximum", "c3": "C3", "c4": "C4"}
    obs = observer(np.radians(lat), np.radians(lon), height)
    for t in instants:
        sky = driver.execute_script("eclipseMap.setHours(arguments[0]); return eclipseMap.sky()", t)
        now = sky["now"]
        assert now["hours"] == t
        s = shadow(e.elements, t, obs)
        at = e.elements.at(t)
        inside = s.distance < s.penumbra
        assert now["distance"] == pytest.approx(float(s.distance), abs=SAME)
        assert now["sun_radius"] == pytest.approx(float((s.penumbra + s.umbra) / 2), abs=SAME)
        assert now["moon_radius"] == pytest.approx(float((s.penumbra - s.umbra) / 2), abs=SAME)
        assert now["magnitude"] == pytest.approx(float(magnitude(s.distance, s.penumbra, s.umbra)) if inside else 0,
                                                 abs=SAME)
        assert now["obscuration"] == pytest.approx(float(obscuration(s.distance, s.penumbra, s.umbra)), abs=SAME)
        p = float(position_angle(s.u, s.v))
        v = p - float(parallactic_angle(obs.latitude, obs.longitude, at.d, at.mu))
        assert abs(np.angle(np.exp(1j * (now["p"] - p)))) < SAME
        assert abs(np.angle(np.exp(1j * (now["v"] - v)))) < SAME
        altitude, azimuth = sun_altitude_azimuth(obs.latitude, obs.longitude, at.d, at.mu)
        assert now["altitude"] == pytest.approx(float(APPARENT.apparent(altitude)), abs=SAME)
        assert now["azimuth"] == pytest.approx(float(azimuth), abs=SAME)
        # the next contact and the time to it, as the caption says
        later = [(h, n) for n, h in contacts.items() if np.isfinite(h) and h > t]
        caption = driver.find_element("css selector", "#local-panel .sky-now").text
        assert caption.startswith(format_datetime(e.elements.t0 + t / 24 - e.delta_t_s / 86400)
                                  .split("T")[1] + " UT: Sun "), caption
        if later:
            h, n = min(later)
            assert sky["next"]["name"] == n and abs(sky["next"]["hours"] - h) * 3600 < 1e-3
            wait = round((h - t) * 3600)
            text = f"{wait // 60} min {wait % 60:02d} s" if 60 <= wait < 3600 else (
                f"{wait} s" if wait < 60 else f"{wait // 3600} h {wait % 3600 // 60:02d} min")
            assert caption.endswith(f"{names[n]} in {text}."), caption
        else:
            assert sky["next"] is None and "The eclipse is over here" in caption
        if t == instants[2]:
            shots(driver, "fragment-sky-totality")
        if t == instants[1]:
            shots(driver, "fragment-sky-partial")
    # an independent look at mid-partial phase: Skyfield, DE421
    t = instants[1]
    now = driver.execute_script("eclipseMap.setHours(arguments[0]); return eclipseMap.sky().now", t)
    eph = load_ephemeris()
    here = eph.kernel["earth"] + wgs84.latlon(lat, lon, elevation_m=height)
    when = eph.timescale.tt_jd(e.elements.t0 + t / 24)
    sun = here.at(when).observe(eph.kernel["sun"]).apparent()
    moon = here.at(when).observe(eph.kernel["moon"]).apparent()
    sun_alt, sun_az, sun_distance = sun.altaz()
    moon_alt, moon_az, _ = moon.altaz()
    seen = np.array([((moon_az.degrees - sun_az.degrees + 180) % 360 - 180) * np.cos(sun_alt.radians),
                     moon_alt.degrees - sun_alt.degrees])
    drawn = np.array([-np.sin(now["v"]), np.cos(now["v"])])
    # as test_webmap_browser.test_sun_and_moon_drawn_as_seen: the offset
    # taken flat across half a degree of sky
    assert np.hypot(*(drawn - seen / np.hypot(*seen))) < 0.01
    # the separation in Sun radii: Skyfield's angle over the Sun's angular
    # radius (IAU 2015 nominal 695,700 km); the elements' Sun is the
    # ephemeris's at the same 1e-3 of the radius (k1, k2 and the cone
    # angles), and the flat offset is good to 1e-4 of half a degree
    separation = sun.separation_from(moon).radians / np.arcsin(695700.0 / sun_distance.km)
    assert now["distance"] / now["sun_radius"] == pytest.approx(separation, rel=2e-3)
    assert_offline(driver, page)


def test_night_is_shaded_where_the_sun_is_down(driver, page, shots):
    """At 18:18 UT the map shades as night the places where the Sun's
    centre is below the horizon of sunrise and sunset (apparent: true
    altitude below -(34' + its semidiameter)): at 20 random places and 20
    near the terminator, the page's test is eclipse.geometry's (the Sun's
    altitude from the elements) at each, and Skyfield's topocentric
    altitude of the Sun (no refraction) at each more than 0.2 degree from
    the terminator.  The shade is drawn: a night ocean is darker than the
    same ocean by day, and both stay blue."""
    from skyfield.api import wgs84

    from eclipse.sources.kernel import load as load_ephemeris

    e = eclipse.at(DATE)
    open_at(driver, page)
    t = hours_at(e, "2024-04-08T18:18:00Z")
    before = draws(driver)
    driver.find_element("id", "view-flat").click()
    driver.execute_script("eclipseMap.setHours(arguments[0])", t)
    settle(driver, before)
    at = e.elements.at(t)
    h0 = float(APPARENT.rise_set_altitude(sun_semidiameter(e.elements.l1[0], e.elements.tan_f1, e.elements.tan_f2)))
    rng = np.random.default_rng(20)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 20)))
    lon = rng.uniform(-180, 180, 20)
    # 20 more within 0.3 degree of the terminator: from the subsolar point
    # (d, -mu), 90 degrees - h0 + a small offset, in random directions
    bearing, offset = rng.uniform(0, 2 * np.pi, 20), np.radians(rng.uniform(-0.3, 0.3, 20))
    arc = np.pi / 2 - h0 + offset
    d, sub_lon = float(at.d), -float(at.mu)
    near_lat = np.arcsin(np.sin(d) * np.cos(arc) + np.cos(d) * np.sin(arc) * np.cos(bearing))
    near_lon = sub_lon + np.arctan2(np.sin(bearing) * np.sin(arc) * np.cos(d), np.cos(arc) - np.sin(d) * np.sin(near_lat))
    lat = np.r_[lat, np.degrees(near_lat)]
    lon = np.r_[lon, (np.degrees(near_lon) + 180) % 360 - 180]
    shaded = driver.execute_script("return arguments[0].map(p => eclipseMap.night(p[0], p[1]))",
                                   np.stack([lat, lon], -1).tolist())
    altitude, _ = sun_altitude_azimuth(np.radians(lat), np.radians(lon), at.d, at.mu)
    margin = np.abs(altitude - h0)
    python_night = altitude < h0
    # the same test, to the last bits of the trigonometry (a 1e-9 degree margin)
    assert np.array_equal(np.array(shaded)[margin > np.radians(1e-9)], python_night[margin > np.radians(1e-9)])
    assert 5 <= python_night[:20].sum() <= 15  # the random places are on both sides
    eph = load_ephemeris()
    when = eph.timescale.tt_jd(e.elements.t0 + t / 24)
    agree = 0
    for i in range(len(lat)):
        sky_alt, _, _ = (eph.kernel["earth"] + wgs84.latlon(lat[i], lon[i])).at(when).observe(eph.kernel["sun"]).apparent().altaz()
        if abs(sky_alt.radians - h0) > np.radians(0.2):
            assert shaded[i] == (sky_alt.radians < h0), (lat[i], lon[i], sky_alt.degrees, np.degrees(h0))
            agree += 1
    assert agree >= 20
    # the shade on the canvas: water at night darker than water by day,
    # still blue (the Indian Ocean at night, the South Atlantic by day)
    def pixel(lat_, lon_):
        return driver.execute_script(
            "const p = eclipseMap.toPixel(arguments[0], arguments[1]), c = document.getElementById('map');"
            "const r = window.devicePixelRatio || 1;"
            "return [...c.getContext('2d').getImageData(Math.round(p[0] * r), Math.round(p[1] * r), 1, 1).data]",
            lat_, lon_)
    assert driver.execute_script("return [eclipseMap.night(-20, 75), eclipseMap.night(-35, -25)]") == [True, False]
    night, day = np.array(pixel(-20.2, 75.3)[:3]), np.array(pixel(-35.2, -25.3)[:3])
    assert night.sum() < day.sum() - 60 and night[2] > night[0], (night, day)
    shots(driver, "fragment-night-flat")
    before = draws(driver)
    driver.find_element("id", "view-globe").click()
    driver.execute_script("eclipseMap.setView({lon: 30, lat: 20})")
    settle(driver, before)
    shots(driver, "fragment-night-globe")
    assert_offline(driver, page)
