"""Coordinates as people write them (eclipse.io.coordinates), the same
grammar in the page's search box (coordinates.js, under Node), and every
entry point of the command line that takes a place.

The values are checked against the arithmetic of the form (degrees +
minutes / 60 + seconds / 3600, signed by the letter), written out here for
each row; the property tests format random coordinates in each form and
read them back within the rounding of that form.
"""

from __future__ import annotations

import json
import random
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_circumstances_node import require_node

from eclipse.geometry.local import LocationError
from eclipse.io.coordinates import CoordinateError, looks_like_coordinates, parse_angle, parse_coordinates
from eclipse.web import document
from support.cli import one_line_error, run

#: Pairs and what they write, computed from their own numbers.
PAIRS = [
    ("32.78N 96.80W", (32.78, -96.80)),
    ("32°46'48\"N 96°48'W", (32 + 46 / 60 + 48 / 3600, -(96 + 48 / 60))),
    ("32.78, -96.80", (32.78, -96.80)),
    ("32 46 48 N 96 48 W", (32 + 46 / 60 + 48 / 3600, -(96 + 48 / 60))),
    ("32°46′48″N 96°48′W", (32 + 46 / 60 + 48 / 3600, -(96 + 48 / 60))),  # primes
    ("32º46’48”N, 96º48’W", (32 + 46 / 60 + 48 / 3600, -(96 + 48 / 60))),  # ordinal, typographic quotes
    ("32d46'48''N 96d48'W", (32 + 46 / 60 + 48 / 3600, -(96 + 48 / 60))),  # d, two apostrophes
    ("32deg 46' S 96deg 48' E", (-(32 + 46 / 60), 96 + 48 / 60)),
    ("32.78n 96.80w", (32.78, -96.80)),  # either case
    ("32.78N96.80W", (32.78, -96.80)),  # no space needed where the letter ends the latitude
    ("N 32°46' W 96°48'", (32 + 46 / 60, -(96 + 48 / 60))),  # letters before
    ("96.80W 32.78N", (32.78, -96.80)),  # the letters say which is which
    ("-33.9,18.4", (-33.9, 18.4)),
    ("32.78 -96.80", (32.78, -96.80)),  # one number each: no comma needed
    ("32° 46' 96° 48'", (32 + 46 / 60, 96 + 48 / 60)),  # the marks say where the latitude ends
    ("32°46.8'N 96°48.5'W", (32 + 46.8 / 60, -(96 + 48.5 / 60))),  # decimal minutes
    ("\u221233.9, 18.4", (-33.9, 18.4)),  # the true minus
    ("-33.9S 18.4E", (-33.9, 18.4)),  # a sign that agrees with its letter
    ("-0 30, 10", (-0.5, 10.0)),  # the sign is the whole angle's
    ("10, 200", (10.0, 200.0)),  # a signed longitude up to 360, as --lon
    ("90S\u00a0180E", (-90.0, 180.0)),  # a no-break space; the edges
]
#: Text that is not a pair, with what the error says.
BAD_PAIRS = [
    ("-32.78N 96.80W", '"-32.78N" has a minus sign and N, which contradict each other'),
    ("32.78N +96.80W", '"+96.80W" has a plus sign and W, which contradict each other'),
    ("32°75'N 96°W", '"32°75\'N": minutes must be below 60'),
    ("32°46'60\"N 96°W", '"32°46\'60"N": seconds must be below 60'),
    ("91N 0E", 'latitude "91N" is beyond 90 degrees'),
    ("90°30'S, 0", 'latitude "90°30\'S" is beyond 90 degrees'),
    ("0, 181W", 'longitude "181W" is beyond 180 degrees'),
    ("0, -181", 'longitude "-181" is outside -180 to 360 degrees'),
    ("0, 360", 'longitude "360" is outside -180 to 360 degrees'),
    ("32 46 96", 'cannot tell where the latitude ends in "32 46 96"'),
    ("32N 96N", 'cannot read "32N 96N" as a latitude and a longitude'),
    ("32.5 46 N 96 W", 'cannot read "32.5 46 N 96 W"'),  # a fraction before minutes
    ("32, 46, 96", 'cannot read "32, 46, 96"'),
    ("32°46\"N 96W", 'cannot read'),  # seconds without minutes
    ("32.78", 'cannot read "32.78" as a latitude and a longitude'),
    ("", 'cannot read "" as a latitude and a longitude'),
]
#: One angle, of an axis, and its value or error.
ANGLES = [
    ("32.78N", "latitude", 32.78),
    ("32.78S", "latitude", -32.78),
    ("-32.78", "latitude", -32.78),
    ("32 46 48", "latitude", 32 + 46 / 60 + 48 / 3600),
    ("96°48'W", "longitude", -(96 + 48 / 60)),
    ("W 96 48", "longitude", -(96 + 48 / 60)),
    ("200", "longitude", 200.0),
    ("96.80W", "latitude", '"96.80W" is not a latitude: W is for a longitude'),
    ("32.78N", "longitude", '"32.78N" is not a longitude: N is for a latitude'),
    ("-32.78N", "latitude", '"-32.78N" has a minus sign and N'),
    ("ten", "latitude", 'cannot read "ten" as a latitude'),
    ("1e2", "latitude", 'cannot read "1e2" as a latitude'),
    ("32.78N 96W", "latitude", 'cannot read "32.78N 96W" as a latitude'),
    ("181E", "longitude", 'longitude "181E" is beyond 180 degrees'),
]
#: Exact where the form is exact; a sum of a few correctly rounded terms
#: otherwise differs from the literal in the last bits only.
EXACT = 1e-12


@pytest.mark.parametrize("text, expected", PAIRS)
def test_pairs(text, expected):
    lat, lon = parse_coordinates(text)
    assert lat == pytest.approx(expected[0], abs=EXACT) and lon == pytest.approx(expected[1], abs=EXACT)
    assert looks_like_coordinates(text)


@pytest.mark.parametrize("text, message", BAD_PAIRS)
def test_bad_pairs_say_why_in_one_line(text, message):
    with pytest.raises(CoordinateError, match="^" + _literal(message)) as caught:
        parse_coordinates(text)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, LocationError)  # as check_location's errors


@pytest.mark.parametrize("text, axis, expected", ANGLES)
def test_angles(text, axis, expected):
    if isinstance(expected, str):
        with pytest.raises(CoordinateError, match="^" + _literal(expected)):
            parse_angle(text, axis)
    else:
        assert parse_angle(text, axis) == pytest.approx(expected, abs=EXACT)


def test_names_are_not_coordinates():
    for name in ("Dallas", "6th of October", "Saint-Louis", "N", "São Tomé", "Washington, DC"):
        assert not looks_like_coordinates(name)


def _literal(text: str) -> str:
    return re.escape(text)


# --- property: any coordinate, written in any form, reads back ----------------------------


def _dms(value: float, seconds_decimals: int) -> tuple[int, int, float]:
    """Whole degrees, whole minutes, seconds rounded, of |value| (rounded
    as a whole, so that 59.9996 seconds carry)."""
    scale = 10 ** seconds_decimals
    total = round(abs(value) * 3600 * scale)
    seconds, degrees = total % (60 * scale), total // (3600 * scale)
    minutes = (total // (60 * scale)) % 60
    return degrees, minutes, seconds / scale


def _dm(value: float, minutes_decimals: int) -> tuple[int, float]:
    scale = 10 ** minutes_decimals
    total = round(abs(value) * 60 * scale)
    return total // (60 * scale), (total % (60 * scale)) / scale


def _write(lat: float, lon: float, form: str) -> tuple[str, float]:
    """The pair in a form, and the rounding of that form (degrees)."""
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    if form == "decimal letters":
        return f"{abs(lat):.4f}{ns} {abs(lon):.4f}{ew}", 0.5e-4
    if form == "signed comma":
        return f"{lat:.5f}, {lon:.5f}", 0.5e-5
    if form == "signed spaces":
        return f"{lat:.3f} {lon:.3f}", 0.5e-3
    if form in ("dms marks", "dms primes", "dms spaces", "dms d"):
        marks = {"dms marks": ("°", "'", '"'), "dms primes": ("°", "′", "″"),
                 "dms spaces": (" ", " ", " "), "dms d": ("d", "'", "''")}[form]
        (a, b, c), (x, y, z) = _dms(lat, 0), _dms(lon, 0)
        d, m, s = marks
        return f"{a}{d}{b}{m}{c:g}{s}{ns} {x}{d}{y}{m}{z:g}{s}{ew}", 0.5 / 3600
    if form == "dms decimal seconds":
        (a, b, c), (x, y, z) = _dms(lat, 2), _dms(lon, 2)
        return f"{ns}{a}°{b:02d}'{c:05.2f}\" {ew}{x}°{y:02d}'{z:05.2f}\"", 0.005 / 3600
    if form == "decimal minutes":
        (a, b), (x, y) = _dm(lat, 3), _dm(lon, 3)
        return f"{a}°{b:.3f}'{ns}, {x}°{y:.3f}'{ew}", 0.0005 / 60
    raise AssertionError(form)


FORMS = ("decimal letters", "signed comma", "signed spaces", "dms marks", "dms primes", "dms spaces", "dms d",
         "dms decimal seconds", "decimal minutes")


@settings(max_examples=300, deadline=None)
@given(st.floats(-90, 90), st.floats(-180, 180), st.sampled_from(FORMS))
def test_any_coordinate_in_any_form_reads_back(lat, lon, form):
    text, rounding = _write(lat, lon, form)
    got_lat, got_lon = parse_coordinates(text)
    # the form's rounding, and 1e-9 degree for the sums of its terms
    assert abs(got_lat - lat) <= rounding + 1e-9, text
    assert abs(got_lon - lon) <= rounding + 1e-9 or abs(abs(got_lon - lon) - 360) <= rounding + 1e-9, text


@settings(max_examples=100, deadline=None)
@given(st.floats(-90, 90), st.sampled_from(["°", "d", " "]))
def test_any_latitude_as_an_angle(lat, mark):
    a, b, c = _dms(lat, 0)
    text = f"{a}{mark}{b}'{c:g}\"{'N' if lat >= 0 else 'S'}" if mark != " " else f"{a} {b} {c:g} {'N' if lat >= 0 else 'S'}"
    assert abs(parse_angle(text, "latitude") - lat) <= 0.5 / 3600 + 1e-9, text


# --- the page's port, under Node -------------------------------------------------------

DRIVER = r"""
// node driver.js coordinates.js input.json: what the page reads of each text
"use strict";
const fs = require("fs"), vm = require("vm");
const [script, inputFile] = process.argv.slice(2);
const context = vm.createContext({});
vm.runInContext(fs.readFileSync(script, "utf8"), context, { filename: script });
const C = context.EclipseCoordinates, input = JSON.parse(fs.readFileSync(inputFile, "utf8"));
function attempt(f) {
  try { return { value: f() }; } catch (error) { return { error: error.message }; }
}
process.stdout.write(JSON.stringify({
  pairs: input.pairs.map(function (t) {
    return { looks: C.looksLikeCoordinates(t), read: attempt(function () { const p = C.parse(t); return [p.lat, p.lon]; }) };
  }),
  angles: input.angles.map(function (a) { return attempt(function () { return C.parseAngle(a[0], a[1]); }); })
}));
"""


def _python(f, *args):
    try:
        value = f(*args)
    except CoordinateError as exc:
        return {"error": str(exc)}
    return {"value": list(value) if isinstance(value, tuple) else value}


def test_the_page_reads_as_python(tmp_path):
    """Every text of the tables above, and 600 random ones in each form,
    read by coordinates.js as by Python: the same numbers to the last bit
    (the same operations on the same doubles) and the same error, word for
    word."""
    node = require_node()
    rng = random.Random(18)
    written = [_write(rng.uniform(-90, 90), rng.uniform(-180, 180), FORMS[i % len(FORMS)])[0] for i in range(600)]
    pairs = [t for t, _ in PAIRS] + [t for t, _ in BAD_PAIRS] + written + ["Dallas", "6th of October", "1e5"]
    angles = [[t, axis] for t, axis, _ in ANGLES] + [[t, "longitude"] for t in ("96 48 W", "-0.5", "E 10°")]
    (tmp_path / "driver.js").write_text(DRIVER, encoding="utf-8")
    (tmp_path / "input.json").write_text(json.dumps({"pairs": pairs, "angles": angles}), encoding="utf-8")
    script = document.WEB.joinpath("coordinates.js")
    result = subprocess.run([node, str(tmp_path / "driver.js"), str(script), str(tmp_path / "input.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for text, js in zip(pairs, out["pairs"]):
        assert js["looks"] == looks_like_coordinates(text), text
        assert js["read"] == _python(parse_coordinates, text), text
    for (text, axis), js in zip(angles, out["angles"]):
        assert js == _python(parse_angle, text, axis), (text, axis)
    assert sum("error" in js["read"] for js in out["pairs"]) >= len(BAD_PAIRS)  # the errors were compared


def test_the_page_inlines_the_port():
    assert "coordinates.js" in document.SCRIPTS
    assert document.SCRIPTS.index("coordinates.js") < document.SCRIPTS.index("panel.js")  # panel.js reads it


# --- the command line ---------------------------------------------------------------------

DALLAS = "32.7800N 96.8000W"


@pytest.mark.parametrize("args", [
    ("--lat", "32.78N", "--lon", "96.80W"),
    ("--lat", "32.78", "--lon", "-96.8"),
    ("--lat", "32°46'48\"N", "--lon", "-96°48'"),  # a minus before a mark: still the option's value
    ("--lat", "32 46 48 N", "--lon", "W 96 48"),
    ("--place", "32°46'48\"N 96°48'W"),
    ("--place", "32.78, -96.80"),
    ("--place", "32 46 48 N 96 48 W"),
])
def test_local_takes_coordinates_as_written(args):
    code, out, err = run("local", "2024-04-08", *args)
    assert code == 0, err
    assert out.splitlines()[0].endswith(f"seen from {DALLAS}, 0 m")


@pytest.mark.parametrize("args, message", [
    (("local", "2024-04-08", "--lat", "-32.78N", "--lon", "0"), "has a minus sign and N"),
    (("local", "2024-04-08", "--lat", "32.78", "--lon", "32.78N"), "is not a longitude"),
    (("local", "2024-04-08", "--lat", "32°61'", "--lon", "0"), "minutes must be below 60"),
    (("local", "2024-04-08", "--lat", "95N", "--lon", "0"), "beyond 90 degrees"),
    (("local", "2024-04-08", "--place", "32 46 96"), "cannot tell where the latitude ends"),
    (("next", "--place", "-32.78N, 10"), "has a minus sign and N"),
    (("map", "2024-04-08", "--mark", "32.78N 200W", "-o", "x.png"), "beyond 180 degrees"),
])
def test_bad_coordinates_are_one_line(args, message):
    code, out, err = run(*args)
    assert code == 2 and not out
    assert one_line_error(err) and message in err, err


@pytest.mark.parametrize("mark", ["32°46'48\"N 96°48'W", "-33.9,18.4", "32.78N, 96.80W", "Dallas"])
def test_mark_takes_coordinates_as_written(mark):
    """--mark is read before any work: one that reads goes on to the next
    check (an .html page takes no mark), one that does not says why."""
    code, _, err = run("map", "2024-04-08", "--mark", mark, "-o", "page.html")
    assert code == 2 and "--mark is for pictures" in err, err
