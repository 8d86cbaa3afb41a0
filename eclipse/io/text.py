"""The wording of results for people: titles, durations, coordinates,
fractions, notes; the same words in tables, on maps and on the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..dates import (
    GREGORIAN_JD,
    calendar_from_jd,
    format_datetime,
    format_time,
    people_year,
)
from .places import local_clock
from .records import eclipse_record

if TYPE_CHECKING:
    from ..geometry.horizon import Horizon
    from ..geometry.local import LocalCircumstances
    from ..geometry.path import Path
    from ..search.results import Eclipse


def eclipse_title(e: Eclipse) -> str:
    """'Total solar eclipse of 2024-04-08'; non-central ones say so; a year
    before 1 CE also as people write it ('-0135-04-15 (136 BCE)')."""
    kind = e.kind if e.central or e.kind == "partial" else f"{e.kind} (non-central)"
    return f"{kind.capitalize()} solar eclipse of {e.date}{_bce(e.jd_ut)}"


def subtitle_lines(e: Eclipse, path: Path) -> list[str]:
    """The two lines under a map's title (the PNG's and the page's):
    greatest eclipse, saros, magnitude; gamma, greatest duration, Delta T
    (with its uncertainty when it reaches 10 s), as the JSON rounds them."""
    shown = eclipse_record(e)
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


def _bce(jd: float) -> str:
    """' (136 BCE)' after a date before 1 CE, else ''."""
    year = calendar_from_jd(jd)[0]
    return f" ({people_year(year)})" if year <= 0 else ""


def calendar_note(jds: Sequence[float]) -> list[str]:
    """A note for tables holding years before 1 CE or dates before the
    Gregorian reform (Julian dates of the days shown)."""
    notes = []
    if any(calendar_from_jd(jd)[0] <= 0 for jd in jds):
        notes.append("years are astronomical: year 0 is 1 BCE, -0135 is 136 BCE")
    if any(jd < GREGORIAN_JD for jd in jds) or notes:
        notes.append("dates before 1582-10-15 are in the Julian calendar, as NASA's")
    return notes


def duration_text(seconds: float | None) -> str:
    """'4m28s' ('-' for None)."""
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


def latlon_text(lat: float, lon: float, decimals: int = 4, widths: tuple[int, int] = (0, 0)) -> str:
    """'32.7831N 96.8067W' (numbers padded to ``widths``); the antimeridian
    is 180E, not 180W."""
    if lon <= -180.0:
        lon += 360.0
    return (f"{abs(lat):{widths[0]}.{decimals}f}{'N' if lat >= 0 else 'S'} "
            f"{abs(lon):{widths[1]}.{decimals}f}{'E' if lon >= 0 else 'W'}")


def place_text(lc: LocalCircumstances, label: str | None = None) -> str:
    """'Dallas, TX, United States (32.7831N 96.8067W, 0 m)', or the
    coordinates alone."""
    position = f"{latlon_text(float(lc.latitude), float(lc.longitude))}, {float(lc.elevation_m):.0f} m"
    return f"{label} ({position})" if label else position


def place_time_text(jd_ut: float, timezone: str, longitude: float | npt.NDArray[np.float64], date: bool = True) -> str:
    """'2024-04-08 13:40:44 CDT' in a time zone ('... LMT' where it has no rule)."""
    local, _, name = local_clock(jd_ut, timezone, longitude)
    text = format_datetime(local).replace("T", " ")
    return f"{text if date else text[-8:]} {name}"


def fraction_text(value: float | np.floating | npt.NDArray[np.float64], decimals: int = 4) -> str:
    """A magnitude with ``decimals``, never rounded to 1 or above when it is
    below 1 (a partial eclipse is never shown total): then cut, not rounded."""
    value = float(value)
    text = f"{value:.{decimals}f}"
    if value < 1.0 and float(text) >= 1.0:
        text = f"{np.floor(value * 10**decimals) / 10**decimals:.{decimals}f}"
    return text


def percent_text(value: float | np.floating | npt.NDArray[np.float64], kind: str) -> str:
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


def angle_text(degrees: float) -> str:
    """A position angle in [0, 360) degrees to 0.1, never "360.0"."""
    text = f"{degrees:.1f}"
    return "0.0" if text == "360.0" else text


def sigma_note(e: Eclipse) -> str:
    """How far one sigma of Delta T turns the path (the start of a note
    that goes on with what a place sees within it)."""
    return (f"Delta T is uncertain by {e.delta_t_sigma_s:,.0f} s (one sigma), which turns the path "
            f"{e.sigma_shift_deg:.2f} degree east or west")


def sigma_band_text(e: Eclipse) -> str:
    """The legend of the band a path sweeps within +-1 sigma of Delta T."""
    return (f"the path within \u00b11 sigma of Delta T (\u00b1{e.delta_t_sigma_s:,.0f} s, "
            f"\u00b1{e.sigma_shift_deg:.2f}\u00b0 of longitude)")


def horizon_text(horizon: Horizon) -> str:
    """Which horizon the altitudes, sunrise and sunset are on, in a line:
    'apparent (refraction at 10 °C, 1010 hPa; sunrise and sunset: the Sun's
    upper limb on it)' or 'geometric (no refraction; sunrise and sunset: the
    Sun's centre at altitude 0)'."""
    if horizon.temperature_c is None or horizon.pressure_hpa is None:
        return "geometric (no refraction; sunrise and sunset: the Sun's centre at altitude 0)"
    return (f"apparent (refraction at {horizon.temperature_c:g} \u00b0C, {horizon.pressure_hpa:g} hPa; "
            "sunrise and sunset: the Sun's upper limb on it)")


def path_distance_text(central_km: float, north_km: float, south_km: float) -> str | None:
    """Where a place lies across the path, in one line: '12.3 km north of
    the central line; 33.1 km inside the southern limit' (the nearer limit),
    from the signed distances of ``PathDistances`` (north of the central
    line positive, inside a limit positive; NaN where unknown).  None when
    all three are unknown (a partial eclipse, or far from the path)."""
    parts = []
    if np.isfinite(central_km):
        parts.append("on the central line" if round(abs(central_km), 1) == 0 else
                     f"{abs(central_km):.1f} km {'north' if central_km > 0 else 'south'} of the central line")
    limits = [(abs(km), km, side) for km, side in ((north_km, "northern"), (south_km, "southern")) if np.isfinite(km)]
    if limits:
        _, km, side = min(limits)
        parts.append(f"on the {side} limit" if round(abs(km), 1) == 0 else
                     f"{abs(km):.1f} km {'inside' if km > 0 else 'outside'} the {side} limit")
    return "; ".join(parts) or None
