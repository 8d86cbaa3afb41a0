"""The page's search box: the places it knows, their ranking, its size.

The places the page carries (``document.place_data``) are decoded by
search.js under Node and compared with the gazetteer they come from
(eclipse/data/places.sqlite through ``eclipse.io.places``); search.js's
ranking is compared with ``find_place`` and ``candidates``, the look-up of
``eclipse local --place``.  In Chromium, cities that Natural Earth's list
lacked are found in the page of 2024-04-08 and open the panel at the
gazetteer's coordinates, and the box behaves as an ARIA 1.2 combobox.  The
pages of four eclipses are measured against the 3 MB budget.

Without Node (or Chromium) those tests skip, except under CI.
"""

from __future__ import annotations

import json
import os
import random
import subprocess

import browser  # tests/browser.py
import pytest
import shapely
from test_circumstances_node import require_node

import eclipse
import eclipse.web
from eclipse.io import places
from eclipse.io.mapdata import MAX_BYTES
from eclipse.web import document

#: The coordinates are written to 1e-4 degree: within half of it.
HALF_UNIT = 0.5e-4 + 1e-9
#: The budget's eclipses: total, total over Europe, the long total of 2027
#: (the largest region: Europe, Africa, Asia), a wide partial.
BUDGET_DATES = ("2024-04-08", "2026-08-12", "2027-08-02", "2025-03-29")

DRIVER = r"""
// node driver.js search.js input.json: the decoded places, the keys, the suggestions
const fs = require("fs"), vm = require("vm");
const [script, input] = process.argv.slice(2);
const context = vm.createContext({});
vm.runInContext(fs.readFileSync(script, "utf8"), context, { filename: script });
const S = context.EclipseSearch, job = JSON.parse(fs.readFileSync(input, "utf8"));
const places = S.load(job.places);
const rows = places.name.map((name, i) => [name, S.label(places, i), places.lat[i], places.lon[i], places.size[i]]);
process.stdout.write(JSON.stringify({
  rows: rows,
  keys: job.keys.map(S.nameKey),
  suggestions: job.queries.map(q => S.suggest(places, q).map(r => [r.text, r.lat, r.lon])),
  integers: S.decodeIntegers(job.integers),
}));
"""


#: A central path around Exmouth, Western Australia (2,500 people: 2023-04-20's path)
EXMOUTH_BOX = shapely.box(113.5, -22.5, 114.5, -21.5)


@pytest.fixture(scope="module")
def world():
    """The search data of every city of PLACE_SIZE people or more (a region
    that is the whole Earth) and of those of 1,000 or more in a central path
    around Exmouth, Western Australia, and the gazetteer's rows of them."""
    data = document.place_data(shapely.box(-180, -90, 180, 90), EXMOUTH_BOX)
    rows = places.gazetteer(document.CENTRAL_PLACE_SIZE)
    return data, [r for r in rows if r[7] >= document.PLACE_SIZE or shapely.contains_xy(EXMOUTH_BOX, r[6] / 1e5, r[5] / 1e5)]


def run_search(tmp_path, data, keys, queries):
    node = require_node()
    (tmp_path / "driver.js").write_text(DRIVER, encoding="utf-8")
    (tmp_path / "input.json").write_text(json.dumps({"places": data, "keys": keys, "queries": queries,
                                                     "integers": document.encode_integers(INTEGERS)},
                                                    ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([node, str(tmp_path / "driver.js"), str(document.WEB.joinpath("search.js")),
                             str(tmp_path / "input.json")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def label(p: places.Place) -> str:
    """search.js's label of a gazetteer place: 'Exmouth, Western Australia, AU'."""
    return ", ".join([p.name] + ([p.region_name] if p.region_name else []) + [p.country_code])


def test_search_knows_the_gazetteer_and_ranks_as_find_place(tmp_path, world):
    """search.js decodes every city of 5,000 people or more with its
    gazetteer coordinates (to 1e-4 degree), size and division; makes the
    keys of places.name_key; and ranks a name's matches as find_place and
    candidates do: the first suggestion is find_place's place, and the
    candidates (namesakes, largest first) come first in their order."""
    data, rows = world
    rng = random.Random(20)
    names = sorted({r[1] for r in rows})
    tricky = ["St. Louis", "Saint-Louis", "Ste-Foy", "Mt Pleasant", "Ft. Worth", "Zürich", "Straße", "Łódź",
              "Ærøskøbing", "Þórshöfn", "İstanbul", "Hồ Chí Minh", "São Paulo (SP)", "O’Fallon", "Coeur d'Alene"]
    queries = (["Carbondale", "Niagara Falls", "Erie", "Exmouth", "Zurich", "Munich", "Seville", "Cologne",
                "Paris", "Portland", "Valencia", "San Jose", "Springfield", "St. Louis", "Exmouth, England",
                "Exmouth, Western Australia", "Paris, TX", "Portland, ME", "Cordoba, Spain", "Valencia, Spain",
                "Paris Texas", "Portland ME", "Saint Louis Missouri", "Oviedo Asturias Spain"]
               + rng.sample(names, 250))
    out = run_search(tmp_path, data, names + tricky, queries)

    assert out["integers"] == INTEGERS
    # the columns: every row, as the gazetteer has it (grouped by division,
    # within one largest first: place_data's order)
    expected = sorted(rows, key=lambda r: (r[2], r[3], -r[7], r[1]))
    assert len(out["rows"]) == len(rows)
    for (name, text, lat, lon, size), r in zip(out["rows"], expected):
        assert (name, text, size) == (r[1], ", ".join([r[1]] + ([r[4]] if r[4] else []) + [r[2]]), r[7])
        assert abs(lat - r[5] / 1e5) <= HALF_UNIT and abs(lon - r[6] / 1e5) <= HALF_UNIT, (text, lat, lon)
    # the keys, as Python makes them
    for text, key in zip(names + tricky, out["keys"]):
        assert key == places.name_key(text), text

    # the ranking
    compared = 0
    for text, suggestions in zip(queries, out["suggestions"]):
        expected = [p for p in places.candidates(text)
                    if p.size >= document.PLACE_SIZE or shapely.contains_xy(EXMOUTH_BOX, p.longitude, p.latitude)]
        # (other names ship for cities of OTHER_NAMES_SIZE or more only)
        key = places.name_key(text.split(",")[0])
        if any(places.name_key(p.name) != key and p.size < document.OTHER_NAMES_SIZE for p in expected):
            continue
        labels = [s[0] for s in suggestions]
        assert labels[:len(expected)] == [label(p) for p in expected][:8], text
        try:
            taken = places.find_place(text)
        except places.AmbiguousPlaceError:
            taken = expected[0]
        if taken in expected:
            first = suggestions[0]
            assert first[0] == label(taken), text
            assert abs(first[1] - taken.latitude) <= HALF_UNIT and abs(first[2] - taken.longitude) <= HALF_UNIT
            compared += 1
    assert compared >= 200
    found = dict(zip(queries, out["suggestions"]))
    assert found["Zurich"][0][0] == "Zürich, Zurich, CH"
    assert found["Munich"][0][0].startswith("Munich, Bavaria, DE")
    assert found["Seville"][0][0] == "Sevilla, Andalusia, ES"
    # namesakes told apart by their division and country, largest first
    # (find_place's, then the smaller namesakes `eclipse local` names)
    exmouths = [s[0] for s in found["Exmouth"]]
    assert exmouths[:2] == ["Exmouth, England, GB", "Exmouth, Western Australia, AU"]
    assert exmouths[:2] == [label(places.find_place("Exmouth"))] + [
        label(n.place) for n in places.namesakes("Exmouth") if not n.region][:1]
    assert found["Exmouth, England"][0][0] == "Exmouth, England, GB"
    assert [s[0] for s in found["Exmouth, Western Australia"]] == ["Exmouth, Western Australia, AU"]
    assert found["Paris, TX"][0][0] == found["Paris Texas"][0][0] == "Paris, Texas, US"
    assert found["Oviedo Asturias Spain"][0][0] == "Oviedo, Asturias, ES"


def test_the_region_chooses_the_places(world):
    """A page knows the cities of 5,000 or more inside its eclipse's
    penumbra and those of ELSEWHERE_SIZE or more elsewhere; a span's page
    those of SPAN_PLACE_SIZE or more; the numbers decode to the rows."""
    e = eclipse.at("2024-04-08")
    region = e.path().penumbra
    data = document.place_data(region)
    names = data["names"].split("|")
    _, rows = world
    seen = shapely.contains_xy(region, [r[6] / 1e5 for r in rows], [r[5] / 1e5 for r in rows])
    inside = [r for r, s in zip(rows, seen) if s and r[7] >= document.PLACE_SIZE]
    elsewhere = [r for r, s in zip(rows, seen) if not s and r[7] >= document.ELSEWHERE_SIZE]
    assert len(names) == len(inside) + len(elsewhere) == sum(g[3] for g in data["groups"])
    assert sorted(names) == sorted(r[1] for r in inside + elsewhere)
    assert {"Carbondale", "Niagara Falls", "Erie", "Dallas", "Tokyo"} <= set(names)
    assert "Exmouth" not in names  # not seen there, and small
    span = document.place_data(None)
    assert len(span["names"].split("|")) == sum(r[7] >= document.SPAN_PLACE_SIZE for r in rows)


#: Integers around the digits' limits (5 bits each) and the largest used.
INTEGERS = [0, 1, -1, 15, -16, 16, 31, 32, -33, 1023, -1024, 1_800_000, -1_800_000, 2**40, -(2**40)]


def test_encode_integers():
    text = document.encode_integers(INTEGERS[:5])
    assert text == "ACBef"  # 0 1 -1 15 -16 as 0 2 1 30 31: one digit each
    assert len(document.encode_integers([16, -17, 511, -512])) == 8  # 32..1023: two each


@pytest.fixture(scope="module")
def budget_pages():
    """The pages of BUDGET_DATES as strings (each about 3 s to make)."""
    return {date: eclipse.web.page(eclipse.at(date)).html for date in BUDGET_DATES}


def test_pages_stay_within_3_mb(budget_pages):
    """The page of one eclipse stays within MAX_BYTES (3 MB) with its
    places: measured in bytes (UTF-8), not timed."""
    assert MAX_BYTES == 3_000_000
    sizes = {date: len(text.encode("utf-8")) for date, text in budget_pages.items()}
    print(sizes)
    for date, size in sizes.items():
        assert size <= MAX_BYTES, (date, size)
    # with the places of 5,000 people or more where each is seen: 2024's
    # North America, 2027's Europe, Africa and Asia
    counts = {date: len(browser.page_data(text)["places"]["names"].split("|")) for date, text in budget_pages.items()}
    print(counts)
    assert counts["2024-04-08"] > 13_000 and counts["2027-08-02"] > 39_000
    assert {browser.page_data(text)["places"]["least"] for text in budget_pages.values()} == {document.PLACE_SIZE}


def test_a_page_over_budget_knows_fewer_places(monkeypatch):
    """Where the places of 5,000 people would take a page past MAX_BYTES,
    the page knows those of the first larger size that fits, never is
    refused for them: here with the budget lowered to just under the page
    of 2024-04-08 with them (2.2 MB), so that 10,000 people fits."""
    e = eclipse.at("2024-04-08")
    full = len(eclipse.web.page(e).html.encode("utf-8"))
    monkeypatch.setattr(document, "MAX_BYTES", full - 1)
    text = eclipse.web.page(e).html
    places = browser.page_data(text)["places"]
    assert places["least"] == document.FALLBACK_PLACE_SIZES[0]
    assert len(text.encode("utf-8")) < full
    names = places["names"].split("|")
    assert "Dallas" in names and "Carbondale" in names  # in the path: 1,000 people x 2 or more


# --- in Chromium --------------------------------------------------------------------


@pytest.fixture(scope="module")
def driver():
    yield from browser.session()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Save a screenshot once the page is at rest (as test_webmap_browser's)."""
    from selenium.webdriver.support.ui import WebDriverWait
    from test_webmap_browser import WAIT_S

    folder = os.environ.get("ECLIPSE_SCREENSHOTS") or str(tmp_path_factory.mktemp("screenshots"))
    os.makedirs(folder, exist_ok=True)

    def take(driver, name):
        WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script("return eclipseMap.idle()"))
        driver.save_screenshot(os.path.join(folder, f"{name}.png"))

    return take


@pytest.fixture(scope="module")
def page_2024(tmp_path_factory, budget_pages):
    path = tmp_path_factory.mktemp("search") / "2024-04-08.html"
    path.write_text(budget_pages["2024-04-08"], encoding="utf-8")
    return str(path)


def combobox(driver):
    """The box's state: its ARIA attributes, the options shown, the note."""
    return driver.execute_script("""
        const box = document.getElementById('search'), list = document.getElementById('search-results');
        const note = document.getElementById('search-note');
        return {role: box.getAttribute('role'), expanded: box.getAttribute('aria-expanded'),
                controls: box.getAttribute('aria-controls'), active: box.getAttribute('aria-activedescendant'),
                autocomplete: box.getAttribute('aria-autocomplete'), focused: document.activeElement === box,
                listRole: list.getAttribute('role'), listId: list.id, shown: !list.hidden && list.offsetHeight > 0,
                options: [...list.children].map(li => [li.getAttribute('role'), li.id, li.getAttribute('aria-selected'),
                                                       li.textContent]),
                note: note.textContent, noteRole: note.getAttribute('role'), noteShown: note.offsetHeight > 0};
    """)


def type_in(driver, text):
    box = driver.find_element("id", "search")
    box.click()
    box.clear()
    box.send_keys(text)
    return box


def test_search_box_is_a_combobox_that_finds_the_gazetteer(driver, page_2024, shots):
    """In the page of 2024-04-08, towns that Natural Earth's 1,249 cities
    lacked are found (the largest of the name first, as `eclipse local
    --place` takes it, labelled with its state) and Enter opens the panel
    at the gazetteer's coordinates, with the kind Python sees there; the
    box is an ARIA 1.2 combobox (WAI-ARIA's pattern: the highlighted option
    is its active descendant; arrows, Enter, Escape); a list hidden when the
    box loses the focus shows again when it has it back; a text that
    matches nothing says so in a status, not an option; coordinates in
    `eclipse local`'s forms are read."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from test_webmap_browser import WAIT_S, draws, kind_shown, load, settle

    from eclipse.io.coordinates import parse_coordinates

    e = eclipse.at("2024-04-08")
    load(driver, page_2024)
    for text in ("Carbondale", "Niagara Falls", "Erie"):
        expected = places.candidates(text)[0]  # find_place's, or the largest of two near namesakes
        box = type_in(driver, text)
        state = combobox(driver)
        assert state["options"][0][3] == label(expected), text
        assert state["options"][0][3].split(", ")[1] in ("Illinois", "New York", "Ontario", "Pennsylvania")
        before = draws(driver)
        box.send_keys(Keys.ENTER)
        settle(driver, before)
        lat, lon = driver.execute_script("return eclipseMap.selected()")
        assert abs(lat - expected.latitude) <= HALF_UNIT and abs(lon - expected.longitude) <= HALF_UNIT, text
        assert kind_shown(driver) == str(e.local(lat, lon).kind_seen) == "total", text
        assert driver.find_element("id", "search").get_attribute("value") == label(expected)
        assert not combobox(driver)["shown"]
    shots(driver, "search-erie")

    # the combobox
    box = type_in(driver, "Springfield")
    state = combobox(driver)
    ids = [o[1] for o in state["options"]]
    assert (state["role"], state["controls"], state["listRole"], state["listId"], state["autocomplete"]) == (
        "combobox", "search-results", "listbox", "search-results", "list")
    assert state["expanded"] == "true" and state["shown"] and state["focused"]
    assert len(ids) == len(set(ids)) == 8 and all(o[0] == "option" and o[1] for o in state["options"])
    assert state["active"] == ids[0] and [o[2] for o in state["options"]] == ["true"] + ["false"] * 7
    labels = [o[3] for o in state["options"]]
    assert len(set(labels)) == len(labels) and labels[0] == label(places.candidates("Springfield")[0])
    shots(driver, "search-springfield")
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    state = combobox(driver)
    assert state["active"] == ids[2] and [o[2] for o in state["options"]].index("true") == 2
    box.send_keys(Keys.ARROW_UP)
    assert combobox(driver)["active"] == ids[1]
    box.send_keys(Keys.ESCAPE)
    state = combobox(driver)
    assert state["expanded"] == "false" and not state["shown"] and state["active"] is None and state["focused"]
    box.send_keys(Keys.ARROW_DOWN)  # opens it again
    state = combobox(driver)
    assert state["expanded"] == "true" and state["shown"] and state["active"] in ids
    # blur hides it (a moment later); the focus back shows it again
    driver.execute_script("document.getElementById('map').focus()")
    WebDriverWait(driver, WAIT_S).until(lambda d: combobox(d)["expanded"] == "false")
    assert not combobox(driver)["shown"]
    box.click()
    state = combobox(driver)
    assert state["expanded"] == "true" and state["shown"] and [o[3] for o in state["options"]] == labels
    # no match: a status says so; no option, nothing expanded
    type_in(driver, "Xyzzyqx")
    state = combobox(driver)
    assert state["options"] == [] and state["expanded"] == "false" and not state["shown"]
    assert state["note"] == "No city of that name in this page" and state["noteShown"] and state["noteRole"] == "status"
    box.send_keys(Keys.ESCAPE)
    assert not combobox(driver)["noteShown"]

    # coordinates as `eclipse local` reads them
    for text in ("32.78N 96.80W", "32°46'48\"N 96°48'W", "32.78, -96.80"):
        box = type_in(driver, text)
        assert [o[3] for o in combobox(driver)["options"]] == ["32.7800°N 96.8000°W"], text
    before = draws(driver)
    box.send_keys(Keys.ENTER)
    settle(driver, before)
    assert tuple(driver.execute_script("return eclipseMap.selected()")) == parse_coordinates("32.78, -96.80")
    assert kind_shown(driver) == "total"
