"""Coordinates as people write them: '32.78N 96.80W', '32°46'48"N 96°48'W',
'32.78, -96.80', '32 46 48 N 96 48 W'.

One grammar for every entry point: ``--place`` and ``--mark`` (a latitude
and a longitude), ``--lat`` and ``--lon`` (one angle each), and the
interactive page's search box, whose eclipse/web/static/coordinates.js is a
line-by-line port of this module (tests/test_coordinates.py runs both on
the same table of inputs, errors included, under Node).

An angle is degrees, then optionally minutes, then seconds:

- each number may carry its mark -- degrees ``°`` (or ``º``, ``˚``, ``d``,
  ``deg``), minutes ``'`` (or ``′``, ``’``), seconds ``"`` (or ``″``, ``”``,
  ``''``) -- or none, the numbers being then degrees, minutes and seconds in
  that order (``32 46 48``);
- only the last number may have a fraction (``32°46.8'``, ``32.78``), and
  minutes and seconds are below 60;
- its side is a hemisphere letter N, S, E or W (either case) after it, or
  before it when the text begins with one (``N32°46' W96°48'``), or a sign
  (``+``, ``-``, ``−``) on its first number.  A sign that contradicts the
  letter (``-32.78N``, ``+96.8W``) is an error; one that agrees (``-32.78S``)
  is allowed.

A pair is a latitude and a longitude, in that order, apart by a comma, or
by spaces where the letters or the marks show where the latitude ends
(``32 46 48 N 96 48 W``, ``32°46' 96°48'``), or where each is one number
(``32.78 -96.80``); with letters it can be the other way round (``96.8W
32.78N``).  A latitude is within 90 degrees; a longitude with E or W within
180, a signed one from -180 up to 360 (as geometry.local.check_location).
Errors are one line (CoordinateError, a LocationError), quoting what was
written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..geometry.local import LocationError

#: Spaces between the parts: ASCII ones, the no-break and the thin spaces.
SPACE = re.compile("[ \t\r\n\u00a0\u2009\u202f]+")
#: One part of a coordinate; the first alternative that matches is taken
#: ('' is seconds before ' is minutes; 'deg' before 'd').
TOKEN = re.compile(
    "(?P<number>[-+\u2212]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
    "|(?P<sec>\"|\u2033|\u201d|''|\u2019\u2019|\u2032\u2032)"
    "|(?P<min>'|\u2032|\u2019)"
    "|(?P<deg>\u00b0|\u00ba|\u02da|[dD][eE][gG]|[dD])"
    "|(?P<letter>[NSEWnsew])"
    "|(?P<comma>,)")
MARKS = ("deg", "min", "sec")
MINUS = "-\u2212"
SIGNS = "+" + MINUS
EXAMPLES = "e.g. 32.78N 96.80W, 32°46'48\"N 96°48'W or 32.78, -96.80"


class CoordinateError(LocationError):
    """Coordinates that cannot be read, or that name no point on the Earth."""


@dataclass(frozen=True)
class _Token:
    kind: str  # number, sec, min, deg, letter or comma
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Angle:
    """One angle as written: its numbers (the first with its sign), its
    hemisphere letter ('' for none) and its text."""

    numbers: tuple[str, ...]
    letter: str
    text: str


def _tokens(text: str) -> list[_Token] | None:
    """The parts of a text, or None where something is not a part."""
    out: list[_Token] = []
    at = 0
    while at < len(text):
        space = SPACE.match(text, at)
        if space:
            at = space.end()
            continue
        m = TOKEN.match(text, at)
        if not m:
            return None
        kind = m.lastgroup
        assert kind is not None  # (every alternative is a named group)
        out.append(_Token(kind, m.group(), at, m.end()))
        at = m.end()
    return out


def looks_like_coordinates(text: str) -> bool:
    """Whether a text is made of the parts of coordinates only (numbers,
    marks, hemisphere letters, a comma): then it is read as coordinates, not
    as a place name ('6th of October' is a city)."""
    tokens = _tokens(text)
    return bool(tokens) and any(t.kind == "number" for t in tokens or ())


def _angle(tokens: list[_Token], text: str, prefix: bool) -> _Angle | None:
    """The angle a run of parts writes (its letter before it when ``prefix``,
    else after it), or None when it writes none."""
    if not tokens:
        return None
    written = _span(tokens, text)
    letter = ""
    if tokens[0 if prefix else -1].kind == "letter":
        letter = tokens[0 if prefix else -1].text.upper()
        tokens = tokens[1:] if prefix else tokens[:-1]
    numbers: list[str] = []
    for i, t in enumerate(tokens):
        if t.kind == "number":
            if len(numbers) == 3 or (numbers and t.text[0] in SIGNS):
                return None
            numbers.append(t.text)
        elif t.kind in MARKS:
            if MARKS.index(t.kind) != len(numbers) - 1 or tokens[i - 1].kind != "number":
                return None
        else:  # a letter within, or a comma
            return None
    if not numbers or any("." in n for n in numbers[:-1]):
        return None
    return _Angle(tuple(numbers), letter, written)


def _span(tokens: list[_Token], text: str) -> str:
    return text[tokens[0].start:tokens[-1].end]


def _degrees(angle: _Angle, axis: str) -> float:
    """The angle in degrees, signed (north and east positive), checked."""
    quoted = f'"{angle.text}"'
    sign = angle.numbers[0][0] if angle.numbers[0][0] in SIGNS else ""
    if sign and angle.letter and (sign in MINUS) != (angle.letter in "SW"):
        raise CoordinateError(f"{quoted} has a {'minus' if sign in MINUS else 'plus'} sign and {angle.letter}, "
                              "which contradict each other: give one or the other")
    if angle.letter and (angle.letter in "NS") != (axis == "latitude"):
        raise CoordinateError(f"{quoted} is not a {axis}: {angle.letter} is for a "
                              f"{'latitude' if angle.letter in 'NS' else 'longitude'}")
    values = [float(n.lstrip(SIGNS)) for n in angle.numbers]
    for name, value in zip(("minutes", "seconds"), values[1:]):
        if value >= 60:
            raise CoordinateError(f"{quoted}: {name} must be below 60")
    degrees = values[0]
    if len(values) > 1:
        degrees = degrees + values[1] / 60
    if len(values) > 2:
        degrees = degrees + values[2] / 3600
    if (sign and sign in MINUS) or angle.letter in ("S", "W"):
        degrees = -degrees
    if axis == "latitude" and not -90 <= degrees <= 90:
        raise CoordinateError(f"latitude {quoted} is beyond 90 degrees")
    if axis == "longitude" and angle.letter and not -180 <= degrees <= 180:
        raise CoordinateError(f"longitude {quoted} is beyond 180 degrees")
    if axis == "longitude" and not -180 <= degrees < 360:
        raise CoordinateError(f"longitude {quoted} is outside -180 to 360 degrees")
    return degrees


def parse_angle(text: str, axis: str) -> float:
    """A latitude or a longitude (``axis``) as written ('32.78N', '-96.8',
    '96°48'W', '32 46 48'), in degrees, north and east positive.

    Raises CoordinateError (one line) for text that writes no such angle,
    minutes or seconds of 60 or more, a sign that contradicts the letter, a
    letter of the other axis, or a value out of range.
    """
    if axis not in ("latitude", "longitude"):
        raise ValueError(f"axis is 'latitude' or 'longitude', not {axis!r}")
    tokens = _tokens(text)
    angle = _angle(tokens, text, tokens[0].kind == "letter") if tokens else None
    if angle is None:
        raise CoordinateError(f'cannot read "{text}" as a {axis}: write e.g. '
                              + ("32.78N, 32°46'48\"N or -32.78" if axis == "latitude" else "96.80W, 96°48'W or -96.80"))
    return _degrees(angle, axis)


def parse_coordinates(text: str) -> tuple[float, float]:
    """(latitude, longitude) in degrees, north and east positive, from a
    pair as written ('32.78N 96.80W', '32°46'48"N 96°48'W', '32.78, -96.80',
    '32 46 48 N 96 48 W'); the module's docstring gives the grammar.

    Raises CoordinateError (one line) where the text is not such a pair,
    where it cannot tell where the latitude ends (''32 46 96'': add a comma
    or the letters), or where ``parse_angle`` would.
    """
    tokens = _tokens(text)
    if not tokens or not any(t.kind == "number" for t in tokens):
        raise CoordinateError(f'cannot read "{text}" as a latitude and a longitude: write {EXAMPLES}')
    written = _span(tokens, text)
    prefix = tokens[0].kind == "letter"
    commas = [i for i, t in enumerate(tokens) if t.kind == "comma"]
    splits = commas or list(range(1, len(tokens)))
    skip = 1 if commas else 0
    readings: list[tuple[_Angle, _Angle, str]] = []
    for i in splits if len(commas) < 2 else []:
        first, second = _angle(tokens[:i], text, prefix), _angle(tokens[i + skip:], text, prefix)
        if first is not None and second is not None:
            order = _order(first.letter, second.letter)
            if order:
                readings.append((first, second, order))
    if len(readings) > 1:
        raise CoordinateError(f'cannot tell where the latitude ends in "{written}": put a comma '
                              "between the latitude and the longitude, or N/S and E/W")
    if not readings:
        raise CoordinateError(f'cannot read "{written}" as a latitude and a longitude: write {EXAMPLES}')
    first, second, order = readings[0]
    if order == "latitude":
        return _degrees(first, "latitude"), _degrees(second, "longitude")
    return _degrees(second, "latitude"), _degrees(first, "longitude")


def _order(first: str, second: str) -> str:
    """What the first of two angles is by their letters: 'latitude' (the
    default), 'longitude', or '' where the letters fit neither order."""
    if first in ("", "N", "S") and second in ("", "E", "W"):
        return "latitude"
    if first in ("", "E", "W") and second in ("", "N", "S"):
        return "longitude"
    return ""
