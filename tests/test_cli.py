"""The command line: output, exit codes and one-line errors."""

import json
import subprocess
import sys

import pytest

import eclipse
from eclipse.cli import main
from nasa import catalog


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_find_year_table(capsys):
    code, out, err = run(capsys, "find", "--year", "2024")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[2].startswith("2024-04-08  18:17:") and "total" in lines[2] and "139" in lines[2]
    assert lines[3].startswith("2024-10-02") and "annular" in lines[3]
    assert len(lines) == 4


def test_find_json_contract(capsys):
    code, out, _ = run(capsys, "find", "--start", "2020-01-01", "--end", "2030-12-31", "--format", "json")
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


def test_find_kinds_and_csv(capsys):
    code, out, _ = run(capsys, "find", "--start", "2020-01-01", "--end", "2030-12-31",
                       "--kind", "total", "--kind", "hybrid", "--format", "csv")
    assert code == 0
    rows = out.splitlines()[1:]
    assert {row.split(",")[1] for row in rows} == {"total", "hybrid"}


def test_find_delta_t(capsys):
    code, out, _ = run(capsys, "find", "--year", "2024", "--delta-t", "74", "--format", "json")
    assert code == 0 and json.loads(out)[0]["delta_t_s"] == 74.0


def test_elements(capsys):
    code, out, _ = run(capsys, "elements", "2024-04-08")
    assert code == 0
    assert "t0 = 18.000 TT" in out and "-0.3182500" in out
    code, out, _ = run(capsys, "elements", "2024-04-08", "--format", "json")
    data = json.loads(out)
    assert abs(data["x"][0] - -0.318244) < 2e-5 and len(data["x"]) == 4 and len(data["mu"]) == 3


@pytest.mark.parametrize("argv, code, text", [
    (["find", "--year", "abc"], 2, "invalid int value: 'abc'"),
    (["find", "--year", "1850"], 2, "1900 to 2052"),
    (["find", "--start", "2030-01-01", "--end", "2020-01-01"], 2, "after the end"),
    (["find", "--year", "2024", "--ephemeris", "/nonexistent/de440.bsp"], 2, "not found"),
    (["elements", "2024-04-09"], 1, "nearest before: 2024-04-08; nearest after: 2024-10-02"),
    (["elements", "2024-02-30"], 2, "no day 30"),
    (["find", "--year", "2024", "--kind", "hybrid"], 1, "no solar eclipse"),
    (["find", "--format", "xml"], 2, "invalid choice"),
])
def test_bad_input_one_line(capsys, argv, code, text):
    status, out, err = run(capsys, *argv)
    assert status == code
    assert text in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_year_outside_names_ephemeris_option(capsys):
    _, _, err = run(capsys, "find", "--year", "1850")
    assert "--ephemeris" in err


def test_corrupt_ephemeris(capsys, tmp_path):
    bad = tmp_path / "bad.bsp"
    bad.write_bytes(b"not a kernel" * 100)
    status, _, err = run(capsys, "find", "--year", "2024", "--ephemeris", str(bad))
    assert status == 2 and "not a JPL SPK kernel" in err and len(err.splitlines()) == 1


def test_at_no_eclipse_names_nearest():
    with pytest.raises(eclipse.NoEclipseError, match="2024-04-08.*2024-10-02"):
        eclipse.at("2024-04-09")


def test_python_dash_m_runs_without_warnings():
    """`python -m eclipse` works and prints nothing on stderr (no expiry warning
    from skyfield-data, no download)."""
    result = subprocess.run([sys.executable, "-m", "eclipse", "find", "--year", "2024"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "2024-04-08" in result.stdout


def test_subprocess_error_has_no_traceback():
    result = subprocess.run([sys.executable, "-m", "eclipse", "elements", "abc"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["eclipse: error: cannot read date 'abc': expected YYYY-MM-DD"]


def test_ephemeris_option_loads_the_given_kernel(capsys, tmp_path):
    """--ephemeris takes any JPL SPK file: a copy of DE421 under another name
    gives the same eclipses, and its name appears in range errors."""
    import shutil

    from eclipse.ephemeris import default_ephemeris_path

    kernel = tmp_path / "my-kernel.bsp"
    shutil.copy(default_ephemeris_path(), kernel)
    status, out, _ = run(capsys, "find", "--year", "2024", "--ephemeris", str(kernel), "--format", "json")
    assert status == 0
    assert [e["date"] for e in json.loads(out)] == ["2024-04-08", "2024-10-02"]
    assert {e["ephemeris"] for e in json.loads(out)} == {"my-kernel.bsp"}
    status, _, err = run(capsys, "find", "--year", "1850", "--ephemeris", str(kernel))
    assert status == 2 and "my-kernel.bsp covers the years 1900 to 2052" in err
