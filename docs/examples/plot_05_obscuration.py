"""
An obscuration map
==================

How much of the Sun's disc the Moon covers, everywhere, at every instant:
:func:`eclipse.fields.grid` makes a lazy :mod:`xarray` Dataset of obscuration
on a latitude-longitude grid every few minutes (here a coarse 2-degree grid
every 10 minutes, computed in a moment); its greatest value over time at each
cell is the "how dark" map, which :func:`eclipse.maps.plot` draws with
``obscuration=True``.
"""

import matplotlib.pyplot as plt

import eclipse
import eclipse.fields
import eclipse.maps

e = eclipse.at("2024-04-08")
ds = eclipse.fields.grid(e, resolution_deg=2.0, step_s=600.0).compute()
print(ds)

# %%
# The greatest obscuration of each cell over the eclipse, from the grid.

darkest = ds["obscuration"].max("time").squeeze()
print(f"cells where the Sun was at least 90 % covered: {int((darkest >= 0.9).sum())} of {darkest.size}")
fig, ax = plt.subplots(figsize=(9, 4.5))
darkest.plot(ax=ax, cmap="magma_r", vmin=0, vmax=1, cbar_kwargs={"label": "greatest obscuration"})
ax.set_title("Greatest obscuration on a 2-degree grid, 2024-04-08")

# %%
# The package's own map of the greatest obscuration seen, with the path.

fig = eclipse.maps.plot(e, obscuration=True)
