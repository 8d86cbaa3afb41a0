"""Output files and stores (issue 16): nothing lost, one writer at a time.

eclipse.io.files: links followed (a loop refused), a trailing '/' refused,
devices and pipes written through a temporary file in the format of their
name's extension, owner and mode kept, hard links never parted, one writer
at a time, leftovers of a killed writer removed; eclipse.io.stores: a directory
is replaced only when it is our store of the same kind and parameters (with
--overwrite, of others), never anything else.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading

import pytest
import xarray as xr

from eclipse.io import files, stores
from support.cli import one_line_error, run

FIND = ("find", "--year", "2024", "--format", "json")


def test_a_loop_of_links_is_refused(tmp_path):
    me = tmp_path / "self.json"
    me.symlink_to(me)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.symlink_to(b)
    b.symlink_to(a)
    for link in (me, a):
        code, _, err = run(*FIND, "-o", link)
        assert code == 2 and one_line_error(err) and "symbolic links form a loop" in err, err
    assert me.is_symlink() and a.is_symlink() and b.is_symlink()
    assert os.readlink(me) == str(me) and os.readlink(a) == str(b)


def test_a_trailing_slash_is_refused(tmp_path):
    code, _, err = run(*FIND, "-o", f"{tmp_path}/out.json/")
    assert code == 2 and one_line_error(err) and "cannot end in '/'" in err
    assert list(tmp_path.iterdir()) == []


def test_a_link_to_a_store_writes_the_store(tmp_path):
    """-o link.zarr, a link to a grid store: the store it names is written
    anew, the link stays a link, nothing is left beside either."""
    real = tmp_path / "data" / "grid.zarr"
    real.parent.mkdir()
    grid = ("grid", "2024-04-08", "--resolution-deg", "10", "--step-s", "1200")
    assert run(*grid, "-o", real).code == 0
    link = tmp_path / "link.zarr"
    link.symlink_to(real)
    code, _, err = run(*grid, "-o", link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stores.read(str(real)).kind == "grid"
    assert sorted(os.listdir(tmp_path)) == ["data", "link.zarr"]
    assert sorted(os.listdir(real.parent)) == ["grid.zarr"]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user takes the superuser")
def test_a_replaced_file_keeps_its_owner_and_mode(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    os.chown(target, 65534, 65534)  # nobody, nogroup
    code, _, err = run(*FIND, "-o", target)
    assert code == 0, err
    info = os.stat(target)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert json.loads(target.read_text())[0]["date"] == "2024-04-08"


def test_the_owner_that_cannot_be_kept_is_named(tmp_path, monkeypatch):
    """Where chown is refused (not the superuser), the file is written and a
    note says whose it is now."""
    target = tmp_path / "out.json"
    target.write_text("old")
    real_stat = os.stat

    def stat_of_another_user(name, *args, **kwargs):
        result = real_stat(name, *args, **kwargs)
        if str(name) == str(target):
            values = list(result)
            values[stat.ST_UID] = result.st_uid + 12345
            return os.stat_result(values)
        return result

    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "stat", stat_of_another_user)
    monkeypatch.setattr(files.os, "chown", refuse)
    code, _out, err = run(*FIND, "-o", target)
    assert code == 0 and err.startswith("eclipse: note: ") and "now belongs to user" in err, err
    assert err.count("\n") == 1


def test_hard_links_are_never_parted(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    os.link(target, tmp_path / "backup.json")
    code, _, err = run(*FIND, "-o", target)
    assert code == 2 and one_line_error(err) and "2 hard links" in err
    assert target.read_text() == "old" and (tmp_path / "backup.json").read_text() == "old"
    assert os.stat(target).st_nlink == 2


def read_fifo(fifo, received):
    with open(fifo, "rb") as f:
        received.append(f.read())


@pytest.mark.parametrize("argv, name, starts", [
    (("path", "2024-04-08", "--step-s", "600"), "pipe.geojson", b'{"type": "FeatureCollection"'),
    (("map", "2024-04-08", "--dpi", "20"), "pipe.png", b"\x89PNG\r\n\x1a\n"),
])
def test_a_pipe_gets_the_format_of_its_extension(tmp_path, argv, name, starts):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=read_fifo, args=(fifo, received))
    reader.start()
    code, _out, err = run(*argv, "-o", fifo)
    reader.join(timeout=120)
    assert code == 0 and err == "", err
    assert received and received[0].startswith(starts)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and leftovers(tmp_path) == []


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".eclipse-" in p.name)


def test_a_grid_written_to_a_device(tmp_path):
    """A netCDF file's name that is a character device: the file is made
    whole aside and copied into the device; HDF5 never sees the device."""
    link = tmp_path / "x.nc"
    link.symlink_to("/dev/null")
    code, _, err = run("grid", "2024-04-08", "--resolution-deg", "10", "--step-s", "1200", "-o", link)
    assert code == 0 and err == "", err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and link.is_symlink()
    if os.geteuid() == 0:
        device = tmp_path / "device.nc"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # another /dev/null
        code, _out, err = run("grid", "2024-04-08", "--resolution-deg", "10", "--step-s", "1200", "-o", device)
        assert code == 0 and err == "", err
        assert stat.S_ISCHR(os.stat(device).st_mode)


def test_one_writer_at_a_time(tmp_path):
    """Another process holding a target's lock: the command is refused (exit
    3) naming it, and the file is left alone; once the holder is done, the
    command writes and no lock file remains."""
    target = tmp_path / "out.json"
    target.write_text("old")
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, eclipse.io.files as f\n"
                               f"with f.locked({str(target)!r}):\n"
                               "    print('held', flush=True)\n"
                               "    sys.stdin.read()\n"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        code, _, err = run(*FIND, "-o", target)
        assert code == 3 and one_line_error(err) and f"another process is writing it (pid {holder.pid}" in err
        assert target.read_text() == "old"
    finally:
        holder.communicate("", timeout=60)
    code, _, err = run(*FIND, "-o", target)
    assert code == 0 and err == "" and leftovers(tmp_path) == []


def test_leftovers_of_a_killed_writer_are_removed(tmp_path):
    """Holding the lock, a writer removes the temporaries a killed writer of
    the same target left (files and trees), and puts back a store a killed
    replacement had moved aside; others' files are never touched."""
    (tmp_path / ".out.json.eclipse-tmp-abc123.json").write_text("half")
    (tmp_path / ".out.json.eclipse-lock").write_text("pid 1: a killed run")
    (tmp_path / ".other.json.eclipse-tmp-xyz.json").write_text("another target's")
    (tmp_path / "notes.eclipse-tmp-.txt").write_text("the user's")
    store = tmp_path / "grid.zarr"
    aside = tmp_path / ".grid.zarr.eclipse-old-q1w2e3"
    aside.mkdir()
    (aside / ".zgroup").write_text("{}")
    half = tmp_path / ".grid.zarr.eclipse-tmp-r4t5y6.zarr"
    half.mkdir()
    code, _, err = run(*FIND, "-o", tmp_path / "out.json")
    assert code == 0, err
    with files.locked(str(store)):
        assert store.is_dir() and (store / ".zgroup").exists()  # put back
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.json.eclipse-tmp-xyz.json", "grid.zarr", "notes.eclipse-tmp-.txt", "out.json"]


# --- stores --------------------------------------------------------------------------


GRID = ("grid", "2024-04-08", "--resolution-deg", "10", "--step-s", "1200")


def snapshot(folder) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_directory_not_ours_is_never_replaced(tmp_path):
    """An xarray store of someone else's with a note in it, and a folder
    holding zarr.json and a thesis: grid and atlas refuse them in one line,
    --overwrite or not, and touch nothing."""
    precious = tmp_path / "precious.zarr"
    xr.Dataset({"v": ("x", [1.0, 2.0])}).to_zarr(precious, zarr_format=2)
    (precious / "README-notes.txt").write_text("my notes")
    project = tmp_path / "project.zarr"
    project.mkdir()
    (project / "zarr.json").write_text("{}")
    (project / "thesis.tex").write_text("\\chapter{Eclipses}")
    before = snapshot(tmp_path)
    atlas = ("atlas", "--start", "2023", "--end", "2024", "--what", "total-count", "--resolution-deg", "10", "--workers", "1",
             "--no-progress")
    for argv in (GRID + ("-o", precious), atlas + ("-o", project)):
        for overwrite in ((), ("--overwrite",)):
            code, _, err = run(*argv, *overwrite)
            assert code == 2 and one_line_error(err) and "not a store this program made" in err, err
            assert "nothing was touched" in err
    assert snapshot(tmp_path) == before


def test_our_store_of_other_parameters_needs_overwrite(tmp_path):
    path = tmp_path / "g.zarr"
    assert run(*GRID, "-o", path).code == 0
    first = stores.read(str(path))
    assert first.kind == "grid" and first.parameters["resolution_deg"] == 10.0
    assert run(*GRID, "-o", path).code == 0  # the same grid again: made again
    code, _, err = run("grid", "2024-04-08", "--resolution-deg", "20", "--step-s", "1200", "-o", path)
    assert code == 2 and one_line_error(err) and "made with other parameters" in err and "--overwrite" in err
    assert "resolution_deg 10.0 (now 20.0)" in err
    assert stores.read(str(path)) == first
    code, _, err = run("grid", "2024-04-08", "--resolution-deg", "20", "--step-s", "1200", "-o", path, "--overwrite")
    assert code == 0, err
    assert stores.read(str(path)).parameters["resolution_deg"] == 20.0
    # a store of ours with a file of the user's in it: never replaced
    (path / "my-notes.txt").write_text("notes")
    code, _, err = run(*GRID, "-o", path, "--overwrite")
    assert code == 2 and "holds files a store does not (my-notes.txt)" in err
    assert (path / "my-notes.txt").read_text() == "notes"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("tree", [False, True], ids=["file", "tree"])
def test_a_signal_a_library_swallowed_keeps_the_old_output(tmp_path, tree):
    """SIGINT while writing, its exception caught by the writer (as HDF5's C
    code may, going on to finish the file): the run stops before the old
    output is replaced, and says it was interrupted."""
    import contextlib
    import signal

    from eclipse import interrupts
    from eclipse.errors import Interrupted

    target = tmp_path / ("out.zarr" if tree else "out.txt")
    if tree:
        target.mkdir()
        (target / "old").write_text("old")
    else:
        target.write_text("old")

    def write(name):
        with contextlib.suppress(Interrupted):  # swallowed
            os.kill(os.getpid(), signal.SIGINT)
        if tree:
            with open(os.path.join(name, "new"), "w") as f:
                f.write("new")
        else:
            with open(name, "w") as f:
                f.write("new")

    with interrupts.handled(), pytest.raises(Interrupted):
        if tree:
            files.write_tree_atomically(str(target), write, may_replace=lambda _: None)
        else:
            files.write_atomically(str(target), write)
    assert (target / "old").read_text() == "old" if tree else target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    # the block over, nothing is pending: a later write in the same process
    # (a notebook, the next test) goes on (it raised Interrupted once left set)
    interrupts.check()
    files.write_atomically(str(tmp_path / "later.txt"), lambda name: open(name, "w").close())
    assert (tmp_path / "later.txt").exists()
