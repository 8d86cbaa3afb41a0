"""Exceptions raised by the package; the CLI turns each into one line.

Each class of error has its exit status in the command line (``exit_status``):
bad input 2, nothing found 1, a run that could not complete 3; an
interrupted one 128 plus the signal's number (130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import signal


class EclipseError(Exception):
    """Base class of every error this package raises on purpose: bad input
    (arguments, values, files that cannot be read or written)."""

    exit_status = 2


class NoEclipseError(EclipseError):
    """No solar eclipse where one was asked for."""

    exit_status = 1


class RunError(EclipseError):
    """A run that could not complete: a disk filling, an output another
    process is writing, a scheduler or worker that failed."""

    exit_status = 3


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived (a KeyboardInterrupt, so that code that
    cleans up on Ctrl-C cleans up on either)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def exit_status(self) -> int:
        """128 plus the signal's number: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


def reason(exc: BaseException) -> str:
    """The first line of an exception's message (an OSError's without its
    number), or of the exception that caused it when it says nothing (as
    Dask's FatalCommClosedError from an SSLError), or its type's name."""
    seen = exc
    for _ in range(8):  # (a chain, not a loop)
        text = (seen.strerror if isinstance(seen, OSError) and seen.strerror else str(seen)).strip()
        if text:
            return text.splitlines()[0]
        cause = seen.__cause__ or seen.__context__
        if cause is None:
            break
        seen = cause
    return type(exc).__name__
