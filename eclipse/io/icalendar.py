"""The next eclipses seen from a place as an iCalendar file (RFC 5545)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import numpy as np

from ..dates import format_date, format_datetime
from ..geometry.local import CONTACTS
from .tables import CONTACT_LABELS
from .text import duration_text, fraction_text, percent_text, place_time_text

if TYPE_CHECKING:
    from ..search.results import SeenEclipse, Upcoming


def next_ics(upcoming: Upcoming, where: str, lat: float, lon: float, timezone: str | None = None,
             stamp: str | None = None) -> str:
    """An iCalendar file (RFC 5545): one event per eclipse seen from a place,
    from the first contact seen with the Sun up to the last, its contacts in
    the description.  ``stamp`` (DTSTAMP, UTC) defaults to now."""
    stamp = stamp or datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//eclipse-path//solar eclipses//EN", "CALSCALE:GREGORIAN"]
    for seen in upcoming.eclipses:
        lines += _ics_event(seen, where, lat, lon, timezone, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


def _ics_event(seen: SeenEclipse, where: str, lat: float, lon: float, timezone: str | None, stamp: str) -> list[str]:
    """The lines of one eclipse's VEVENT."""
    lc, e = seen.local, seen.eclipse
    kind = str(lc.kind_seen)
    first = np.nanmax([float(lc.time_ut("c1")), float(lc.time_ut("sunrise"))])
    last = np.nanmin([float(lc.time_ut("c4")), float(lc.time_ut("sunset"))])
    details = [f"{e.kind.capitalize()} solar eclipse of {format_date(e.jd_ut)}, seen {kind} from {where}.",
               f"Magnitude {fraction_text(lc.magnitude)}, obscuration {percent_text(lc.obscuration, kind)}."]
    if kind in ("total", "annular"):
        details.append(f"Duration of {'totality' if kind == 'total' else 'annularity'}: "
                       f"{duration_text(float(lc.duration_s))}.")
    for name in CONTACTS + ("sunrise", "sunset"):
        jd_ut = float(lc.time_ut(name))
        if not np.isnan(jd_ut):
            local = f" ({place_time_text(jd_ut, timezone, lc.longitude)})" if timezone else ""
            label = CONTACT_LABELS.get(name, name.capitalize())
            details.append(f"{label}: {format_datetime(jd_ut).replace('T', ' ')} UTC{local}")
    return ["BEGIN:VEVENT",
            f"UID:{format_date(e.jd_ut)}-{lat:.4f}-{lon:.4f}@eclipse-path",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(first)}",
            f"DTEND:{_ics_time(last)}",
            f"SUMMARY:{_ics_text(f'Solar eclipse ({kind}) seen from {where}')}",
            f"DESCRIPTION:{_ics_text(chr(10).join(details))}",
            f"LOCATION:{_ics_text(where)}",
            f"GEO:{lat:.6f};{lon:.6f}",
            "END:VEVENT"]


def _ics_time(jd_ut: float) -> str:
    """'20240408T181720Z': a UT Julian date as an iCalendar UTC time."""
    return format_datetime(jd_ut, 0, "Z").replace("-", "").replace(":", "")


def _ics_text(text: str) -> str:
    """TEXT value escaped (RFC 5545 section 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """Lines folded at 75 octets (RFC 5545 section 3.1), never inside a character."""
    out: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)
