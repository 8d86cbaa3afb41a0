"""
136 BCE from Babylon, with the Delta T band
===========================================

The total eclipse of -135-04-15 (136 BCE; astronomical years, Julian
calendar) was recorded at Babylon in an astronomical diary: totality, stars
visible (F. R. Stephenson, *Historical Eclipses and Earth's Rotation*, 1997).
So far back the Earth's rotation is known only through Delta T = TT - UT,
whose one-sigma uncertainty here turns the whole path by a fraction of a
degree of longitude: the map
hatches the band the umbra sweeps as Delta T runs over ±1 sigma, and
``Eclipse.kinds_seen_within_sigma`` says which kinds an observer
may have seen within that band.
"""

import eclipse
import eclipse.io
import eclipse.maps

BABYLON = ("Babylon", 32.54, 44.42)

e = eclipse.at("-0135-04-15")
print(eclipse.io.eclipse_title(e))
print(f"Delta T {e.delta_t_s:.0f} s ± {e.delta_t_sigma_s:.0f} s ({e.delta_t_model}): "
      f"one sigma turns the path by {e.sigma_shift_deg:.3f} deg of longitude")

name, lat, lon = BABYLON
print("kinds seen from Babylon within one sigma:", ", ".join(e.kinds_seen_within_sigma(lat, lon)))
print()
print(eclipse.io.local_table(e, e.local(lat, lon), label=name))

# %%
# The map, framed on the path's stretch around Babylon, with the band of
# ±1 sigma hatched along the path of totality.

fig = eclipse.maps.plot(e, region=[25, 20, 65, 45], marks=[BABYLON])
