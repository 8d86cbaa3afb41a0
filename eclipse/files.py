"""Output files: checked before any work, written whole or not at all.

- ``-`` is standard output.
- A symbolic link is followed: its target is written (whole or not at
  all), the link stays a link.
- An existing file that is not a regular file (a device such as /dev/null,
  a named pipe, /dev/stdout) is opened and written directly, never renamed
  over.
- Anything else is written to a temporary file beside the target and renamed
  onto it, so that a reader sees the old file or the whole new one and a
  failure leaves nothing behind.  A file replaced keeps its permissions; a
  new one gets the usual ones (0666 less the umask), not mkstemp's 0600.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from typing import Callable

from .errors import EclipseError

STDOUT = "-"


class OutputError(EclipseError):
    """An output file that cannot be written."""


def target(path: str) -> str:
    """The file that writing to ``path`` writes: the end of its chain of
    symbolic links (an absolute path), or ``-``."""
    return path if path == STDOUT else os.path.realpath(path)


def is_special(path: str) -> bool:
    """Whether ``path`` is standard output or an existing file that is not a
    regular file (a device, a named pipe, a socket)."""
    if path == STDOUT:
        return True
    try:
        mode = os.stat(target(path)).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_writable(path: str) -> None:
    """Fail before any work when a file cannot be written at ``path``."""
    if path == STDOUT:
        return
    real = target(path)
    if os.path.isdir(real):
        raise OutputError(f"cannot write {path}: it is a directory")
    if is_special(path):
        if not os.access(real, os.W_OK):
            raise OutputError(f"cannot write {path}: permission denied")
        return
    directory = os.path.dirname(real)
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write {path}: no directory {directory}")
    if not os.access(directory, os.W_OK) or (os.path.exists(real) and not os.access(real, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied")


def write_atomically(path: str, write: Callable[[str], None]) -> None:
    """Write a file at ``path`` by calling ``write(a_path)``, whole or not at
    all (see the module's docstring for links, special files and ``-``)."""
    check_writable(path)
    if path == STDOUT:
        _to_stdout(write)
        return
    real = target(path)
    if is_special(path):
        try:
            write(real)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        return
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=".eclipse-", suffix=os.path.splitext(real)[1])
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        write(tmp)
        _sync(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _sync(name: str) -> None:
    """Flush a written file to the disk, so that the rename that follows
    never leaves an empty file after a crash."""
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: str, data: bytes) -> None:
    """``data`` into a file at ``path``, whole or not at all."""
    def write(name):
        with open(name, "wb") as f:
            f.write(data)
    write_atomically(path, write)


def write_text(path: str, text: str) -> None:
    """``text`` (UTF-8) into a file at ``path``, whole or not at all."""
    write_bytes(path, text.encode("utf-8"))


def _to_stdout(write: Callable[[str], None]) -> None:
    """Standard output: written through a temporary file, so that a failure
    while writing sends nothing."""
    with tempfile.TemporaryDirectory(prefix="eclipse-") as folder:
        name = os.path.join(folder, "output")
        write(name)
        with open(name, "rb") as f:
            sys.stdout.flush()
            if hasattr(sys.stdout, "buffer"):
                shutil.copyfileobj(f, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:  # a text stream standing in for standard output
                sys.stdout.write(f.read().decode("utf-8"))


def check_tree_writable(path: str, is_ours: Callable[[str], bool]) -> None:
    """Fail before any work when a directory tree (a Zarr store) cannot be
    written at ``path``: an existing directory there is replaced only when
    ``is_ours(path)`` says it is of the kind being written."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.lexists(path) and not os.path.isdir(path):
        raise OutputError(f"cannot write {path}: a file of that name exists")
    if os.path.isdir(path) and not is_ours(path):
        raise OutputError(f"cannot write {path}: a directory of that name exists and is not a store "
                          "this program wrote; remove it or choose another name")
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write {path}: no directory {directory}")
    if not os.access(directory, os.W_OK):
        raise OutputError(f"cannot write {path}: permission denied")


def write_tree_atomically(path: str, write: Callable[[str], None], is_ours: Callable[[str], bool]) -> None:
    """Call ``write(temporary_directory)`` then rename it onto ``path``.

    As ``write_atomically``, for a directory tree: a failure leaves nothing
    behind, and a reader never sees a half-written tree at ``path``.  An
    existing tree there (``check_tree_writable``) is moved aside under a
    temporary name, replaced, then deleted.
    """
    check_tree_writable(path, is_ours)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        tmp = tempfile.mkdtemp(dir=directory, prefix=".eclipse-", suffix=os.path.splitext(path)[1])
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        replace_tree(tmp, path)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def replace_tree(source: str, path: str) -> None:
    """Rename the directory ``source`` onto ``path``, deleting what was there."""
    if not os.path.lexists(path):
        os.rename(source, path)
        return
    old = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".eclipse-old-")
    os.rmdir(old)
    os.rename(path, old)
    os.rename(source, path)
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
