"""Output files: checked before any work, written whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Callable

from .errors import EclipseError


class OutputError(EclipseError):
    """An output file that cannot be written."""


def check_writable(path: str) -> None:
    """Fail before any work when a file cannot be written at ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OutputError(f"cannot write {path}: it is a directory")
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write {path}: no directory {directory}")
    if not os.access(directory, os.W_OK):
        raise OutputError(f"cannot write {path}: permission denied")


def write_atomically(path: str, write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)`` then rename the result onto ``path``.

    The temporary file sits in the same directory, so the rename is atomic: a
    reader sees the old file or the whole new one, and a failure (including
    an exception inside ``write``) leaves no file behind.  The file gets the
    usual permissions (0666 less the umask), not mkstemp's private 0600.
    """
    check_writable(path)
    directory = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".eclipse-", suffix=suffix)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


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
