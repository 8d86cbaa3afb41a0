"""The Dask cluster of an atlas run: its client, secured, bounded, interruptible.

- Nobody else in: the local cluster speaks TLS on 127.0.0.1 with credentials
  made for the run (``Security.temporary``), so that a client without them,
  another user's on the same machine included, is refused and runs nothing
  in its workers; it has no dashboard, and the HTTP servers Dask starts
  anyway have no routes.  A scheduler given by address is used with the
  user's Dask security configuration: TLS for ``tls://``.
- No hang: an address is checked before any work; a scheduler that does not
  answer as Dask does within CONNECT_SECONDS is an error in one line (Dask's
  own timeout does not cover a server that accepts a connection and never
  answers, so the wait is bounded here, in a thread of its own).
- Ctrl-C: Dask is started from a thread that blocks SIGINT.  Dask's event
  loop and the local cluster's worker processes inherit the blocked signal
  (never delivered to them), so that a terminal's Ctrl-C, sent to the whole
  process group, reaches only the command's main thread, which stops the
  run and closes the cluster.  distributed's loggers are silent until all is
  closed: a worker lost, a scheduler gone, a shutdown are for the command to
  report, in one line.

Dask is imported inside the functions (the core never imports it at import
time).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, cast

import dask
import distributed  # noqa: F401 (it sets its loggers' levels when first imported: before _quiet_dask)
from distributed import Client, LocalCluster
from distributed.security import Security
from distributed.utils import get_mp_context

from ..errors import EclipseError, RunError, reason

#: Seconds a scheduler given by address has to answer as Dask does.
CONNECT_SECONDS = 10
#: Seconds a local cluster that was starting when the command was
#: interrupted has to finish starting and close before the command exits.
STOP_GRACE_SECONDS = 2
#: A logging level above CRITICAL (distributed logs some of what a
#: shutdown meets as CRITICAL): nothing passes.
QUIET = logging.CRITICAL + 1
SCHEDULER_EXAMPLE = "tls://127.0.0.1:8786"
SCHEDULER_CHECK = ("check that a Dask scheduler listens there (its port, 8786 unless set, not its dashboard's), "
                   "and the protocol: tls:// with your Dask TLS configuration, or tcp://")
_T = TypeVar("_T")
TLS_CONFIG = ("distributed.comm.tls.ca-file, distributed.comm.tls.client.cert and distributed.comm.tls.client.key "
              "in Dask's configuration (or DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
              "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY)")


class ClusterError(EclipseError):
    """A cluster that cannot be used as asked (bad input: an address, a
    TLS configuration, a missing package)."""


@contextlib.contextmanager
def connect(workers: int | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A dask.distributed Client, closed (and its local cluster stopped) on
    exit, however the block ends (Ctrl-C included).

    With ``scheduler`` (an address, ``check_scheduler``): the scheduler
    there, with the user's Dask security configuration; RunError when it
    does not answer as Dask does within CONNECT_SECONDS.  Else a local
    cluster of ``workers`` single-threaded processes (default: one per
    core) on 127.0.0.1 that lets in only a client holding the TLS
    credentials made for it (``_local_client``)."""
    made: tuple[LocalCluster, Client] | Client | None = None
    with _quiet_dask():
        try:
            if scheduler is None:
                made = _Starting(functools.partial(_local_client, workers), _close).result()
            else:
                made = _remote_client(check_scheduler(scheduler))
            yield made[-1] if isinstance(made, tuple) else made
        finally:
            _close(made)


def check_scheduler(address: str | None) -> str:
    """``address`` as a Dask scheduler's address: tcp:// or tls://, a host
    and a port, and for tls:// a TLS configuration for the client
    (``_user_security``); ClusterError (bad input) with an example otherwise."""
    text = str(address or "").strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (parts is None or parts.scheme not in ("tcp", "tls") or not parts.hostname or not port
            or parts.path not in ("", "/") or parts.query or parts.fragment or parts.username):
        raise ClusterError(f"--scheduler {str(address)!r} is not a Dask scheduler's address: give its protocol, "
                           f"host and port, e.g. {SCHEDULER_EXAMPLE} (tcp:// for a cluster without TLS)")
    text = text.rstrip("/")
    _user_security(text)
    return text


def lost(client: Client, address: str | None) -> RunError | None:
    """The RunError to raise for whatever Dask raised when its client had
    lost the scheduler at ``address`` (killed, its machine gone: the next
    call meets ClosedClientError, a cancelled future); None when the client
    is still connected."""
    if client.status not in ("closing", "closed"):
        return None
    return RunError(f"lost the Dask scheduler at {address or 'its address'}; the tasks done are kept "
                    "(the same command resumes from them)")


# --- making the client ------------------------------------------------------------------


def _local_client(workers: int | None) -> tuple[LocalCluster, Client]:
    """(cluster, client): a LocalCluster on 127.0.0.1 speaking TLS with
    credentials made for this run; no dashboard, and no HTTP routes on the
    servers Dask starts anyway (they answer 404); its processes' logs
    silenced.  And a Client holding the credentials.  RunError when Dask
    fails to start it."""
    _start_resource_tracker()
    try:
        security = Security.temporary()
    except ImportError:
        raise ClusterError("the atlas's local cluster needs the cryptography package: "
                           "pip install 'eclipse-path[fields]'") from None
    try:
        with dask.config.set({"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}):
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", protocol="tls://", security=security, dashboard_address=None,
                                   scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                                   silence_logs=QUIET)
    except Exception as exc:
        raise RunError(f"the local Dask cluster did not start: {reason(exc)}") from None
    try:
        return cluster, Client(cluster, security=security, set_as_default=False)
    except BaseException as exc:
        _close(cluster)
        if isinstance(exc, Exception):
            raise RunError(f"cannot connect to the local Dask cluster: {reason(exc)}") from None
        raise


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker from this thread (making a
    lock of Dask's multiprocessing context starts it), then block SIGINT
    again: the tracker unblocks SIGINT in the thread that starts it, and
    started later from Dask's event loop it would unblock it there, and so
    in the worker processes."""
    get_mp_context().Lock()
    _block_sigint()


def _remote_client(address: str) -> Client:
    """A Client on the scheduler at ``address`` (checked) with the user's
    security configuration, made in a thread of its own and waited for at
    most CONNECT_SECONDS (an HTTP server, a silent one, a worker's address
    kept Dask's Client waiting for minutes).  RunError naming the address
    and what to check; nothing listening there is said at once."""
    security = _user_security(address)

    def make() -> Client:
        _check_listening(address)
        return Client(address, security=security, timeout=CONNECT_SECONDS, set_as_default=False)

    try:
        return _Starting(make, _close).result(CONNECT_SECONDS)
    except (OSError, ValueError, TypeError) as exc:
        # Dask's own timeout (an OSError "Timed out trying to connect") and
        # this deadline end together: either is the same answer
        if isinstance(exc, TimeoutError) or str(exc).startswith("Timed out"):
            raise RunError(f"the Dask scheduler at {address} did not answer as one within {CONNECT_SECONDS} s: "
                           f"{SCHEDULER_CHECK}") from None
        raise RunError(f"cannot reach the Dask scheduler at {address}: {reason(exc)}; {SCHEDULER_CHECK}") from None


def _check_listening(address: str) -> None:
    """OSError at once when nothing listens at ``address`` (Dask's Client
    retries a refused connection until its timeout), or its host is
    unknown; TimeoutError when nothing answers within CONNECT_SECONDS."""
    parts = urllib.parse.urlsplit(address)
    assert parts.port is not None  # (check_scheduler made sure of one)
    socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS).close()


def _user_security(address: str) -> Security:
    """The user's Dask Security (distributed.comm.tls.* from Dask's
    configuration files or DASK_DISTRIBUTED__COMM__TLS__* variables);
    ClusterError when tls:// lacks a CA file or client certificate there, or
    when their files cannot be read."""
    security = Security()
    # (Security sets its fields by setattr, named in __slots__ only: mypy knows none of them)
    if address.startswith("tls://") and not (security.tls_ca_file and security.tls_client_cert):  # type: ignore[attr-defined]
        raise ClusterError(f"--scheduler {address}: TLS needs {TLS_CONFIG}")
    try:
        security.get_connection_args("client")
    except (OSError, ValueError) as exc:
        raise ClusterError(f"--scheduler {address}: cannot use Dask's TLS configuration: {reason(exc)}") from None
    return security


class _Starting(threading.Thread, Generic[_T]):
    """``make()`` called in a daemon thread that blocks SIGINT (so that
    what starts from it inherits the blocked signal: module docstring).

    ``result`` waits for the thread in short steps (a signal is handled at
    once); a caller that stops waiting (interrupted, or past its deadline)
    leaves what ``make`` returns later to ``close``, in the thread."""

    def __init__(self, make: Callable[[], _T], close: Callable[[_T], None]) -> None:
        super().__init__(name="eclipse-dask-start", daemon=True)
        self._make, self._close, self._lock = make, close, threading.Lock()
        self._value: _T | None = None
        self._error: BaseException | None = None
        self._made = self._abandoned = False

    def run(self) -> None:
        """Block SIGINT, make, keep what was made (or raised) for ``result``,
        or close it when the caller has given up."""
        _block_sigint()
        try:
            value = self._make()
        except BaseException as exc:  # (handed to the caller)
            self._error = exc
            return
        with self._lock:
            self._value, self._made, abandoned = value, True, self._abandoned
        if abandoned:
            self._close(value)

    def result(self, seconds: float | None = None) -> _T:
        """What ``make`` returned (or raised), once the thread is done;
        TimeoutError after ``seconds``.  Interrupted, it gives the thread
        STOP_GRACE_SECONDS to finish and close what it made."""
        self.start()
        deadline = None if seconds is None else time.monotonic() + seconds
        try:
            while self.is_alive():
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError
                self.join(0.05)
        except BaseException as exc:
            self._give_up(grace=isinstance(exc, KeyboardInterrupt))
            raise
        if self._error is not None:
            raise self._error
        return cast(_T, self._value)  # (made: the thread ended without an error)

    def _give_up(self, grace: bool) -> None:
        with self._lock:
            self._abandoned, made = True, self._made
        if made:
            self._close(cast(_T, self._value))  # (made: the value is set)
        elif grace:
            self.join(STOP_GRACE_SECONDS)


def _block_sigint() -> None:
    """Block SIGINT in this thread, and so in the threads and processes it
    starts (blocked, it is never delivered to them)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _close(made: object) -> None:
    """Close what ``connect`` made: a Client, or a (cluster, client) pair,
    the client first.  Errors while closing are not reported: the run's
    outcome is decided by then."""
    for thing in reversed(made) if isinstance(made, tuple) else (made,):
        if hasattr(thing, "close"):
            with contextlib.suppress(Exception):
                thing.close()


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """distributed's loggers in this process (and tornado's, which its
    event loop uses) at QUIET while the block runs, Dask's shutdown
    included."""
    names = [n for n in list(logging.root.manager.loggerDict)
             if n in ("distributed", "tornado") or n.startswith(("distributed.", "tornado."))]
    loggers = [logging.getLogger(n) for n in {"distributed", "tornado", *names}]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(QUIET)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
