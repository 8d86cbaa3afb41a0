"""Interrupted anywhere (issue 16): SIGINT, to the process or to its whole
group as a terminal sends it, and SIGTERM stop every command with one line
and exit 130 or 143, leaving no temporary file and the old output as it was;
what a SIGKILL leaves is removed by the next run on the same target.

Moments are chosen by what the command has done, never by the clock: "start"
is as soon as its handlers are in place (SigCgt in /proc shows SIGTERM
caught, before NumPy is even imported), "working" when it has spent some CPU
time, or when its temporary file exists.  The time each took to stop is
printed (``-s`` shows it), not asserted: the machine may be loaded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ECLIPSE = [sys.executable, "-m", "eclipse"]
#: Generous bounds for the waits, for a loaded machine (nothing is asserted on time).
PATIENCE_S = 120


def start(argv, cwd: Path) -> subprocess.Popen:
    """The command in a session (process group) of its own."""
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.Popen(ECLIPSE + argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def handles_signals(pid: int) -> bool:
    """Whether the process catches SIGTERM (Python alone does not): the
    ``eclipse`` command's handlers are in place."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def cpu_seconds(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def wait_until(process, condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the command ended before {what}: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def interrupt(process, how: str) -> float:
    """Send the signal ``how`` ('int', 'group' or 'term'); returns the
    seconds the command took to end."""
    sent = time.monotonic()
    if how == "group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT if how == "int" else signal.SIGTERM)
    process.wait(timeout=PATIENCE_S)
    return time.monotonic() - sent


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".eclipse-" in p.name)


GRID = ["grid", "2024-04-08", "--resolution-deg", "0.25", "--step-s", "60", "-o", "out.nc"]
SPAN = ["map", "--start", "1951", "--end", "2000", "-o", "out.png"]
CANON = ["find", "--start", "-2999", "--end", "2999", "--format", "json", "-o", "out.json"]


@pytest.mark.parametrize("argv, moment, how", [
    (GRID, "start", "group"), (GRID, "temporary", "int"), (GRID, "temporary", "term"),
    (SPAN, "start", "int"), (SPAN, "working", "group"), (SPAN, "working", "term"),
    (CANON, "start", "int"), (CANON, "start", "term"),
], ids=lambda v: v[0] if isinstance(v, list) else v)
def test_a_signal_stops_the_command(tmp_path, argv, moment, how):
    output = tmp_path / argv[-1]
    output.write_text("the previous output")
    process = start(argv, tmp_path)
    if moment == "start":
        wait_until(process, lambda: handles_signals(process.pid), "its signal handlers")
    elif moment == "working":
        wait_until(process, lambda: cpu_seconds(process.pid) > 3.0, "3 s of work")
    else:
        wait_until(process, lambda: any(".eclipse-tmp-" in p.name for p in tmp_path.iterdir()),
                   "its temporary file")
    took = interrupt(process, how)
    _out, err = process.communicate()
    print(f"{argv[0]} {moment} {how}: stopped in {took:.2f} s")
    assert process.returncode == (143 if how == "term" else 130), err
    assert err == "eclipse: error: interrupted\n"
    assert output.read_text() == "the previous output"
    assert leftovers(tmp_path) == []


def test_what_a_sigkill_leaves_goes_with_the_next_run(tmp_path):
    """A grid killed (SIGKILL) while writing leaves its temporary file and
    lock file; the next run on the same target removes them, whichever
    command it is."""
    process = start(GRID, tmp_path)
    wait_until(process, lambda: any(".eclipse-tmp-" in p.name for p in tmp_path.iterdir()), "its temporary file")
    process.kill()
    process.wait(timeout=PATIENCE_S)
    process.communicate()
    assert any(".eclipse-tmp-" in name for name in leftovers(tmp_path))
    done = subprocess.run(ECLIPSE + ["grid", "2024-04-08", "--resolution-deg", "10", "--step-s", "1200", "-o", "out.nc"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=PATIENCE_S,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    assert done.returncode == 0, done.stderr
    assert leftovers(tmp_path) == [] and (tmp_path / "out.nc").stat().st_size > 0
