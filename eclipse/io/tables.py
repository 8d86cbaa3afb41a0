"""Tables for people: the eclipses of a span, Besselian elements, a path in
NASA's manner, what a place sees, the next eclipses seen from a place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..dates import format_date, format_datetime, format_time, ut_from_tt
from ..geometry.local import CONTACTS
from ..sources.elements import BesselianElements
from .records import eclipse_record, kinds_within_sigma, path_rows
from .text import (
    angle_text,
    calendar_note,
    duration_text,
    eclipse_title,
    fraction_text,
    horizon_text,
    latlon_text,
    path_distance_text,
    percent_text,
    place_text,
    place_time_text,
    sigma_note,
)

if TYPE_CHECKING:
    from ..geometry.local import LocalCircumstances
    from ..geometry.path import Path
    from ..search.results import Eclipse, SeenEclipse, Upcoming


def eclipses_table(eclipses: Sequence[Eclipse]) -> str:
    """One line per eclipse, in the manner of NASA's catalog."""
    header = (f"{'Date':<11} {'UT':>8}  {'Kind':<8} {'Mag':>6} {'Gamma':>7} "
              f"{'Duration':>8} {'Width':>7}  {'Greatest eclipse':<16} {'Sun':>3} {'Saros':>5}")
    lines = [header, "-" * len(header)]
    for e in eclipses:
        kind = e.kind if e.central or e.kind == "partial" else f"{e.kind}*"
        v = eclipse_record(e)  # the values the JSON shows, so that both agree
        lines.append(
            f"{v['date']:<11} {format_time(e.jd_ut):>8}  {kind:<8} {v['magnitude']:6.4f} {v['gamma']:7.4f} "
            f"{duration_text(v['duration_s']):>8} {_width(v['path_width_km']):>7}  "
            f"{latlon_text(v['latitude'], v['longitude'], 1, (4, 5)):<16} {round(v['sun_altitude_deg']):3d} {e.saros:5d}"
        )
    if any(not e.central and e.kind != "partial" for e in eclipses):
        lines.append("* non-central: the umbra touches the Earth but its axis misses it")
    lines += calendar_note([np.floor(e.jd_ut + 0.5) - 0.5 for e in eclipses])
    return "\n".join(lines) + "\n"


def _width(km: float | None) -> str:
    """A path's width, '267 km', or '-'."""
    return "-" if km is None else f"{km:.0f} km"


def elements_text(date: str, elements: BesselianElements, jd_greatest: float, delta_t: float) -> str:
    """Polynomial Besselian elements laid out as NASA publishes them."""
    t0_hours = (float(elements.t0) - 0.5) % 1.0 * 24.0
    jd_ut = ut_from_tt(jd_greatest, delta_t)
    lines = [
        f"Polynomial Besselian Elements for {date}",
        f"Greatest eclipse  {format_time(jd_greatest, 1)} TT  ({format_time(jd_ut)} UT)",
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


def path_table(path: Path, title: str = "Solar eclipse") -> str:
    """The path in NASA's manner: per time step the central line, the northern
    and southern limits, the Sun's altitude and azimuth, width and duration."""
    which, rows = path_rows(path)
    lines = [f"{title} - path every {path.step_s:g} s, Delta T {path.delta_t:.1f} s", ""]
    hybrid = len(path.stretches) > 1
    for instant in (path.p1, path.u1, *path.kind_changes, path.u4, path.p4):
        if instant is not None:
            name = CHANGE_NAMES.get(instant.name, instant.name)
            lines.append(f"{name}  {format_datetime(instant.jd_ut, 1).replace('T', ' ')} UTC  "
                         f"{_dm(instant.latitude, 'NS', 2)} {_dm(instant.longitude, 'EW', 3)}")
    g = path.greatest_duration
    if g is not None and g.value is not None:  # (its value is the duration, always set)
        lines.append(f"Greatest duration {_duration_tenths(g.value)} at {format_time(g.jd_ut, 1)} UTC  "
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
            lines.append(f"{format_time(row['jd_ut'], 1):10}  {cells[0]}  {cells[1]}")
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
    if hybrid:  # which kind each row sees
        lines[-2] += "  Kind"
    for row in rows:
        if "sun_altitude_deg" in row:
            sun = f"{int(round(row['sun_altitude_deg'])):3d} {row['sun_azimuth_deg']:5.1f}"
            extra = f"{row['width_km']:5.0f}  {_duration_tenths(row['duration_s']):>8}"
        else:
            sun, extra = f"{'-':>3} {'-':>5}", f"{'-':>5}  {'-':>8}"
        line = (f"{format_time(row['jd_ut'], 1):10}  {_place_cells(row, 'central')}  {_place_cells(row, 'north')}  "
                f"{_place_cells(row, 'south')}  {sun}  {extra}")
        if hybrid:
            line += f"  {CHANGE_NAMES.get(row.get('kind', ''), row.get('kind', '-'))}"
        lines.append(line)
    lines.append("")
    lines.append("Latitudes and longitudes in degrees and minutes; the first and last central-line")
    lines.append("rows are where the path begins and ends, with the Sun on the horizon.")
    if hybrid:
        lines.append("Annular to total, total to annular: where the umbra's vertex meets the ground on the")
        lines.append("central line, and the path changes between annular and total.")
    return "\n".join(lines) + "\n"


#: The names of a hybrid's changes of kind (``Path.kind_changes``) in the table.
CHANGE_NAMES = {"annular_to_total": "Annular to total", "total_to_annular": "Total to annular"}


def _place_cells(row: dict, prefix: str) -> str:
    """A row's latitude and longitude of the central line or a limit
    (``prefix``), in degrees and minutes, or dashes where it has none."""
    if f"{prefix}_lat" not in row:
        return f"{'-':>9} {'-':>10}"
    return f"{_dm(row[prefix + '_lat'], 'NS', 2)} {_dm(row[prefix + '_lon'], 'EW', 3)}"


def _dm(value: float, letters: str, width: int) -> str:
    """29 05.2N, 104 08.3W: degrees and decimal minutes, as NASA's tables."""
    letter = letters[0] if value >= 0 else letters[1]
    tenths = int(round(abs(value) * 600))
    degrees, tenth_minutes = divmod(tenths, 600)
    return f"{degrees:{width}d} {tenth_minutes / 10:04.1f}{letter}".rjust(width + 6)


def _duration_tenths(seconds: float) -> str:
    """'4m28.1s'."""
    minutes, secs = divmod(round(seconds, 1), 60)
    return f"{int(minutes)}m{secs:04.1f}s"


CONTACT_LABELS = {"c1": "C1 (partial begins)", "c2": "C2 (central begins)", "max": "Maximum",
                   "c3": "C3 (central ends)", "c4": "C4 (partial ends)"}


#: What the P and V columns of ``local_table`` are (LocalCircumstances).
POSITION_ANGLES_NOTE = ("P, V: where the contact is on the Sun's disc, degrees counter-clockwise "
                        "from its north point (P) and from its zenith point (V)")


def local_table(e: Eclipse, lc: LocalCircumstances, label: str | None = None, timezone: str | None = None) -> str:
    """What one observer sees, for people: contacts in UT and local time,
    the Sun's altitude and azimuth, the position angles P and V of each
    contact, magnitude, obscuration, duration, the distances to the central
    line and the nearer limit, and notes on the horizon."""
    where = place_text(lc, label)
    kind = str(lc.kind_seen)
    lines = [f"{eclipse_title(e)} seen from {where}"]
    if kind == "none":
        if np.isnan(lc.c1_jd_tt):
            reason = "the Moon's shadow does not reach this place"
        else:
            reason = "the Sun is below the horizon throughout (partial eclipse below the horizon)"
        lines.append(f"not visible from {label or latlon_text(float(lc.latitude), float(lc.longitude))}: {reason}")
        if not np.isnan(lc.c1_jd_tt):
            lines.append(f"horizon: {horizon_text(lc.horizon)}")
        return "\n".join(lines) + "\n"
    central_word = {"total": "totality", "annular": "annularity"}.get(kind)
    summary = (f"Seen: {kind}   magnitude {fraction_text(lc.magnitude)}   "
               f"obscuration {percent_text(lc.obscuration, kind)}")
    if central_word:
        summary += f"   {central_word} {duration_text(float(lc.duration_s))}"
    lines.append(summary)
    if lc.distances is not None:  # '12.3 km north of the central line; 33.1 km inside the southern limit'
        across = path_distance_text(float(lc.distances.central_line_km), float(lc.distances.north_limit_km),
                                    float(lc.distances.south_limit_km))
        lines += [across] if across else []
    lines.append("")
    rows = []
    for i, name in enumerate(CONTACTS):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            rows.append((name, i, jd_ut, place_time_text(jd_ut, timezone, lc.longitude) if timezone else ""))
    # local mean time where the zone had no rule yet (every row then)
    title = "Local mean time" if rows and all(r[3].endswith(" LMT") for r in rows) else f"Local ({timezone})"
    width = max([len(title)] + [len(r[3]) for r in rows]) + 2 if timezone else 0
    header = f"{'':<20} {'UT':>8}  " + (f"{title:<{width}}" if timezone else "")
    lines.append((header + f"{'Sun alt':>7} {'az':>6} {'P':>6} {'V':>6}").rstrip())
    for name, i, jd_ut, local in rows:
        row = f"{CONTACT_LABELS[name]:<20} {format_time(jd_ut):>8}  " + (f"{local:<{width}}" if timezone else "")
        row += f"{float(lc.contact_altitude_deg[i]):6.1f}° {float(lc.contact_azimuth_deg[i]):5.1f}°"
        row += "".join(f" {angle_text(float(a[i])):>5}°" for a in (lc.contact_position_angle_p_deg,
                                                                  lc.contact_position_angle_v_deg))
        if lc.below_horizon[i]:
            row += "  (Sun below the horizon)"
        lines.append(row)
    notes = [POSITION_ANGLES_NOTE]
    for name, verb in (("sunrise", "rises"), ("sunset", "sets")):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            local = f" ({place_time_text(jd_ut, timezone, lc.longitude)})" if timezone else ""
            notes.append(f"the eclipse {verb} in progress: {name} at {format_time(jd_ut)} UT{local}")
    kinds = kinds_within_sigma(e, lc)
    if len(kinds) > 1:
        notes.append(f"{sigma_note(e)}: within that this place sees it {' or '.join(kinds)}")
    if bool(lc.below_horizon[2]):
        notes.append(f"maximum is below the horizon; the most seen is magnitude "
                     f"{fraction_text(lc.magnitude_visible)} "
                     f"(obscuration {percent_text(lc.obscuration_visible, 'partial')})")
    if notes:
        lines.append("")
        lines += [f"note: {n}" for n in notes]
    lines += ["", f"horizon: {horizon_text(lc.horizon)}"]
    return "\n".join(lines) + "\n"


def next_table(upcoming: Upcoming, where: str, timezone: str | None = None, asked: str = "") -> str:
    """The next eclipses seen from a place (named ``where``), one line each;
    ``asked`` qualifies what was looked for ("total ")."""
    searched_from, searched_to = format_date(upcoming.jd_from), format_date(upcoming.jd_to)
    lines = [f"Solar eclipses seen from {where}, from {searched_from}"]
    if not upcoming.eclipses:
        lines = [f"No {asked}solar eclipse seen from {where} from {searched_from} to {searched_to}"]
    else:
        local_width = max(len(place_time_text(float(s.local.time_ut("max")), timezone, s.local.longitude, date=False))
                          for s in upcoming.eclipses) + 2 if timezone else 0
        header = (f"{'Date':<11} {'Eclipse':<8} {'Max (UT)':>8}  " + (f"{'Local':<{local_width}}" if timezone else "")
                  + f"{'Seen':<8} {'Mag':>6} {'Obsc':>7} {'Duration':>8} {'Sun':>4}")
        lines += [header, "-" * len(header)]
        lines += [_next_row(s, timezone, local_width) for s in upcoming.eclipses]
    if upcoming.ephemeris_end:
        lines.append(f"searched to {searched_to}, the end of {upcoming.ephemeris} "
                     "(--ephemeris PATH with a longer JPL file, e.g. de441, goes further)")
    lines.append(f"horizon: {horizon_text(upcoming.horizon)}")
    return "\n".join(lines) + "\n"


def _next_row(seen: SeenEclipse, timezone: str | None, local_width: int) -> str:
    """One line of ``next_table``."""
    lc = seen.local
    kind = str(lc.kind_seen)
    jd_ut = float(lc.time_ut("max"))
    row = f"{seen.eclipse.date:<11} {seen.eclipse.kind:<8} {format_time(jd_ut):>8}  "
    if timezone:
        row += f"{place_time_text(jd_ut, timezone, lc.longitude, date=False):<{local_width}}"
    duration = float(lc.duration_s) if kind in ("total", "annular") else None
    row += (f"{kind:<8} {fraction_text(lc.magnitude):>6} {percent_text(lc.obscuration, kind):>7} "
            f"{duration_text(duration):>8} {round(float(lc.sun_altitude_deg)):3d}°")
    if not np.isnan(lc.sunrise_jd_tt):
        row += "  rises in progress"
    if not np.isnan(lc.sunset_jd_tt):
        row += "  sets in progress"
    return row
