"""
The global map of 2024-04-08
============================

The total eclipse of 2024 April 8 across North America: the path of totality,
the penumbra's limits and the hours of greatest eclipse, drawn by
:func:`eclipse.maps.plot` on a world map.
"""

import eclipse
import eclipse.maps

e = eclipse.at("2024-04-08")
print(e)
print(f"greatest eclipse at {e.latitude:.2f}, {e.longitude:.2f}; "
      f"magnitude {e.magnitude:.4f}, totality {e.duration_s:.0f} s, path {e.path_width_km:.0f} km wide")

fig = eclipse.maps.plot(e)
