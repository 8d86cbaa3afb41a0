"""`eclipse path`: formats, files written whole or not at all, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import pytest

import eclipse
from eclipse.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_table_in_nasas_manner(capsys):
    code, out, err = run(capsys, "path", "2024-04-08")
    assert code == 0 and err == ""
    assert out.startswith("Total solar eclipse of 2024-04-08 - path every 60 s")
    row = next(line for line in out.splitlines() if line.startswith("18:20:00.0"))
    # central line, both limits, Sun, width, duration (NASA's catalog at
    # greatest eclipse, 18:17 UTC: width 197.5 km, duration 4m28.2s)
    cells = row.split()
    assert cells[1:5] == ["26", "02.9N", "103", "24.7W"]
    assert cells[-2] == "197" and cells[-1] == "4m28.0s"
    assert "U1  2024-04-08 16:38:5" in out and "P4  2024-04-08 20:52:2" in out


def test_csv_rows_are_the_steps_and_the_ends(capsys):
    code, out, _ = run(capsys, "path", "2024-04-08", "--step", "300", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "# limits: umbra"
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    p = eclipse.at("2024-04-08").path(step=300)
    times = [r["time_utc"] for r in rows]
    assert times == sorted(times)
    central = [r for r in rows if r["central_lat"]]
    assert len(central) == p.central_line.on_step.sum() + 2
    assert float(central[0]["sun_altitude_deg"]) == pytest.approx(0, abs=1e-4)


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_file_outputs(capsys, tmp_path, fmt):
    target = tmp_path / f"path.{fmt}"
    code, out, err = run(capsys, "path", "2012-11-13", "--format", fmt, "-o", str(target))
    assert code == 0 and out == "" and err == ""
    text = target.read_text()
    if fmt == "geojson":
        assert json.loads(text)["type"] == "FeatureCollection"
    else:
        assert ET.fromstring(text).tag.endswith("kml")
    assert os.listdir(tmp_path) == [target.name]  # no temporary file left


@pytest.mark.parametrize("argv, code, text", [
    (["path", "2024-04-09"], 1, "no solar eclipse"),
    (["path", "2024-04-08", "--step", "0"], 2, "--step must be a positive number"),
    (["path", "2024-04-08", "--step", "-5"], 2, "--step must be a positive number"),
    (["path", "2024-04-08", "--step", "nan"], 2, "--step must be a positive number"),
    (["path", "2024-04-08", "--step", "abc"], 2, "invalid float value"),
    (["path", "2024-04-08", "--format", "shapefile"], 2, "invalid choice"),
    (["path", "2024-04-08", "-o", "/nonexistent/dir/path.geojson", "--format", "geojson"], 2, "cannot write"),
])
def test_bad_input_one_line(capsys, argv, code, text):
    status, out, err = run(capsys, *argv)
    assert status == code
    assert text in err and err.startswith("eclipse:")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_output_is_a_directory(capsys, tmp_path):
    status, _, err = run(capsys, "path", "2024-04-08", "-o", str(tmp_path))
    assert status == 2 and "cannot write" in err and len(err.splitlines()) == 1


def test_failed_run_leaves_no_partial_file(capsys, tmp_path, monkeypatch):
    target = tmp_path / "path.geojson"
    target.write_text("previous")
    # a bad step: nothing is computed, the old file stays as it was
    status, _, _ = run(capsys, "path", "2024-04-08", "--step", "0", "-o", str(target))
    assert status == 2 and target.read_text() == "previous"
    # a failure at the moment of replacing the file: one line, old file
    # intact, no temporary file left beside it
    import eclipse.files as files

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    status, _, err = run(capsys, "path", "2024-04-08", "--format", "geojson", "-o", str(target))
    assert status == 2 and "cannot write" in err and len(err.splitlines()) == 1
    assert target.read_text() == "previous"
    assert os.listdir(tmp_path) == [target.name]


def test_partial_eclipse_table(capsys):
    code, out, _ = run(capsys, "path", "2025-03-29", "--step", "600")
    assert code == 0
    assert out.startswith("Partial solar eclipse of 2025-03-29")
    assert "Penumbral south limit" in out and "U1" not in out
