"""Running the `eclipse` command, in this process or as a whole process."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from typing import NamedTuple


class Run(NamedTuple):
    """Exit status and what the command wrote."""

    code: int
    out: str
    err: str


def run(*argv) -> Run:
    """``eclipse ARGV...`` in this process (``eclipse.cli.main``), standard
    output and error captured."""
    from eclipse.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return Run(code, out.getvalue(), err.getvalue())


def run_process(*argv, timeout: float = 300, cwd=None) -> Run:
    """``python -m eclipse ARGV...`` as a process of its own."""
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, "-m", "eclipse", *map(str, argv)], capture_output=True,
                            text=True, timeout=timeout, cwd=cwd, env=env)
    return Run(result.returncode, result.stdout, result.stderr)


def one_line_error(err: str) -> bool:
    """An error as the CLI promises it: one line, ``eclipse: error: ...``, no traceback."""
    return err.startswith("eclipse: error: ") and err.count("\n") == 1 and "Traceback" not in err
