"""The ``eclipse`` command (and ``python -m eclipse``).

SIGINT and SIGTERM are taken in hand (eclipse.interrupts) before the heavy
imports of the command line (NumPy, Skyfield, matplotlib), so that a Ctrl-C
at any moment gives one line and exit 130, never a traceback.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run the command line with ``sys.argv``; returns the exit status."""
    from . import interrupts

    with interrupts.handled():
        try:
            from .cli import main as command
        except KeyboardInterrupt as exc:
            print("eclipse: error: interrupted", file=sys.stderr)
            return getattr(exc, "exit_status", 130)
        return command()


if __name__ == "__main__":
    sys.exit(main())
