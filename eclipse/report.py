"""Text renderings of results: tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json

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
