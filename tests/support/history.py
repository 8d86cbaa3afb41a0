"""Eclipses history records as total at a known place (data/reference/historical_totals.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "reference"


def historical_totals() -> list[dict]:
    """Rows: date, place, latitude, longitude, total_with ('default' or
    '1sigma'), source."""
    with open(DATA / "historical_totals.csv") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))
