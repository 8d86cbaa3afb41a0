"""The time zones of the page of one eclipse: where each is, and its clock.

The panel (zones.js) gives every contact in the local time of the place's
zone, as ``eclipse local`` does (io.places.local_iso): the land zone of
``io.places.timezone_at``, at sea the nautical zone of the longitude.  For
that the page carries

- the land zones' boundaries (``io.places.timezone_polygons``,
  timezonefinder's) that meet the region where the eclipse is seen (the
  penumbra's, ``Path.penumbra``), cut to that region widened by
  ZONE_MARGIN_DEG and simplified to ZONE_SIMPLIFY_DEG;
- each of those zones' and every nautical zone's clock from zoneinfo
  (``io.places.clock_changes``: offset and abbreviation) over the hours the
  penumbra touches the Earth, widened by CLOCK_MARGIN_DAYS.  Every instant
  the panel gives a local time for (the contacts, sunrise and sunset in
  progress) lies within them.  Zoneinfo's clock rather than the browser's
  time zone database: the page then agrees with ``eclipse local`` by
  construction, abbreviations included (a browser names Madrid's summer
  time "GMT+2" in English, zoneinfo "CEST"), whatever the age of the
  browser's database.  (Measured against Chromium 156's ICU, tzdata 2026f
  here: of 441 zones at 84 instants from 1850 to 2060, the offsets differ
  at 2,069, 877 of them where zoneinfo has a rule: zones ICU links to
  another before 1970 (Accra to Abidjan, Anguilla to Puerto Rico), a few
  wartime changes, and rules to come: Morocco's from October 2026, western
  Canada's from 2030.  The abbreviations agree at 13% of them.)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely

from ..dates import GREGORIAN_JD, LAST_DATETIME_JD, UNIX_EPOCH_JD
from ..io import places

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..geometry.path import Path

#: Douglas-Peucker tolerance of the zones' boundaries, degrees of longitude
#: and latitude, and the decimals the page keeps (ZONE_DECIMALS: 0.01
#: degree): the tolerance moves a boundary by at most 0.03 degree, 3.3 km
#: (less in longitude away from the equator), the rounding by 0.007 degree,
#: 0.8 km more: a place is given the wrong zone only within 4.1 km of a
#: boundary, inside the 5 km the page is held to (tests/test_webmap_zones.py;
#: measured on 2024-04-08: 20 of 20,000 places on land, all within 1.8 km).  Zones are
#: simplified one by one, so the slivers between two neighbours' simplified
#: edges are as narrow.  Coarser would break the 5 km; finer costs bytes the
#: page has not got (0.02 degree to 0.001: 281 KB of zones for 1560-08-21,
#: whose page holds 2.7 MB without them; 0.03 to 0.01: 163 KB).
ZONE_SIMPLIFY_DEG = 0.03
ZONE_DECIMALS = 2
#: The zones are cut to the penumbra's region widened by this much (more
#: than the simplification's and the rounding's displacements), so that
#: every place inside the region as the page draws it finds its land zone.
ZONE_MARGIN_DEG = 0.1
#: The zones' clocks are written from this long before P1 to this long
#: after P4 (days: one hour).
CLOCK_MARGIN_DAYS = 1.0 / 24.0
#: The nautical zones (io.places.nautical_timezone): Etc/GMT-12 .. Etc/GMT+12.
NAUTICAL_ZONES = tuple(places.nautical_timezone(15.0 * h) for h in range(-12, 13))


@functools.lru_cache(maxsize=1)
def simplified_zones() -> tuple[npt.NDArray[np.str_], npt.NDArray[np.object_]]:
    """The land zones' names and (Multi)Polygons (io.places.timezone_polygons)
    simplified to ZONE_SIMPLIFY_DEG (Douglas-Peucker, each vertex within it
    of the boundary; made valid again where it crossed itself), those left
    empty dropped.  All of them at once, kept: a few seconds, then each page
    only cuts them."""
    zones = places.timezone_polygons()
    simple = shapely.simplify(np.asarray(list(zones.values()), dtype=object), ZONE_SIMPLIFY_DEG,
                              preserve_topology=False)
    bad = ~shapely.is_valid(simple)
    simple[bad] = shapely.make_valid(simple[bad])
    kept = ~shapely.is_empty(simple)
    return np.asarray(list(zones))[kept], simple[kept]


def zone_data(path: Path, encode_polygons: Callable[[list[shapely.Geometry], int], list]) -> dict[str, Any]:
    """What zones.js reads: the zones' names, their polygons (each
    [zone index, exterior, holes...], rings encoded by ``encode_polygons``
    at ``decimals``: document.encode_polygons, which imports this module),
    each zone's clock (``io.places.clock_changes``) between ``window`` (UT
    Julian dates), and the dates outside which every clock is local mean
    time, as in ``io.places.local_clock``."""
    region = path.penumbra
    start, end = path.p1.jd_ut - CLOCK_MARGIN_DAYS, path.p4.jd_ut + CLOCK_MARGIN_DAYS
    names: list[str] = []
    polygons: list[list[Any]] = []
    if region is not None and not region.is_empty:
        every, geometries = simplified_zones()
        reach = shapely.simplify(shapely.buffer(region, ZONE_MARGIN_DEG), ZONE_SIMPLIFY_DEG)
        shapely.prepare(reach)
        met = shapely.intersects(reach, geometries)
        cut = shapely.simplify(shapely.intersection(geometries[met], reach), ZONE_SIMPLIFY_DEG, preserve_topology=False)
        for name, geometry in zip(every[met], cut):
            encoded = encode_polygons([geometry], ZONE_DECIMALS)
            if encoded:
                polygons += [[len(names), *rings] for rings in encoded]
                names.append(str(name))
    return {"decimals": ZONE_DECIMALS, "names": names, "polygons": polygons,
            **clock_data([*names, *NAUTICAL_ZONES], start, end)}


def clock_data(names: list[str], start: float, end: float) -> dict[str, Any]:
    """The clocks of zones between two UT Julian dates as zones.js reads
    them: each zone's ``io.places.clock_changes``, the ``window``, and the
    dates outside which every clock is local mean time."""
    return {"clocks": {name: [list(change) for change in places.clock_changes(name, start, end)] for name in names},
            "window": [start, end], "gregorian_jd": GREGORIAN_JD, "last_datetime_jd": LAST_DATETIME_JD,
            "unix_epoch_jd": UNIX_EPOCH_JD}
