"""Text renderings of results: tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import datetime
import io
import json

import numpy as np

from ..sources.elements import BesselianElements
from ..dates import format_datetime, format_time, people_year, ut_from_tt
from ..geometry.local import CONTACTS
from .places import local_clock, local_iso


def to_json(data) -> str:
    """Indented JSON with a final newline."""
    return json.dumps(data, indent=2) + "\n"


def eclipses_json(eclipses) -> str:
    return to_json([e.to_dict() for e in eclipses])


def rows_csv(rows: list[dict], columns) -> str:
    """CSV of rows (dicts) with a header of ``columns``: nothing but the
    header and the rows (no comment lines), empty cells for None."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def eclipses_csv(eclipses) -> str:
    """One row per eclipse, the JSON contract's keys as columns."""
    rows = [e.to_dict() for e in eclipses]
    return rows_csv(rows, list(rows[0]) if rows else [])


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
            f"{latlon_text(v['latitude'], v['longitude'], 1, (4, 5)):<16} {round(v['sun_altitude_deg']):3d} {e.saros:5d}"
        )
    if any(not e.central and e.kind != "partial" for e in eclipses):
        lines.append("* non-central: the umbra touches the Earth but its axis misses it")
    lines += calendar_note([e.date for e in eclipses])
    return "\n".join(lines) + "\n"


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


def eclipse_title(e) -> str:
    """'Total solar eclipse of 2024-04-08'; non-central ones say so; a year
    before 1 CE also as people write it ('-0135-04-15 (136 BCE)')."""
    kind = e.kind if e.central or e.kind == "partial" else f"{e.kind} (non-central)"
    return f"{kind.capitalize()} solar eclipse of {e.date}{_bce(e.date)}"


def subtitle_lines(e, path) -> list[str]:
    """The two lines under a map's title (the PNG's and the page's):
    greatest eclipse, saros, magnitude; gamma, greatest duration, Delta T
    (with its uncertainty when it reaches 10 s), as the JSON rounds them."""
    shown = e.to_dict()
    duration = path.greatest_duration.value if path.greatest_duration is not None else None
    parts = [f"Greatest eclipse {format_time(e.jd_ut)} UT", f"saros {e.saros}",
             f"magnitude {shown['magnitude']:.4f}", f"gamma {shown['gamma']:.4f}"]
    if duration:
        parts.append(f"greatest duration {duration_text(duration)}")
    sigma = f" \u00b1 {e.delta_t_sigma_s:,.0f}" if e.delta_t_sigma_s >= 10 else ""
    parts.append(f"Delta T {shown['delta_t_s']:,.1f}{sigma} s")
    return [", ".join(parts[:3]), ", ".join(parts[3:])]


def years_text(first: int, last: int) -> str:
    """A span of astronomical years as people write it: '2020-2030', '2024',
    '136 BCE to 126 BCE', '10 BCE to 20'."""
    if first == last:
        return people_year(first)
    return f"{first}-{last}" if first > 0 else f"{people_year(first)} to {people_year(last)}"


def date_year(date: str) -> int:
    """The astronomical year of a date written [-]YYYY-MM-DD."""
    return int(date[:-6])


def _bce(date: str) -> str:
    year = int(date[:-6])
    return f" ({people_year(year)})" if year <= 0 else ""


def calendar_note(dates) -> list[str]:
    """A note for tables holding years before 1 CE or dates before the
    Gregorian reform."""
    years = [int(d[:-6]) for d in dates]
    notes = []
    if any(y <= 0 for y in years):
        notes.append("years are astronomical: year 0 is 1 BCE, -0135 is 136 BCE")
    if any(d < "1582-10-15" and not d.startswith("-") for d in dates) or notes:
        notes.append("dates before 1582-10-15 are in the Julian calendar, as NASA's")
    return notes


def duration_text(seconds) -> str:
    """'4m28s' ('-' for None)."""
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


def _width(km) -> str:
    return "-" if km is None else f"{km:.0f} km"


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
    """The path table as CSV: decimal degrees (east and north positive), km,
    s.  The limits' columns say which they are: ``umbra_north_lat`` ... when
    the umbra touches the Earth, ``penumbra_north_lat`` ... otherwise."""
    which, rows = path_rows(path)
    rename = {c: f"{which}_{c}" for c in PATH_COLUMNS if c.startswith(("north", "south"))}
    rows = [{rename.get(k, k): (round(v, 5) + 0.0 if isinstance(v, float) else v)  # + 0.0: never "-0.0"
             for k, v in row.items()} for row in rows]
    return rows_csv(rows, [rename.get(c, c) for c in PATH_COLUMNS])


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
            lines.append(f"{row['time_utc'].split('T')[1][:-1]:10}  {cells[0]}  {cells[1]}")
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
        lines.append(f"{row['time_utc'].split('T')[1][:-1]:10}  {place('central')}  {place('north')}  "
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
LOCAL_COLUMNS = ("date", "kind", "place", "timezone", "latitude", "longitude", "elevation_m", "kind_seen",
                 "c1", "c2", "max", "c3", "c4", "magnitude", "obscuration", "duration_s",
                 "sun_altitude_deg", "sun_azimuth_deg", "sunrise", "sunset",
                 "c1_local", "c2_local", "max_local", "c3_local", "c4_local")


def local_json(e, lc, label: str | None = None, timezone: str | None = None) -> dict:
    """One observer's circumstances: the keys of docs/contracts.md and more.

    With a place's ``label`` and a ``timezone``, each instant's local time.
    """
    data = {"date": e.date, "kind": e.kind, "place": label, "timezone": timezone, **lc.to_dict()}
    data["delta_t_sigma_s"] = round(e.delta_t_sigma_s, 1)
    data["kinds_seen_within_sigma"] = list(_kinds_within_sigma(e, lc))
    if timezone:
        for name in CONTACTS:
            if data["contacts"][name] is not None:
                data["contacts"][name]["time_local"] = local_iso(float(lc.time_ut(name)), timezone, lc.longitude)
        for name in ("sunrise", "sunset"):
            data[f"{name}_local"] = local_iso(float(lc.time_ut(name)), timezone, lc.longitude)
    return data


def local_row(e, lc, label: str | None = None, timezone: str | None = None) -> dict:
    """One observer's circumstances as a flat row (LOCAL_COLUMNS)."""
    data = local_json(e, lc, label, timezone)
    row = {key: data.get(key) for key in LOCAL_COLUMNS}
    for name in CONTACTS:
        contact = data["contacts"][name]
        row[f"{name}_local"] = contact.get("time_local") if contact else None
    return row


def local_csv(rows: list[dict]) -> str:
    """Rows of LOCAL_COLUMNS as CSV (empty cells for null)."""
    return rows_csv(rows, LOCAL_COLUMNS)


def place_text(lc, label: str | None = None) -> str:
    """'Dallas, TX, United States (32.7831N 96.8067W, 0 m)', or the
    coordinates alone."""
    position = f"{latlon_text(float(lc.latitude), float(lc.longitude))}, {float(lc.elevation_m):.0f} m"
    return f"{label} ({position})" if label else position


def local_table(e, lc, label: str | None = None, timezone: str | None = None) -> str:
    """What one observer sees, for people: contacts in UT and local time,
    the Sun's altitude and azimuth, magnitude, obscuration, duration, and
    notes on the horizon."""
    where = place_text(lc, label)
    kind = str(lc.kind_seen)
    lines = [f"{eclipse_title(e)} seen from {where}"]
    if kind == "none":
        if np.isnan(lc.c1_jd_tt):
            reason = "the Moon's shadow does not reach this place"
        else:
            reason = "the Sun is below the horizon throughout (partial eclipse below the horizon)"
        lines.append(f"not visible from {label or latlon_text(float(lc.latitude), float(lc.longitude))}: {reason}")
        return "\n".join(lines) + "\n"
    central_word = {"total": "totality", "annular": "annularity"}.get(kind)
    summary = (f"Seen: {kind}   magnitude {fraction_text(lc.magnitude)}   "
               f"obscuration {percent_text(lc.obscuration, kind)}")
    if central_word:
        summary += f"   {central_word} {duration_text(float(lc.duration_s))}"
    lines += [summary, ""]
    rows = []
    for i, name in enumerate(CONTACTS):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            rows.append((name, i, jd_ut, place_time_text(jd_ut, timezone, lc.longitude) if timezone else ""))
    # local mean time where the zone had no rule yet (every row then)
    title = "Local mean time" if rows and all(r[3].endswith(" LMT") for r in rows) else f"Local ({timezone})"
    width = max([len(title)] + [len(r[3]) for r in rows]) + 2 if timezone else 0
    header = f"{'':<20} {'UT':>8}  " + (f"{title:<{width}}" if timezone else "")
    lines.append((header + f"{'Sun alt':>7} {'az':>6}").rstrip())
    for name, i, jd_ut, local in rows:
        row = f"{_CONTACT_LABELS[name]:<20} {format_time(jd_ut):>8}  " + (f"{local:<{width}}" if timezone else "")
        row += f"{float(lc.contact_altitude_deg[i]):6.1f}° {float(lc.contact_azimuth_deg[i]):5.1f}°"
        if lc.below_horizon[i]:
            row += "  (Sun below the horizon)"
        lines.append(row)
    notes = []
    for name, verb in (("sunrise", "rises"), ("sunset", "sets")):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            local = f" ({place_time_text(jd_ut, timezone, lc.longitude)})" if timezone else ""
            notes.append(f"the eclipse {verb} in progress: {name} at {format_time(jd_ut)} UT{local}")
    kinds = _kinds_within_sigma(e, lc)
    if len(kinds) > 1:
        notes.append(f"{sigma_note(e)}: within that this place sees it {' or '.join(kinds)}")
    if bool(lc.below_horizon[2]):
        notes.append(f"maximum is below the horizon; the most seen is magnitude "
                     f"{fraction_text(lc.magnitude_visible)} "
                     f"(obscuration {percent_text(lc.obscuration_visible, 'partial')})")
    if notes:
        lines.append("")
        lines += [f"note: {n}" for n in notes]
    return "\n".join(lines) + "\n"


def sigma_note(e) -> str:
    """How far one sigma of Delta T turns the path (the start of a note
    that goes on with what a place sees within it)."""
    return (f"Delta T is uncertain by {e.delta_t_sigma_s:,.0f} s (one sigma), which turns the path "
            f"{e.sigma_shift_deg:.2f} degree east or west")


def sigma_band_text(e) -> str:
    """The legend of the band a path sweeps within +-1 sigma of Delta T."""
    return (f"the path within \u00b11 sigma of Delta T (\u00b1{e.delta_t_sigma_s:,.0f} s, "
            f"\u00b1{e.sigma_shift_deg:.2f}\u00b0 of longitude)")


def _kinds_within_sigma(e, lc) -> tuple:
    """The kinds one observer sees as Delta T runs over +-1 sigma."""
    return e.kinds_seen_within_sigma(float(lc.latitude), float(lc.longitude), float(lc.elevation_m))


def fraction_text(value, decimals: int = 4) -> str:
    """A magnitude with ``decimals``, never rounded to 1 or above when it is
    below 1 (a partial eclipse is never shown total): then cut, not rounded."""
    value = float(value)
    text = f"{value:.{decimals}f}"
    if value < 1.0 and float(text) >= 1.0:
        text = f"{np.floor(value * 10**decimals) / 10**decimals:.{decimals}f}"
    return text


def percent_text(value, kind: str) -> str:
    """An obscuration in per cent to 0.1, never 100.0% unless the Sun is
    wholly covered (a total eclipse): just below, more decimals, cut."""
    value = float(value)
    if value >= 1.0 or kind == "total":
        return f"{100 * value:.1f}%"
    for decimals in (1, 2, 3, 4):
        text = f"{100 * value:.{decimals}f}"
        if float(text) < 100.0:
            return text + "%"
    return f"{np.floor(value * 1e6) / 1e4:.4f}%"


def next_json(upcoming, label: str | None = None, timezone: str | None = None) -> dict:
    return {
        "place": label,
        "timezone": timezone,
        "searched_from": upcoming.searched_from,
        "searched_to": upcoming.searched_to,
        "ephemeris_end": upcoming.ephemeris_end,
        "ephemeris": upcoming.ephemeris,
        "eclipses": [local_json(s.eclipse, s.local, label, timezone) for s in upcoming.eclipses],
    }


def next_table(upcoming, where: str, timezone: str | None = None, asked: str = "") -> str:
    """The next eclipses seen from a place (named ``where``), one line each;
    ``asked`` qualifies what was looked for ("total ")."""
    lines = [f"Solar eclipses seen from {where}, from {upcoming.searched_from}"]
    if not upcoming.eclipses:
        lines = [f"No {asked}solar eclipse seen from {where} from {upcoming.searched_from} "
                 f"to {upcoming.searched_to}"]
    else:
        local_width = max(len(place_time_text(float(s.local.time_ut("max")), timezone, s.local.longitude, date=False))
                          for s in upcoming.eclipses) + 2 if timezone else 0
        header = (f"{'Date':<11} {'Eclipse':<8} {'Max (UT)':>8}  " + (f"{'Local':<{local_width}}" if timezone else "")
                  + f"{'Seen':<8} {'Mag':>6} {'Obsc':>7} {'Duration':>8} {'Sun':>4}")
        lines += [header, "-" * len(header)]
        lines += [_next_row(s, timezone, local_width) for s in upcoming.eclipses]
    if upcoming.ephemeris_end:
        lines.append(f"searched to {upcoming.searched_to}, the end of {upcoming.ephemeris} "
                     "(--ephemeris PATH with a longer JPL file, e.g. de441, goes further)")
    return "\n".join(lines) + "\n"


def _next_row(seen, timezone, local_width) -> str:
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


def next_ics(upcoming, where: str, latitude: float, longitude: float, timezone: str | None = None,
             stamp: str | None = None) -> str:
    """An iCalendar file (RFC 5545): one event per eclipse seen from a place,
    from the first contact seen with the Sun up to the last, its contacts in
    the description.  ``stamp`` (DTSTAMP, UTC) defaults to now."""
    stamp = stamp or datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//eclipse-path//solar eclipses//EN", "CALSCALE:GREGORIAN"]
    for seen in upcoming.eclipses:
        lines += _ics_event(seen, where, latitude, longitude, timezone, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


def _ics_event(seen, where, latitude, longitude, timezone, stamp) -> list[str]:
    lc, e = seen.local, seen.eclipse
    kind = str(lc.kind_seen)
    first = np.nanmax([float(lc.time_ut("c1")), float(lc.time_ut("sunrise"))])
    last = np.nanmin([float(lc.time_ut("c4")), float(lc.time_ut("sunset"))])
    details = [f"{e.kind.capitalize()} solar eclipse of {e.date}, seen {kind} from {where}.",
               f"Magnitude {fraction_text(lc.magnitude)}, obscuration {percent_text(lc.obscuration, kind)}."]
    if kind in ("total", "annular"):
        details.append(f"Duration of {'totality' if kind == 'total' else 'annularity'}: "
                       f"{duration_text(float(lc.duration_s))}.")
    for name in CONTACTS + ("sunrise", "sunset"):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            local = f" ({place_time_text(jd_ut, timezone, lc.longitude)})" if timezone else ""
            label = _CONTACT_LABELS.get(name, name.capitalize())
            details.append(f"{label}: {format_datetime(jd_ut).replace('T', ' ')} UTC{local}")
    return ["BEGIN:VEVENT",
            f"UID:{e.date}-{latitude:.4f}-{longitude:.4f}@eclipse-path",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(first)}",
            f"DTEND:{_ics_time(last)}",
            f"SUMMARY:{_ics_text(f'Solar eclipse ({kind}) seen from {where}')}",
            f"DESCRIPTION:{_ics_text(chr(10).join(details))}",
            f"LOCATION:{_ics_text(where)}",
            f"GEO:{latitude:.6f};{longitude:.6f}",
            "END:VEVENT"]


def _ics_time(jd_ut: float) -> str:
    return format_datetime(jd_ut, 0, "Z").replace("-", "").replace(":", "")


def _ics_text(text: str) -> str:
    """TEXT value escaped (RFC 5545 section 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """Lines folded at 75 octets (RFC 5545 section 3.1), never inside a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def place_time_text(jd_ut: float, timezone: str, longitude, date: bool = True) -> str:
    """'2024-04-08 13:40:44 CDT' in a time zone ('... LMT' where it has no rule)."""
    local, _, name = local_clock(jd_ut, timezone, longitude)
    text = format_datetime(local).replace("T", " ")
    return f"{text if date else text[-8:]} {name}"


def latlon_text(lat: float, lon: float, decimals: int = 4, widths=(0, 0)) -> str:
    """'32.7831N 96.8067W' (numbers padded to ``widths``); the antimeridian
    is 180E, not 180W."""
    if lon <= -180.0:
        lon += 360.0
    return (f"{abs(lat):{widths[0]}.{decimals}f}{'N' if lat >= 0 else 'S'} "
            f"{abs(lon):{widths[1]}.{decimals}f}{'E' if lon >= 0 else 'W'}")
