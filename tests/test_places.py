"""Place names resolved offline, with their time zones."""

import pytest

from eclipse.errors import EclipseError
from eclipse.places import AmbiguousPlaceError, PlaceError, UnknownPlaceError, find_place


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
