"""
The global map of 2024-04-08
============================

The path of totality across North America, drawn with :func:`eclipse.maps.plot`.
"""

import eclipse
import eclipse.maps

e = eclipse.at("2024-04-08")
print(e.kind, round(e.magnitude, 4))
