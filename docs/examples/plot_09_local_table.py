"""
A city's local circumstances
============================

What an observer in Valencia sees of the total eclipse of 2026-08-12: the
place is found by name in the shipped gazetteer (with its time zone),
``Eclipse.local`` computes the contacts, and
:func:`eclipse.io.local_table` prints them as ``eclipse local`` does, in UT
and local time, with the Sun's altitude and azimuth at each contact.
"""

import eclipse
import eclipse.io

place = eclipse.io.find_place("Valencia, Spain")
e = eclipse.at("2026-08-12")
seen = e.local(place.latitude, place.longitude)
print(eclipse.io.local_table(e, seen, timezone=place.timezone))

# %%
# ``e.local`` is vectorised: the same call takes arrays of observers.  Its
# values are at full precision, the instants as numpy datetimes (UTC).

print(f"magnitude {float(seen.magnitude):.4f}, totality {float(seen.duration_s):.1f} s, "
      f"second contact {seen.c2} UTC")

# %%
# And the next eclipses seen from there:

upcoming = eclipse.next_eclipses(place.latitude, place.longitude, count=4, start="2026-08-13")
print(eclipse.io.next_table(upcoming, where="Valencia, Spain", timezone=place.timezone))
