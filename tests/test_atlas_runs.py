"""Atlases run as a user runs them, in processes (issue 16), split from
test_atlas.py (its helpers and fixtures) so that the two halves run side by
side under pytest-xdist:

(b) on a `dask scheduler` with `dask worker` processes on 127.0.0.1 started
    here, speaking TLS (one worker killed mid-run, then the scheduler);
(f) interrupted runs are in test_atlas_signals.py;
(g) a scheduler that does not answer as Dask does (an HTTP server, a silent
    one, nothing listening) is one line, and the command returns;
(h) a full disk, or one filling during a run, is one line, and the same
    command resumes.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from eclipse.fields import cluster
from eclipse.fields import store as atlas_store
from support.atlas import ECLIPSE, chunks_in, tls_options, wait_for
from support.cli import one_line_error, run


def test_external_scheduler_and_a_worker_killed(tmp_path, processes, reference, tls_files):
    """A `dask scheduler` and two `dask worker` processes on 127.0.0.1,
    speaking TLS with credentials made here; the atlas runs on them with
    --scheduler tls://... and the client's credentials in Dask's
    environment variables; one worker is killed (SIGKILL) while tasks run:
    the others take its tasks and the result is the same.  Without the
    credentials (tcp://) the same command is refused in one line."""
    paths, tls_env = tls_files
    dask = str(Path(sys.executable).parent / "dask")
    scheduler_file = tmp_path / "scheduler.json"
    processes.start([dask, "scheduler", "--protocol", "tls", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(scheduler_file),
                     *tls_options(paths)], log=tmp_path / "scheduler.log")
    wait_for(scheduler_file.exists, 60, "the scheduler")
    wait_for(lambda: "address" in scheduler_file.read_text(), 10, "the scheduler's address")
    address = json.loads(scheduler_file.read_text())["address"]
    assert address.startswith("tls://127.0.0.1:")
    workers = [processes.start([dask, "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1",
                                "--nthreads", "1", "--no-nanny", "--no-dashboard", "--dashboard-address",
                                "127.0.0.1:0", *tls_options(paths)], log=tmp_path / f"worker-{i}.log")
               for i in range(2)]
    store = tmp_path / "atlas.zarr"
    argv = ECLIPSE + ["atlas", "--start", "2015", "--end", "2022", "--what", "max-obscuration", "--resolution-deg", "3",
                      "--chunk", "64", "--batch", "1", "-o", str(store), "--no-progress"]
    refused = subprocess.run(argv + ["--scheduler", address.replace("tls://", "tcp://")], capture_output=True,
                             text=True, timeout=120, env=dict(os.environ, MPLBACKEND="Agg", **tls_env))
    assert refused.returncode == 3 and one_line_error(refused.stderr), refused.stderr
    assert address.replace("tls://", "tcp://") in refused.stderr
    run = processes.start(argv + ["--scheduler", address], env=dict(os.environ, **tls_env))
    assert listening_only_on_localhost(processes.started[:3])
    wait_for(lambda: len(chunks_in(store, "partial")) >= 3 or run.poll() is not None, 120, "the first chunks")
    assert run.poll() is None, run.communicate()
    workers[0].send_signal(signal.SIGKILL)
    _out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert err == ""  # a worker lost is not the user's concern ("Couldn't gather keys")
    assert workers[0].wait(timeout=10) == -signal.SIGKILL
    ds = xr.open_zarr(store)
    assert np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()


def test_external_scheduler_killed(tmp_path, processes, tls_files):
    """The scheduler killed (SIGKILL) while tasks run: once the client has
    given up reconnecting, the command exits 3 with one line naming the
    scheduler; the chunks written stay."""
    paths, tls_env = tls_files
    dask = str(Path(sys.executable).parent / "dask")
    scheduler_file = tmp_path / "scheduler.json"
    scheduler = processes.start([dask, "scheduler", "--protocol", "tls", "--host", "127.0.0.1", "--port", "0",
                                 "--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--scheduler-file",
                                 str(scheduler_file), *tls_options(paths)], log=tmp_path / "scheduler.log")
    wait_for(lambda: scheduler_file.exists() and "address" in scheduler_file.read_text(), 60, "the scheduler")
    address = json.loads(scheduler_file.read_text())["address"]
    processes.start([dask, "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1", "--nthreads",
                     "1", "--no-nanny", "--no-dashboard", "--dashboard-address", "127.0.0.1:0", *tls_options(paths)],
                    log=tmp_path / "worker.log")
    store = tmp_path / "atlas.zarr"
    run = processes.start(ECLIPSE + ["atlas", "--start", "2001", "--end", "2030", "--what", "max-obscuration",
                                     "--resolution-deg", "3", "--chunk", "64", "--batch", "1", "-o", str(store),
                                     "--scheduler", address, "--no-progress"], env=dict(os.environ, **tls_env))
    wait_for(lambda: len(chunks_in(store, "partial")) >= 2 or run.poll() is not None, 120, "the first chunks")
    assert run.poll() is None, run.communicate()
    scheduler.send_signal(signal.SIGKILL)
    _out, err = run.communicate(timeout=300)
    assert run.returncode == 3 and one_line_error(err), err
    assert f"lost the Dask scheduler at {address}; the tasks done are kept" in err
    assert len(chunks_in(store, "partial")) >= 2


def listening_only_on_localhost(started) -> bool:
    """Whether every socket the processes listen on is bound to 127.0.0.1."""
    import psutil

    addresses = [c.laddr.ip for p in started for c in psutil.Process(p.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    return bool(addresses) and set(addresses) == {"127.0.0.1"}



# --- (g) a scheduler that does not answer --------------------------------------------------


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """An HTTP server's handler that logs nothing."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def not_a_scheduler(kind: str):
    """A server on 127.0.0.1 (threads of this test) that is no Dask
    scheduler: "http" (answers HTTP, waits for a request line), "silent"
    (accepts connections, never answers), "none" (nothing listens on the
    port); its port."""
    if kind == "http":
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield httpd.server_address[1]
        finally:
            httpd.shutdown()
            httpd.server_close()
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    if kind == "none":
        listener.close()
        yield port
        return
    listener.listen()
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:  # closed
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield port
    finally:
        listener.close()
        for connection in held:
            connection.close()


def test_schedulers_that_do_not_answer(tmp_path, tls_files):
    """--scheduler at an HTTP server, a silent TCP server, or a port where
    nothing listens, over tcp:// and over tls:// (with credentials), all at
    once: each command exits 3 with one line naming the address, what
    happened and what to check, and makes no store.  The commands must
    return (a generous timeout, never a wall-clock assertion); the time
    they took together is printed (-s shows it)."""
    cases = [("http", "tcp"), ("silent", "tcp"), ("http", "tls"), ("silent", "tls"), ("none", "tcp")]
    with contextlib.ExitStack() as stack:
        commands = []
        for i, (kind, protocol) in enumerate(cases):
            address = f"{protocol}://127.0.0.1:{stack.enter_context(not_a_scheduler(kind))}"
            env = dict(os.environ, MPLBACKEND="Agg", **(tls_files[1] if protocol == "tls" else {}))
            argv = ECLIPSE + ["atlas", "--start", "2019", "--end", "2020", "--what", "total-count",
                              "-o", str(tmp_path / f"a{i}.zarr"), "--scheduler", address]
            commands.append((kind, address, subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                             text=True, env=env)))
        started = time.monotonic()
        for kind, address, command in commands:
            try:
                _out, err = command.communicate(timeout=120)
            finally:
                if command.poll() is None:
                    command.kill()
            print(f"\n{address} ({kind}): {err.strip()}")
            assert command.returncode == 3 and one_line_error(err), err
            assert f"Dask scheduler at {address}" in err and "check that a Dask scheduler listens there" in err
            if kind == "none":
                assert "Connection refused" in err
            elif kind == "silent":
                assert f"did not answer as one within {cluster.CONNECT_SECONDS} s" in err
        print(f"all {len(cases)} returned after {time.monotonic() - started:.1f} s")
    assert not list(tmp_path.glob("a*.zarr"))


def test_a_local_cluster_that_does_not_start_is_one_line(tmp_path, monkeypatch):
    """Dask failing to start the local cluster: exit 3, one line, no store."""
    def fail(*args, **kwargs):
        raise RuntimeError("Cluster failed to start: Nanny failed to start.")

    monkeypatch.setattr(cluster, "LocalCluster", fail)
    code, _out, err = run("atlas", "--start", "2015", "--end", "2016", "--what", "total-count", "--resolution-deg", "10",
                         "-o", tmp_path / "a.zarr")
    assert (code, err) == (3, "eclipse: error: the local Dask cluster did not start: Cluster failed to start: "
                              "Nanny failed to start.\n")
    assert list(tmp_path.iterdir()) == []


# --- (h) a disk filling ----------------------------------------------------------------------

FULL = "No space left on device; free some space and run the same command again to resume\n"
SMALL_RUN = ("atlas", "--start", "2015", "--end", "2022", "--what", "max-obscuration", "--resolution-deg", "3", "--chunk", "64",
             "--batch", "1", "--workers", "1", "--no-progress", "-o")


def test_a_full_disk_is_one_line_and_the_run_resumes(tmp_path, monkeypatch, reference):
    """The store's writes fail with ENOSPC after three chunks (in process,
    a local cluster of 1 worker): exit 3 and one line, what to do; the same
    command then resumes from the chunks written to the brute force's
    numbers."""
    path = tmp_path / "a.zarr"
    write, written = atlas_store.Store.write, []

    def failing(store, *args, **kwargs):
        if len(written) >= 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(args)
        return write(store, *args, **kwargs)

    monkeypatch.setattr(atlas_store.Store, "write", failing)
    code, out, err = run(*SMALL_RUN, path)
    assert (code, out, err) == (3, "", f"eclipse: error: cannot write {os.path.realpath(path)}: {FULL}")
    monkeypatch.undo()
    code, out, err = run(*SMALL_RUN, path)
    assert code == 0 and "resuming" in err, err
    ds = xr.open_zarr(path)
    assert np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of 16 MB mounted in tmp_path, unmounted at the end (root
    only; skipped where it cannot be mounted)."""
    where = tmp_path / "disk"
    where.mkdir()
    mount = shutil.which("mount")
    if os.geteuid() != 0 or mount is None or subprocess.run(
            [mount, "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", str(where)], capture_output=True).returncode:
        pytest.skip("needs root and a tmpfs mount")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(path: Path) -> int:
    """Write zeros to a new file ``path`` until a write fails; its errno."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        while True:
            os.write(fd, bytes(65536))
    except OSError as exc:
        return exc.errno
    finally:
        os.close(fd)


def test_a_disk_filling_during_the_run_is_one_line(small_disk, processes, reference):
    """A real disk (a small tmpfs) filled by another writer once the first
    chunks are in: the atlas exits 3 with one line, leaves no temporary
    file; with the space freed, the same command resumes to the brute
    force's numbers."""
    store = small_disk / "atlas.zarr"
    argv = ECLIPSE + list(SMALL_RUN) + [str(store)]
    running = processes.start(argv, env=dict(os.environ, MPLBACKEND="Agg"))
    wait_for(lambda: len(chunks_in(store, "partial")) >= 3 or running.poll() is not None, 120, "the first chunks")
    assert running.poll() is None, running.communicate()
    filler = small_disk / "filler"
    assert fill(filler) == errno.ENOSPC
    out, err = running.communicate(timeout=300)
    assert (running.returncode, out, err) == (3, "", f"eclipse: error: cannot write {store}: {FULL}")
    assert not [p.name for p in small_disk.iterdir() if "eclipse-tmp" in p.name]
    filler.unlink()
    resumed = processes.start(argv, env=dict(os.environ, MPLBACKEND="Agg"))
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    ds = xr.open_zarr(store)
    assert np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()
