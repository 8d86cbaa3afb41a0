"""Stopping a command on SIGINT or SIGTERM, whatever it is doing.

While ``handled()`` is in force (the ``eclipse`` command, from its first
moment), the first SIGINT or SIGTERM raises ``errors.Interrupted`` in the
main thread, so that everything on the way out cleans up (temporary files,
locks, a Dask cluster); a second one during that clean-up ends the process
at once (the temporaries it leaves are removed by the next run on the same
target, eclipse.files).  ``check()`` raises Interrupted when a signal came
but a library caught its exception and went on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType, TracebackType

from .errors import Interrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: The signals that arrived while ``handled`` is in force.
_signalled: list[int] = []
_depth = [0]


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _signalled:  # a second signal: the line now, then out
        with contextlib.suppress(OSError):
            os.write(2, b"eclipse: error: interrupted again; stopped at once\n")
        os._exit(128 + signum)
    _signalled.append(signum)
    # objects half made when the exception struck (an HDF5 file being
    # opened) fail again as they are collected: Python would print those
    # "Exception ignored" tracebacks, noise after an interrupt; and Cython
    # code that cannot pass the exception on (h5py's type conversions, called
    # from HDF5's C) prints it through sys.excepthook (PyErr_PrintEx) before
    # it is lost: seen once in ten SIGTERMs to a grid being written
    sys.unraisablehook = _quiet
    sys.excepthook = _quiet_exception
    raise Interrupted(signum)


def _quiet(unraisable: sys.UnraisableHookArgs) -> None:
    """An unraisable exception after an interrupt: said nowhere."""


def _quiet_exception(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
    """An exception printed by C code after an interrupt: said nowhere (the
    command says it was interrupted, in one line)."""


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted while the block runs (re-entrant;
    in the main thread only, where Python runs signal handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _depth[0] == 0:
        _signalled.clear()
        previous = {s: signal.signal(s, _on_signal) for s in SIGNALS}
        hook, excepthook = sys.unraisablehook, sys.excepthook
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1
        if _depth[0] == 0:
            for s, handler in previous.items():
                signal.signal(s, handler)
            if not _signalled:  # (interrupted, the process is ending: what is collected as it ends stays quiet)
                sys.unraisablehook, sys.excepthook = hook, excepthook
            _signalled.clear()  # said by the Interrupted raised: nothing pending once the block is over


def check() -> None:
    """Interrupted, when a signal came while ``handled`` is in force and the
    exception it raised was lost."""
    if _depth[0] and _signalled:
        raise Interrupted(_signalled[0])
