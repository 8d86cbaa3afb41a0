"""Outputs and inputs: tables, JSON, CSV, iCalendar, GeoJSON and KML; output
files written whole and locked, the package's stores; place names and time
zones.

The fourth stage of the pipeline: results (numbers, Julian dates) become
text here and nowhere before (``records`` for the JSON contract of
docs/contracts.md, ``text`` for the wording people read, ``tables``,
``icalendar``, ``export`` for GeoJSON and KML).
"""

from __future__ import annotations

from .export import feature_collection, to_geojson, to_kml
from .files import BusyError, FileNote, OutputError, WriteError, write_bytes, write_text
from .icalendar import next_ics
from .places import (
    AmbiguousPlaceError,
    Place,
    PlaceError,
    UnknownPlaceError,
    find_place,
    observer_timezone,
    timezone_at,
)
from .records import (
           eclipse_record,
           eclipses_csv,
           eclipses_json,
           local_csv,
           local_json,
           local_record,
           local_row,
           next_json,
           path_csv,
           to_json,
)
from .tables import eclipses_table, elements_text, local_table, next_table, path_table
from .text import eclipse_title

__all__ = ["to_geojson", "to_kml", "feature_collection", "eclipse_record", "local_record", "local_json",
           "next_json", "to_json", "eclipses_json", "eclipses_csv", "path_csv", "local_row", "local_csv",
           "eclipses_table", "elements_text", "path_table", "local_table", "next_table", "next_ics", "eclipse_title",
           "find_place", "timezone_at", "observer_timezone", "Place", "PlaceError", "UnknownPlaceError",
           "AmbiguousPlaceError", "write_text", "write_bytes", "OutputError", "WriteError", "BusyError", "FileNote"]
