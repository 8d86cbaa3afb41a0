"""
An atlas of total eclipses on a Dask cluster
============================================

:func:`eclipse.fields.atlas` counts, for every cell of a grid, the total
eclipses seen there over a span of years.  It runs on dask.distributed: here a
local cluster of one worker process on 127.0.0.1, started for the run and
stopped when it ends (give ``scheduler=`` the address of a running scheduler
to use a real cluster instead).  The atlas is a Zarr store; a coarse grid and
three decades keep this example quick.
"""

import tempfile
from pathlib import Path

import eclipse.fields
import eclipse.maps

# (Dask starts its worker processes by re-importing this script: the guard
# keeps them from running it again.)
if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "totals.zarr")
        atlas = eclipse.fields.atlas("2001", "2030", "total-count", resolution_deg=2.0, path=store,
                                     workers=1, progress=False)
        counts = atlas["total_count"].load()
        print(atlas.attrs.get("title", ""))
        print(f"grid {counts.sizes['lat']} x {counts.sizes['lon']} cells; "
              f"{int((counts > 0).sum())} cells saw totality at least once, at most {int(counts.max())} times")
        fig = eclipse.maps.atlas_figure(atlas.load())
