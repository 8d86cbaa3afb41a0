"""The `eclipse` command: a thin layer over the Python API.

Each subcommand has an ``add_<name>`` function that declares its arguments
and a ``run_<name>`` function that calls the API and prints.  Errors the
package raises on purpose (EclipseError) become one line on stderr: exit 1
when there is no result (NoEclipseError), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys

from . import files
from .errors import EclipseError, NoEclipseError

FORMATS = ("table", "json", "csv")


class UsageError(EclipseError):
    """Arguments that cannot be used."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage block) and exit code 2."""

    def error(self, message):
        raise UsageError(message)


def _add_ephemeris_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--delta-t", type=float, metavar="SECONDS",
                        help="Delta T (TT - UT1) in seconds instead of Skyfield's tables and model")
    parser.add_argument("--ephemeris", metavar="PATH",
                        help="a JPL SPK file (e.g. de440.bsp); default DE421 from skyfield-data, 1900-2052")


# --- find --------------------------------------------------------------------


def add_find(subparsers) -> None:
    p = subparsers.add_parser("find", help="every solar eclipse of a year or a span of dates",
                              description="List solar eclipses, one line each.")
    p.add_argument("--year", type=int, help="a calendar year (default: this year)")
    p.add_argument("--start", metavar="DATE", help="first date, YYYY-MM-DD")
    p.add_argument("--end", metavar="DATE", help="last date, YYYY-MM-DD")
    p.add_argument("--kind", action="extend", nargs="+", choices=("partial", "annular", "total", "hybrid"),
                   help="keep only these kinds (several allowed)")
    p.add_argument("--format", choices=FORMATS, default="table")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_find)


def run_find(args) -> int:
    from . import report, search

    year = args.year
    if args.start is None and args.end is None and year is None:
        import datetime

        year = datetime.date.today().year
    elif (args.start is None) != (args.end is None):
        raise UsageError("give both --start and --end")
    eclipses = search.find(year=year, start=args.start, end=args.end, kinds=args.kind,
                           ephemeris=args.ephemeris, delta_t=args.delta_t)
    render = {"table": report.eclipses_table, "json": report.eclipses_json, "csv": report.eclipses_csv}
    if not eclipses:
        if args.format == "json":
            sys.stdout.write(report.to_json([]))
        raise NoEclipseError("no solar eclipse matches")
    sys.stdout.write(render[args.format](eclipses))
    return 0


# --- elements ------------------------------------------------------------------


def add_elements(subparsers) -> None:
    p = subparsers.add_parser("elements", help="the Besselian elements of an eclipse",
                              description="Polynomial Besselian elements in NASA's layout.")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_elements)


def run_elements(args) -> int:
    from . import report, search

    e = search.at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t)
    if args.format == "json":
        data = {"date": e.date, "time_tt": e.time_tt, "time_utc": e.time_utc, **e.elements.to_dict()}
        sys.stdout.write(report.to_json(data))
    else:
        sys.stdout.write(report.elements_text(e.date, e.elements, e.jd_tt, e.delta_t_s))
    return 0


# --- map -----------------------------------------------------------------------


def add_map(subparsers) -> None:
    p = subparsers.add_parser("map", help="a map of an eclipse, or of all central paths of a span",
                              description="Draw a map (PNG, SVG or PDF by the extension of -o).")
    p.add_argument("date", nargs="?", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--year", type=int, help="all central paths of a year")
    p.add_argument("--start", help="first year (or date) of a span of central paths")
    p.add_argument("--end", help="last year (or date) of the span")
    p.add_argument("-o", "--output", metavar="FILE", help="default eclipse-DATE.png")
    p.add_argument("--region", choices=("auto",), help="zoom on the path over land, with cities")
    p.add_argument("--projection", default=None,
                   help="orthographic (default for one eclipse), robinson (default for a span), "
                        "platecarree, mollweide, equalearth, mercator, lambertconformal, ...")
    p.add_argument("--dpi", type=float, default=150.0)
    p.add_argument("--size", metavar="WxH", help="figure size in inches, e.g. 8x8.6")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_map)


def run_map(args) -> int:
    from . import maps, search

    size = _size(args.size)
    span = args.year is not None or args.start is not None or args.end is not None
    if span == (args.date is not None):
        raise UsageError("give a date, or --year / --start and --end for a map of a span")
    if span:
        start, end = _year_or_date(args.start, args.year, True), _year_or_date(args.end, args.year, False)
        if start is None or end is None:
            raise UsageError("give both --start and --end (or --year)")
        label = start[:4] if start[:4] == end[:4] else f"{start[:4]}-{end[:4]}"
        output = args.output or f"eclipses-{label}.png"
    else:
        output = args.output or f"eclipse-{args.date}.png"
    maps.check_output(output)
    maps.projection(args.projection or "orthographic")  # an unknown name fails before any work
    if span:
        eclipses = search.find(start=start, end=end, ephemeris=args.ephemeris, delta_t=args.delta_t)
        if not any(e.central for e in eclipses):
            raise NoEclipseError(f"no central solar eclipse from {start} to {end}")
        fig = maps.plot_span(eclipses, projection_name=args.projection or "robinson",
                             **({"size": size} if size else {}))
    else:
        e = search.at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t)
        fig = maps.plot(e, projection_name=args.projection or "orthographic", region=args.region,
                        **({"size": size} if size else {}))
    maps.save(fig, output, dpi=args.dpi)
    print(f"wrote {output}")
    return 0


def _size(text):
    if text is None:
        return None
    try:
        width, height = (float(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"cannot read --size {text!r}: expected WIDTHxHEIGHT in inches, e.g. 8x8") from None
    if not (0 < width <= 50 and 0 < height <= 50):
        raise UsageError(f"--size {text}: width and height must be between 0 and 50 inches")
    return width, height


def _year_or_date(value, year, first: bool):
    """'2020' -> '2020-01-01' (or '2020-12-31' for an end); dates pass through."""
    if value is None and year is not None:
        value = str(year)
    if value is None:
        return None
    if value.lstrip("-").isdigit():
        return f"{value}-01-01" if first else f"{value}-12-31"
    return value


# --- path ----------------------------------------------------------------------

PATH_FORMATS = ("table", "csv", "geojson", "kml")


def add_path(subparsers) -> None:
    p = subparsers.add_parser("path", help="the path of an eclipse: central line, limits, regions",
                              description="The path of the Moon's shadow: a table in NASA's manner, "
                                          "CSV, GeoJSON (RFC 7946) or KML.")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--step", type=float, default=60.0, metavar="SECONDS",
                   help="time between rows or vertices (default 60)")
    p.add_argument("--format", choices=PATH_FORMATS, default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (whole or not at all)")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_path)


def run_path(args) -> int:
    import math

    from . import report, search

    if not (math.isfinite(args.step) and args.step > 0):
        raise UsageError(f"--step must be a positive number of seconds, not {args.step:g}")
    if args.output not in (None, "-"):
        files.check_writable(args.output)
    e = search.at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t)
    p = e.path(step=args.step)
    title = report.eclipse_title(e)
    if args.format == "table":
        text = report.path_table(p, title)
    elif args.format == "csv":
        text = report.path_csv(p)
    elif args.format == "geojson":
        text = p.to_geojson() + "\n"
    else:
        text = p.to_kml()
    write_output(text, args.output)
    return 0


# --- local and next: what is seen from a place ------------------------------------------


def _add_place_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--place", metavar="NAME",
                   help='a city: "Dallas", "Valencia, Spain", "Portland, ME" (GeoNames, offline)')
    p.add_argument("--lat", type=float, metavar="DEG", help="geodetic latitude, north positive")
    p.add_argument("--lon", type=float, metavar="DEG", help="longitude, east positive (-180 to 360)")
    p.add_argument("--elevation", type=float, default=0.0, metavar="M",
                   help="height above the WGS84 ellipsoid in metres (default 0)")


def _where(args):
    """(latitude, longitude, place or None) from --place or --lat and --lon."""
    from .local import check_location
    from .places import find_place

    if args.place is not None:
        if args.lat is not None or args.lon is not None:
            raise UsageError("give either --place or --lat and --lon, not both")
        place = find_place(args.place)
        check_location(place.latitude, place.longitude, args.elevation)
        return place.latitude, place.longitude, place
    if args.lat is None or args.lon is None:
        raise UsageError("give --place NAME, or both --lat and --lon")
    check_location(args.lat, args.lon, args.elevation)
    return args.lat, args.lon, None


def add_local(subparsers) -> None:
    p = subparsers.add_parser("local", help="what an eclipse looks like from a place",
                              description="Contacts, magnitude, obscuration and duration seen from a place.")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    _add_place_options(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_local)


def run_local(args) -> int:
    from . import report, search

    lat, lon, place = _where(args)
    e = search.at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t)
    lc = e.local(lat, lon, args.elevation)
    if args.format == "json":
        sys.stdout.write(report.to_json(report.local_json(e, lc, place)))
    else:
        sys.stdout.write(report.local_table(e, lc, place))
    return 0  # seeing nothing is an answer ("not visible from here"), not an error


def add_next(subparsers) -> None:
    p = subparsers.add_parser("next", help="the next eclipses seen from a place",
                              description="The next solar eclipses seen from a place (the Sun up for "
                                          "some part), searched up to 100 years ahead.")
    _add_place_options(p)
    p.add_argument("--count", type=int, default=5, help="how many (default 5)")
    p.add_argument("--kind", action="extend", nargs="+", choices=("partial", "annular", "total"),
                   help="keep only these kinds as seen from the place")
    p.add_argument("--start", metavar="DATE", help="search from this date (default today)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_next)


def run_next(args) -> int:
    from . import report
    from .local import next_eclipses

    lat, lon, place = _where(args)
    if args.count < 1:
        raise UsageError(f"--count must be 1 or more, not {args.count}")
    upcoming = next_eclipses(lat, lon, count=args.count, kinds=args.kind, start=args.start,
                             elevation_m=args.elevation, ephemeris=args.ephemeris, delta_t=args.delta_t)
    if args.format == "json":
        sys.stdout.write(report.to_json(report.next_json(upcoming, place)))
    if not upcoming.eclipses:
        kinds = f" {' or '.join(args.kind)}" if args.kind else ""
        end = f" (the end of {upcoming.ephemeris})" if upcoming.ephemeris_end else ""
        raise NoEclipseError(f"no{kinds} solar eclipse seen from here from {upcoming.searched_from} "
                             f"to {upcoming.searched_to}{end}")
    if args.format != "json":
        sys.stdout.write(report.next_table(upcoming, lat, lon, place))
    return 0


# --- grid and atlas: fields over the Earth -------------------------------------------


def _bbox(text):
    """(west, south, east, north) from 'LON1,LAT1,LON2,LAT2', or None."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4:
        raise UsageError(f"cannot read --bbox {text!r}: expected LON1,LAT1,LON2,LAT2 in degrees")
    return tuple(values)


def add_grid(subparsers) -> None:
    p = subparsers.add_parser("grid", help="obscuration and magnitude over time, altitude, latitude, longitude",
                              description="Obscuration and magnitude of one eclipse on a longitude-latitude "
                                          "grid at every step of its course and at several heights: a netCDF "
                                          "or Zarr file with CF-1.8 metadata (xarray, Panoply, QGIS).")
    p.add_argument("date", help="date of the eclipse, YYYY-MM-DD")
    p.add_argument("--res", type=float, default=1.0, metavar="DEG", help="cell size in degrees (default 1)")
    p.add_argument("--bbox", metavar="LON1,LAT1,LON2,LAT2",
                   help="west, south, east, north corners (west > east crosses the antimeridian)")
    p.add_argument("--step", type=float, default=300.0, metavar="SECONDS",
                   help="time between grids, whole seconds (default 300)")
    p.add_argument("--alt", type=float, nargs="+", action="extend", metavar="KM",
                   help="heights above the WGS84 ellipsoid in km (default 0; several allowed)")
    p.add_argument("-o", "--output", metavar="FILE", help="FILE.nc (netCDF-4) or FILE.zarr; default "
                                                          "obscuration-DATE.nc")
    p.add_argument("--png", metavar="FILE", help="also draw the greatest obscuration seen, with the path")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_grid)


def run_grid(args) -> int:
    from . import search
    from .fields import require

    require()
    from . import fields

    output = args.output or f"obscuration-{args.date}.nc"
    if not output.endswith(fields.FORMATS):
        raise UsageError(f"cannot write {output}: the name must end in .nc (netCDF) or .zarr")
    if output.endswith(".zarr"):
        files.check_tree_writable(output, fields.is_zarr_store)
    else:
        files.check_writable(output)
    if args.png:
        from . import maps

        maps.check_output(args.png)
    bbox = _bbox(args.bbox)
    altitudes = args.alt or [0.0]
    e = search.at(args.date, ephemeris=args.ephemeris, delta_t=args.delta_t)
    fields.check_fits(fields.grid_shape(e, args.res, args.step, altitudes, bbox), output)
    dataset = fields.grid(e, args.res, args.step, altitudes, bbox)
    fields.save(dataset, output)
    sizes = ", ".join(f"{name} {size}" for name, size in dataset.sizes.items())
    print(f"wrote {output} ({sizes})")
    if args.png:
        fig = maps.plot(e, obscuration=True, resolution_deg=max(args.res, 0.25))
        maps.save(fig, args.png)
        print(f"wrote {args.png}")
    return 0


def add_atlas(subparsers) -> None:
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
    p.add_argument("--res", type=float, default=1.0, metavar="DEG", help="cell size in degrees (default 1)")
    p.add_argument("--bbox", metavar="LON1,LAT1,LON2,LAT2", help="west, south, east, north corners")
    p.add_argument("-o", "--output", metavar="STORE.zarr", default=None, help="default atlas-WHAT.zarr")
    p.add_argument("--png", metavar="FILE", help="also draw the atlas on a world map")
    p.add_argument("--workers", type=int, metavar="N", help="processes of the local cluster (default: cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="use a running Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--chunk", type=int, metavar="CELLS",
                   help="cells along a tile's side (a Zarr chunk), a multiple of 64 (default 256)")
    p.add_argument("--batch", type=int, metavar="N", help="eclipses per task (default 32)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_ephemeris_options(p)
    p.set_defaults(run=run_atlas)


def run_atlas(args) -> int:
    from .fields import require

    require()
    from . import atlas

    atlas.measure(args.what)  # an unknown name fails before any work
    if args.workers is not None and args.scheduler:
        raise UsageError("give --workers (a local cluster) or --scheduler, not both")
    output = args.output or f"atlas-{args.what}.zarr"
    if not output.endswith(".zarr"):
        raise UsageError(f"cannot write {output}: an atlas is a Zarr store, its name must end in .zarr")
    if args.png:
        from . import maps

        maps.check_output(args.png)
    sizes = {k: v for k, v in (("chunk", args.chunk), ("batch", args.batch)) if v is not None}
    dataset = atlas.atlas(args.start, args.end, args.what, args.res, _bbox(args.bbox), output,
                          workers=args.workers, scheduler=args.scheduler, ephemeris=args.ephemeris,
                          delta_t=args.delta_t, progress=False if args.no_progress else None, **sizes)
    print(f"wrote {output} ({atlas.describe(dataset)})")
    if args.png:
        maps.save(atlas.figure(dataset), args.png)
        print(f"wrote {args.png}")
    return 0


# --- plumbing ------------------------------------------------------------------


def write_output(text: str, path: str | None) -> None:
    """Text to standard output, or to a file written whole or not at all."""
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    files.write_atomically(path, lambda tmp: _write_text(tmp, text))


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="eclipse", description="Solar eclipses computed from a JPL ephemeris.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in (add_find, add_elements, add_map, add_path, add_local, add_next, add_grid, add_atlas):
        add(subparsers)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return 2
        return args.run(args)
    except NoEclipseError as exc:
        print(f"eclipse: {exc}", file=sys.stderr)
        return 1
    except EclipseError as exc:
        print(f"eclipse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


