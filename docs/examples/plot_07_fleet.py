"""
Obscuration over time for a fleet of sites
==========================================

Many observers at once, in one vectorised call: give
:func:`eclipse.fields.obscuration` the sites as :mod:`xarray` DataArrays
along a ``site`` dimension and the instants along ``time``; it returns one
time series per site.  Here ten cities from Texas to Maine on 2024-04-08,
every minute of the eclipse.
"""

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

import eclipse
import eclipse.fields

SITES = {  # name: (latitude, longitude), degrees
    "Mazatlán": (23.22, -106.42), "Dallas": (32.78, -96.80), "Little Rock": (34.75, -92.29),
    "St. Louis": (38.63, -90.20), "Indianapolis": (39.77, -86.16), "Cleveland": (41.50, -81.69),
    "Buffalo": (42.89, -78.88), "Burlington": (44.48, -73.21), "Houlton": (46.13, -67.84),
    "New York": (40.71, -74.01),
}

e = eclipse.at("2024-04-08")
names = list(SITES)
lat = xr.DataArray([SITES[n][0] for n in names], dims="site", coords={"site": names})
lon = xr.DataArray([SITES[n][1] for n in names], dims="site", coords={"site": names})
times = np.arange(np.datetime64("2024-04-08T16:30"), np.datetime64("2024-04-08T20:45"), np.timedelta64(1, "m"))

obscuration = eclipse.fields.obscuration(e, times, lat=lat, lon=lon)
print(obscuration.sizes)
greatest = obscuration.max("time")
when = obscuration.idxmax("time")
for name in names:
    print(f"{name:<13} greatest obscuration {float(greatest.sel(site=name)):6.1%} "
          f"at {str(when.sel(site=name).values)[11:16]} UT")

fig, ax = plt.subplots(figsize=(9, 5))
for name in names:
    series = obscuration.sel(site=name).squeeze()
    ax.plot(series["time"].values, series.values, label=name)
ax.set_ylabel("obscuration (fraction of the Sun's disc covered)")
ax.set_xlabel("UT, 2024-04-08")
ax.set_ylim(0, 1.02)
ax.legend(ncol=2, fontsize="small")
ax.grid(alpha=0.3)
ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
ax.set_title("Obscuration seen from ten places, 2024-04-08")
