"""Output files: checked before any work, written whole or not at all."""

from __future__ import annotations

import os
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
