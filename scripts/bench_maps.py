"""Benchmark: maps as whole processes, the way a user runs them.

    python scripts/bench_maps.py [--repeat 3]

Goals (issue 4): one map under 3 s; a decade map under 6 s; (issue 16) a
century's map, near the most a span map draws (io.mapdata.MAX_SPAN_PATHS),
under 40 s.  Each command
is a fresh `python -m eclipse map ...` process writing a PNG to a temporary
folder; the best of --repeat runs is printed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # tests/support

from support.timing import timed

COMMANDS = [
    ("one eclipse, global view", ["map", "2024-04-08"], 3.0),
    ("one eclipse, --region auto", ["map", "2024-04-08", "--region", "auto"], 3.0),
    ("decade map 2020-2030", ["map", "--start", "2020", "--end", "2030"], 6.0),
    ("century map 1951-2050", ["map", "--start", "1951", "--end", "2050"], 40.0),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'map':<30} {'seconds':>8} {'goal':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for name, argv, goal in COMMANDS:
            command = [sys.executable, "-m", "eclipse", *argv, "-o", str(Path(folder) / "map.png")]
            times, _ = timed(args.repeat, lambda command=command: subprocess.run(command, check=True, capture_output=True))
            print(f"{name:<30} {min(times):8.2f} {goal:6.1f}")


if __name__ == "__main__":
    main()
