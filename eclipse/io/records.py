"""Results as the records of the JSON contract (docs/contracts.md): numbers
rounded as shown, instants as ISO 8601 text.  The one place where an
eclipse or a place's circumstances become text fields; the tables, CSV,
JSON and the interactive page all take them from here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import numpy.typing as npt

from ..dates import format_date, format_datetime
from ..geometry.local import CONTACTS
from .places import local_iso

if TYPE_CHECKING:
    from ..geometry.local import LocalCircumstances
    from ..geometry.path import Path
    from ..search.results import Eclipse, Upcoming

#: A record of the JSON contract (docs/contracts.md): its keys to JSON values
#: of several types (text, numbers, booleans, null, lists, records).
Record: TypeAlias = dict[str, Any]
#: Which observer of a LocalCircumstances: () for a single one, else an
#: index into its shape.
Index: TypeAlias = int | tuple[int, ...]

#: Decimals shown: degrees to 4 (10 m), gamma and magnitude to 5, the Sun's
#: altitude and azimuth to 0.01 degree, durations and widths to 0.1 s and
#: 0.1 km, Delta T to 0.01 s.


def rounded(value: float | None, decimals: int) -> float | None:
    """A number rounded for display, None kept, never -0.0."""
    return None if value is None else round(value, decimals) + 0.0


def utc_text(jd_ut: float, decimals: int = 0) -> str | None:
    """'2024-04-08T18:17:20Z' for a UT Julian date (UT1 shown as UTC: they
    differ by less than 0.9 s); None for NaN."""
    return format_datetime(jd_ut, decimals, "Z") if np.isfinite(jd_ut) else None


def eclipse_record(e: Eclipse) -> Record:
    """The JSON contract of ``eclipse find --format json`` for one Eclipse."""
    return {
        "date": format_date(e.jd_ut),
        "kind": e.kind,
        "central": e.central,
        "time_utc": utc_text(e.jd_ut),
        "time_tt": format_datetime(e.jd_tt, 1),
        "latitude": round(e.latitude, 4),
        "longitude": round(e.longitude, 4),
        "gamma": round(e.gamma, 5),
        "magnitude": round(e.magnitude, 5),
        "sun_altitude_deg": rounded(e.sun_altitude_deg, 2),
        "sun_azimuth_deg": round(e.sun_azimuth_deg, 2),
        "duration_s": rounded(e.duration_s, 1),
        "path_width_km": rounded(e.path_width_km, 1),
        "saros": e.saros,
        "lunation": e.lunation,
        "delta_t_s": round(e.delta_t_s, 2),
        "ephemeris": e.ephemeris,
        "jd_tt": round(e.jd_tt, 6),
        "delta_t_model": e.delta_t_model,
        "delta_t_sigma_s": round(e.delta_t_sigma_s, 1),
    }


def contact_utc(lc: LocalCircumstances, name: str, index: Index = ()) -> str | None:
    """ISO 8601 UT of an instant of ``LocalCircumstances`` (one of CONTACTS,
    sunrise or sunset) for one observer, seconds; None if absent."""
    return utc_text(float(np.asarray(lc.time_ut(name))[index]))


def local_record(lc: LocalCircumstances, index: Index = ()) -> Record:
    """The JSON of ``eclipse local`` for one observer of a LocalCircumstances
    (docs/contracts.md): UT ISO times or null."""

    def number(array: npt.ArrayLike, decimals: int) -> float | None:
        value = float(np.asarray(array)[index])
        return round(value, decimals) + 0.0 if np.isfinite(value) else None

    out = {
        "kind_seen": str(np.asarray(lc.kind_seen)[index]),
        "visible": bool(np.asarray(lc.visible)[index]),
        "latitude": number(lc.latitude, 5),
        "longitude": number(lc.longitude, 5),
        "elevation_m": number(lc.elevation_m, 1),
    }
    for name in CONTACTS:
        out[name] = contact_utc(lc, name, index)
    out.update(
        magnitude=number(lc.magnitude, 5),
        obscuration=number(lc.obscuration, 5),
        magnitude_visible=number(lc.magnitude_visible, 5),
        obscuration_visible=number(lc.obscuration_visible, 5),
        sunrise=contact_utc(lc, "sunrise", index),
        sunset=contact_utc(lc, "sunset", index),
        duration_s=number(lc.duration_s, 1),
        sun_altitude_deg=number(lc.sun_altitude_deg, 2),
        sun_azimuth_deg=number(lc.sun_azimuth_deg, 2),
    )
    out["contacts"] = _contacts(lc, index)
    out["delta_t_s"] = number(lc.delta_t_s, 2)
    return out


def _contacts(lc: LocalCircumstances, index: Index) -> dict[str, Record | None]:
    """Each contact's times and the Sun's place then, or None where absent."""
    contacts: dict[str, Record | None] = {}
    altitude = np.asarray(lc.contact_altitude_deg)[index]
    azimuth = np.asarray(lc.contact_azimuth_deg)[index]
    below = np.asarray(lc.below_horizon)[index]
    for i, name in enumerate(CONTACTS):
        jd_tt = float(np.asarray(lc.time_tt(name))[index])
        if not np.isfinite(jd_tt):
            contacts[name] = None
            continue
        contacts[name] = {
            "time_utc": contact_utc(lc, name, index),
            "time_tt": format_datetime(jd_tt, 1),
            "sun_altitude_deg": round(float(altitude[i]), 2) + 0.0,
            "sun_azimuth_deg": round(float(azimuth[i]), 2),
            "sun_below_horizon": bool(below[i]),
        }
    return contacts


def to_json(data: object) -> str:
    """Indented JSON with a final newline."""
    return json.dumps(data, indent=2) + "\n"


def rows_csv(rows: Iterable[Mapping[str, object]], columns: Iterable[str]) -> str:
    """CSV of rows (dicts) with a header of ``columns``: nothing but the
    header and the rows (no comment lines), empty cells for None."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def eclipses_json(eclipses: Iterable[Eclipse]) -> str:
    """The JSON of ``eclipse find``: a list of the eclipses' records."""
    return to_json([eclipse_record(e) for e in eclipses])


def eclipses_csv(eclipses: Iterable[Eclipse]) -> str:
    """One row per eclipse, the JSON contract's keys as columns."""
    rows = [eclipse_record(e) for e in eclipses]
    return rows_csv(rows, list(rows[0]) if rows else [])


PATH_COLUMNS = ("time_utc", "central_lat", "central_lon", "north_lat", "north_lon",
                "south_lat", "south_lon", "sun_altitude_deg", "sun_azimuth_deg",
                "width_km", "duration_s")


def path_rows(path: Path) -> tuple[str, list[dict[str, float]]]:
    """Rows of a path table, one per time step (and the central line's ends).

    The limits are the umbral ones when the umbra touches the Earth, else the
    penumbral ones; returns which ("umbra" or "penumbra") and the rows.
    """
    lines = path.lines
    which = "umbra" if path.u1 is not None else "penumbra"
    rows: dict[int, dict[str, float]] = {}

    def key(jd_ut: float) -> int:
        return int(round(float(jd_ut) * 86400000.0))  # milliseconds

    c = path.central_line
    if c is not None:
        keep = c.on_step.copy()
        keep[[0, -1]] = True  # where the path begins and ends, on the horizon
        for i in np.flatnonzero(keep):
            rows.setdefault(key(c.jd_ut[i]), {"jd_ut": float(c.jd_ut[i])}).update(
                central_lat=float(c.latitude[i]), central_lon=float(c.longitude[i]),
                sun_altitude_deg=float(c.sun_altitude[i]), sun_azimuth_deg=float(c.sun_azimuth[i]),
                width_km=float(c.width_km[i]), duration_s=float(c.duration_s[i]))
    for side in ("north", "south"):
        curve = lines.get(f"{which}_{side}_limit")
        if curve is None:
            continue
        for i in np.flatnonzero(curve.on_step):
            rows.setdefault(key(curve.jd_ut[i]), {"jd_ut": float(curve.jd_ut[i])}).update(
                {f"{side}_lat": float(curve.latitude[i]), f"{side}_lon": float(curve.longitude[i])})
    return which, [rows[k] for k in sorted(rows)]


def path_csv(path: Path) -> str:
    """The path table as CSV: decimal degrees (east and north positive), km,
    s.  The limits' columns say which they are: ``umbra_north_lat`` ... when
    the umbra touches the Earth, ``penumbra_north_lat`` ... otherwise."""
    rows: list[Record]  # (the path's numbers, then the CSV's cells)
    which, rows = path_rows(path)
    rename = {c: f"{which}_{c}" for c in PATH_COLUMNS if c.startswith(("north", "south"))}
    rows = [{"time_utc": format_datetime(row["jd_ut"], 1, "Z"),
             **{rename.get(k, k): round(v, 5) + 0.0  # + 0.0: never "-0.0"
                for k, v in row.items() if k != "jd_ut"}} for row in rows]
    return rows_csv(rows, [rename.get(c, c) for c in PATH_COLUMNS])


LOCAL_COLUMNS = ("date", "kind", "place", "timezone", "latitude", "longitude", "elevation_m", "kind_seen",
                 "c1", "c2", "max", "c3", "c4", "magnitude", "obscuration", "duration_s",
                 "sun_altitude_deg", "sun_azimuth_deg", "sunrise", "sunset",
                 "c1_local", "c2_local", "max_local", "c3_local", "c4_local")


def local_json(e: Eclipse, lc: LocalCircumstances, label: str | None = None, timezone: str | None = None) -> Record:
    """One observer's circumstances: the keys of docs/contracts.md and more.

    With a place's ``label`` and a ``timezone``, each instant's local time.
    """
    data = {"date": format_date(e.jd_ut), "kind": e.kind, "place": label, "timezone": timezone,
            **local_record(lc)}
    data["delta_t_sigma_s"] = round(e.delta_t_sigma_s, 1)
    data["kinds_seen_within_sigma"] = list(kinds_within_sigma(e, lc))
    if timezone:
        for name in CONTACTS:
            if data["contacts"][name] is not None:
                data["contacts"][name]["time_local"] = local_iso(float(lc.time_ut(name)), timezone, lc.longitude)
        for name in ("sunrise", "sunset"):
            data[f"{name}_local"] = local_iso(float(lc.time_ut(name)), timezone, lc.longitude)
    return data


def local_row(e: Eclipse, lc: LocalCircumstances, label: str | None = None, timezone: str | None = None) -> Record:
    """One observer's circumstances as a flat row (LOCAL_COLUMNS)."""
    data = local_json(e, lc, label, timezone)
    row = {key: data.get(key) for key in LOCAL_COLUMNS}
    for name in CONTACTS:
        contact = data["contacts"][name]
        row[f"{name}_local"] = contact.get("time_local") if contact else None
    return row


def local_csv(rows: Iterable[Mapping[str, object]]) -> str:
    """Rows of LOCAL_COLUMNS as CSV (empty cells for null)."""
    return rows_csv(rows, LOCAL_COLUMNS)


def kinds_within_sigma(e: Eclipse, lc: LocalCircumstances) -> tuple[str, ...]:
    """The kinds one observer sees as Delta T runs over +-1 sigma."""
    return e.kinds_seen_within_sigma(float(lc.latitude), float(lc.longitude), float(lc.elevation_m))


def next_json(upcoming: Upcoming, label: str | None = None, timezone: str | None = None) -> Record:
    """The JSON of ``eclipse next``: the place, the span searched and each
    eclipse seen, as ``local_json``."""
    return {
        "place": label,
        "timezone": timezone,
        "searched_from": format_date(upcoming.jd_from),
        "searched_to": format_date(upcoming.jd_to),
        "ephemeris_end": upcoming.ephemeris_end,
        "ephemeris": upcoming.ephemeris,
        "eclipses": [local_json(s.eclipse, s.local, label, timezone) for s in upcoming.eclipses],
    }
