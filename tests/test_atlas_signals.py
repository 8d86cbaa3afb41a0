"""Atlases interrupted (issue 16), apart from test_atlas_runs.py so that
they run beside it under pytest-xdist: SIGINT to the process group (a
terminal's Ctrl-C), SIGINT or SIGTERM to the process, while the cluster
starts or while tasks run: one line, exit 130 or 143, nothing left behind,
no process left, and the same command resumes to the same numbers.
"""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest
import xarray as xr

from support.atlas import ECLIPSE, chunks_in, wait_for

# --- (f) interrupted -------------------------------------------------------------------------

INTERRUPTED = "eclipse: error: interrupted; run the same command again to resume\n"


def spawned_workers(pid: int) -> bool:
    """Whether the process ``pid`` has started a worker process."""
    import psutil

    try:
        return any("--multiprocessing-fork" in child.cmdline() for child in psutil.Process(pid).children())
    except psutil.Error:
        return False


def session_processes(sid: int) -> list:
    """The processes alive (not zombies) in the session ``sid``."""
    import psutil

    alive = []
    for p in psutil.process_iter():
        try:
            if os.getsid(p.pid) == sid and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except (OSError, psutil.Error):
            pass
    return alive


@pytest.mark.parametrize("target,signum,moment", [
    ("group", signal.SIGINT, "starting"), ("group", signal.SIGINT, "computing"),
    ("process", signal.SIGINT, "computing"), ("process", signal.SIGTERM, "starting"),
], ids=lambda v: getattr(v, "name", v))
def test_interrupted_atlas_stops_and_resumes(tmp_path, processes, reference, target, signum, moment):
    """`eclipse atlas` on a local cluster of 2 workers, in a session of its
    own, sent SIGINT (to its process group, as a terminal's Ctrl-C, or to
    the process) or SIGTERM while its cluster starts (a worker process
    spawned) or while tasks run (chunks written): exit 130 or 143, standard
    error exactly the one line, nothing on standard output, no temporary
    file beside the store, none of its processes left (those seen before
    the signal, nor any other of its session).  The same command then
    completes with the brute force's numbers.  How long the stop took is
    printed (-s shows it), not asserted."""
    import psutil

    store = tmp_path / "atlas.zarr"
    argv = ECLIPSE + ["atlas", "--start", "2015", "--end", "2022", "--what", "max-obscuration", "--resolution-deg", "3",
                      "--chunk", "64", "--batch", "1", "-o", str(store), "--workers", "2", "--no-progress"]
    run = processes.start(argv, start_new_session=True)
    ready = {"starting": lambda: spawned_workers(run.pid),
             "computing": lambda: len(chunks_in(store, "partial")) >= 2}[moment]
    wait_for(lambda: ready() or run.poll() is not None, 120, f"the atlas {moment}")
    children = psutil.Process(run.pid).children(recursive=True)
    assert run.poll() is None and children, run.communicate()
    sent = time.monotonic()
    if target == "group":
        os.killpg(run.pid, signum)
    else:
        run.send_signal(signum)
    out, err = run.communicate(timeout=120)
    print(f"\n{target} {signum.name} while {moment}: stopped in {time.monotonic() - sent:.2f} s")
    assert (run.returncode, err, out) == (128 + signum, INTERRUPTED, "")
    _gone, alive = psutil.wait_procs(children, timeout=60)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
    wait_for(lambda: not session_processes(run.pid), 60, "the run's processes to end")
    assert not [p.name for p in tmp_path.iterdir() if "eclipse-tmp" in p.name or "eclipse-old" in p.name]
    resumed = processes.start(argv)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    ds = xr.open_zarr(store)
    assert ds.attrs["complete"] == 1
    assert np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()


