"""The command line: output, exit codes, one-line errors, files written
whole or not at all (tests/support/cli.py runs it)."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import eclipse
from support.cli import one_line_error, run, run_process
from support.nasa import catalog


def test_find_year_table():
    code, out, err = run("find", "--year", "2024")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[2].startswith("2024-04-08  18:17:") and "total" in lines[2] and "139" in lines[2]
    assert lines[3].startswith("2024-10-02") and "annular" in lines[3]
    assert len(lines) == 4


def test_find_json_contract():
    code, out, _ = run("find", "--start", "2020-01-01", "--end", "2030-12-31", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [item["date"] for item in data] == [r.date for r in catalog(2020, 2030)]
    keys = {"date", "kind", "central", "time_utc", "time_tt", "latitude", "longitude", "gamma",
            "magnitude", "sun_altitude_deg", "sun_azimuth_deg", "duration_s", "path_width_km",
            "saros", "delta_t_s"}
    for item in data:
        assert keys <= set(item)
    e = next(item for item in data if item["date"] == "2024-04-08")
    assert e["kind"] == "total" and e["central"] is True and e["saros"] == 139
    partial = next(item for item in data if item["date"] == "2025-03-29")
    assert partial["duration_s"] is None and partial["path_width_km"] is None


def test_find_kinds_and_csv():
    code, out, _ = run("find", "--start", "2020-01-01", "--end", "2030-12-31",
                       "--kind", "total", "--kind", "hybrid", "--format", "csv")
    assert code == 0
    rows = out.splitlines()[1:]
    assert {row.split(",")[1] for row in rows} == {"total", "hybrid"}


def test_find_delta_t():
    code, out, _ = run("find", "--year", "2024", "--delta-t", "74", "--format", "json")
    assert code == 0 and json.loads(out)[0]["delta_t_s"] == 74.0


def test_elements():
    code, out, _ = run("elements", "2024-04-08")
    assert code == 0
    assert "t0 = 18.000 TT" in out and "-0.3182500" in out
    code, out, _ = run("elements", "2024-04-08", "--format", "json")
    data = json.loads(out)
    assert abs(data["x"][0] - -0.318244) < 2e-5 and len(data["x"]) == 4 and len(data["mu"]) == 3


@pytest.mark.parametrize("argv, code, text", [
    (["find", "--year", "abc"], 2, "invalid int value: 'abc'"),
    (["find", "--year", "3000"], 2, "canon (DE422) covers -2999-01-01 to 2999-12-31 (de421.bsp covers 1899-07-30"),
    (["find", "--start", "2030-01-01", "--end", "2020-01-01"], 2, "after the end"),
    (["find", "--year", "2024", "--ephemeris", "/nonexistent/de440.bsp"], 2, "not found"),
    (["elements", "2024-04-09"], 1, "nearest before: 2024-04-08; nearest after: 2024-10-02"),
    (["elements", "2024-02-30"], 2, "no day 30"),
    (["find", "--year", "2024", "--kind", "hybrid"], 1, "no solar eclipse"),
    (["find", "--format", "xml"], 2, "invalid choice"),
])
def test_bad_input_one_line(argv, code, text):
    status, _out, err = run(*argv)
    assert status == code
    assert text in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_year_outside_names_ephemeris_option():
    _, _, err = run("find", "--year", "3000")
    assert "--ephemeris" in err


def test_corrupt_ephemeris(tmp_path):
    bad = tmp_path / "bad.bsp"
    bad.write_bytes(b"not a kernel" * 100)
    status, _, err = run("find", "--year", "2024", "--ephemeris", str(bad))
    assert status == 2 and "not a JPL SPK kernel" in err and len(err.splitlines()) == 1


def test_python_dash_m_runs_without_warnings():
    """`python -m eclipse` works and prints nothing on stderr (no expiry warning
    from skyfield-data, no download)."""
    result = run_process("find", "--year", "2024")
    assert result.code == 0, result.err
    assert result.err == ""
    assert "2024-04-08" in result.out


def test_subprocess_error_has_no_traceback():
    result = run_process("elements", "abc")
    assert result.code == 2
    assert result.err.strip().splitlines() == ["eclipse: error: cannot read date 'abc': expected YYYY-MM-DD or a year"]


def test_ephemeris_option_loads_the_given_kernel(tmp_path):
    """--ephemeris takes any JPL SPK file: a copy of DE421 under another name
    gives the same eclipses, and its name appears in range errors."""
    import shutil

    from eclipse.sources.kernel import default_ephemeris_path

    kernel = tmp_path / "my-kernel.bsp"
    shutil.copy(default_ephemeris_path(), kernel)
    status, out, _ = run("find", "--year", "2024", "--ephemeris", str(kernel), "--format", "json")
    assert status == 0
    assert [e["date"] for e in json.loads(out)] == ["2024-04-08", "2024-10-02"]
    assert {e["ephemeris"] for e in json.loads(out)} == {"my-kernel.bsp"}
    status, _, err = run("find", "--year", "1850", "--ephemeris", str(kernel))
    assert status == 2 and "my-kernel.bsp covers 1899-07-30 to 2053-10-07" in err


def test_cli_local_json():
    import json

    code, out, err = run("local", "2024-04-08", "--lat", "32.78", "--lon", "-96.80",
                             "--elevation-m", "150", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    for key in ("kind_seen", "c1", "c2", "max", "c3", "c4", "magnitude", "obscuration",
                "duration_s", "sun_altitude_deg", "sun_azimuth_deg"):
        assert key in data
    assert data["kind_seen"] == "total" and data["c2"].startswith("2024-04-08T18:40:")
    assert 200 < data["duration_s"] < 240 and data["obscuration"] == 1.0
    assert data["place"] is None and data["elevation_m"] == 150.0


def test_cli_local_place_table():
    code, out, err = run("local", "2024-04-08", "--place", "Dallas")
    assert code == 0 and err == ""
    assert "Dallas, TX, United States" in out and "Seen: total" in out
    assert "13:40:4" in out and "CDT" in out  # C2 in local time (UTC-5)


def test_cli_local_place_json_local_times():
    import json

    code, out, _ = run("local", "2024-04-08", "--place", "Dublin", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["timezone"] == "Europe/Dublin" and data["kind_seen"] == "partial"
    assert data["contacts"]["c1"]["time_local"].endswith("+01:00")  # Irish summer time
    assert data["sunset"] is not None and data["contacts"]["max"]["sun_below_horizon"] is True


def test_cli_local_horizon():
    """The apparent horizon by default, said in the table and carried in the
    JSON; --horizon geometric is the Sun's centre on the astronomical
    horizon (Dublin's sunset 2024-04-08 about 6 min earlier); warmer,
    thinner air refracts less."""
    code, out, err = run("local", "2024-04-08", "--place", "Dublin")
    assert code == 0 and err == ""
    assert "horizon: apparent (refraction at 10 °C, 1010 hPa; sunrise and sunset: the Sun's upper limb on it)" in out
    seen = {}
    for options in ((), ("--horizon", "geometric"), ("--temperature", "30", "--pressure", "900")):
        code, out, _ = run("local", "2024-04-08", "--place", "Dublin", "--format", "json", *options)
        data = json.loads(out)
        seen[options[:2]] = data
        assert code == 0 and data["sunset"] is not None
    assert seen[()]["horizon"] == {"kind": "apparent", "temperature_c": 10.0, "pressure_hpa": 1010.0}
    geometric = seen[("--horizon", "geometric")]
    assert geometric["horizon"] == {"kind": "geometric", "temperature_c": None, "pressure_hpa": None}
    sunset = {k: float(v["sunset"][14:16]) * 60 + float(v["sunset"][17:19]) for k, v in seen.items()}
    assert 300 < sunset[()] - sunset[("--horizon", "geometric")] < 400
    assert sunset[("--horizon", "geometric")] < sunset[("--temperature", "30")] < sunset[()]
    assert seen[("--temperature", "30")]["horizon"] == {"kind": "apparent", "temperature_c": 30.0, "pressure_hpa": 900.0}
    code, out, _ = run("next", "--place", "Dublin", "--start", "2024-01-01", "--count", "1", "--format", "json",
                       "--horizon", "geometric")
    assert code == 0 and json.loads(out)["horizon"]["kind"] == "geometric"
    assert json.loads(out)["eclipses"][0]["horizon"]["kind"] == "geometric"
    code, out, _ = run("local", "2024-04-08", "--place", "Dublin", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert (row["horizon"], row["temperature_c"], row["pressure_hpa"]) == ("apparent", "10.0", "1010.0")


@pytest.mark.parametrize("options, message", [
    (("--temperature", "100"), "temperature 100 °C is outside [-90, 60] °C"),
    (("--pressure", "-3"), "pressure -3 hPa is outside [0, 1100] hPa"),
    (("--temperature", "nan"), "temperature nan °C is outside"),
    (("--horizon", "geometric", "--pressure", "1000"), "for the apparent horizon, not the geometric one"),
    (("--horizon", "flat"), "invalid choice: 'flat'"),
])
@pytest.mark.parametrize("command", [("local", "2024-04-08"), ("next",)])
def test_cli_bad_horizon_is_one_line(command, options, message):
    code, out, err = run(*command, "--place", "Dublin", *options)
    assert code == 2 and out == "" and one_line_error(err) and message in err


@pytest.mark.parametrize("where, named", [(("--place", "Cape Town"), "Cape Town, South Africa"),
                                          (("--place", "London"), "London, United Kingdom"),
                                          (("--lat", "-33.9", "--lon", "18.4"), "33.9000S 18.4000E")])
def test_cli_not_visible_is_an_answer(where, named):
    code, out, err = run("local", "2024-04-08", *where)
    assert code == 0 and err == ""
    assert f"not visible from {named}:" in out


@pytest.mark.parametrize("argv,code", [
    (("local", "2024-04-08", "--lat", "91", "--lon", "0"), 2),
    (("local", "2024-04-08", "--lat", "-90.01", "--lon", "0"), 2),
    (("local", "2024-04-08", "--lat", "10", "--lon", "360"), 2),
    (("local", "2024-04-08", "--lat", "10", "--lon", "-180.5"), 2),
    (("local", "2024-04-08", "--lat", "ten", "--lon", "0"), 2),
    (("local", "2024-04-08", "--lat", "10"), 2),
    (("local", "2024-04-08", "--place", "Dallas", "--lat", "10", "--lon", "0"), 2),
    (("local", "2024-04-08", "--place", "Valencia"), 2),
    (("local", "2024-04-08", "--place", "Xyzzyville"), 2),
    (("local", "2024-05-01", "--place", "Dallas"), 1),
    (("local", "2024-13-01", "--place", "Dallas"), 2),
    (("next", "--place", "Madrid", "--count", "0"), 2),
    (("next", "--lat", "100", "--lon", "0"), 2),
])
def test_cli_bad_input_one_line(argv, code):
    got, _out, err = run(*argv)
    assert got == code
    assert one_line_error(err), err
    if code == 2:
        assert err.startswith("eclipse: error: ")


def test_cli_ambiguous_place_lists_candidates():
    # (Portland, once ambiguous, is now Oregon's: 1.9 M against 67 k in Maine; eclipse.io.places)
    _, _, err = run("local", "2024-04-08", "--place", "Springfield")
    assert "Springfield, MO, United States" in err and "Springfield, IL, United States" in err


def test_cli_next():
    import json

    code, out, err = run("next", "--place", "Madrid", "--count", "2", "--start", "2026-01-01")
    assert code == 0 and err == ""
    rows = [line for line in out.splitlines() if line[:4].isdigit()]
    assert len(rows) == 2 and rows[0].startswith("2026-08-12") and "partial" in rows[0]
    code, out, _ = run("next", "--place", "Madrid", "--seen", "annular", "--start", "2000-01-01",
                       "--count", "1", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [e["date"] for e in data["eclipses"]] == ["2005-10-03"]
    assert data["eclipses"][0]["kind_seen"] == "annular" and data["eclipses"][0]["duration_s"] > 200


def test_cli_next_until_the_ephemeris_ends():
    # nothing found is an answer, said so (exit 0), with where the search stopped
    code, out, err = run("next", "--place", "Madrid", "--seen", "total", "--start", "2900-01-01")
    assert code == 0 and err == ""
    assert out.startswith("No total solar eclipse seen from Madrid, Spain from 2900-01-01 to 2999-12-31")
    assert "the end of canon (DE422)" in out
    code, out, _ = run("next", "--place", "Madrid", "--seen", "total", "--start", "2900-01-01", "--format", "json")
    assert code == 0 and json.loads(out)["eclipses"] == [] and json.loads(out)["ephemeris_end"] is True


def test_cli_next_kind_is_the_eclipses_kind():
    # README's example: --kind is the eclipse's kind (as in find), --seen the
    # kind seen from the place
    code, out, _ = run("next", "--place", "Madrid", "--count", "5", "--kind", "total", "annular",
                       "--start", "2026-01-01")
    rows = [line for line in out.splitlines() if line[:4].isdigit()]
    assert code == 0 and len(rows) == 5
    found = {e.date: e.kind for e in eclipse.find(start="2026-01-01", end="2053-10-07")}
    assert all(found[row[:10]] in ("total", "annular") for row in rows)
    assert "partial" in out  # seen as partial from Madrid, e.g. 2026-08-12


def test_table_in_nasas_manner():
    code, out, err = run("path", "2024-04-08")
    assert code == 0 and err == ""
    assert out.startswith("Total solar eclipse of 2024-04-08 - path every 60 s")
    row = next(line for line in out.splitlines() if line.startswith("18:20:00.0"))
    # central line, both limits, Sun, width, duration (NASA's catalog at
    # greatest eclipse, 18:17 UTC: width 197.5 km, duration 4m28.2s)
    cells = row.split()
    assert cells[1:5] == ["26", "02.9N", "103", "24.7W"]
    assert cells[-2] == "197" and cells[-1] == "4m28.0s"
    assert "U1  2024-04-08 16:38:5" in out and "P4  2024-04-08 20:52:2" in out


def test_csv_rows_are_the_steps_and_the_ends():
    code, out, _ = run("path", "2024-04-08", "--step-s", "300", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("time_utc,central_lat,central_lon,umbra_north_lat")  # the header first
    rows = list(csv.DictReader(io.StringIO(out)))
    p = eclipse.at("2024-04-08").path(step_s=300)
    times = [r["time_utc"] for r in rows]
    assert times == sorted(times)
    central = [r for r in rows if r["central_lat"]]
    assert len(central) == p.central_line.on_step.sum() + 2
    assert float(central[0]["sun_altitude_deg"]) == pytest.approx(0, abs=1e-4)
    assert not [v for r in rows for v in r.values() if v.startswith("-0.0") and float(v) == 0]  # no "-0.0"


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_file_outputs(tmp_path, fmt):
    target = tmp_path / f"path.{fmt}"
    code, out, err = run("path", "2012-11-13", "--format", fmt, "-o", str(target))
    assert code == 0 and out == f"wrote {target}\n" and err == ""  # says what it wrote, as map does
    text = target.read_text()
    if fmt == "geojson":
        assert json.loads(text)["type"] == "FeatureCollection"
    else:
        assert ET.fromstring(text).tag.endswith("kml")
    assert os.listdir(tmp_path) == [target.name]  # no temporary file left


@pytest.mark.parametrize("name, first", [("path.geojson", '{"type": "FeatureCollection"'), ("path.json", "{"),
                                         ("path.kml", "<?xml"), ("path.csv", "time_utc,"),
                                         ("path.txt", "Total solar eclipse")])
def test_path_format_follows_the_extension(tmp_path, name, first):
    code, _, err = run("path", "2024-04-08", "--step-s", "600", "-o", str(tmp_path / name))
    assert code == 0 and err == ""
    assert (tmp_path / name).read_text().startswith(first)


@pytest.mark.parametrize("argv, text", [
    (["path", "2024-04-08", "--format", "kml", "-o", "x.geojson"], "--format kml contradicts the extension of x.geojson"),
    (["path", "2024-04-08", "-o", "x.shp"], "cannot tell the format of x.shp"),
    (["find", "--year", "2024", "--format", "csv", "-o", "x.json"], "contradicts"),
])
def test_format_contradicting_the_extension(tmp_path, monkeypatch, argv, text):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(*argv)
    assert code == 2 and text in err and one_line_error(err)
    assert os.listdir(tmp_path) == []


def test_find_and_next_write_files(tmp_path):
    code, out, _ = run("find", "--year", "2024", "-o", str(tmp_path / "2024.csv"))
    assert code == 0 and out == f"wrote {tmp_path / '2024.csv'}\n"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "2024.csv").read_text())))
    assert [r["date"] for r in rows] == ["2024-04-08", "2024-10-02"]
    code, out, _ = run("find", "--year", "2024", "-o", "-", "--format", "json")
    assert code == 0 and [e["date"] for e in json.loads(out)] == ["2024-04-08", "2024-10-02"]


def test_output_through_a_link_writes_its_target(tmp_path):
    """A symbolic link is followed: the target gets the content, whole; the
    link stays a link (it used to be replaced by a regular file)."""
    real = tmp_path / "data" / "path.geojson"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.geojson"
    link.symlink_to(real)
    code, _, err = run("path", "2024-04-08", "--step-s", "600", "-o", str(link))
    assert code == 0 and err == ""
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["type"] == "FeatureCollection"
    assert sorted(os.listdir(real.parent)) == ["path.geojson"]


def test_output_to_devices_and_pipes_writes_them_directly():
    """/dev/null is opened and written, never renamed over (as root that
    used to turn the device into a regular file); a full device gives one
    line; a named pipe is written like a device."""
    import stat

    code, out, err = run("path", "2024-04-08", "--step-s", "600", "--format", "geojson", "-o", "/dev/null")
    assert code == 0 and out == "" and err == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    if os.path.exists("/dev/full"):
        code, _, err = run("find", "--year", "2024", "-o", "/dev/full")
        assert code == 3 and one_line_error(err) and "No space left on device" in err
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_to_a_named_pipe(tmp_path):
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(Path(fifo).read_text()))
    reader.start()
    code, _, err = run("find", "--year", "2024", "--format", "csv", "-o", str(fifo))
    reader.join(timeout=60)
    assert code == 0 and err == "" and received and received[0].startswith("date,kind")
    assert os.path.exists(fifo) and not os.path.isfile(fifo)


@pytest.mark.parametrize("argv, code, text", [
    (["path", "2024-04-09"], 1, "no solar eclipse"),
    (["path", "2024-04-08", "--step-s", "0"], 2, "--step-s must be at least 1 second"),
    (["path", "2024-04-08", "--step-s", "-5"], 2, "--step-s must be at least 1 second"),
    (["path", "2024-04-08", "--step-s", "nan"], 2, "--step-s must be at least 1 second"),
    (["path", "2024-04-08", "--step-s", "0.01"], 2, "--step-s must be at least 1 second"),
    (["path", "2024-04-08", "--step-s", "abc"], 2, "invalid float value"),
    (["path", "2024-04-08", "--format", "shapefile"], 2, "invalid choice"),
    (["path", "2024-04-08", "-o", "/nonexistent/dir/path.geojson", "--format", "geojson"], 2, "cannot write"),
])
def test_path_bad_input_one_line(argv, code, text):
    status, _out, err = run(*argv)
    assert status == code
    assert text in err and err.startswith("eclipse:")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_output_is_a_directory(tmp_path):
    status, _, err = run("path", "2024-04-08", "-o", str(tmp_path))
    assert status == 2 and "cannot write" in err and len(err.splitlines()) == 1


def test_failed_run_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "path.geojson"
    target.write_text("previous")
    # a bad step: nothing is computed, the old file stays as it was
    status, _, _ = run("path", "2024-04-08", "--step-s", "0", "-o", str(target))
    assert status == 2 and target.read_text() == "previous"
    # a failure at the moment of replacing the file: one line, old file
    # intact, no temporary file left beside it
    import eclipse.io.files as files

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    status, _, err = run("path", "2024-04-08", "--format", "geojson", "-o", str(target))
    assert status == 3 and "cannot write" in err and len(err.splitlines()) == 1
    assert target.read_text() == "previous"
    assert os.listdir(tmp_path) == [target.name]


def test_partial_eclipse_table():
    code, out, _ = run("path", "2025-03-29", "--step-s", "600")
    assert code == 0
    assert out.startswith("Partial solar eclipse of 2025-03-29")
    assert "Penumbral south limit" in out and "U1" not in out


def test_version():
    from eclipse.cli import package_version

    code, out, _err = run("--version")
    assert code == 0 and out == f"eclipse {package_version()}\n"
    assert package_version() != "unknown"  # installed: the distribution's version


@pytest.mark.parametrize("argv, text", [
    (["find", "--year", "2024", "--delta-t", "nan"], "Delta T nan s is not a finite number from -1,000 to 150,000 s"),
    (["find", "--year", "2024", "--delta-t", "inf"], "is not a finite number from -1,000 to 150,000 s"),
    (["find", "--year", "2024", "--delta-t", "1e6"], "is not a finite number from -1,000 to 150,000 s"),
    (["local", "2024-04-08", "--lat", "30", "--lon", "0", "--elevation-m", "-20000"], "elevation -20000 m is outside"),
    (["local", "2024-04-08", "--lat", "30", "--lon", "0", "--elevation-m", "1e9"], "elevation 1e+09 m is outside"),
    (["local", "2024-04-08", "--lat", "30", "--lon", "0", "--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["next", "--place", "Madrid", "--kind", "ring"], "invalid choice: 'ring'"),
])
def test_more_bad_input_one_line(argv, text):
    code, _out, err = run(*argv)
    assert code == 2 and text in err and one_line_error(err), err


def test_truncated_ephemeris_file(tmp_path):
    from eclipse.sources.kernel import default_ephemeris_path

    truncated = tmp_path / "de421-part.bsp"
    with open(default_ephemeris_path(), "rb") as f:
        truncated.write_bytes(f.read(3_000_000))
    code, _, err = run("find", "--year", "2024", "--ephemeris", str(truncated))
    assert code == 2 and one_line_error(err) and "is truncated" in err


def test_bare_years_in_every_command():
    code, out, _ = run("find", "--start", "2030", "--end", "2031", "--format", "json")
    dates = [e["date"] for e in json.loads(out)]
    assert code == 0 and dates[0].startswith("2030-") and dates[-1].startswith("2031-") and len(dates) == 4


def test_local_csv_and_next_csv():
    code, out, _ = run("local", "2024-04-08", "--place", "Dallas", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 1 and rows[0]["kind_seen"] == "total"
    assert rows[0]["c2"].startswith("2024-04-08T18:40:") and rows[0]["c2_local"].startswith("2024-04-08T13:40:")
    assert rows[0]["place"] == "Dallas, TX, United States" and rows[0]["timezone"] == "America/Chicago"
    code, out, _ = run("next", "--place", "Madrid", "--start", "2026-01-01", "--count", "3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["date"] for r in rows][:1] == ["2026-08-12"] and len(rows) == 3


def test_local_position_angles_in_table_json_and_csv():
    """P and V of each contact, as LocalCircumstances has them, in the table,
    the JSON (each contact's position_angle_p_deg, position_angle_v_deg) and
    the CSV (c1_position_angle_p_deg ...) to 0.1 degree; none where a
    contact does not happen (C2, C3 of a partial)."""
    e = eclipse.at("2024-04-08")
    for lat, lon, central in (("32.78", "-96.80", True), ("40.71", "-74.01", False)):
        lc = e.local(float(lat), float(lon))
        expected = {name: (round(float(lc.contact_position_angle_p_deg[i]), 1),
                           round(float(lc.contact_position_angle_v_deg[i]), 1))
                    for i, name in enumerate(("c1", "c2", "max", "c3", "c4"))}
        _, out, _ = run("local", "2024-04-08", "--lat", lat, "--lon", lon, "--format", "json")
        contacts = json.loads(out)["contacts"]
        _, out, _ = run("local", "2024-04-08", "--lat", lat, "--lon", lon, "--format", "csv")
        row = next(csv.DictReader(io.StringIO(out)))
        _, table, _ = run("local", "2024-04-08", "--lat", lat, "--lon", lon)
        assert "P, V: where the contact is on the Sun's disc" in table
        for name, (p, v) in expected.items():
            if name in ("c2", "c3") and not central:
                assert contacts[name] is None and row[f"{name}_position_angle_p_deg"] == ""
                continue
            assert (contacts[name]["position_angle_p_deg"], contacts[name]["position_angle_v_deg"]) == (p, v)
            assert (float(row[f"{name}_position_angle_p_deg"]), float(row[f"{name}_position_angle_v_deg"])) == (p, v)
            label = {"c1": "C1 ", "c2": "C2 ", "max": "Maximum", "c3": "C3 ", "c4": "C4 "}[name]
            line = next(line for line in table.splitlines() if line.startswith(label))
            assert line.split("°")[2:4] == [f" {p:5.1f}", f" {v:5.1f}"], line


def test_next_ics_is_a_calendar(tmp_path):
    target = tmp_path / "eclipses.ics"
    code, _out, err = run("next", "--place", "Madrid", "--start", "2026-01-01", "--count", "2", "-o", str(target))
    assert code == 0 and err == ""
    data = target.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)  # RFC 5545 3.1: folded at 75 octets
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    starts = [line for line in unfolded if line.startswith("DTSTART:")]
    assert len(starts) == 2 and unfolded.count("BEGIN:VEVENT") == 2
    # 2026-08-12 from Madrid: C1 at 17:3x UTC, the Sun sets before C4
    assert starts[0].startswith("DTSTART:20260812T17")
    description = next(line for line in unfolded if line.startswith("DESCRIPTION:"))
    assert "Sunset" in description and "CEST" in description and "\\n" in description


def test_partial_never_shown_as_100_percent():
    """Madrid on 2026-08-12: obscuration 0.99959, a partial eclipse: never
    '100.0%' (nor magnitude 1.0000)."""
    _, out, _ = run("local", "2026-08-12", "--place", "Madrid")
    summary = next(line for line in out.splitlines() if line.startswith("Seen:"))
    assert "Seen: partial" in summary and "100.0%" not in summary and "1.0000" not in summary
    assert "obscuration 99.9" in summary
    _code, out, _ = run("local", "2024-04-08", "--place", "Dallas")
    assert "obscuration 100.0%" in out


def test_antimeridian_and_long_time_zone_names():
    _, out, _ = run("local", "2024-04-08", "--lat", "0", "--lon", "180")
    assert "0.0000N 180.0000E" in out
    _code, out, _ = run("local", "2024-04-08", "--place", "Indianapolis", "--timezone", "America/Indiana/Indianapolis")
    header = next(line for line in out.splitlines() if "Local (America/Indiana/Indianapolis)" in line)
    assert "Local (America/Indiana/Indianapolis)  " in header  # the column is as wide as its title
    rows = [line for line in out.splitlines() if line.startswith(("C1", "C2", "Maximum"))]
    column = header.index("Sun alt")
    assert all(row[column - 2:column] == "  " for row in rows)


def test_a_leading_minus_is_a_date_not_an_option():
    # Babylon, 136 BCE: the total eclipse recorded on a clay tablet (BM 34034)
    code, out, err = run("local", "-0135-04-15", "--lat", "32.54", "--lon", "44.42")
    assert code == 0 and err == "" and "seen from 32.5400N 44.4200E" in out and "Seen: total" in out
    assert out.startswith("Total solar eclipse of -0135-04-15 (136 BCE)")
    code, out, _ = run("find", "--start", "-2999", "--end", "-2000", "--format", "json")
    assert code == 0 and json.loads(out)[0]["date"].startswith("-2999-")
    code, _, err = run("find", "--start", "-3500", "--end", "-2000")
    assert code == 2 and "-3500-01-01 to -2000-12-31 is not within the ephemeris" in err and one_line_error(err)
