"""What the atlas tests (test_atlas, test_atlas_runs) share: the command,
the test grid and its brute force, waiting, the processes a test starts and
stops by their ids, and TLS credentials made for a test.  The fixtures
(``reference``, ``processes``, ``tls_files``) reach the tests through
tests/conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import eclipse
from eclipse.fields import grids, measures
from eclipse.geometry.local import local_circumstances

ECLIPSE = [sys.executable, "-m", "eclipse"]


def brute_force(eclipses, lat, lon, what):
    """The atlas by definition: local circumstances at every cell centre for
    every eclipse (on the geometric horizon, as the atlas), reduced over the
    eclipses."""
    m = measures.measure(what)
    grid_lat, grid_lon = np.meshgrid(lat, np.where(np.asarray(lon) >= 180, np.asarray(lon) - 360, lon),
                                     indexing="ij")
    out = np.full(grid_lat.shape, m.fill, dtype=m.dtype)
    for e in eclipses:
        out = m.reduce(out, m.values(local_circumstances(e.elements, grid_lat, grid_lon, horizon="geometric"))
                       ).astype(m.dtype)
    return out


GRID = {"resolution_deg": 3.0, "start": 2015, "end": 2022}


@pytest.fixture(scope="module")
def reference():
    """Brute force over the test grid, for total-count and max-obscuration."""
    lat, lon = grids.cell_centres(GRID["resolution_deg"])
    found = eclipse.find(start="2015-01-01", end="2022-12-31")
    return {what: brute_force(found, lat, lon, what) for what in ("total-count", "max-obscuration")}


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def chunks_in(path: Path, name: str):
    directory = path / name
    return sorted(p.name for p in directory.iterdir() if not p.name.startswith(".")) if directory.is_dir() else []


class Processes:
    """Processes started by a test, stopped by their ids at the end."""

    def __init__(self):
        self.started = []

    def start(self, argv, log=None, **kwargs):
        """A process; its output in pipes, or appended to the file ``log``
        (for the long-lived ones, whose pipes nobody reads)."""
        if log is None:
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
        else:
            with open(log, "ab") as out:
                process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, **kwargs)
        self.started.append(process)
        return process

    def stop_all(self):
        """Stop them, the last started first (workers before their scheduler,
        so that they need not wait for it to come back)."""
        for process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


@pytest.fixture
def tls_files(tmp_path):
    """Credentials made for a test (Security.temporary: one certificate,
    its own CA) in PEM files of mode 0600: {"ca", "cert", "key"}; and the
    environment that gives them to a client (Dask's configuration)."""
    from distributed.security import Security

    made = Security.temporary()
    paths = {}
    for name, text in (("ca", made.tls_ca_file), ("cert", made.tls_scheduler_cert), ("key", made.tls_scheduler_key)):
        paths[name] = str(tmp_path / f"tls-{name}.pem")
        with os.fdopen(os.open(paths[name], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(text)
    env = {"DASK_DISTRIBUTED__COMM__TLS__CA_FILE": paths["ca"],
           "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": paths["cert"],
           "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": paths["key"]}
    return paths, env


def tls_options(paths) -> list[str]:
    """The options that give `dask scheduler` and `dask worker` the credentials."""
    return ["--tls-ca-file", paths["ca"], "--tls-cert", paths["cert"], "--tls-key", paths["key"]]
