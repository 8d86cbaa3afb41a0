"""
A path written to GeoJSON and read back by shapely
==================================================

``Eclipse.path`` computes the central line, the limits and the
umbra's and penumbra's footprints; :func:`eclipse.io.to_geojson` writes them
as one RFC 7946 FeatureCollection.  Written to a file and read back with the
standard library's json module and shapely, the umbra's polygon is the one the
package computed.
"""

import json
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import shapely
from shapely.geometry import shape

import eclipse
import eclipse.io

e = eclipse.at("2024-04-08")
path = e.path(step_s=60)

with tempfile.TemporaryDirectory() as tmp:
    filename = Path(tmp) / "path-2024-04-08.geojson"
    filename.write_text(eclipse.io.to_geojson(path), encoding="utf-8")
    print(f"{filename.name}: {filename.stat().st_size / 1e3:.0f} kB")
    collection = json.loads(filename.read_text(encoding="utf-8"))

features = {f["properties"]["feature"]: shape(f["geometry"]) for f in collection["features"]}
for name, geometry in features.items():
    print(f"{name:<22} {geometry.geom_type:<16} valid: {geometry.is_valid}")

# %%
# The umbra read back is the one computed (GeoJSON keeps coordinates to a
# few decimals), and shapely answers questions of it: is Dallas inside?

umbra = features["umbra"]
difference = shapely.symmetric_difference(umbra, path.umbra).area / path.umbra.area
print(f"umbra read back vs computed: area of the difference {difference:.1e} of the umbra's")
for name, lon, lat in (("Dallas", -96.80, 32.78), ("Houston", -95.37, 29.76)):
    print(f"{name} in the path of totality: {umbra.contains(shapely.Point(lon, lat))}")

fig, ax = plt.subplots(figsize=(9, 4.5))
ax.fill(*umbra.exterior.xy, color="0.3", alpha=0.5, label="umbra (path of totality)")
ax.plot(*features["central_line"].xy, lw=1, color="C3", label="central line")
for name, lon, lat in (("Dallas", -96.80, 32.78), ("Houston", -95.37, 29.76)):
    ax.plot(lon, lat, "k.")
    ax.annotate(name, (lon, lat), textcoords="offset points", xytext=(4, -10), fontsize="small")
ax.set_xlabel("longitude (degrees)")
ax.set_ylabel("latitude (degrees)")
ax.set_title("2024-04-08: the umbra and central line read back from GeoJSON")
ax.set_aspect("equal")
ax.grid(alpha=0.3)
ax.legend(loc="lower right")
