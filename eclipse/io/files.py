"""Output files: checked before any work, written whole or not at all, one writer at a time.

- ``-`` is standard output.
- A name is a file's name: one ending in ``/`` is refused.
- A symbolic link is followed to the file (or store) it names, through a
  chain of links; a loop of links is refused.  The link stays a link.
- An existing file that is not a regular file (a device such as /dev/null,
  a named pipe, /dev/stdout) is never renamed over: the output is made whole
  in a private temporary file first, then copied into it, so that the
  writers (HDF5, matplotlib) only ever see a regular, seekable file.
- Anything else is written to a temporary file beside the target and renamed
  onto it, so that a reader sees the old file or the whole new one and a
  failure leaves nothing behind.  A file replaced keeps its permissions, its
  owner and its group, or a note (``FileNote``) says why it could not; a
  file with other hard links is refused, since replacing it would part them.
  A new file gets the usual permissions (0666 less the umask).
- One writer at a time: while a target is written, this process holds an
  exclusive lock (``flock``) on a file ``.NAME.eclipse-lock`` beside it,
  which names the holder; another writer of the same target is refused with
  that name.  Holding the lock, a writer first removes the temporary files
  a killed writer of the same target left (``.NAME.eclipse-tmp-*``), and
  puts back a store a killed replacement had moved aside.

Temporary names start with a dot and the target's own name, so that what a
run leaves after a SIGKILL is found by the next run on the same target.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import pwd
import shutil
import stat
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from typing import IO, TextIO

from .. import interrupts
from ..errors import EclipseError, RunError, reason

STDOUT = "-"
#: What is appended to ".NAME" for the lock, the temporaries and a store
#: moved aside while it is replaced.
LOCK_MARK, TEMP_MARK, OLD_MARK = ".eclipse-lock", ".eclipse-tmp-", ".eclipse-old-"
#: Characters of a target's name kept in the names beside it (a name of 255
#: bytes plus a mark would be too long): longer names are cut and hashed.
NAME_KEPT = 100


class OutputError(EclipseError):
    """An output file that cannot be written (found before any work)."""


class WriteError(RunError):
    """Writing an output failed part way (a full disk, an I/O error); the old
    file, if any, is as it was."""


class BusyError(RunError):
    """Another process is writing the same output."""


class FileNote(UserWarning):
    """Something a user should know about a file written (not an error)."""


# --- names -------------------------------------------------------------------------


def target(path: str) -> str:
    """The file that writing to ``path`` writes: the end of its chain of
    symbolic links (an absolute path), or ``-``.  OutputError for a name
    ending in '/' or a loop of links."""
    if path == STDOUT:
        return path
    if not path:
        raise OutputError("an output file needs a name")
    if path.endswith(os.sep) and not os.path.isdir(path):
        raise OutputError(f"cannot write {path}: a file name cannot end in '{os.sep}'")
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"cannot write {path}: its symbolic links form a loop") from None
    return os.path.realpath(path)


def _beside(real: str, mark: str) -> str:
    """``.NAME<mark>`` in the directory of ``real``."""
    directory, name = os.path.split(real)
    if len(name) > NAME_KEPT:
        name = name[:NAME_KEPT] + hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return os.path.join(directory, f".{name}{mark}")


def is_special(path: str) -> bool:
    """Whether ``path`` is standard output or an existing file that is not a
    regular file or a directory (a device, a named pipe, a socket)."""
    if path == STDOUT:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


# --- checks before any work ----------------------------------------------------------


def check_writable(path: str) -> str:
    """Fail before any work when a file cannot be written at ``path``;
    returns the file that will be written (``target``)."""
    real = target(path)
    if path == STDOUT:
        return real
    if os.path.isdir(real):
        raise OutputError(f"cannot write {path}: it is a directory")
    if is_special(path):
        if not os.access(real, os.W_OK):
            raise OutputError(f"cannot write {path}: permission denied")
        return real
    directory = os.path.dirname(real)
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write {path}: no directory {directory}")
    if not os.access(directory, os.W_OK) or (os.path.exists(real) and not os.access(real, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied")
    links = os.stat(real).st_nlink if os.path.exists(real) else 1
    if links > 1:
        raise OutputError(f"cannot replace {path} whole: it has {links} hard links, which a new file would "
                          "part; remove it first, or write to another name")
    return real


def check_tree_writable(path: str, may_replace: Callable[[str], object] | None = None) -> str:
    """Fail before any work when a directory tree (a Zarr store) cannot be
    written at ``path``; returns the directory that will be written (links
    followed).  An existing directory there is replaced only when
    ``may_replace(directory)`` returns (it raises to refuse)."""
    real = target(path.rstrip(os.sep) or path)
    directory = os.path.dirname(real)
    if os.path.lexists(real) and not os.path.isdir(real):
        raise OutputError(f"cannot write {path}: a file of that name exists")
    if os.path.isdir(real):
        if may_replace is None:
            raise OutputError(f"cannot write {path}: a directory of that name exists")
        may_replace(real)
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write {path}: no directory {directory}")
    if not os.access(directory, os.W_OK):
        raise OutputError(f"cannot write {path}: permission denied")
    return real


# --- one writer at a time -------------------------------------------------------------

#: Locks this process holds: target -> [descriptor, depth].
_held: dict[str, list[int]] = {}


@contextlib.contextmanager
def locked(path: str) -> Iterator[str]:
    """Hold the exclusive lock on the output ``path`` (its ``target``) while
    the block runs; BusyError naming the holder when another process holds
    it.  Re-entrant within a process.  Standard output and special files are
    not locked.  Yields the target."""
    real = target(path)
    if path == STDOUT or is_special(path):
        yield real
        return
    if real in _held:
        _held[real][1] += 1
        try:
            yield real
        finally:
            _held[real][1] -= 1
        return
    lock = _beside(real, LOCK_MARK)
    fd = _acquire(lock, path)
    _held[real] = [fd, 1]
    try:
        _clean_leftovers(real)
        yield real
    finally:
        del _held[real]
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _acquire(lock: str, path: str) -> int:
    """A descriptor holding the lock file ``lock`` exclusively.  The holder
    removes the file when done, so a lock taken on a file no longer at that
    name is taken again on the new one."""
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except PermissionError:  # another user's lock file: lockable, not writable
            fd = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: cannot lock it ({reason(exc)})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise BusyError(f"cannot write {path}: another process is writing it ({holder}); "
                            "wait for it to end, or stop it") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock, follow_symlinks=False).st_ino
        except OSError:
            same = False
        if same:
            _write_holder(fd)
            return fd
        os.close(fd)


def _write_holder(fd: int) -> None:
    """Who holds the lock: process id, command, start time."""
    command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv)) or "python"
    text = f"pid {os.getpid()}: {command[:200]}, since {time.strftime('%Y-%m-%d %H:%M:%S')}"
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode("utf-8", "replace"), 0)


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 400, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "a process that did not say who it is"


def _clean_leftovers(real: str) -> None:
    """Remove what a killed writer of ``real`` left beside it: temporary
    files and trees; a store it had moved aside to replace it is put back
    when nothing took its place."""
    directory = os.path.dirname(real)
    temp_prefix = os.path.basename(_beside(real, TEMP_MARK))
    old_prefix = os.path.basename(_beside(real, OLD_MARK))
    try:
        names = os.listdir(directory)
    except OSError:
        return
    olds = sorted(n for n in names if n.startswith(old_prefix))
    if olds and not os.path.lexists(real):
        os.rename(os.path.join(directory, olds.pop()), real)
    for name in [n for n in names if n.startswith(temp_prefix)] + olds:
        _remove(os.path.join(directory, name))


def _remove(name: str) -> None:
    """Remove a file or a directory tree of ours (never following a link)."""
    with contextlib.suppress(FileNotFoundError):
        if os.path.isdir(name) and not os.path.islink(name):
            shutil.rmtree(name)
        else:
            os.unlink(name)


# --- files -----------------------------------------------------------------------------


def write_atomically(path: str, write: Callable[[str], None]) -> None:
    """Write a file at ``path`` by calling ``write(a_path)``, whole or not at
    all (see the module's docstring for links, special files and ``-``)."""
    check_writable(path)
    if path == STDOUT:
        _through_temporary(path, write, sys.stdout)
        return
    with locked(path) as real:
        if is_special(path):
            _through_temporary(path, write, real)
            return
        _replace_file(path, real, write)


def _replace_file(path: str, real: str, write: Callable[[str], None]) -> None:
    old = _stat_or_none(real)
    mode = stat.S_IMODE(old.st_mode) if old else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=os.path.basename(_beside(real, TEMP_MARK)),
                                   suffix=os.path.splitext(real)[1])
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {reason(exc)}") from None
    try:
        write(tmp)
        _sync(tmp)
        os.chmod(tmp, mode)
        if old:
            _keep_owner(tmp, old, path)
        # a signal whose exception a library swallowed while writing (HDF5's
        # C code) stops the run here, before the old file is replaced
        interrupts.check()
        os.replace(tmp, real)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {reason(exc)}") from None
        raise


def _keep_owner(tmp: str, old: os.stat_result, path: str) -> None:
    """Give the new file the old one's owner and group, or say why not."""
    new = os.stat(tmp)
    if (new.st_uid, new.st_gid) == (old.st_uid, old.st_gid):
        return
    try:
        os.chown(tmp, old.st_uid, old.st_gid)
        return
    except PermissionError:
        pass
    with contextlib.suppress(PermissionError):
        os.chown(tmp, -1, old.st_gid)
    if new.st_uid != old.st_uid:
        warnings.warn(f"{path} now belongs to user {_user(new.st_uid)}, not {_user(old.st_uid)}: "
                      "only the superuser can give a file to another user", FileNote, stacklevel=2)


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _stat_or_none(name: str) -> os.stat_result | None:
    try:
        return os.stat(name)
    except FileNotFoundError:
        return None


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
    def write(name: str) -> None:
        with open(name, "wb") as f:
            f.write(data)
    write_atomically(path, write)


def write_text(path: str, text: str) -> None:
    """``text`` (UTF-8) into a file at ``path``, whole or not at all."""
    write_bytes(path, text.encode("utf-8"))


def write_stdout(text: str) -> None:
    """``text`` to standard output; WriteError (one line) when it is closed
    or cannot take it (a full device); BrokenPipeError passes."""
    try:
        _copy_to_stream(text, sys.stdout)
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise WriteError(f"cannot write to standard output: {reason(exc)}") from None


def _through_temporary(path: str, write: Callable[[str], None], destination: str | TextIO) -> None:
    """Make the output whole in a private temporary file, then copy it to
    ``destination`` (a special file's name, or a stream such as standard
    output), so that a failure while making it sends nothing."""
    with tempfile.TemporaryDirectory(prefix="eclipse-") as folder:
        name = os.path.join(folder, "output" + os.path.splitext(path)[1])
        write(name)
        interrupts.check()  # (as in _replace_file)
        try:
            with open(name, "rb") as source:
                if isinstance(destination, str):
                    with open(destination, "wb") as sink:
                        shutil.copyfileobj(source, sink)
                else:
                    _copy_to_stream(source, destination)
        except BrokenPipeError:
            raise
        except OSError as exc:
            where = "standard output" if path == STDOUT else path
            raise WriteError(f"cannot write {where}: {reason(exc)}") from None


def _copy_to_stream(source: str | IO[bytes], stream: TextIO | None) -> None:
    """Text, or a binary file's content, to a stream (standard output)."""
    if stream is None:
        raise OSError(errno.EBADF, "it is closed")
    stream.flush()
    if isinstance(source, str):
        stream.write(source)
    elif hasattr(stream, "buffer"):
        shutil.copyfileobj(source, stream.buffer)
        stream.buffer.flush()
    else:  # a text stream standing in for standard output
        stream.write(source.read().decode("utf-8"))
    stream.flush()


# --- directory trees ---------------------------------------------------------------------


def write_tree_atomically(path: str, write: Callable[[str], None],
                          may_replace: Callable[[str], object] | None = None) -> None:
    """Call ``write(temporary_directory)`` then rename it onto ``path``.

    As ``write_atomically``, for a directory tree: a failure leaves nothing
    behind, and a reader never sees a half-written tree at ``path``.  An
    existing tree there (allowed by ``may_replace``, see
    ``check_tree_writable``) is moved aside, replaced, then deleted.
    """
    check_tree_writable(path, may_replace)
    with locked(path.rstrip(os.sep) or path) as real:
        try:
            tmp = tempfile.mkdtemp(dir=os.path.dirname(real), prefix=os.path.basename(_beside(real, TEMP_MARK)),
                                   suffix=os.path.splitext(real)[1])
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {reason(exc)}") from None
        try:
            write(tmp)
            os.chmod(tmp, 0o777 & ~_umask())
            interrupts.check()  # (as in _replace_file)
            replace_tree(tmp, real)
        except BaseException as exc:
            _remove(tmp)
            if isinstance(exc, OSError):
                raise WriteError(f"cannot write {path}: {reason(exc)}") from None
            raise


def replace_tree(source: str, real: str) -> None:
    """Rename the directory ``source`` onto ``real`` (a target: no link),
    deleting what was there.  Killed between the two renames, the old tree
    waits beside it under OLD_MARK, and the next writer puts it back."""
    if not os.path.lexists(real):
        os.rename(source, real)
        return
    old = tempfile.mkdtemp(dir=os.path.dirname(real), prefix=os.path.basename(_beside(real, OLD_MARK)))
    os.rmdir(old)
    os.rename(real, old)
    os.rename(source, real)
    _remove(old)


def remove_tree(path: str) -> None:
    """Remove a directory tree this package made (the caller checked it),
    whole: renamed aside first, so that a kill leaves it whole or gone."""
    with locked(path) as real:
        try:
            old = tempfile.mkdtemp(dir=os.path.dirname(real), prefix=os.path.basename(_beside(real, TEMP_MARK)))
            os.rmdir(old)
            os.rename(real, old)
            _remove(old)
        except OSError as exc:
            raise WriteError(f"cannot remove {path}: {reason(exc)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
