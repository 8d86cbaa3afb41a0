"""Text renderings of results: tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from .besselian import BesselianElements
from .dates import format_datetime


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
        lines.append(
            f"{e.date:<11} {e.time_utc[11:19]:>8}  {kind:<8} {e.magnitude:6.4f} {e.gamma:7.4f} "
            f"{_duration(e.duration_s):>8} {_width(e.path_width_km):>7}  "
            f"{_latlon(e.latitude, e.longitude):<16} {round(e.sun_altitude_deg):3d} {e.saros:5d}"
        )
    if any(not e.central and e.kind != "partial" for e in eclipses):
        lines.append("* non-central: the umbra touches the Earth but its axis misses it")
    return "\n".join(lines) + "\n"


def elements_text(date: str, elements: BesselianElements, jd_greatest: float, delta_t: float) -> str:
    """Polynomial Besselian elements laid out as NASA publishes them."""
    t0_hours = (float(elements.t0) - 0.5) % 1.0 * 24.0
    jd_ut = jd_greatest - delta_t / 86400.0
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


def _duration(seconds) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


def _width(km) -> str:
    return "-" if km is None else f"{km:.0f} km"


def _latlon(lat: float, lon: float) -> str:
    return f"{abs(lat):4.1f}{'N' if lat >= 0 else 'S'} {abs(lon):5.1f}{'E' if lon >= 0 else 'W'}"


# --- what is seen from a place -------------------------------------------------------

_CONTACT_LABELS = {"c1": "C1 (partial begins)", "c2": "C2 (central begins)", "max": "Maximum",
                   "c3": "C3 (central ends)", "c4": "C4 (partial ends)"}


def local_json(e, lc, place=None) -> dict:
    """One observer's circumstances: the keys of DESIGN.md and more.

    With a place, its label and time zone, and each instant's local time.
    """
    from .local import CONTACTS

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
    from .local import CONTACTS

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
        summary += f"   {central_word} {_duration(float(lc.duration_s))}"
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
                f"{_duration(duration):>8} {round(float(lc.sun_altitude_deg)):3d}°")
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
    from .places import local_datetime

    moment = local_datetime(jd_ut, timezone)
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z" if date else "%H:%M:%S %Z")


def _place_text(lc, place) -> str:
    lat, lon = float(lc.latitude), float(lc.longitude)
    position = f"{abs(lat):.4f}{'N' if lat >= 0 else 'S'} {abs(lon):.4f}{'E' if lon >= 0 else 'W'}, {float(lc.elevation_m):.0f} m"
    return f"{place.label} ({position})" if place else position
