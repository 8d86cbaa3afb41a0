"""Write every user-visible output into a folder, to compare two versions byte for byte.

    python scripts/snapshot_outputs.py OUTDIR
    diff -r BEFORE AFTER

The guard of a refactoring that must not change a single output: `eclipse
find` over 1901-2050 (JSON, CSV, table), `eclipse path` of the hard cases
(GeoJSON at 60-s and 1-s steps; table, CSV and KML at 60 s), `eclipse local`
JSON on a 10-degree grid of places and tables from named places, `eclipse
elements`, `eclipse next`, two PNG maps and the interactive page.  The commands run in this
process through ``eclipse.cli.main`` with standard output captured.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # tests/support

from eclipse.io.records import local_record
from support import cli

HARD_CASES = ["2024-04-08", "2017-08-21", "2023-04-20", "2021-12-04", "2014-04-29",
              "2025-03-29", "2012-11-13", "2012-05-20", "2026-08-12"]


def run(argv) -> str:
    result = cli.run(*argv)
    return f"# exit {result.code}\n# stderr: {result.err}\n" + result.out


def write(folder: str, name: str, text: str) -> None:
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    os.environ.setdefault("MPLBACKEND", "Agg")
    for fmt in ("json", "csv", "table"):
        write(folder, f"find-1901-2050.{fmt}", run(["find", "--start", "1901-01-01", "--end", "2050-12-31",
                                                    "--format", fmt]))
    write(folder, "find-2024-delta-t.json", run(["find", "--year", "2024", "--delta-t", "74", "--format", "json"]))
    for date in HARD_CASES:
        for step in ("60", "1"):
            write(folder, f"path-{date}-{step}.geojson", run(["path", date, "--step-s", step, "--format", "geojson"]))
        for fmt in ("table", "csv", "kml"):
            write(folder, f"path-{date}-60.{fmt}", run(["path", date, "--format", fmt]))
        for fmt in ("table", "json"):
            write(folder, f"elements-{date}.{fmt}", run(["elements", date, "--format", fmt]))
        write(folder, f"local-grid-{date}.json", local_grid(date))
        for place in ("Dallas", "Dublin", "Madrid", "Tokyo"):
            write(folder, f"local-{date}-{place}.table", run(["local", date, "--place", place]))
    write(folder, "local-dallas.json", run(["local", "2024-04-08", "--lat", "32.78", "--lon", "-96.80",
                                            "--elevation-m", "150", "--format", "json"]))
    write(folder, "local-pole.json", run(["local", "2021-12-04", "--lat", "-90", "--lon", "0",
                                          "--elevation-m", "2835", "--format", "json"]))
    write(folder, "next-madrid.table", run(["next", "--place", "Madrid", "--start", "2000-01-01", "--count", "8"]))
    write(folder, "next-madrid.json", run(["next", "--place", "Madrid", "--start", "2000-01-01", "--count", "8",
                                           "--format", "json"]))
    for argv, name in ((["map", "2024-04-08"], "map-2024.png"),
                       (["map", "2024-04-08", "--region", "auto"], "map-2024-auto.png")):
        path = os.path.join(folder, name)
        write(folder, name + ".log", run(argv + ["-o", path, "--dpi", "60"]).replace(folder, "OUT"))
    path = os.path.join(folder, "map-2024.html")  # the interactive page: its data must not change either
    write(folder, "map-2024.html.log", run(["map", "2024-04-08", "-o", path]).replace(folder, "OUT"))


def local_grid(date: str) -> str:
    """Local circumstances JSON of observers every 10 degrees, 0 and 2000 m up."""
    import eclipse

    lat, lon = np.meshgrid(np.arange(-90.0, 91.0, 10.0), np.arange(-180.0, 180.0, 10.0))
    e = eclipse.at(date)
    rows = []
    for elevation in (0.0, 2000.0):
        lc = e.local(lat.ravel(), lon.ravel() + 0.5, elevation)
        rows += [local_record(lc, i) for i in range(lat.size)]
    return json.dumps(rows, indent=1) + "\n"


if __name__ == "__main__":
    main()
