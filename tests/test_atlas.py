"""Atlases over many eclipses (issue 13): eclipse.fields.atlas and `eclipse atlas`.

(a) exact: every cell's value equals the local circumstances at its centre
    (e.local, every cell, every eclipse), at random cells and at cells
    within 1 km of the umbral limits, for every kind of atlas;
(b) the same numbers whatever the chunking, the batching, the worker count
    and the scheduler: a local cluster, and a `dask scheduler` with `dask
    worker` processes on 127.0.0.1 started here (one of them killed mid-run);
(c) killed with SIGKILL mid-run, the same command resumes from the chunks
    written, without recomputing them, to the same result;
(d) bad input: one line, non-zero exit, nothing left behind;
(e) nobody else in (issue 16): the local cluster speaks TLS with credentials
    made for the run, so that a client without them, root's or the user
    nobody's, is refused and runs nothing; it serves no HTTP; an external
    cluster is run with TLS too;
(f)-(h) interrupted runs, schedulers that do not answer and full disks are
    in test_atlas_runs.py, with the external scheduler's runs of (b).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import eclipse
from eclipse.fields import atlases, cluster, culling, grids, measures
from eclipse.fields import store as atlas_store
from support.atlas import ECLIPSE, GRID, brute_force, chunks_in, wait_for
from support.cli import one_line_error, run
from support.curves import destination


@pytest.fixture(scope="module")
def eclipses_2012_2024():
    # the hybrid 2023-04-20, the polar 2021-12-04, the non-central annular
    # 2014-04-29, the paths across the antimeridian of 2012-11-13 and
    # 2021-12-04, partial-only ones
    return eclipse.find(start="2012-01-01", end="2024-12-31")


# --- (a) exact at every cell ------------------------------------------------------------


@pytest.mark.parametrize("what", list(measures.MEASURES))
def test_equals_local_circumstances_at_random_cells(eclipses_2012_2024, what):
    """Random latitudes and longitudes (cells of an irregular grid, 40 x 80
    of them) over 2012-2024: the atlas kernel equals the brute force,
    exactly (same numbers, same NaN)."""
    rng = np.random.default_rng(len(what))
    lat = np.sort(np.degrees(np.arcsin(rng.uniform(-1, 1, 40))))
    lon = np.sort(rng.uniform(-180, 180, 80))
    got = culling.tile_values([e.elements for e in eclipses_2012_2024], lat, lon, what)
    expected = brute_force(eclipses_2012_2024, lat, lon, what)
    assert got.dtype == expected.dtype
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.any(got != measures.measure(what).fill) or what in ("total-count", "next-total", "max-duration")


def near_limits(e, count, km, seed):
    """``count`` places within ``km`` of the umbral limits of eclipse e."""
    p = e.path(step_s=60)
    rng = np.random.default_rng(seed)
    lat, lon = [], []
    for curve in (p.umbra_north_limit, p.umbra_south_limit):
        keep = np.isfinite(curve.latitude)
        lat.append(curve.latitude[keep])
        lon.append(curve.longitude[keep])
    lat, lon = np.concatenate(lat), np.concatenate(lon)
    pick = rng.choice(len(lat), count, replace=False)
    places = [destination(lat[i], lon[i], rng.uniform(0, 360), rng.uniform(0, km)) for i in pick]
    return np.array([q[0] for q in places]), np.array([q[1] for q in places])


@pytest.mark.parametrize("date,what", [
    ("2024-04-08", "total-count"), ("2017-08-21", "max-duration"), ("2021-12-04", "total-count"),
    ("2023-04-20", "central-count"), ("2024-10-02", "annular-count"), ("2012-11-13", "next-total"),
])
def test_exact_within_1_km_of_the_limits(date, what):
    """Cells whose centres lie within 1 km of an umbral limit: the atlas
    says total (annular, central) exactly where e.local does.  The places
    are the diagonal of a grid (their latitudes x their longitudes), whose
    other cells are compared too; the places straddle the limits."""
    e = eclipse.at(date)
    lat, lon = near_limits(e, 60, 1.0, seed=len(date + what))
    got = culling.tile_values([e.elements], lat, lon, what)
    expected = brute_force([e], lat, lon, what)
    assert np.array_equal(got, expected, equal_nan=True)
    kind = e.local(lat, lon, horizon="geometric").kind_seen
    assert 5 < np.sum(kind == ("annular" if what == "annular-count" else "total")) < 55


def test_rotation_is_the_fundamental_coordinates():
    """The matrix form used to cull equals earth.fundamental_coordinates."""
    from eclipse.geometry.earth import fundamental_coordinates, observer

    e = eclipse.at("2024-04-08")
    el = e.elements.at(np.linspace(-3, 3, 7))
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(-90, 90, 50), rng.uniform(-180, 180, 50)
    xyz = culling.positions(lat, lon)[np.arange(50), np.arange(50)]
    rotated = np.einsum("pi,ijk->pjk", xyz, culling.fundamental_rotation(el.d, el.mu))
    obs = observer(np.radians(lat)[:, None], np.radians(lon)[:, None])
    expected = np.stack(fundamental_coordinates(obs, el.d, el.mu), axis=1)
    np.testing.assert_allclose(rotated, expected, rtol=0, atol=1e-15)


# --- (b) the same whatever the chunking, workers or scheduler --------------------------------


def test_local_cluster_any_chunking(tmp_path, reference):
    """Two local clusters (1 and 2 workers), two chunkings, two batchings:
    the stores hold the brute force's numbers, bit for bit."""
    for workers, chunk, batch in ((1, 64, 2), (2, 128, 5)):
        for what in ("total-count", "max-obscuration"):
            path = str(tmp_path / f"{what}-{workers}.zarr")
            ds = atlases.atlas(GRID["start"], GRID["end"], what, GRID["resolution_deg"], path=path,
                             workers=workers, chunk=chunk, batch=batch, progress=False)
            name = measures.measure(what).name
            assert np.array_equal(ds[name].values, reference[what])
            assert ds.attrs["complete"] == 1 and "partial" not in ds
            assert ds.attrs["Conventions"] == "CF-1.8" and ds[name].attrs["long_name"]
            ds.close()
    assert int(reference["total-count"].max()) >= 1


def test_killed_run_resumes(tmp_path, processes, reference):
    """`eclipse atlas` on a local cluster killed with SIGKILL once some
    chunks are written: the store is not complete; the same command resumes,
    says how many tasks were done, leaves the chunks written untouched, and
    ends with the brute force's numbers."""
    import psutil

    store = tmp_path / "atlas.zarr"
    argv = ECLIPSE + ["atlas", "--start", "2015", "--end", "2022", "--what", "max-obscuration", "--resolution-deg", "3",
                      "--chunk", "64", "--batch", "1", "-o", str(store), "--workers", "1", "--no-progress"]
    run = processes.start(argv)
    wait_for(lambda: len(chunks_in(store, "partial")) >= 4 or run.poll() is not None, 120, "the first chunks")
    children = psutil.Process(run.pid).children(recursive=True)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    psutil.wait_procs(children, timeout=20)  # the cluster's processes end with the run
    for child in children:
        if child.is_running() and child.status() != psutil.STATUS_ZOMBIE:
            child.kill()
    written = {name: (store / "partial" / name).stat().st_mtime_ns for name in chunks_in(store, "partial")}
    attrs = json.loads((store / ".zattrs").read_text())
    assert attrs["complete"] == 0 and written
    resumed = processes.start(argv)
    _out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    done = int(err.split("resuming")[1].split(": ")[1].split(" of ")[0])
    assert done >= len(written) >= 4
    ds = xr.open_zarr(store)
    assert ds.attrs["complete"] == 1
    assert np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()
    assert not (store / "partial").exists()  # cleared once the atlas is complete


def test_partials_written_before_a_kill_are_not_rewritten(tmp_path, reference):
    """Resuming in-process: a store whose partial chunks were left by an
    earlier run keeps them as they are (same files, same times) until the
    end; only the missing tasks run."""
    path = tmp_path / "a.zarr"
    lat, lon = grids.cell_centres(GRID["resolution_deg"])
    found = eclipse.find(start="2015-01-01", end="2022-12-31")
    params = {"start": 2015, "end": 2022, "what": "total-count", "resolution_deg": 3.0, "path": str(path), "chunk": 64, "batch": 2}
    # an interrupted run: the store made, two partial chunks written by hand
    # exactly as a task would, then the run stopped before finishing
    batches = [[e.elements for e in found[k:k + 2]] for k in range(0, len(found), 2)]
    parameters = atlases.run_parameters("2015-01-01", "2022-12-31", params["what"], params["resolution_deg"],
                                      chunk=params["chunk"], batch=params["batch"], eclipses=found)
    m = measures.measure("total-count")
    atlas_store.create_store(str(path), parameters, m, lat, lon, len(batches), 64)
    store = atlas_store.Store(str(path), m, lat, lon, len(batches), 64)
    for b in (0, 1):
        rows, cols = store.window((0, 0))
        store.write(atlas_store.PARTIAL, (b, 0, 0), culling.tile_values(batches[b], lat[rows], lon[cols], m.what))
    before = {n: (path / "partial" / n).stat().st_mtime_ns for n in chunks_in(path, "partial")}
    submitted = []

    class Spy:  # counts the tasks the resumed run submits
        def __init__(self, client):
            self.client = client

        def submit(self, func, *args, **kwargs):
            submitted.append(kwargs["key"])
            return self.client.submit(func, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.client, name)

    store = atlas_store.Store(str(path), m, lat, lon, len(batches), 64)  # as a new run opens it
    todo, damaged = store.todo()
    assert damaged == 0
    with cluster.connect(1) as client:
        atlases.run(Spy(client), store, batches, todo, progress=False)
    kept = {n: (path / "partial" / n).stat().st_mtime_ns for n in before}
    assert kept == before
    assert len(chunks_in(path, "partial")) == len(batches) * len(store.tiles)
    assert len(submitted) == len(batches) * len(store.tiles) - 2


def damage(chunks: list[Path]) -> None:
    """The three ways a chunk goes wrong: cut to nothing, overwritten with
    random bytes, replaced by a valid chunk of another tile or batch."""
    truncated, randomised, copied_over = chunks[:3]
    truncated.write_bytes(b"")
    randomised.write_bytes(np.random.default_rng(7).bytes(max(randomised.stat().st_size, 64)))
    copied_over.write_bytes(chunks[3].read_bytes())


def test_damaged_chunks_are_found_and_computed_again(tmp_path, reference):
    """Partial chunks of an unfinished store and the final chunks of a
    finished one, truncated, randomised or copied from another tile or
    batch: the next run says how many, computes them again and ends with
    the brute force's numbers."""
    path = tmp_path / "a.zarr"
    argv = ("atlas", "--start", "2015", "--end", "2022", "--what", "max-obscuration", "--resolution-deg", "3", "--chunk",
            "64", "--batch", "2", "--workers", "1", "--no-progress", "-o", path)
    found = eclipse.find(start="2015-01-01", end="2022-12-31")
    lat, lon = grids.cell_centres(3.0)
    batches = [[e.elements for e in found[k:k + 2]] for k in range(0, len(found), 2)]
    parameters = atlases.run_parameters("2015-01-01", "2022-12-31", "max-obscuration", 3.0, chunk=64, batch=2,
                                      eclipses=found)
    m = measures.measure("max-obscuration")
    atlas_store.create_store(str(path), parameters, m, lat, lon, len(batches), 64)
    store = atlas_store.Store(str(path), m, lat, lon, len(batches), 64)
    for b in range(4):  # an unfinished run: four partial chunks of tile (0, 0)
        rows, cols = store.window((0, 0))
        store.write(atlas_store.PARTIAL, (b, 0, 0), culling.tile_values(batches[b], lat[rows], lon[cols], m.what))
    damage([path / "partial" / f"{b}.0.0" for b in range(4)])
    code, _, err = run(*argv)
    assert code == 0 and "3 chunks damaged or not the one expected" in err, err
    ds = xr.open_zarr(path)
    assert ds.attrs["complete"] == 1 and np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()
    finals = sorted((path / "max_obscuration").glob("0.*"))
    assert [p.name for p in finals] == ["0.0", "0.1"]
    # a finished store: one final chunk cut, then the other copied over it
    (path / "max_obscuration" / "0.0").write_bytes(b"")
    code, _, err = run(*argv)
    assert code == 0 and "1 chunk damaged" in err, err
    (path / "max_obscuration" / "0.0").write_bytes((path / "max_obscuration" / "0.1").read_bytes())
    code, _, err = run(*argv)
    assert code == 0 and "1 chunk damaged" in err, err
    ds = xr.open_zarr(path)
    assert ds.attrs["complete"] == 1 and np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    assert "partial" not in ds
    ds.close()
    code, _, err = run(*argv)  # nothing left to do: a finished store is left as it is
    assert code == 0 and err == ""


@pytest.mark.parametrize("delay", [0.0, 1.0, 3.0])
def test_two_runs_on_one_store(tmp_path, processes, reference, delay):
    """The same command twice on one store, the second started 0-3 s after
    the first: one holds the store's lock to the end; the other either
    finds the atlas finished or is refused in one line naming the holder;
    the store ends with the brute force's numbers."""
    store = tmp_path / "atlas.zarr"
    argv = ECLIPSE + ["atlas", "--start", "2015", "--end", "2022", "--what", "max-obscuration", "--resolution-deg", "3",
                      "--chunk", "64", "--batch", "1", "-o", str(store), "--workers", "1", "--no-progress"]
    first = processes.start(argv)
    time.sleep(delay)
    second = processes.start(argv)
    results = [p.communicate(timeout=300) + (p.returncode,) for p in (first, second)]
    assert 0 in [code for _, _, code in results], results
    for _out, err, code in results:
        assert code == 0 or (code == 3 and one_line_error(err) and "another process is writing it (pid" in err), err
    ds = xr.open_zarr(store)
    assert ds.attrs["complete"] == 1 and np.array_equal(ds.max_obscuration.values, reference["max-obscuration"])
    ds.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.zarr"]  # no lock or temporary left


# --- (e) nobody else in ----------------------------------------------------------------------

#: A client that tries to run code in the workers of the cluster at argv[1]
#: (creating the file argv[2]) without the cluster's credentials: over TLS
#: without a certificate, over TLS with a certificate it made, and over
#: plain TCP; it never checks the scheduler's certificate.  It prints
#: "refused" or "RAN" for each attempt.
INTRUDER = """
import ssl, sys
from distributed import Client
from distributed.security import Security

address, marker = sys.argv[1], sys.argv[2]


def lax(own_certificate):
    if own_certificate:
        context = Security.temporary().get_connection_args("client")["ssl_context"]
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class Lax(Security):
        def get_connection_args(self, role):
            return {"ssl_context": context, "require_encryption": True, "extra_conn_args": {}}

    return Lax()


attempts = [(address, None)] if address.startswith("tcp://") else [
    (address, lax(False)), (address, lax(True)), (address.replace("tls://", "tcp://"), None)]
for where, security in attempts:
    try:
        client = Client(where, security=security, timeout=5, set_as_default=False)
    except Exception as exc:
        print("refused", where, type(exc).__name__, flush=True)
        continue
    client.submit(lambda: open(marker, "w").close(), pure=False).result(timeout=60)
    print("RAN", where, flush=True)
"""


def as_nobody() -> list[str]:
    """The prefix that runs a command as the user nobody; skip the test
    unless this is root and nobody can run this Python with distributed."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run a client as another user")
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = subprocess.run(prefix + [sys.executable, "-c", "import distributed"], capture_output=True, timeout=120)
    if probe.returncode:
        pytest.skip(f"the user nobody cannot run {sys.executable} with distributed")
    return prefix


def intrude(address: str, marker: Path, prefix=()) -> list[str]:
    """Run INTRUDER against ``address`` (as the user of ``prefix``); the
    lines it printed."""
    result = subprocess.run([*prefix, sys.executable, "-c", INTRUDER, address, str(marker)], capture_output=True,
                            text=True, timeout=120, cwd="/")
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()


@pytest.mark.parametrize("user", ["root", "nobody"])
def test_local_cluster_refuses_a_client_without_its_credentials(tmp_path, user):
    """While the atlas's local cluster runs, a client without its
    credentials (this user's, or the user nobody's, run with setpriv) is
    refused three ways and runs nothing in the workers, which run our own
    tasks all along.  The same client does run code in a cluster without
    TLS (the defect of issue 16), so the test can fail."""
    from distributed import LocalCluster

    prefix = as_nobody() if user == "nobody" else ()
    marker = tmp_path / "intruder-was-here"
    with cluster.connect(1) as client:
        address = client.scheduler.address
        assert address.startswith("tls://127.0.0.1:")
        assert client.submit(sum, [40, 2]).result() == 42
        lines = intrude(address, marker, prefix)
        assert client.submit(sum, [40, 2], pure=False).result() == 42
    assert len(lines) == 3 and all(line.startswith("refused ") for line in lines), lines
    assert not marker.exists()
    if user == "root":  # the control: an open cluster lets the same client in
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp",
                          dashboard_address=None) as open_cluster:
            lines = intrude(open_cluster.scheduler_address, marker)
        assert lines == [f"RAN {open_cluster.scheduler_address}"] and marker.exists()


def http_status(port: int, path: str):
    """The status of an HTTP GET on 127.0.0.1:port, or None when no HTTP
    answer comes (a TLS server closes the connection)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def test_local_cluster_serves_no_http():
    """No dashboard: every port the local cluster's processes listen on (on
    127.0.0.1 only) answers an HTTP request with nothing but an error,
    for the pages a dashboard, Prometheus or a health check would serve."""
    import psutil

    me = psutil.Process()
    before = {c.laddr.port for c in me.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
    with cluster.connect(2) as client:
        assert client.submit(sum, [1, 2]).result() == 3
        processes = [me, *me.children(recursive=True)]
        listening = [c.laddr for p in processes for c in p.net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port not in before]
        statuses = {(a.port, path): http_status(a.port, path) for a in listening
                    for path in ("/", "/status", "/json/identity.json", "/info/main/workers.html", "/health",
                                 "/metrics", "/proxy/8786/127.0.0.1/status")}
    assert listening and {a.ip for a in listening} == {"127.0.0.1"}
    assert not [key for key, status in statuses.items() if status is not None and status < 400], statuses




@pytest.mark.parametrize("argv,text", [
    (["--what", "eclipse-count"], "unknown --what 'eclipse-count'"),
    (["--what", "total-count", "--resolution-deg", "0.0001"], "would take up to"),
    (["--what", "total-count", "--chunk", "50"], "multiple of 64"),
    (["--what", "total-count", "--scheduler", "localhost"], "e.g. tls://127.0.0.1:8786"),
    (["--what", "total-count", "--scheduler", ""], "--scheduler '' is not a Dask scheduler's address"),
    (["--what", "total-count", "--scheduler", "tcp://127.0.0.1"], "give its protocol, host and port"),
    (["--what", "total-count", "--scheduler", "127.0.0.1:8786"], "e.g. tls://127.0.0.1:8786"),
    (["--what", "total-count", "--scheduler", "http://127.0.0.1:8787"], "e.g. tls://127.0.0.1:8786"),
    (["--what", "total-count", "--scheduler", "tls://127.0.0.1:8786"], "DASK_DISTRIBUTED__COMM__TLS__CA_FILE"),
    (["--what", "total-count", "-o", "not-a-store.nc"], "must end in .zarr"),
    (["--what", "total-count", "-o", "missing/dir/a.zarr"], "no directory"),
    (["--what", "total-count", "-o", "plain-directory.zarr"], "not a store this program made"),
    (["--what", "total-count", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
])
def test_cli_bad_input(capsys, tmp_path, monkeypatch, argv, text):
    import dask

    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(dask.config.config["distributed"]["comm"], "tls",
                        {**dask.config.get("distributed.comm.tls"), "ca-file": None,
                         "client": {"cert": None, "key": None}})
    (tmp_path / "plain-directory.zarr").mkdir()
    (tmp_path / "plain-directory.zarr" / "notes.txt").write_text("mine")
    code, _out, err = run("atlas", "--start", "2019", "--end", "2020", *argv)
    assert code == 2 and one_line_error(err) and text in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain-directory.zarr"]
    assert (tmp_path / "plain-directory.zarr" / "notes.txt").read_text() == "mine"


def test_cli_png(capsys, tmp_path):
    out = tmp_path / "a.zarr"
    code, stdout, _ = run("atlas", "--start", "2015", "--end", "2022", "--what", "total-count",
                                "--resolution-deg", "3", "-o", str(out), "--png", str(tmp_path / "a.png"),
                                "--workers", "1", "--no-progress")
    assert code == 0 and "wrote" in stdout and (tmp_path / "a.png").stat().st_size > 10_000
    # the same command again finds the atlas complete and changes nothing
    mtime = (out / "total_count").stat().st_mtime_ns
    code, stdout, _err = run("atlas", "--start", "2015", "--end", "2022", "--what", "total-count",
                                "--resolution-deg", "3", "-o", str(out), "--workers", "1", "--no-progress")
    assert code == 0 and (out / "total_count").stat().st_mtime_ns == mtime
    assert math.isfinite(float(xr.open_zarr(out).total_count.sum()))


def test_a_store_of_another_delta_t_model_is_not_reused(tmp_path):
    """The store records the Delta T model (and the sources): the same
    command with espenak-meeus in place of Skyfield's Delta T is refused
    (the finished atlas is not replaced unless --overwrite says so), and with
    --overwrite computes anew, never resuming from the other model's cells."""
    path = tmp_path / "m.zarr"
    common = ("atlas", "--start", "1000", "--end", "1004", "--what", "total-count", "--resolution-deg", "10",
              "--workers", "1", "--no-progress", "-o", path)
    assert run(*common).code == 0
    first = json.loads(xr.open_zarr(path).attrs["eclipse_atlas"])
    assert first["delta_t_model"] == "skyfield" and first["ephemeris"] == "canon (DE422)"
    code, _, err = run(*common, "--delta-t-model", "espenak-meeus")
    assert code == 2 and one_line_error(err) and "made with other parameters" in err and "--overwrite" in err
    assert json.loads(xr.open_zarr(path).attrs["eclipse_atlas"]) == first
    assert run(*common, "--delta-t-model", "espenak-meeus", "--overwrite").code == 0
    second = json.loads(xr.open_zarr(path).attrs["eclipse_atlas"])
    assert second["delta_t_model"] == "espenak-meeus"
