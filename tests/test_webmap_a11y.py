"""The interactive page's accessibility (WCAG 2.1 AA) in headless Chromium.

axe-core (pinned in tests/js/package.json, installed by the README's first
set-up command into tests/js/node_modules; used here only, never shipped in
a page) is injected into each test page and must report no violation of the
rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa and best-practice, with the
panel closed and open.  axe cannot judge text drawn over the canvas (it
reports such contrast as "incomplete"), so the contrasts are computed here
too, by WCAG 2.1's formulas, from the page's own colours: every text of the
page's HTML over its boxes, the canvas's labels over their box, and the
rendered pixels of land, sea and coastline inside the partial region.  The
keyboard's cursor, the controls' names, the slider's spoken time and the
focus ring are driven with real key events.

Without Chromium or axe-core these tests skip, except under CI (CI set),
where they fail.
"""

import os
import re

import browser  # tests/browser.py
import numpy as np
import pytest
from test_webmap_browser import draws, kind_shown, load, settle

import eclipse
import eclipse.web
from eclipse.dates import format_datetime

AXE = os.path.join(os.path.dirname(__file__), "js", "node_modules", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: The test pages: a total, a hybrid, a partial, 136 BCE and a decade's span.
PAGES = ("2024-04-08", "2023-04-20", "2025-03-29", "-0135-04-15", "span")
#: WCAG 2.1 AA: 4.5:1 for text (1.4.3; none of the page's text is large
#: enough for 3:1), 3:1 for what tells parts of a graphic or a focus apart (1.4.11).
TEXT, GRAPHIC = 4.5, 3.0
#: The keyboard cursor's steps (px), and how near an edge it comes (cursor.js).
STEP, SHIFT_STEP, MARGIN = 8, 48, 40


def require_axe():
    if os.path.exists(AXE):
        return
    message = f"no axe-core ({AXE}): npm ci --prefix tests/js"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: the accessibility tests must run)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def driver():
    yield from browser.session(script_timeout_s=60)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    out = {}
    for date in PAGES[:-1]:
        out[date] = eclipse.web.page(eclipse.at(date)).save(str(folder / f"{date}.html"))
    span = eclipse.find(start="2020-01-01", end="2029-12-31")
    out["span"] = eclipse.web.page(span).save(str(folder / "span.html"))
    return out


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = os.environ.get("ECLIPSE_SCREENSHOTS") or str(tmp_path_factory.mktemp("a11y-screenshots"))
    os.makedirs(folder, exist_ok=True)

    def take(driver, name):
        driver.save_screenshot(os.path.join(folder, f"a11y-{name}.png"))

    return take


# --- WCAG 2.1's relative luminance and contrast ratio -----------------------------------


def luminance(rgb):
    c = np.asarray(rgb[:3], dtype=float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def colour(text):
    """[r, g, b, alpha] of a CSS colour: #rrggbb, rgb() or rgba()."""
    if text.startswith("#"):
        return [int(text[i:i + 2], 16) for i in (1, 3, 5)] + [1.0]
    values = [float(v) for v in re.findall(r"[\d.]+", text)]
    return values[:3] + [values[3] if len(values) > 3 else 1.0]


def over(top, bottom):
    """``top`` (with its alpha) composited over an opaque ``bottom``."""
    a = top[3]
    return [a * t + (1 - a) * b for t, b in zip(top[:3], bottom[:3])] + [1.0]


BLACK = [0, 0, 0, 1.0]


def test_wcag_contrast_formula():
    """The formula's known values: black on white 21:1, #777 on white 4.48:1."""
    assert contrast([0, 0, 0], [255, 255, 255]) == pytest.approx(21)
    assert contrast(colour("#777777"), [255, 255, 255]) == pytest.approx(4.48, abs=0.005)
    assert over(colour("rgba(255, 255, 255, 0.5)"), BLACK)[:3] == [127.5] * 3


# --- axe-core ----------------------------------------------------------------------------


def axe(driver):
    """axe-core's violations on the page as it is: [rule, impact, targets]."""
    if not driver.execute_script("return !!window.axe"):
        with open(AXE, encoding="utf-8") as f:
            driver.execute_script(f.read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } })"
        ".then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))])),"
        " e => done('axe failed: ' + e))", AXE_TAGS)
    assert not isinstance(result, str), result
    return result


def place_of(driver):
    """A place to open the panel at: the first eclipse's greatest eclipse."""
    return driver.execute_script(
        "const e = JSON.parse(document.getElementById('eclipse-data').textContent).eclipses[0];"
        "return [e.latitude, e.longitude]")


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(driver, pages, shots, name):
    """No violation with the panel closed and then open, the legend shown."""
    require_axe()
    load(driver, pages[name])
    assert driver.find_element("id", "legend").is_displayed()
    assert axe(driver) == []
    before = draws(driver)
    driver.execute_script("eclipseMap.select(arguments[0], arguments[1])", *place_of(driver))
    settle(driver, before)
    assert driver.find_element("id", "local-panel").is_displayed()
    assert axe(driver) == []
    shots(driver, f"{name}-panel")


# --- names ----------------------------------------------------------------------------


def test_controls_are_named_in_words_and_the_slider_speaks_its_time(driver, pages):
    """Every button and field has a name with a word in it (Chromium's
    computed accessible name), the glyph buttons theirs; Play becomes Pause
    and back; the slider's aria-valuetext is the time shown, 'hh:mm:ss UT',
    Python's time for the slider's instant."""
    load(driver, pages["2024-04-08"])
    driver.execute_script("eclipseMap.select(30, -100)")  # the panel's close button too
    names = {}
    for element in driver.find_elements("css selector", "button, input, canvas, a"):
        if element.is_displayed():
            names[element.get_attribute("id") or element.get_attribute("class") or element.text] = element.accessible_name
    assert all(re.search("[A-Za-z]{2}", n) for n in names.values()), names
    assert {k: names[k] for k in ("zoom-in", "zoom-out", "zoom-reset", "play", "map")} == {
        "zoom-in": "Zoom in", "zoom-out": "Zoom out", "zoom-reset": "Starting view", "play": "Play",
        "map": "Map of the eclipse"}
    assert names["close"] == "Close"
    play = driver.find_element("id", "play")
    driver.execute_script("eclipseMap.clock = () => 0")  # the animation held still
    play.click()
    assert play.accessible_name == "Pause" and play.get_attribute("title") == "Pause"
    play.click()
    assert play.accessible_name == "Play"

    e = eclipse.at("2024-04-08")
    slider = driver.find_element("id", "time")
    for hours in (-1.5, 0.25, 2.0):
        driver.execute_script("eclipseMap.setHours(arguments[0])", hours)
        jd_ut = e.elements.t0 + hours / 24 - e.delta_t_s / 86400
        expected = format_datetime(jd_ut).split("T")[1] + " UT"
        assert slider.get_attribute("aria-valuetext") == expected
        assert driver.find_element("id", "time-label").text.endswith(expected)
        assert re.fullmatch(r"\d\d:\d\d:\d\d UT", expected)


# --- focus ------------------------------------------------------------------------------


def focus_style(driver):
    """The focused element's id (or class), whether it matches :focus-visible,
    its outline (style, width in px, colour) and its box-shadow."""
    return driver.execute_script(
        "const a = document.activeElement, s = getComputedStyle(a);"
        "return [a.id || a.className || a.tagName, a.matches(':focus-visible'), s.outlineStyle,"
        " parseFloat(s.outlineWidth), s.outlineColor, s.boxShadow]")


def test_focus_is_visible_on_every_control(driver, pages, shots):
    """Tab from the start reaches the map first, then every control; each
    shows a solid ring 2 px wide or more, of 3:1 or more against white, the
    page's ground, land and water (what lies around a control); the map's
    ring lies inside its edge.  The borders of the controls have 3:1 too."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    load(driver, pages["2024-04-08"])
    driver.execute_script("eclipseMap.select(30, -100); document.activeElement.blur()")
    data = driver.execute_script("return JSON.parse(document.getElementById('eclipse-data').textContent).colours")
    around = [colour("#ffffff"), colour("#eef2f5"), colour(data["land"]), colour(data["water"])]
    seen = []
    for _ in range(30):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        name, visible, style, width, ring, shadow = focus_style(driver)
        if name in seen or name == "BODY":
            break
        seen.append(name)
        assert visible and style == "solid" and width >= 2, (name, style, width)
        assert min(contrast(colour(ring), c) for c in around) >= GRAPHIC, (name, ring)
        if name == "map":
            assert driver.execute_script("return getComputedStyle(document.activeElement).outlineOffset") == "-3px"
            shots(driver, "focus-map")
        else:
            assert "255, 255, 255" in shadow  # the white ring between
        if name == "zoom-in":
            shots(driver, "focus-zoom-in")
    assert seen[0] == "map"
    assert {"view-globe", "view-flat", "zoom-in", "zoom-out", "zoom-reset", "search", "play", "time", "close"} <= set(seen)

    # and the borders that show where each control is: 3:1 against what is around them
    borders = driver.execute_script(
        "return [...document.querySelectorAll('button, input')].filter(e => e.offsetParent)"
        ".map(e => getComputedStyle(e)).filter(s => s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0)"
        ".map(s => s.borderTopColor)")
    assert len(borders) >= 7
    for b in borders:
        assert min(contrast(colour(b), c) for c in around) >= GRAPHIC, b


# --- the keyboard's cursor ----------------------------------------------------------------


def cursor(driver):
    """The cursor's place [lat, lon], its pixel in the viewport, the text announced."""
    return driver.execute_script(
        "const c = eclipseMap.cursor(); return [c, c && eclipseMap.toPixel(c[0], c[1]),"
        " document.getElementById('cursor-status').textContent]")


def announced(lat, lon):
    return f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'} {abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"


def keys(driver, *sequence, shift=False, redraws=True):
    """Press keys (with Shift held when ``shift``) and wait for the page to
    settle (after a new frame when the keys ``redraws``)."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    before = draws(driver)
    chain = ActionChains(driver)
    if shift:
        chain.key_down(Keys.SHIFT)
    chain.send_keys(*sequence)
    if shift:
        chain.key_up(Keys.SHIFT)
    chain.perform()
    settle(driver, before if redraws else None)


def test_keyboard_cursor_chooses_a_place(driver, pages, shots):
    """Tab to the map: a cursor at its centre, announced; the arrows move it
    by STEP px (Shift: SHIFT_STEP), each position announced; near the edge
    the map moves instead; + zooms about it; Enter opens the panel for the
    place under it, the kind seen there as Python's; Escape closes it; the
    arrows still move the map when nothing has the focus."""
    from selenium.webdriver.common.keys import Keys

    e = eclipse.at("2024-04-08")
    load(driver, pages["2024-04-08"])
    assert driver.execute_script("return eclipseMap.cursor()") is None
    keys(driver, Keys.TAB)
    assert driver.execute_script("return document.activeElement.id") == "map"
    place, xy, text = cursor(driver)
    assert xy == pytest.approx([640, 400], abs=1)
    assert text == announced(*place)

    keys(driver, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    place2, xy2, text2 = cursor(driver)
    assert xy2 == pytest.approx([640 + 3 * STEP, 400], abs=1)
    keys(driver, Keys.ARROW_DOWN, shift=True)
    place3, xy3, text3 = cursor(driver)
    assert xy3 == pytest.approx([640 + 3 * STEP, 400 + SHIFT_STEP], abs=1)
    assert place3[0] < place2[0]  # moved south
    assert place2[1] > place[1]  # and east
    assert (text2, text3) == (announced(*place2), announced(*place3))
    shots(driver, "cursor")

    # + zooms about the cursor: its place stays under it
    zoom = driver.execute_script("return eclipseMap.getView().zoom")
    keys(driver, "+")
    assert driver.execute_script("return eclipseMap.getView().zoom") == pytest.approx(1.5 * zoom)
    assert cursor(driver)[1] == pytest.approx(xy3, abs=1.5)

    # Enter: the panel for the place under the cursor, as a click there
    keys(driver, Keys.ENTER)
    chosen = driver.execute_script("return eclipseMap.selected()")
    assert chosen == pytest.approx(cursor(driver)[0], abs=1e-9)
    assert kind_shown(driver) == str(e.local(*chosen).kind_seen) != "none"
    shots(driver, "cursor-enter")
    keys(driver, Keys.ESCAPE, redraws=False)
    assert kind_shown(driver) is None

    # zoomed until the globe fills the window, to the left edge in 20
    # Shift-steps: the cursor stops MARGIN px inside it and the map moves
    keys(driver, "+", "+")
    xy3 = cursor(driver)[1]
    lon = driver.execute_script("return eclipseMap.getView().lon")
    keys(driver, *[Keys.ARROW_LEFT] * 20, shift=True)
    place4, xy4, text4 = cursor(driver)
    assert xy4[0] == pytest.approx(MARGIN, abs=1.5) and xy4[1] == pytest.approx(xy3[1], abs=1.5)
    assert driver.execute_script("return eclipseMap.getView().lon") < lon - 5
    assert text4 == announced(*place4)
    keys(driver, " ")  # Space chooses too
    assert driver.execute_script("return eclipseMap.selected()") == pytest.approx(place4, abs=1e-9)
    shots(driver, "cursor-edge")

    # nothing focused: the arrows move the map, and no cursor is drawn
    driver.execute_script("document.activeElement.blur()")
    settle(driver)
    assert driver.execute_script("return eclipseMap.cursor()") is None
    lon = driver.execute_script("return eclipseMap.getView().lon")
    keys(driver, Keys.ARROW_RIGHT)  # the map slides left: the view looks east
    assert driver.execute_script("return eclipseMap.getView().lon") > lon


# --- contrast -------------------------------------------------------------------------------

#: Every piece of visible text of the page's HTML: its text, its colour, and
#: the background colours of it and its ancestors, nearest first.
TEXTS = """
const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const element = node.parentElement, text = node.textContent.trim();
  if (!text || element.closest('script, style, [hidden]')) continue;
  const rect = element.getBoundingClientRect();
  if (rect.width <= 1 || rect.height <= 1 || getComputedStyle(element).visibility !== 'visible') continue;
  const backgrounds = [];
  for (let e = element; e && e !== document.body; e = e.parentElement) backgrounds.push(getComputedStyle(e).backgroundColor);
  out.push([text.slice(0, 40), getComputedStyle(element).color, backgrounds]);
}
return out;
"""


def test_text_contrast(driver, pages, shots):
    """4.5:1 or more for every text of the page, computed from the colours
    the page uses (WCAG 2.1 relative luminance): the HTML's text over its
    own and its ancestors' backgrounds composited, down to the first opaque
    one or, for the boxes that float over the map, over black (the worst the
    map could show); the canvas's labels over their box, itself over black;
    with the panel open where the Sun is below the horizon at some contacts
    (the grey rows)."""
    e = eclipse.at("2024-04-08")
    central = e.path().central_line
    lat, lon = float(central.latitude[3]), float(central.longitude[3])  # near sunrise
    contacts = e.local(lat, lon)
    assert contacts.kind_seen != "none"
    load(driver, pages["2024-04-08"])
    before = draws(driver)
    driver.execute_script("eclipseMap.select(arguments[0], arguments[1])", lat, lon)
    settle(driver, before)
    assert driver.execute_script("return document.querySelectorAll('#local-panel tr.below').length") > 0
    shots(driver, "below-horizon-rows")
    texts = driver.execute_script(TEXTS)
    assert len(texts) > 50
    worst = []
    for text, fg, backgrounds in texts:
        ground = BLACK
        for bg in reversed(backgrounds):  # from the outermost in
            c = colour(bg)
            ground = c if c[3] == 1 else over(c, ground)
        ratio = contrast(over(colour(fg), ground), ground)
        worst.append((ratio, text, fg, backgrounds))
        assert ratio >= TEXT, (text, fg, backgrounds, ratio)
    below = [w for w in worst if w[2] == "rgb(95, 95, 95)"]  # the rows seen below the horizon
    assert below and min(below)[0] >= TEXT  # 5.09:1 on the panel over black (3.45:1 before, #8a8a8a)

    # the canvas's labels (map.js label): each text colour over the label box over black
    data = driver.execute_script("return JSON.parse(document.getElementById('eclipse-data').textContent).colours")
    box = over(colour(data["label_box"]), BLACK)
    label_colours = [data["label"], data["magnitude_label"], data["selected"], data["duration"],
                     *(data["kinds"][k] for k in ("total", "annular", "hybrid"))]
    for c in label_colours:
        assert contrast(colour(c), box) >= TEXT, c
    # (the magnitude lines' own colour, 3.0:1 there, is no longer the labels')
    assert contrast(colour(data["magnitude"]), box) < TEXT


def pixels(driver, points):
    """The canvas's [r, g, b] at each (lat, lon), at device pixels, and the
    darkest within 3 px of it."""
    return driver.execute_script(
        "const c = document.getElementById('map'), g = c.getContext('2d'), k = devicePixelRatio,"
        " r = c.getBoundingClientRect();"
        "return arguments[0].map(p => { const q = eclipseMap.toPixel(p[0], p[1]);"
        "  const x = Math.round((q[0] - r.left) * k), y = Math.round((q[1] - r.top) * k), n = Math.round(3 * k);"
        "  const d = g.getImageData(x - n, y - n, 2 * n + 1, 2 * n + 1).data; let dark = null, at = null;"
        "  for (let i = 0; i < d.length; i += 4) { const s = d[i] + d[i + 1] + d[i + 2];"
        "    if (dark === null || s < dark) { dark = s; at = [d[i], d[i + 1], d[i + 2]]; } }"
        "  const m = ((2 * n + 1) * n + n) * 4; return [[d[m], d[m + 1], d[m + 2]], at]; })", points)


#: Vertices of Natural Earth's 1:50m coastline in the page (decimals 3), in a
#: box [south, west, north, east].
COAST_VERTICES = """
const data = JSON.parse(document.getElementById('eclipse-data').textContent), box = arguments[0], out = [];
data.base.coast50.forEach(flat => {
  let x = 0, y = 0;
  for (let i = 0; i < flat.length; i += 2) {
    x += flat[i]; y += flat[i + 1];
    const lon = x / 1000, lat = y / 1000;
    if (lat > box[0] && lon > box[1] && lat < box[2] && lon < box[3]) out.push([lat, lon]);
  }
});
return out;
"""


def test_land_and_sea_apart_in_the_partial_region(driver, pages, shots):
    """Inside the partial region of 2024-04-08 (the penumbra's tint over
    land and sea), on Hudson Bay at the slider's start (the moving shadow
    elsewhere), with 1:50m drawn: land and sea fills differ by little
    (1.04:1, the tint's), so the coastline parts them: its rendered pixels
    (the darkest within 3 px of each coastline vertex of the bay's south-west
    shore, 5 px apart at least) have 3:1 or more against the land's and the
    sea's."""
    e = eclipse.at("2024-04-08")
    land, sea = (56.5, -99.0), (59.5, -88.0)  # northern Manitoba; Hudson Bay
    load(driver, pages["2024-04-08"])
    start = driver.execute_script("return +document.getElementById('time').min")
    driver.execute_script("eclipseMap.setView({lon: -93, lat: 58, zoom: 3}); eclipseMap.setHours(arguments[0])", start)
    settle(driver)
    shots(driver, "partial-region-land-sea")
    coast, last = [], None
    for p in driver.execute_script(COAST_VERTICES, [56.5, -94.5, 59.0, -88.0]):
        xy = driver.execute_script("return eclipseMap.toPixel(arguments[0], arguments[1])", *p)
        if xy and (last is None or np.hypot(xy[0] - last[0], xy[1] - last[1]) >= 5):
            coast.append(p)
            last = xy
    assert len(coast) > 10
    for p in (land, sea, *coast[::4]):
        assert str(e.local(*p).kind_seen) == "partial"
    (land_rgb, _), (sea_rgb, _), *lines = pixels(driver, [land, sea, *coast])
    assert contrast(land_rgb, sea_rgb) < 1.2  # the fills alone: the tint leaves them about 1.04:1 apart
    ratios = [min(contrast(darkest, land_rgb), contrast(darkest, sea_rgb)) for _, darkest in lines]
    assert min(ratios) >= GRAPHIC, (min(ratios), coast[int(np.argmin(ratios))])
