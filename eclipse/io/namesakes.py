"""A namesake that sees more: when ``--place NAME`` takes a place that sees
nothing of an eclipse, or less than another place of that name would
(places.namesakes: "Exmouth" is taken in England, and Exmouth in Western
Australia saw totality on 2023-04-20), the output names that place.

The choice of place is not changed (places.find_place's rule stays); this
only adds a note.  "Sees more" ranks first by the kind seen (none, partial,
annular, total: constants.KINDS_SEEN), then, for the same central kind, by
the duration of the central phase to the second, and for a partial eclipse
by the greatest magnitude seen with the Sun up to 0.001 (the rounding the
note writes, so that a note never names a place that sees the same as
written).  The namesakes are computed together: one call of the local
circumstances for all of them (``local_note``), or one for every eclipse of
the span and every namesake (``next_note``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..constants import KINDS_SEEN
from ..geometry.local import LocalCircumstances, local_circumstances
from ..search import find
from ..sources.elements import stack_elements
from .places import Namesake, namesakes
from .records import rounded

if TYPE_CHECKING:
    from ..search import Eclipse, Upcoming

#: The rounding of what the note compares and writes.
DURATION_DECIMALS, MAGNITUDE_DECIMALS = 0, 3
CENTRAL_WORDS = {"total": "totality", "annular": "annularity"}


@dataclass(frozen=True)
class NamesakeNote:
    """What a namesake of the place taken sees of an eclipse."""

    namesake: Namesake
    date: str  # the eclipse's, as eclipse find writes it
    kind_seen: str
    magnitude: float  # the greatest seen with the Sun up
    duration_s: float | None  # of the central phase; None for a partial eclipse

    def text(self, with_date: bool = False) -> str:
        """'Exmouth, Western Australia, Australia sees 55 s of totality
        (--place "Exmouth, Western Australia")'; ``with_date``: '... on
        2023-04-20 ...'."""
        word = CENTRAL_WORDS.get(self.kind_seen)
        if word and self.duration_s is not None:
            what = f"{_duration(self.duration_s)} of {word}"
        else:
            what = f"a partial eclipse of magnitude {self.magnitude:.{MAGNITUDE_DECIMALS}f}"
        when = f" on {self.date}" if with_date else ""
        return f'{self.namesake.label} sees {what}{when} (--place "{self.namesake.option}")'

    def record(self) -> dict[str, Any]:
        """The JSON object ``namesake`` (docs/contracts.md)."""
        p = self.namesake.place
        return {"place": self.namesake.label, "option": self.namesake.option, "latitude": p.latitude,
                "longitude": p.longitude, "timezone": p.timezone, "date": self.date, "kind_seen": self.kind_seen,
                "magnitude_visible": rounded(self.magnitude, 5),
                "duration_s": None if self.duration_s is None else rounded(self.duration_s, 1)}


def _duration(seconds: float) -> str:
    """'55 s', '4 min 2 s'."""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def rank(lc: LocalCircumstances) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.float64]]:
    """(level, amount) of what observers see, as the notes compare them: the
    kind's place in KINDS_SEEN, and the central duration (s, to the second)
    for a central kind, else the greatest magnitude seen (to 0.001)."""
    kinds = np.asarray(lc.kind_seen)
    level = np.zeros(kinds.shape, dtype=int)
    for i, kind in enumerate(KINDS_SEEN):
        level[kinds == kind] = i
    central = np.isin(kinds, list(CENTRAL_WORDS))
    duration = np.round(np.nan_to_num(np.asarray(lc.duration_s, dtype=float)), DURATION_DECIMALS)
    magnitude = np.round(np.asarray(lc.magnitude_visible, dtype=float), MAGNITUDE_DECIMALS)
    return level, np.where(central, duration, magnitude)


def _note(namesake: Namesake, e: Eclipse, lc: LocalCircumstances) -> NamesakeNote:
    kind = str(lc.kind_seen)
    duration = float(lc.duration_s) if kind in CENTRAL_WORDS else None
    return NamesakeNote(namesake, e.date, kind, float(lc.magnitude_visible), duration)


def local_note(e: Eclipse, text: str, lc: LocalCircumstances) -> NamesakeNote | None:
    """The namesake of the place ``text`` names (the one observer of ``lc``)
    that sees most of eclipse ``e``, when it sees more than that place;
    None otherwise, or when the name has no namesake.  One call of the
    local circumstances for all the namesakes."""
    others = namesakes(text)
    if not others:
        return None
    seen = local_circumstances(e, [n.place.latitude for n in others], [n.place.longitude for n in others],
                               horizon=lc.horizon)  # the horizon the place was seen on
    level, amount = rank(seen)
    taken_level, taken_amount = rank(lc)
    # the most seen; among equals the largest place (the first)
    best = int(np.lexsort((-np.arange(len(others)), amount, level))[-1])
    if (level[best], amount[best]) <= (int(taken_level), float(taken_amount)):
        return None
    return _note(others[best], e, seen[best])


def next_note(upcoming: Upcoming, text: str, kinds: Iterable[str] | None = None, seen: Iterable[str] | None = None,
              ephemeris: str | None = None, delta_t: float | None = None,
              delta_t_model: str | None = None) -> NamesakeNote | None:
    """When the place ``text`` names saw no eclipse in the span ``upcoming``
    searched (``next_eclipses`` with these ``kinds``, ``seen`` and source),
    the namesake that sees the first eclipse there (the largest of those that
    see it first), and what it sees; None otherwise.  Every eclipse of the
    span and every namesake in one call of the local circumstances."""
    others = namesakes(text) if not upcoming.eclipses else []
    if not others:
        return None
    found = find(start=upcoming.jd_from, end=upcoming.jd_to, kinds=list(kinds) if kinds else None,
                 ephemeris=ephemeris, delta_t=delta_t, delta_t_model=delta_t_model)
    if not found:
        return None
    which_eclipse = np.repeat(np.arange(len(found)), len(others))
    which_place = np.tile(np.arange(len(others)), len(found))
    lat = np.array([n.place.latitude for n in others])[which_place]
    lon = np.array([n.place.longitude for n in others])[which_place]
    lc = local_circumstances(stack_elements([e.elements for e in found])[which_eclipse], lat, lon,
                             horizon=upcoming.horizon)
    kind = np.asarray(lc.kind_seen)
    hit = (kind != "none") & (np.isin(kind, list(seen)) if seen else True)
    if not hit.any():
        return None
    first = int(np.flatnonzero(hit)[0])  # the first eclipse seen, by its largest namesake that sees it
    return _note(others[int(which_place[first])], found[int(which_eclipse[first])], lc[first])


def with_note(data: dict[str, Any], note: NamesakeNote | None) -> dict[str, Any]:
    """A JSON object (``local_json``, ``next_json``) with ``namesake`` added
    when there is a note."""
    return {**data, "namesake": note.record()} if note else data


def note_lines(note: NamesakeNote | None, table: str, with_date: bool = False) -> str:
    """A table with the note added as its last line ('note: ...')."""
    if note is None:
        return table
    last = table.rstrip("\n").rsplit("\n", 1)[-1]
    gap = "" if last.startswith("note: ") else "\n"
    return f"{table}{gap}note: {note.text(with_date)}\n"
