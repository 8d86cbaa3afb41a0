"""Solar eclipses computed from a JPL planetary ephemeris.

    >>> import eclipse
    >>> e = eclipse.at("2024-04-08")
    >>> e.kind, round(e.magnitude, 5), e.saros
    ('total', 1.05654, 139)

Pipeline: ephemeris -> Besselian elements -> search -> geometry -> outputs.

The names below are imported when first used (PEP 562), so that the
``eclipse`` command can take charge of Ctrl-C before NumPy and Skyfield load.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

#: Public name -> the module that defines it.
_PUBLIC = {
    "at": "search", "find": "search", "next_eclipses": "search", "Eclipse": "search", "Upcoming": "search",
    "BesselianElements": "sources", "EphemerisError": "sources", "EclipseError": "errors",
    "NoEclipseError": "errors",
}

__all__ = ["at", "find", "next_eclipses", "Eclipse", "Upcoming", "BesselianElements", "EclipseError",
           "EphemerisError", "NoEclipseError"]

if TYPE_CHECKING:
    from .errors import EclipseError, NoEclipseError
    from .search import Eclipse, Upcoming, at, find, next_eclipses
    from .sources import BesselianElements, EphemerisError


def __getattr__(name: str) -> Any:  # (any public name, or a module)
    """A public name, or a submodule (``eclipse.search``), imported when first asked for."""
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    elif importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'eclipse' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names and the public ones not yet imported."""
    return sorted(set(globals()) | set(__all__))
