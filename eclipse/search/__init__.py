"""The search: every eclipse of a span, the eclipse of a date, the next ones
seen from a place, and the results they give.

The third stage of the pipeline (sources -> elements -> search -> geometry
-> outputs): ``find``, ``at`` and ``next_eclipses`` share one search
(``finder.search``) over the sources serving the span, and characterise the
elements found as one batch (``characterise``).
"""

from __future__ import annotations

from .characterise import characterise, saros_number
from .finder import at, find, next_eclipses, search
from .results import Eclipse, SeenEclipse, Upcoming

__all__ = ["find", "at", "next_eclipses", "search", "characterise", "saros_number", "Eclipse", "SeenEclipse",
           "Upcoming"]
