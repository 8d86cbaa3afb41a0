"""The `eclipse` command: a thin layer over the Python API.

Each subcommand has an ``add_<name>`` function that declares its arguments
and a ``run_<name>`` function that calls the API and prints.  Options are
the API's parameters spelled with hyphens (``--elevation-m``, ``--step-s``,
``--resolution-deg``).  The optional back ends (``eclipse.maps``,
``eclipse.web``, ``eclipse.fields``) are imported by the commands that use
them, so that ``eclipse find`` starts without matplotlib, cartopy, xarray
or Dask.  Errors the
package raises on purpose (EclipseError) become one line on stderr: exit 1
when there is no result (NoEclipseError), 2 for bad usage.  Every command
that prints can write a file instead (``-o FILE``, ``-o -`` for standard
output), whole or not at all; its format follows the file's extension.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import math
import os
import re
import signal
import sys
import warnings
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any, NoReturn, TextIO, TypeAlias

from . import __version__, interrupts
from .constants import KINDS, KINDS_SEEN
from .dates import NEGATIVE_DATE, calendar_from_jd, day_of, format_date, format_datetime
from .errors import EclipseError, NoEclipseError
from .geometry.earth import wrap_degrees
from .geometry.horizon import HORIZONS, horizon
from .geometry.local import check_location
from .geometry.path import MIN_STEP_S
from .io import coordinates, export, files, icalendar, namesakes, places, records, tables, text
from .search import at, find, next_eclipses
from .sources import DELTA_T_MODELS


class UsageError(EclipseError):
    """Arguments that cannot be used."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage block) and exit code 2, and
    options only by their whole names (one spelling each, as the API's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Raise UsageError with argparse's message (the CLI prints it as one line)."""
        raise UsageError(message)


#: What ``add_subparsers`` gives: each ``add_<name>`` adds its command to it.
Subparsers: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _add_ephemeris_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--delta-t", type=float, metavar="SECONDS",
                        help="Delta T (TT - UT1) in seconds instead of a model's")
    parser.add_argument("--delta-t-model", choices=DELTA_T_MODELS,
                        help="skyfield (default: IERS values, then Morrison-Stephenson) or espenak-meeus "
                             "(NASA's Five Millennium Canon)")
    parser.add_argument("--ephemeris", metavar="PATH",
                        help="a JPL SPK file (e.g. de440.bsp from JPL) to compute everything from; default: "
                             "DE421 (1899-07-30 to 2053-10-07), and the canon computed from DE422 for -2999 to 2999")


def _add_output_options(parser: argparse.ArgumentParser, formats: dict[str, str]) -> None:
    """--format (the first is the default) and -o; ``formats`` maps each
    format to the file extensions that imply it."""
    parser.add_argument("--format", choices=tuple(formats),
                        help=f"{', '.join(formats)} (default: from the extension of -o, else {next(iter(formats))})")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE, whole or not at all ('-': standard output)")
    parser.set_defaults(formats=formats)


def _output_format(args: argparse.Namespace) -> str:
    """The format asked for: --format, or the one the extension of -o
    implies (a device's or a pipe's name too); a contradiction between them
    is an error."""
    by_extension = {ext: fmt for fmt, exts in args.formats.items() for ext in exts.split()}
    output = args.output
    extension = os.path.splitext(output)[1].lower() if output and output != files.STDOUT else ""
    implied = by_extension.get(extension)
    if extension and implied is None and args.format is None and not files.is_special(output):
        raise UsageError(f"cannot tell the format of {output} from its extension: give --format "
                         f"({', '.join(args.formats)}) or use {', '.join(sorted(by_extension))}")
    if args.format and implied and implied != args.format:
        raise UsageError(f"--format {args.format} contradicts the extension of {output} ({implied})")
    if output:
        files.check_writable(output)
    return args.format or implied or next(iter(args.formats))


def _emit(args: argparse.Namespace, text: str) -> None:
    """The result to standard output, or written whole to -o (and said so)."""
    if args.output in (None, files.STDOUT):
        files.write_stdout(text)
        return
    files.write_text(args.output, text)
    if not files.is_special(args.output):
        _say(f"wrote {args.output}")


# --- find --------------------------------------------------------------------


def add_find(subparsers: Subparsers) -> None:
    """The ``find`` command: the eclipses of a year or a span of dates."""
    p = subparsers.add_parser("find", help="every solar eclipse of a year or a span of dates",
                              description="List solar eclipses, one line each.")
    p.add_argument("--year", type=int, help="a calendar year (default: this year)")
    p.add_argument("--start", metavar="DATE", help="first date, YYYY-MM-DD or a year")
    p.add_argument("--end", metavar="DATE", help="last date, YYYY-MM-DD or a year (its last day)")
    p.add_argument("--kind", action="extend", nargs="+", choices=KINDS,
                   help="keep only these kinds (several allowed)")
    _add_output_options(p, {"table": ".txt", "json": ".json", "csv": ".csv"})
    _add_ephemeris_options(p)
    p.set_defaults(run=run_find)


def run_find(args: argparse.Namespace) -> int:
    """``eclipse find``: list the eclipses as a table, JSON or CSV; exit 1 when none matches."""
    fmt = _output_format(args)
    year = args.year
    if args.start is None and args.end is None and year is None:
        year = datetime.date.today().year
    elif (args.start is None) != (args.end is None):
        raise UsageError("give both --start and --end")
    eclipses = find(year=year, start=args.start, end=args.end, kinds=args.kind,
                           ephemeris=args.ephemeris, delta_t=args.delta_t, delta_t_model=args.delta_t_model)
    render = {"table": tables.eclipses_table, "json": records.eclipses_json, "csv": records.eclipses_csv}
    if not eclipses:
        if fmt == "json":
            _emit(args, records.to_json([]))
        raise NoEclipseError("no solar eclipse matches")
    _emit(args, render[fmt](eclipses))
    return 0


# --- elements ------------------------------------------------------------------


def add_elements(subparsers: Subparsers) -> None:
    """The ``elements`` command: an eclipse's Besselian elements."""
    p = subparsers.add_parser("elements", help="the Besselian elements of an eclipse",
                              description="Polynomial Besselian elements in NASA's layout.")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    _add_output_options(p, {"table": ".txt", "json": ".json"})
    _add_ephemeris_options(p)
    p.set_defaults(run=run_elements)


def run_elements(args: argparse.Namespace) -> int:
    """``eclipse elements``: the elements in NASA's layout, or as JSON."""
    fmt = _output_format(args)
    e = at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t,
                          delta_t_model=args.delta_t_model)
    if fmt == "json":
        data = {"date": e.date, "time_tt": format_datetime(e.jd_tt, 1), "time_utc": records.utc_text(e.jd_ut),
                **e.elements.to_dict()}
        _emit(args, records.to_json(data))
    else:
        _emit(args, tables.elements_text(e.date, e.elements, e.jd_tt, e.delta_t_s))
    return 0


# --- map -----------------------------------------------------------------------


def add_map(subparsers: Subparsers) -> None:
    """The ``map`` command: a picture or an interactive page of an eclipse or of a span."""
    p = subparsers.add_parser("map", help="a map of an eclipse, or of all central paths of a span",
                              description="Draw a map (PNG, SVG or PDF by the extension of -o), or "
                                          "write an interactive offline page (.html).")
    p.add_argument("date", nargs="?", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--year", type=int, help="all central paths of a year")
    p.add_argument("--start", help="first year (or date) of a span of central paths")
    p.add_argument("--end", help="last year (or date) of the span")
    p.add_argument("-o", "--output", metavar="FILE", help="default eclipse-DATE.png")
    p.add_argument("--region", metavar="REGION",
                   help="zoom: auto (the path where people can watch; for a partial eclipse where it is seen), "
                        "a box LON1,LAT1,LON2,LAT2, a country or continent (Spain, Europe), a state or "
                        "province (Texas, TX, \"Georgia, US\", Asturias), or a place")
    p.add_argument("--mark", action="append", metavar="PLACE|LAT,LON",
                   help="mark a place with what is seen there (several allowed): a city, or coordinates "
                        "as written (32.78N 96.80W, 32°46'48\"N 96°48'W, 32.78,-96.80)")
    p.add_argument("--projection", default=None,
                   help="orthographic (default for one eclipse's globe; a regional map takes the conic or "
                        "orthographic view that suits it), robinson (default for a span), "
                        "platecarree, mollweide, equalearth, mercator, lambertconformal, ...")
    p.add_argument("--dpi", type=float,
                   help=f"pixels per inch of a PNG, {DPI_RANGE[0]:g} to {DPI_RANGE[1]:g} (default 150)")
    p.add_argument("--size", metavar="WxH",
                   help=f"figure size in inches, each {SIZE_RANGE[0]:g} to {SIZE_RANGE[1]:g}, e.g. 8x8.6 "
                        "(default: 8 wide, as tall as the map needs)")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_map)


#: Accepted --dpi and --size (inches); maps.MAX_PIXELS bounds their product.
DPI_RANGE = (10.0, 1200.0)
DEFAULT_DPI = 150.0
SIZE_RANGE = (1.0, 50.0)


def run_map(args: argparse.Namespace) -> int:
    """``eclipse map``: draw a PNG, SVG or PDF (eclipse.maps), or write an .html page (eclipse.web)."""
    size = _size(args.size)
    _check_dpi(args.dpi)
    span = args.year is not None or args.start is not None or args.end is not None
    if span == (args.date is not None):
        raise UsageError("give a date, or --year / --start and --end for a map of a span")
    if span and (args.region or args.mark):
        raise UsageError("--region and --mark are for the map of one eclipse, not of a span")
    marks = [_mark(text) for text in args.mark or ()]  # a bad one fails before any work
    dates: tuple[str, str] | None = None  # (a span's first and last, as given)
    if span:
        year = None if args.year is None else str(args.year)
        start, end = args.start or year, args.end or year
        if start is None or end is None:
            raise UsageError("give both --start and --end (or --year)")
        dates = start, end
        first_day, last_day = day_of(start), day_of(end, end=True)
        first, last = calendar_from_jd(first_day)[0], calendar_from_jd(last_day)[0]
        label = f"{first}" if first == last else f"{first}-{last}"
        output = args.output or f"eclipses-{label}.png"
    else:
        output = args.output or f"eclipse-{_plain(args.date)}.png"
    if output.lower().endswith(".html"):
        return _html_map(args, output, dates)
    maps = _back_end("maps")
    dpi = args.dpi or DEFAULT_DPI
    if maps.check_output(output) == "png" and size is not None:
        maps.check_pixels(size, dpi)  # before any work; maps.save checks a fitted height
    maps.projection(args.projection or "orthographic")  # an unknown name fails before any work
    if span:
        eclipses = find(start=start, end=end, ephemeris=args.ephemeris, delta_t=args.delta_t,
                               delta_t_model=args.delta_t_model)
        if not any(e.central for e in eclipses):
            raise NoEclipseError(f"no central solar eclipse from {format_date(first_day)} to {format_date(last_day)}")
        fig = maps.plot_span(eclipses, projection_name=args.projection or "robinson",
                             **({"size": size} if size else {}))
    else:
        e = at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t,
                      delta_t_model=args.delta_t_model)
        path = e.path()
        frame = maps.region_frame(e, path, args.region)
        if args.region and args.region.strip().lower() == "auto" and frame is None:
            _say(f"eclipse: note: the {e.kind} eclipse of {e.date} is seen over most of a hemisphere; "
                 "--region auto draws the whole globe", sys.stderr)
        note = maps.region_note(e, path, frame)
        if note is not None:
            _say(f"eclipse: note: {note}", sys.stderr)
        fig = maps.plot(e, projection_name=args.projection, region=frame, path=path,
                        marks=marks, size=size)
    maps.save(fig, output, dpi=dpi)
    _say(f"wrote {output}")
    return 0


#: --projection of an interactive page: its first view.
HTML_VIEWS = {"orthographic": "globe", "platecarree": "flat", "equirectangular": "flat"}


def _html_map(args: argparse.Namespace, output: str, span: tuple[str, str] | None) -> int:
    """An interactive page (.html) of an eclipse, or of a span's eclipses
    (``span``: its first and last date or year as given)."""
    if args.dpi is not None or args.size is not None:
        raise UsageError("--dpi and --size are for pictures: an .html map fits the browser's window")
    if args.mark:
        raise UsageError("--mark is for pictures: on an .html map click the place, or search for it")
    projection = (args.projection or ("platecarree" if span else "orthographic")).lower()
    if projection not in HTML_VIEWS:
        raise UsageError(f"an .html map is a globe (--projection orthographic) or a flat map "
                         f"(platecarree), not {args.projection!r}")
    files.check_writable(output)
    web = _back_end("web")
    view = HTML_VIEWS[projection]
    if span:
        eclipses = find(start=span[0], end=span[1], ephemeris=args.ephemeris, delta_t=args.delta_t,
                               delta_t_model=args.delta_t_model)
        if not eclipses:
            raise NoEclipseError(f"no solar eclipse from {span[0]} to {span[1]}")
        page = web.page(eclipses, view=view)
    else:
        e = at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t, delta_t_model=args.delta_t_model)
        page = web.page(e, view=view, region=args.region)
    page.save(output)
    _say(f"wrote {output}")
    return 0


def _size(text: str | None) -> tuple[float, float] | None:
    """--size 'WxH' in inches, checked against SIZE_RANGE; None when not given."""
    if text is None:
        return None
    try:
        width, height = (float(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"cannot read --size {text!r}: expected WIDTHxHEIGHT in inches, e.g. 8x8") from None
    low, high = SIZE_RANGE
    if not (low <= width <= high and low <= height <= high):
        raise UsageError(f"--size {text}: width and height must be between {low:g} and {high:g} inches")
    return width, height


def _check_dpi(dpi: float | None) -> None:
    """UsageError for a --dpi outside DPI_RANGE."""
    low, high = DPI_RANGE
    if dpi is not None and not (low <= dpi <= high):  # False for NaN too
        raise UsageError(f"--dpi {dpi:g}: give {low:g} to {high:g} pixels per inch")


def _mark(text: str) -> tuple[float, float] | places.Place:
    """--mark: coordinates as written ('32.78,-96.80', '32.78N 96.80W',
    io.coordinates) -> (lat, lon), or a place name -> a Place."""
    if coordinates.looks_like_coordinates(text):
        lat, lon = coordinates.parse_coordinates(text)
        check_location(lat, lon)
        return lat, lon
    return _place(text, "give its coordinates instead, e.g. 32.78N 96.80W")


def _place(name: str, hint: str) -> places.Place:
    """places.find_place, an unknown name's error with the hint for the option used."""
    try:
        return places.find_place(name)
    except places.UnknownPlaceError as exc:
        raise places.UnknownPlaceError(f"{exc}; {hint}") from None


# --- path ----------------------------------------------------------------------


def add_path(subparsers: Subparsers) -> None:
    """The ``path`` command: the path of an eclipse."""
    p = subparsers.add_parser("path", help="the path of an eclipse: central line, limits, regions",
                              description="The path of the Moon's shadow: a table in NASA's manner, "
                                          "CSV, GeoJSON (RFC 7946) or KML.")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--step-s", type=float, default=60.0, metavar="SECONDS",
                   help=f"time between rows or vertices (default 60, at least {MIN_STEP_S:g})")
    _add_output_options(p, {"table": ".txt", "csv": ".csv", "geojson": ".geojson .json", "kml": ".kml"})
    _add_ephemeris_options(p)
    p.set_defaults(run=run_path)


def run_path(args: argparse.Namespace) -> int:
    """``eclipse path``: the path as a table, CSV, GeoJSON or KML."""
    if not (math.isfinite(args.step_s) and args.step_s >= MIN_STEP_S):
        raise UsageError(f"--step-s must be at least {MIN_STEP_S:g} second, not {args.step_s:g} (vertices are added "
                         "between steps wherever a chord would stray 0.5 km from the curve)")
    fmt = _output_format(args)
    e = at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t,
                          delta_t_model=args.delta_t_model)
    p = e.path(step_s=args.step_s)
    render = {"table": lambda: tables.path_table(p, text.eclipse_title(e)), "csv": lambda: records.path_csv(p),
              "geojson": lambda: export.to_geojson(p) + "\n", "kml": lambda: export.to_kml(p, text.eclipse_title(e))}
    _emit(args, render[fmt]())
    return 0


# --- local and next: what is seen from a place ------------------------------------------


def _add_place_options(p: argparse.ArgumentParser) -> None:
    """--place, or --lat and --lon; --elevation-m and --timezone."""
    p.add_argument("--place", metavar="NAME",
                   help='a city: "Dallas", "Valencia, Spain", "Portland, ME" (GeoNames, offline); or '
                        "coordinates as written: \"32.78N 96.80W\", \"32°46'48\"N 96°48'W\", \"32.78, -96.80\"")
    p.add_argument("--lat", metavar="DEG", help="geodetic latitude: 32.78, 32.78N, -32.78, 32°46'48\"N, 32 46 48 N")
    p.add_argument("--lon", metavar="DEG", help="longitude: 96.80W, -96.80, 96°48'W (signed: east positive, "
                                                "-180 to 360)")
    p.add_argument("--elevation-m", type=float, default=0.0, metavar="M",
                   help="height above the WGS84 ellipsoid in metres (default 0)")
    p.add_argument("--timezone", metavar="ZONE", help="time zone for local times, e.g. Europe/Madrid "
                                                "(default: the place's)")


def _add_horizon_options(p: argparse.ArgumentParser) -> None:
    """--horizon, --temperature and --pressure: the horizon the Sun is seen on."""
    p.add_argument("--horizon", choices=HORIZONS, default="apparent",
                   help="apparent (default: altitudes with refraction, sunrise and sunset when the Sun's upper "
                        "limb is on the horizon, as almanacs) or geometric (no refraction, the Sun's centre)")
    p.add_argument("--temperature", type=float, metavar="C",
                   help="air temperature for the refraction, degrees Celsius (default 10)")
    p.add_argument("--pressure", type=float, metavar="HPA",
                   help="air pressure for the refraction, hPa (default 1010)")


def _horizon_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword argument of Eclipse.local and next_eclipses for the horizon
    options, checked (HorizonError: a temperature or pressure out of range,
    or given with the geometric horizon)."""
    return {"horizon": horizon(args.horizon, args.temperature, args.pressure)}


def _where(args: argparse.Namespace) -> tuple[float, float, str | None, str]:
    """(latitude, longitude, label or None, time zone) from --place or --lat
    and --lon, and --timezone (else the place's, or the point's)."""
    if args.place is not None:
        if args.lat is not None or args.lon is not None:
            raise UsageError("give either --place or --lat and --lon, not both")
        if coordinates.looks_like_coordinates(args.place):
            (lat, lon), label, zone = coordinates.parse_coordinates(args.place), None, None
        else:
            place = _place(args.place, "give --lat and --lon instead")
            lat, lon, label, zone = place.latitude, place.longitude, place.label, place.timezone
    elif args.lat is None or args.lon is None:
        raise UsageError("give --place NAME, or both --lat and --lon")
    else:
        lat, lon = coordinates.parse_angle(args.lat, "latitude"), coordinates.parse_angle(args.lon, "longitude")
        label, zone = None, None
    check_location(lat, lon, args.elevation_m)
    lon = float(wrap_degrees(lon))  # 200 east is 160 west, in every output
    if args.timezone is not None:
        zone = places.check_timezone(args.timezone)
    elif zone is None:  # the zone of the coordinates (the nautical one at sea), offline
        zone = places.observer_timezone(lat, lon)
    return lat, lon, label, zone


def add_local(subparsers: Subparsers) -> None:
    """The ``local`` command: an eclipse seen from a place."""
    p = subparsers.add_parser("local", help="what an eclipse looks like from a place",
                              description="Contacts, magnitude, obscuration and duration seen from a place.")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    _add_place_options(p)
    _add_horizon_options(p)
    _add_output_options(p, {"table": ".txt", "json": ".json", "csv": ".csv"})
    _add_ephemeris_options(p)
    p.set_defaults(run=run_local)


def run_local(args: argparse.Namespace) -> int:
    """``eclipse local``: contacts, magnitude, obscuration and duration seen from a place."""
    lat, lon, label, zone = _where(args)
    fmt = _output_format(args)
    seen_on = _horizon_options(args)
    e = at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t,
                          delta_t_model=args.delta_t_model)
    lc = e.local(lat, lon, args.elevation_m, **seen_on)
    note = namesakes.local_note(e, args.place, lc) if label else None  # a namesake that sees more
    render = {"json": lambda: records.to_json(namesakes.with_note(records.local_json(e, lc, label, zone), note)),
              "csv": lambda: records.local_csv([records.local_row(e, lc, label, zone)]),
              "table": lambda: namesakes.note_lines(note, tables.local_table(e, lc, label, zone))}
    _emit(args, render[fmt]())
    if note and fmt == "csv":
        _say(f"eclipse: note: {note.text()}", sys.stderr)
    return 0  # seeing nothing is an answer ("not visible from ..."), not an error


def add_next(subparsers: Subparsers) -> None:
    """The ``next`` command: the next eclipses seen from a place."""
    p = subparsers.add_parser("next", help="the next eclipses seen from a place",
                              description="The next solar eclipses seen from a place (the Sun up for "
                                          "some part), searched up to 100 years ahead.")
    _add_place_options(p)
    p.add_argument("--count", type=int, default=5, help="how many (default 5)")
    p.add_argument("--kind", action="extend", nargs="+", choices=KINDS,
                   help="keep only eclipses of these kinds, as `find` (several allowed)")
    p.add_argument("--seen", action="extend", nargs="+", choices=KINDS_SEEN[1:],
                   help="keep only eclipses seen as these kinds from the place")
    p.add_argument("--start", metavar="DATE", help="search from this date (default today)")
    _add_horizon_options(p)
    _add_output_options(p, {"table": ".txt", "json": ".json", "csv": ".csv", "ics": ".ics"})
    _add_ephemeris_options(p)
    p.set_defaults(run=run_next)


def run_next(args: argparse.Namespace) -> int:
    """``eclipse next``: the next eclipses seen from a place, as a table, JSON, CSV or iCalendar."""
    lat, lon, label, zone = _where(args)
    fmt = _output_format(args)
    if args.count < 1:
        raise UsageError(f"--count must be 1 or more, not {args.count}")
    upcoming = next_eclipses(lat, lon, count=args.count, kinds=args.kind, seen=args.seen,
                                    start=args.start, elevation_m=args.elevation_m,
                                    ephemeris=args.ephemeris, delta_t=args.delta_t,
                                    delta_t_model=args.delta_t_model, **_horizon_options(args))
    where = label or text.latlon_text(lat, lon)
    asked = " or ".join(args.seen or args.kind or [])
    note = namesakes.next_note(upcoming, args.place, args.kind, args.seen, args.ephemeris, args.delta_t,
                               args.delta_t_model) if label else None  # nothing seen, but by a namesake
    render = {"json": lambda: records.to_json(namesakes.with_note(records.next_json(upcoming, label, zone), note)),
              "csv": lambda: records.local_csv([records.local_row(s.eclipse, s.local, label, zone)
                                               for s in upcoming.eclipses]),
              "ics": lambda: icalendar.next_ics(upcoming, where, lat, lon, zone),
              "table": lambda: namesakes.note_lines(note, tables.next_table(upcoming, where, zone,
                                                                           f"{asked} " if asked else ""), True)}
    _emit(args, render[fmt]())
    if note and fmt in ("csv", "ics"):
        _say(f"eclipse: note: {note.text(with_date=True)}", sys.stderr)
    return 0  # nothing found is an answer, said so


# --- grid and atlas: fields over the Earth -------------------------------------------


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) from 'LON1,LAT1,LON2,LAT2', or None."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4:
        raise UsageError(f"cannot read --bbox {text!r}: expected LON1,LAT1,LON2,LAT2 in degrees")
    return values[0], values[1], values[2], values[3]


def add_grid(subparsers: Subparsers) -> None:
    """The ``grid`` command: obscuration and magnitude of an eclipse on a grid."""
    p = subparsers.add_parser("grid", help="obscuration and magnitude over time, altitude, latitude, longitude",
                              description="Obscuration and magnitude of one eclipse on a longitude-latitude "
                                          "grid at every step of its course and at several heights: a netCDF "
                                          "or Zarr file with CF-1.8 metadata (xarray, Panoply, QGIS).")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--resolution-deg", type=float, default=1.0, metavar="DEG",
                   help="cell size in degrees (default 1)")
    p.add_argument("--bbox", metavar="LON1,LAT1,LON2,LAT2",
                   help="west, south, east, north corners (west > east crosses the antimeridian)")
    p.add_argument("--step-s", type=float, default=300.0, metavar="SECONDS",
                   help="time between grids, whole seconds (default 300)")
    p.add_argument("--altitude-km", type=float, nargs="+", action="extend", metavar="KM",
                   help="heights above the WGS84 ellipsoid in km (default 0; several allowed)")
    p.add_argument("-o", "--output", metavar="FILE", help="FILE.nc (netCDF-4) or FILE.zarr; default "
                                                          "obscuration-DATE.nc")
    p.add_argument("--png", metavar="FILE", help="also draw the greatest obscuration seen, with the path")
    p.add_argument("--overwrite", action="store_true",
                   help="replace a store this program made with other parameters (never anything else)")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_grid)


def run_grid(args: argparse.Namespace) -> int:
    """``eclipse grid``: a netCDF or Zarr grid of one eclipse (eclipse.fields), and its map with --png."""
    fields = _back_end("fields")
    output = args.output or f"obscuration-{_plain(args.date)}.nc"
    if not output.rstrip(os.sep).endswith(fields.FORMATS):
        raise UsageError(f"cannot write {output}: the name must end in .nc (netCDF) or .zarr")
    zarr = output.rstrip(os.sep).endswith(".zarr")
    if not zarr:
        files.check_writable(output)
    if args.png:
        maps = _back_end("maps")
        maps.check_output(args.png)
    bbox = _bbox(args.bbox)
    altitudes = args.altitude_km or [0.0]
    e = at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t, delta_t_model=args.delta_t_model)
    fields.check_fits(fields.grid_shape(e, args.resolution_deg, args.step_s, altitudes, bbox), output)
    dataset = fields.grid(e, args.resolution_deg, args.step_s, altitudes, bbox)
    if zarr:  # an existing directory is checked before any work
        files.check_tree_writable(output, lambda real: fields.check_store(real, dataset, args.overwrite, output))
    fields.save(dataset, output, overwrite=args.overwrite)
    sizes = ", ".join(f"{name} {size}" for name, size in dataset.sizes.items())
    _say(f"wrote {output} ({sizes})")
    if args.png:
        fig = maps.plot(e, obscuration=True, resolution_deg=max(args.resolution_deg, 0.25))
        maps.save(fig, args.png)
        _say(f"wrote {args.png}")
    return 0


def add_atlas(subparsers: Subparsers) -> None:
    """The ``atlas`` command: one number per place over the eclipses of a span."""
    p = subparsers.add_parser("atlas", help="one number per place over every eclipse of a span (Dask)",
                              description="An atlas over every eclipse from --start to --end: counts of "
                                          "total, annular or central eclipses seen, the next total one, "
                                          "the longest totality or the greatest obscuration, per cell, "
                                          "into a Zarr store.  Runs on dask.distributed; killed, the same "
                                          "command resumes.")
    p.add_argument("--start", required=True, metavar="YEAR", help="first year (or date)")
    p.add_argument("--end", required=True, metavar="YEAR", help="last year (or date)")
    p.add_argument("--what", required=True, metavar="WHAT",
                   help="total-count, annular-count, central-count, next-total, max-duration or max-obscuration")
    p.add_argument("--resolution-deg", type=float, default=1.0, metavar="DEG",
                   help="cell size in degrees (default 1)")
    p.add_argument("--bbox", metavar="LON1,LAT1,LON2,LAT2", help="west, south, east, north corners")
    p.add_argument("-o", "--output", metavar="STORE.zarr", default=None, help="default atlas-WHAT.zarr")
    p.add_argument("--png", metavar="FILE", help="also draw the atlas on a world map")
    p.add_argument("--workers", type=int, metavar="N", help="processes of the local cluster (default: cores)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="use a running Dask scheduler: tls://host:8786 (with your Dask TLS configuration) "
                        "or tcp://host:8786")
    p.add_argument("--chunk", type=int, metavar="CELLS",
                   help="cells along a tile's side (a Zarr chunk), a multiple of 64 (default 256)")
    p.add_argument("--batch", type=int, metavar="N", help="eclipses per task (default 32)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--overwrite", action="store_true",
                   help="replace an atlas store this program made with other parameters (never anything else)")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_atlas)


def run_atlas(args: argparse.Namespace) -> int:
    """``eclipse atlas``: an atlas store over a span (eclipse.fields, on Dask), and its map with --png."""
    fields = _back_end("fields")
    fields.measure(args.what)  # an unknown name fails before any work
    if args.workers is not None and args.scheduler is not None:
        raise UsageError("give --workers (a local cluster) or --scheduler, not both")
    if args.scheduler is not None:
        fields.check_scheduler(args.scheduler)  # before any work
    output = args.output or f"atlas-{args.what}.zarr"
    if not output.rstrip(os.sep).endswith(".zarr"):
        raise UsageError(f"cannot write {output}: an atlas is a Zarr store, its name must end in .zarr")
    if args.png:
        maps = _back_end("maps")
        maps.check_output(args.png)
    sizes = {k: v for k, v in (("chunk", args.chunk), ("batch", args.batch)) if v is not None}
    dataset = fields.atlas(args.start, args.end, args.what, args.resolution_deg, _bbox(args.bbox), output,
                           workers=args.workers, scheduler=args.scheduler, ephemeris=args.ephemeris,
                           delta_t=args.delta_t, delta_t_model=args.delta_t_model,
                           progress=False if args.no_progress else None, overwrite=args.overwrite, **sizes)
    _say(f"wrote {output} ({fields.describe(dataset)})")
    if args.png:
        maps.save(maps.atlas_figure(dataset), args.png)
        _say(f"wrote {args.png}")
    return 0


#: The optional back ends and the extra of pyproject.toml each needs.
BACK_ENDS = {"maps": None, "web": None, "fields": "fields"}


def _back_end(name: str) -> ModuleType:
    """``eclipse.maps``, ``eclipse.web`` or ``eclipse.fields``, imported when
    a command needs it; a missing library is one line naming the extra."""
    try:
        return importlib.import_module(f".{name}", __package__)
    except ImportError as exc:
        extra = BACK_ENDS[name]
        install = f"pip install 'eclipse-path[{extra}]'" if extra else "pip install eclipse-path"
        raise UsageError(f"this needs the {f'[{extra}] extra' if extra else 'package'} ({exc.name or exc} is "
                         f"missing): {install}") from None


# --- plumbing ------------------------------------------------------------------


def package_version() -> str:
    """The package's version (eclipse.__version__, which pyproject.toml reads)."""
    return __version__


def build_parser() -> argparse.ArgumentParser:
    """The ``eclipse`` command's parser: --version and one subcommand per ``add_<name>``."""
    parser = _Parser(prog="eclipse", description="Solar eclipses computed from a JPL ephemeris.")
    parser.add_argument("--version", action="version", version=f"eclipse {package_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in (add_find, add_elements, add_map, add_path, add_local, add_next, add_grid, add_atlas):
        add(subparsers)
    return parser


def _plain(date: str) -> str:
    """A date as typed, for a file name: a hyphen-minus, not the true minus
    ``main`` passes negative dates with."""
    return date.replace("\u2212", "-")


#: A comma-separated list of numbers whose first is negative.
NEGATIVE_LIST = re.compile(r"^-\d[\d.]*(,-?\d[\d.]*)+$")
#: The options that take coordinates as written, and a value of theirs that
#: starts with a minus ("-32°46'", "-33.9 18.4").
COORDINATE_OPTIONS = ("--lat", "--lon", "--place", "--mark")
NEGATIVE_COORDINATE = re.compile(r"^[-\u2212]\.?\d")


def _join_negative_lists(argv: list[str]) -> list[str]:
    """'--bbox', '-110,20,-65,50' -> '--bbox=-110,20,-65,50', and '--lat',
    "-32°46'" -> "--lat=-32°46'" (argparse would take the value for an
    option of its own)."""
    out: list[str] = []
    for a in argv:
        joins = out and out[-1].startswith("--") and "=" not in out[-1]
        if joins and (NEGATIVE_LIST.match(a) or (out[-1] in COORDINATE_OPTIONS and NEGATIVE_COORDINATE.match(a))):
            out[-1] = f"{out[-1]}={a}"
        else:
            out.append(a)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    A date with a leading minus ("-0135-04-15", astronomical year -135) is
    a date, not an option: it is passed on with a true minus sign (U+2212),
    which the dates read as a minus.  Likewise a list of numbers starting
    with a minus after an option (``--bbox -110,20,-65,50``, ``--mark
    -33.9,18.4``), and coordinates with a minus after an option that takes
    them (``--lat -32°46'``), is that option's value.

    Every error is one line on standard error, ``eclipse: error: ...``, and
    its class is the exit status (eclipse.errors): 2 bad input, 1 nothing
    found, 3 a run that could not complete, 130 or 143 interrupted by SIGINT
    or SIGTERM (which stop any command, its temporary files removed)."""
    parser = build_parser()
    argv = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    argv = ["\u2212" + a[1:] if NEGATIVE_DATE.match(a) else a for a in argv]
    argv = _join_negative_lists(argv)
    args: argparse.Namespace | None = None
    with interrupts.handled(), _notes_on_stderr():
        try:
            try:
                args = parser.parse_args(argv)
            except SystemExit as exc:  # --help and --version
                return exc.code if isinstance(exc.code, int) else 0
            if not getattr(args, "run", None):
                parser.print_help(sys.stderr)
                return 2
            status = args.run(args)
            interrupts.check()
            return status
        except EclipseError as exc:
            _say_error(str(exc))
            return exc.exit_status
        except KeyboardInterrupt as exc:
            _say_error(_interrupted_text(args))
            return getattr(exc, "exit_status", 128 + signal.SIGINT)
        except BrokenPipeError:  # a reader that stopped reading (eclipse find | head)
            return 0


def _interrupted_text(args: argparse.Namespace | None) -> str:
    """What an interrupted command says (an atlas: that it resumes)."""
    if getattr(args, "command", None) == "atlas":
        return "interrupted; run the same command again to resume"
    return "interrupted"


def _say_error(text: str) -> None:
    """'eclipse: error: ...' on standard error."""
    _say(f"eclipse: error: {text}", sys.stderr)


def _say(text: str, stream: TextIO | None = None) -> None:
    """A line for the person at the terminal ("wrote ...", notes): lost
    without a word when the stream is closed."""
    stream = sys.stdout if stream is None else stream
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(text, file=stream, flush=True)


@contextlib.contextmanager
def _notes_on_stderr() -> Iterator[None]:
    """Warnings the package issues for the user (eclipse.files.FileNote) as
    one line each, ``eclipse: note: ...``."""
    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int, file: TextIO | None = None,
             line: str | None = None) -> None:
        if issubclass(category, files.FileNote):
            _say(f"eclipse: note: {message}", sys.stderr)
        else:
            original(message, category, filename, lineno, file, line)

    original = warnings.showwarning
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = original
