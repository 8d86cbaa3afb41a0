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

from ..dates import format_date, format_datetime
from ..geometry.horizon import Horizon
from ..geometry.local import CONTACTS, LocalCircumstances
from .places import local_iso

if TYPE_CHECKING:
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


#: The JSON of ``eclipse local`` for one observer (docs/contracts.md), key by
#: key in order, with how each value is written, (kind, decimals): "number"
#: rounded to ``decimals`` as Python's round() (never -0.0; null if not
#: finite); "utc" a UT Julian date as ISO 8601 text, seconds to ``decimals``,
#: with "Z" (null if NaN); "tt" a TT Julian date likewise, without "Z";
#: "text"; "flag" (true or false); "angle" degrees as "number", then 360 as 0
#: (in [0, 360) once rounded); "contacts" an object of CONTACTS, each null
#: where it does not happen or written by CONTACT_FORMAT.  The interactive
#: page writes its local(...) from these same tables, which its data carries
#: (eclipse.web.document.page_constants; circumstances.js).
LOCAL_FORMAT: dict[str, tuple[str, int | None]] = {
    "kind_seen": ("text", None),
    "visible": ("flag", None),
    "latitude": ("number", 5),
    "longitude": ("number", 5),
    "elevation_m": ("number", 1),
    **dict.fromkeys(CONTACTS, ("utc", 0)),
    "magnitude": ("number", 5),
    "obscuration": ("number", 5),
    "magnitude_visible": ("number", 5),
    "obscuration_visible": ("number", 5),
    "sunrise": ("utc", 0),
    "sunset": ("utc", 0),
    "duration_s": ("number", 1),
    "sun_altitude_deg": ("number", 2),
    "sun_azimuth_deg": ("number", 2),
    "contacts": ("contacts", None),
    "delta_t_s": ("number", 2),
}
#: Each contact of LOCAL_FORMAT's "contacts": its instant, the Sun then, and
#: the position angles P and V of the point of contact on the Sun's disc
#: (LocalCircumstances; to 0.1 degree, their accuracy's order).
CONTACT_FORMAT: dict[str, tuple[str, int | None]] = {
    "time_utc": ("utc", 0),
    "time_tt": ("tt", 1),
    "sun_altitude_deg": ("number", 2),
    "sun_azimuth_deg": ("number", 2),
    "sun_below_horizon": ("flag", None),
    "position_angle_p_deg": ("angle", 1),
    "position_angle_v_deg": ("angle", 1),
}
#: The one-sigma uncertainty of Delta T that ``local_json`` adds.
SIGMA_FORMAT: tuple[str, int | None] = ("number", 1)
#: The signed distances (km) to the path's curves that ``local_json`` adds
#: (``LocalCircumstances.distances``; null where NaN or not computed), by
#: the name of their ``PathDistances`` field.  Metres: the curves are
#: followed within a few metres along most of the path (geometry.distances).
DISTANCE_FORMAT: dict[str, tuple[str, str, int | None]] = {
    "central_line_distance_km": ("central_line_km", "number", 2),
    "north_limit_distance_km": ("north_limit_km", "number", 2),
    "south_limit_distance_km": ("south_limit_km", "number", 2),
}


def written(how: tuple[str, int | None], value: Any) -> float | str | bool | None:
    """One value as a LOCAL_FORMAT entry ``how`` says (not "contacts")."""
    kind, decimals = how[0], how[1] or 0
    if kind in ("number", "angle"):
        value = float(value)  # Python's round, not NumPy's
        if not np.isfinite(value):
            return None
        rounded = round(value, decimals) + 0.0
        return rounded - 360.0 if kind == "angle" and rounded >= 360.0 else rounded
    if kind == "utc":
        return utc_text(float(value), decimals)
    if kind == "tt":
        return format_datetime(value, decimals) if np.isfinite(value) else None
    if kind == "flag":
        return bool(value)
    return str(value)


def local_values(lc: LocalCircumstances, index: int | tuple[int, ...] = ()) -> dict[str, Any]:
    """One observer's values of a LocalCircumstances by LOCAL_FORMAT's keys,
    before they are written: numbers, instants as Julian dates (UT for
    "utc", TT for "tt"), and under "contacts" each contact's values by
    CONTACT_FORMAT's keys, or None where it does not happen."""
    def one(array: Any) -> Any:
        return np.asarray(array)[index]

    values = {name: one(getattr(lc, name)) for name, (kind, _) in LOCAL_FORMAT.items()
              if kind in ("text", "flag", "number")}
    values.update({name: one(lc.time_ut(name)) for name, (kind, _) in LOCAL_FORMAT.items() if kind == "utc"})
    altitude, azimuth = one(lc.contact_altitude_deg), one(lc.contact_azimuth_deg)
    below = one(lc.below_horizon)
    p, v = one(lc.contact_position_angle_p_deg), one(lc.contact_position_angle_v_deg)
    contacts: dict[str, dict | None] = {}
    for i, name in enumerate(CONTACTS):
        jd_tt = float(one(lc.time_tt(name)))
        contacts[name] = None if not np.isfinite(jd_tt) else {
            "time_utc": float(one(lc.time_ut(name))), "time_tt": jd_tt, "sun_altitude_deg": float(altitude[i]),
            "sun_azimuth_deg": float(azimuth[i]), "sun_below_horizon": bool(below[i]),
            "position_angle_p_deg": float(p[i]), "position_angle_v_deg": float(v[i])}
    values["contacts"] = contacts
    return values


def write_local(values: dict[str, Any]) -> dict[str, Any]:
    """The JSON of ``eclipse local`` for one observer from its values
    (``local_values``), by LOCAL_FORMAT and CONTACT_FORMAT."""
    out: dict[str, Any] = {}
    for name, how in LOCAL_FORMAT.items():
        if how[0] != "contacts":
            out[name] = written(how, values[name])
            continue
        out[name] = {contact: None if values[name][contact] is None else
                     {key: written(h, values[name][contact][key]) for key, h in CONTACT_FORMAT.items()}
                     for contact in CONTACTS}
    return out


def local_record(lc: LocalCircumstances, index: Index = ()) -> Record:
    """The JSON of ``eclipse local`` for one observer of a LocalCircumstances
    (docs/contracts.md): UT ISO times or null."""
    return write_local(local_values(lc, index))


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
                "width_km", "duration_s", "kind")


def path_rows(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Rows of a path table, one per time step (and the central line's ends
    and a hybrid's changes of kind).

    The limits are the umbral ones when the umbra touches the Earth, else the
    penumbral ones; returns which ("umbra" or "penumbra") and the rows, whose
    values are numbers but ``kind``: on the central line 'annular' or
    'total', or where it changes, the change ('annular_to_total' or
    'total_to_annular', ``Path.kind_changes``).
    """
    lines = path.lines
    which = "umbra" if path.u1 is not None else "penumbra"
    rows: dict[int, dict[str, Any]] = {}

    def key(jd_ut: float) -> int:
        return int(round(float(jd_ut) * 86400000.0))  # milliseconds

    c = path.central_line
    if c is not None:
        keep = c.on_step.copy()
        keep[[0, -1]] = True  # where the path begins and ends, on the horizon
        changes = {k.jd_tt: k.name for k in path.kind_changes}
        keep |= np.isin(c.jd_tt, list(changes))
        kinds = path.kind_at(c.jd_tt)
        for i in np.flatnonzero(keep):
            rows.setdefault(key(c.jd_ut[i]), {"jd_ut": float(c.jd_ut[i])}).update(
                central_lat=float(c.latitude[i]), central_lon=float(c.longitude[i]),
                sun_altitude_deg=float(c.sun_altitude[i]), sun_azimuth_deg=float(c.sun_azimuth[i]),
                width_km=float(c.width_km[i]), duration_s=float(c.duration_s[i]),
                kind=changes.get(float(c.jd_tt[i]), str(kinds[i])))
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
             **{rename.get(k, k): round(v, 5) + 0.0 if isinstance(v, float) else v  # + 0.0: never "-0.0"
                for k, v in row.items() if k != "jd_ut"}} for row in rows]
    return rows_csv(rows, [rename.get(c, c) for c in PATH_COLUMNS])


LOCAL_COLUMNS = ("date", "kind", "place", "timezone", "latitude", "longitude", "elevation_m", "kind_seen",
                 "c1", "c2", "max", "c3", "c4", "magnitude", "obscuration", "duration_s",
                 "sun_altitude_deg", "sun_azimuth_deg", "sunrise", "sunset",
                 "c1_local", "c2_local", "max_local", "c3_local", "c4_local",
                 *(f"{name}_position_angle_{pv}_deg" for name in CONTACTS for pv in "pv"),
                 "horizon", "temperature_c", "pressure_hpa", *DISTANCE_FORMAT)


def horizon_record(horizon: Horizon) -> Record:
    """The horizon local circumstances were seen on (geometry.horizon):
    {"kind": "apparent", "temperature_c": 10.0, "pressure_hpa": 1010.0}, or
    kind "geometric" with null temperature and pressure."""
    return {"kind": horizon.kind, "temperature_c": horizon.temperature_c, "pressure_hpa": horizon.pressure_hpa}


def local_json(e: Eclipse, lc: LocalCircumstances, label: str | None = None, timezone: str | None = None) -> Record:
    """One observer's circumstances: the keys of docs/contracts.md and more.

    With a place's ``label`` and a ``timezone``, each instant's local time.
    """
    data = {"date": format_date(e.jd_ut), "kind": e.kind, "place": label, "timezone": timezone,
            **local_record(lc)}
    data["delta_t_sigma_s"] = written(SIGMA_FORMAT, e.delta_t_sigma_s)
    data["kinds_seen_within_sigma"] = list(kinds_within_sigma(e, lc))
    data["horizon"] = horizon_record(lc.horizon)
    for key, (field, kind, decimals) in DISTANCE_FORMAT.items():
        data[key] = None if lc.distances is None else written((kind, decimals), getattr(lc.distances, field))
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
    row.update(horizon=lc.horizon.kind, temperature_c=lc.horizon.temperature_c, pressure_hpa=lc.horizon.pressure_hpa)
    for name in CONTACTS:
        contact = data["contacts"][name]
        row[f"{name}_local"] = contact.get("time_local") if contact else None
        for pv in "pv":
            row[f"{name}_position_angle_{pv}_deg"] = contact[f"position_angle_{pv}_deg"] if contact else None
    return row


def local_csv(rows: Iterable[Mapping[str, object]]) -> str:
    """Rows of LOCAL_COLUMNS as CSV (empty cells for null)."""
    return rows_csv(rows, LOCAL_COLUMNS)


def kinds_within_sigma(e: Eclipse, lc: LocalCircumstances) -> tuple[str, ...]:
    """The kinds one observer sees as Delta T runs over +-1 sigma."""
    return e.kinds_seen_within_sigma(float(lc.latitude), float(lc.longitude), float(lc.elevation_m), lc.horizon)


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
        "horizon": horizon_record(upcoming.horizon),
        "eclipses": [local_json(s.eclipse, s.local, label, timezone) for s in upcoming.eclipses],
    }
