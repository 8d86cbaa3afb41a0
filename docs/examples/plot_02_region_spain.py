"""
A regional map of 2026-08-12 over Spain
=======================================

The total eclipse of 2026 August 12 ends at sunset over Spain.  A ``region``
frames the map on a country (here by name; a box ``lon1, lat1, lon2, lat2``
works too), and ``marks`` puts places on it, found in the shipped gazetteer.
"""

import eclipse
import eclipse.maps

e = eclipse.at("2026-08-12")
print(e)

fig = eclipse.maps.plot(e, region="Spain", marks=["Madrid", "Valencia, Spain", "Oviedo", "Palma"])
