"""Text renderings of results: tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from .besselian import BesselianElements
from .dates import format_datetime, ut_from_tt
from .local import CONTACTS
from .places import local_datetime


def to_json(data) -> str:
    """Indented JSON with a final newline."""
    return json.dumps(data, indent=2) + "\n"


def eclipses_json(eclipses) -> str:
    return to_json([e.to_dict() for e in eclipses])


def eclipses_csv(eclipses) -> str:
    """One row per eclipse, the JSON contract's keys as columns."""
    out = io.StringIO()
    rows = [e.to_dict() for e in eclipses]
    fields = list(rows[0]) if rows else []
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def eclipses_table(eclipses) -> str:
    """One line per eclipse, in the manner of NASA's catalog."""
    header = (f"{'Date':<11} {'UT':>8}  {'Kind':<8} {'Mag':>6} {'Gamma':>7} "
              f"{'Duration':>8} {'Width':>7}  {'Greatest eclipse':<16} {'Sun':>3} {'Saros':>5}")
    lines = [header, "-" * len(header)]
    for e in eclipses:
        kind = e.kind if e.central or e.kind == "partial" else f"{e.kind}*"
        v = e.to_dict()  # the values the JSON shows, so that both agree
        lines.append(
            f"{e.date:<11} {e.time_utc.split('T')[1][:8]:>8}  {kind:<8} {v['magnitude']:6.4f} {v['gamma']:7.4f} "
            f"{duration_text(v['duration_s']):>8} {_width(v['path_width_km']):>7}  "
            f"{_latlon(v['latitude'], v['longitude']):<16} {round(v['sun_altitude_deg']):3d} {e.saros:5d}"
        )
    if any(not e.central and e.kind != "partial" for e in eclipses):
        lines.append("* non-central: the umbra touches the Earth but its axis misses it")
    return "\n".join(lines) + "\n"


def elements_text(date: str, elements: BesselianElements, jd_greatest: float, delta_t: float) -> str:
    """Polynomial Besselian elements laid out as NASA publishes them."""
    t0_hours = (float(elements.t0) - 0.5) % 1.0 * 24.0
    jd_ut = ut_from_tt(jd_greatest, delta_t)
    lines = [
        f"Polynomial Besselian Elements for {date}",
        f"Greatest eclipse  {format_datetime(jd_greatest, 1)[11:]} TT  ({format_datetime(jd_ut)[11:]} UT)",
        f"t0 = {t0_hours:6.3f} TT   Delta T = {float(elements.delta_t):.1f} s",
        "",
        f"{'n':>3} {'x':>11} {'y':>11} {'d':>11} {'l1':>11} {'l2':>11} {'mu':>11}",
    ]
    columns = [elements.x, elements.y, elements.d, elements.l1, elements.l2, elements.mu]
    for n in range(4):
        cells = [f"{c[n]:11.7f}" if n < len(c) else " " * 11 for c in columns]
        cells[-1] = f"{elements.mu[n]:11.6f}" if n < len(elements.mu) else ""
        lines.append(f"{n:>3} " + " ".join(cells).rstrip())
    lines += [
        "",
        f"tan f1 = {float(elements.tan_f1):.7f}   tan f2 = {float(elements.tan_f2):.7f}",
        "x, y, l1, l2 in Earth radii; d, mu in degrees; t in hours from t0 (TT).",
        "mu is on the Greenwich meridian for this Delta T; NASA tabulates it on the",
        f"ephemeris meridian, where mu0 = {float(elements.ephemeris_meridian_mu0()) % 360:.6f}.",
    ]
    return "\n".join(lines) + "\n"


def eclipse_title(e) -> str:
    """'Total solar eclipse of 2024-04-08'; non-central ones say so."""
    kind = e.kind if e.central or e.kind == "partial" else f"{e.kind} (non-central)"
    return f"{kind.capitalize()} solar eclipse of {e.date}"


def duration_text(seconds) -> str:
    """'4m28s' ('-' for None)."""
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


def _width(km) -> str:
    return "-" if km is None else f"{km:.0f} km"


def _latlon(lat: float, lon: float) -> str:
    return f"{abs(lat):4.1f}{'N' if lat >= 0 else 'S'} {abs(lon):5.1f}{'E' if lon >= 0 else 'W'}"


# --- paths ---------------------------------------------------------------------

PATH_COLUMNS = ("time_utc", "central_lat", "central_lon", "north_lat", "north_lon",
                "south_lat", "south_lon", "sun_altitude_deg", "sun_azimuth_deg",
                "width_km", "duration_s")


def path_rows(path) -> tuple[str, list[dict]]:
    """Rows of a path table, one per time step (and the central line's ends).

    The limits are the umbral ones when the umbra touches the Earth, else the
    penumbral ones; returns which ("umbra" or "penumbra") and the rows.
    """
    lines = path.lines
    which = "umbra" if path.u1 is not None else "penumbra"
    rows: dict[int, dict] = {}

    def key(jd_ut):
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
    ordered = [rows[k] for k in sorted(rows)]
    for row in ordered:
        row["time_utc"] = format_datetime(row.pop("jd_ut"), 1, "Z")
    return which, ordered


def path_csv(path) -> str:
    """The path table as CSV: decimal degrees (east and north positive), km, s."""
    which, rows = path_rows(path)
    out = io.StringIO()
    out.write(f"# limits: {which}\n")
    writer = csv.DictWriter(out, fieldnames=PATH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (round(v, 5) if isinstance(v, float) else v) for k, v in row.items()})
    return out.getvalue()


def path_table(path, title: str = "Solar eclipse") -> str:
    """The path in NASA's manner: per time step the central line, the northern
    and southern limits, the Sun's altitude and azimuth, width and duration."""
    which, rows = path_rows(path)
    lines = [f"{title} - path every {path.step:g} s, Delta T {path.delta_t:.1f} s", ""]
    for instant in (path.p1, path.u1, path.u4, path.p4):
        if instant is not None:
            lines.append(f"{instant.name}  {instant.time_utc[:-1].replace('T', ' ')} UTC  "
                         f"{_dm(instant.latitude, 'NS', 2)} {_dm(instant.longitude, 'EW', 3)}")
    g = path.greatest_duration
    if g is not None:
        lines.append(f"Greatest duration {_duration_tenths(g.value)} at {g.time_utc.split('T')[1][:-1]} UTC  "
                     f"{_dm(g.latitude, 'NS', 2)} {_dm(g.longitude, 'EW', 3)}")
    limit = "Umbral" if which == "umbra" else "Penumbral"
    if path.central_line is None and which == "penumbra":
        # a partial eclipse: the limits only
        lines += [
            "",
            f"{'':10}  {limit + ' north limit':^20}  {limit + ' south limit':^20}",
            f"{'UTC':10}  {'Latitude':>9} {'Longitude':>10}  {'Latitude':>9} {'Longitude':>10}",
        ]
        for row in rows:
            cells = [f"{_dm(row[s + '_lat'], 'NS', 2)} {_dm(row[s + '_lon'], 'EW', 3)}"
                     if s + "_lat" in row else f"{'-':>9} {'-':>10}" for s in ("north", "south")]
            lines.append(f"{row['time_utc'][11:-1]:10}  {cells[0]}  {cells[1]}")
        lines += ["", "Latitudes and longitudes in degrees and minutes."]
        return "\n".join(lines) + "\n"
    lines += [
        "",
        f"{'':10}  {'Central line':^20}  {limit + ' north limit':^20}  {limit + ' south limit':^20}"
        f"  {'Sun':^9}  {'Path':>5}  {'Central':>8}",
        f"{'UTC':10}  {'Latitude':>9} {'Longitude':>10}  {'Latitude':>9} {'Longitude':>10}  "
        f"{'Latitude':>9} {'Longitude':>10}  {'Alt':>3} {'Azm':>5}  {'Width':>5}  {'Duration':>8}",
        f"{'':10}  {'':20}  {'':20}  {'':20}  {'deg':>3} {'deg':>5}  {'km':>5}  {'':>8}",
    ]
    for row in rows:
        def place(prefix):
            if f"{prefix}_lat" not in row:
                return f"{'-':>9} {'-':>10}"
            return f"{_dm(row[prefix + '_lat'], 'NS', 2)} {_dm(row[prefix + '_lon'], 'EW', 3)}"

        if "sun_altitude_deg" in row:
            sun = f"{int(round(row['sun_altitude_deg'])):3d} {row['sun_azimuth_deg']:5.1f}"
            extra = f"{row['width_km']:5.0f}  {_duration_tenths(row['duration_s']):>8}"
        else:
            sun, extra = f"{'-':>3} {'-':>5}", f"{'-':>5}  {'-':>8}"
        lines.append(f"{row['time_utc'][11:-1]:10}  {place('central')}  {place('north')}  "
                     f"{place('south')}  {sun}  {extra}")
    lines.append("")
    lines.append("Latitudes and longitudes in degrees and minutes; the first and last central-line")
    lines.append("rows are where the path begins and ends, with the Sun on the horizon.")
    return "\n".join(lines) + "\n"


def _dm(value: float, letters: str, width: int) -> str:
    """29 05.2N, 104 08.3W: degrees and decimal minutes, as NASA's tables."""
    letter = letters[0] if value >= 0 else letters[1]
    tenths = int(round(abs(value) * 600))
    degrees, tenth_minutes = divmod(tenths, 600)
    return f"{degrees:{width}d} {tenth_minutes / 10:04.1f}{letter}".rjust(width + 6)


def _duration_tenths(seconds: float) -> str:
    minutes, secs = divmod(round(seconds, 1), 60)
    return f"{int(minutes)}m{secs:04.1f}s"


# --- what is seen from a place -------------------------------------------------------

_CONTACT_LABELS = {"c1": "C1 (partial begins)", "c2": "C2 (central begins)", "max": "Maximum",
                   "c3": "C3 (central ends)", "c4": "C4 (partial ends)"}


def local_json(e, lc, place=None) -> dict:
    """One observer's circumstances: the keys of docs/contracts.md and more.

    With a place, its label and time zone, and each instant's local time.
    """
    data = {"date": e.date, "kind": e.kind, "place": place.label if place else None,
            "timezone": place.timezone if place else None, **lc.to_dict()}
    if place:
        for name in CONTACTS:
            if data["contacts"][name] is not None:
                data["contacts"][name]["time_local"] = place.local_time(float(lc.time_ut(name)))
        for name in ("sunrise", "sunset"):
            data[f"{name}_local"] = place.local_time(float(lc.time_ut(name)))
    return data


def local_table(e, lc, place=None) -> str:
    """What one observer sees, for people: contacts in UT and local time,
    the Sun's altitude and azimuth, magnitude, obscuration, duration, and
    notes on the horizon."""
    where = _place_text(lc, place)
    kind = str(lc.kind_seen)
    lines = [f"{e.kind.capitalize()} solar eclipse of {e.date} seen from {where}"]
    if kind == "none":
        if np.isnan(lc.c1):
            reason = "the Moon's shadow does not reach this place"
        else:
            reason = "the Sun is below the horizon throughout (partial eclipse below the horizon)"
        lines.append(f"not visible from here: {reason}")
        return "\n".join(lines) + "\n"
    central_word = {"total": "totality", "annular": "annularity"}.get(kind)
    summary = f"Seen: {kind}   magnitude {float(lc.magnitude):.4f}   obscuration {100 * float(lc.obscuration):.1f}%"
    if central_word:
        summary += f"   {central_word} {duration_text(float(lc.duration_s))}"
    lines += [summary, ""]
    tz = place.timezone if place else None
    header = f"{'':<20} {'UT':>8}  " + (f"{'Local (' + tz + ')':<28}" if tz else "") + f"{'Sun alt':>7} {'az':>6}"
    lines.append(header.rstrip())
    for i, name in enumerate(CONTACTS):
        jd_ut = float(lc.time_ut(name))
        if np.isnan(jd_ut):
            continue
        row = f"{_CONTACT_LABELS[name]:<20} {format_datetime(jd_ut)[11:]:>8}  "
        if tz:
            row += f"{place_time_text(jd_ut, tz):<28}"
        altitude = float(lc.contact_altitude_deg[i])
        row += f"{altitude:6.1f}° {float(lc.contact_azimuth_deg[i]):5.1f}°"
        if lc.below_horizon[i]:
            row += "  (Sun below the horizon)"
        lines.append(row)
    notes = []
    for name, verb in (("sunrise", "rises"), ("sunset", "sets")):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            local = f" ({place_time_text(jd_ut, tz)})" if tz else ""
            notes.append(f"the eclipse {verb} in progress: {name} at {format_datetime(jd_ut)[11:]} UT{local}")
    if bool(lc.below_horizon[2]):
        notes.append(f"maximum is below the horizon; the most seen is magnitude "
                     f"{float(lc.magnitude_visible):.4f} (obscuration {100 * float(lc.obscuration_visible):.1f}%)")
    if notes:
        lines.append("")
        lines += [f"note: {n}" for n in notes]
    return "\n".join(lines) + "\n"


def next_json(upcoming, place=None) -> dict:
    return {
        "place": place.label if place else None,
        "timezone": place.timezone if place else None,
        "searched_from": upcoming.searched_from,
        "searched_to": upcoming.searched_to,
        "ephemeris_end": upcoming.ephemeris_end,
        "ephemeris": upcoming.ephemeris,
        "eclipses": [local_json(s.eclipse, s.local, place) for s in upcoming.eclipses],
    }


def next_table(upcoming, lat, lon, place=None) -> str:
    """The next eclipses seen from a place, one line each."""
    where = place.label if place else _latlon(lat, lon)
    lines = [f"Solar eclipses seen from {where}, from {upcoming.searched_from}"]
    tz = place.timezone if place else None
    header = (f"{'Date':<11} {'Max (UT)':>8}  " + (f"{'Local':<15}" if tz else "")
              + f"{'Seen':<8} {'Mag':>6} {'Obsc':>6} {'Duration':>8} {'Sun':>4}")
    lines += [header, "-" * len(header)]
    for s in upcoming.eclipses:
        lc = s.local
        jd_ut = float(lc.time_ut("max"))
        row = f"{s.eclipse.date:<11} {format_datetime(jd_ut)[11:]:>8}  "
        if tz:
            row += f"{place_time_text(jd_ut, tz, date=False):<15}"
        duration = float(lc.duration_s) if str(lc.kind_seen) in ("total", "annular") else None
        row += (f"{str(lc.kind_seen):<8} {float(lc.magnitude):6.4f} {100 * float(lc.obscuration):5.1f}% "
                f"{duration_text(duration):>8} {round(float(lc.sun_altitude_deg)):3d}°")
        if not np.isnan(lc.sunrise):
            row += "  rises in progress"
        if not np.isnan(lc.sunset):
            row += "  sets in progress"
        lines.append(row)
    if upcoming.ephemeris_end:
        lines.append(f"searched to {upcoming.searched_to}, the end of {upcoming.ephemeris} "
                     "(--ephemeris PATH with a longer JPL file, e.g. de440.bsp, goes further)")
    return "\n".join(lines) + "\n"


def place_time_text(jd_ut: float, timezone: str, date: bool = True) -> str:
    """'2024-04-08 13:40:44 CDT' in a time zone."""
    moment = local_datetime(jd_ut, timezone)
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z" if date else "%H:%M:%S %Z")


def _place_text(lc, place) -> str:
    lat, lon = float(lc.latitude), float(lc.longitude)
    position = f"{abs(lat):.4f}{'N' if lat >= 0 else 'S'} {abs(lon):.4f}{'E' if lon >= 0 else 'W'}, {float(lc.elevation_m):.0f} m"
    return f"{place.label} ({position})" if place else position
