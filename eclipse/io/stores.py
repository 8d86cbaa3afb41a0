"""The package's own Zarr stores (grids, atlases): what makes a directory one,
and when one given as an output may be replaced.

A store this package writes is Zarr format 2 whose root attributes
(``.zattrs``) say ``eclipse_store``: its kind ("grid" or "atlas"), and
``eclipse_<kind>``: the parameters it was made with (JSON).  A directory
given as an output is

- written anew when it does not exist;
- the same store when it is ours, of the same kind and parameters (a grid
  is made again, an atlas resumed or found complete);
- replaced when it is ours, of another kind or other parameters, only with
  ``overwrite``;
- refused in every other case: another program's store, any other
  directory, or a store of ours holding files a store does not hold (a
  note, a thesis): nothing in it is touched, ``overwrite`` or not.

Only plain files and directories are read here (no zarr), so the check
costs nothing before the work starts.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from .files import OutputError

KINDS = ("grid", "atlas")
#: Root attribute naming the kind; the parameters are in "eclipse_<kind>".
KIND_ATTRIBUTE = "eclipse_store"
#: Files a store of ours holds at its root besides Zarr's own.
OWN_ROOT_FILES = frozenset({".zgroup", ".zattrs", ".zmetadata", ".eclipse-checksums"})
#: Zarr's metadata files in an array's directory.
ARRAY_FILES = frozenset({".zarray", ".zattrs"})
#: A chunk's name (format 2, "." separator), or one Zarr is writing.
CHUNK_NAME = re.compile(r"^\d+(\.\d+)*(\.partial)?$")


@dataclass(frozen=True)
class StoreInfo:
    """What a store of ours says of itself."""

    kind: str
    parameters: dict[str, Any]
    complete: bool


def parameters_attribute(kind: str) -> str:
    """The root attribute holding a store's parameters."""
    return f"eclipse_{kind}"


def attributes(kind: str, parameters: dict[str, Any]) -> dict[str, str]:
    """The root attributes that mark a store as ours (``read`` reads them)."""
    return {KIND_ATTRIBUTE: kind, parameters_attribute(kind): json.dumps(parameters, sort_keys=True)}


def read(path: str) -> StoreInfo | None:
    """The kind and parameters of a store of ours at ``path``; None for
    anything else."""
    try:
        with open(os.path.join(path, ".zattrs"), encoding="utf-8") as f:
            attrs = json.load(f)
        kind = attrs.get(KIND_ATTRIBUTE, "atlas" if "eclipse_atlas" in attrs else None)
        if kind not in KINDS or not os.path.isfile(os.path.join(path, ".zgroup")):
            return None
        parameters = json.loads(attrs[parameters_attribute(kind)])
        return StoreInfo(kind, parameters, bool(int(attrs.get("complete", 0))))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def foreign_entries(path: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` names (relative to ``path``) in a directory that a
    store of ours does not hold: anything but Zarr's metadata, array
    directories of metadata and chunks, and our checksums."""
    found = []
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.name in OWN_ROOT_FILES and entry.is_file(follow_symlinks=False):
            continue
        if entry.is_dir(follow_symlinks=False) and os.path.isfile(os.path.join(entry.path, ".zarray")):
            found += [f"{entry.name}/{name}" for name in _foreign_in_array(entry.path)]
        else:
            found.append(entry.name)
        if len(found) >= limit:
            break
    return found[:limit]


def _foreign_in_array(path: str) -> list[str]:
    """The names in an array's directory that are not Zarr's metadata or chunks."""
    return [e.name for e in os.scandir(path)
            if not (e.is_file(follow_symlinks=False) and (e.name in ARRAY_FILES or CHUNK_NAME.match(e.name)))]


def check_target(path: str, kind: str, parameters: dict[str, Any], overwrite: bool = False, name: str | None = None) -> str:
    """What writing a store of ``kind`` made with ``parameters`` at the
    directory ``path`` (links followed) does: "new", "same" (ours, same kind
    and parameters) or "replace" (ours, others, and ``overwrite``);
    OutputError in every other case, with nothing touched.  ``name``: the
    store's name as given, for the messages."""
    shown = name or path
    if not os.path.lexists(path):
        return "new"
    if not os.path.isdir(path):
        raise OutputError(f"cannot write {shown}: a file of that name exists")
    info = read(path)
    if info is None:
        what = "a Zarr store of another program" if _is_zarr(path) else "a directory"
        raise OutputError(f"cannot write {shown}: it is {what}, not a store this program made; "
                          "nothing was touched: choose another name")
    foreign = foreign_entries(path)
    if foreign:
        raise OutputError(f"cannot write {shown}: it holds files a store does not ({', '.join(foreign)}); "
                          "nothing was touched: move them, or choose another name")
    if info.kind == kind and info.parameters == parameters:
        return "same"
    if not overwrite:
        what = f"an {info.kind}" if info.kind == "atlas" else f"a {info.kind}"
        state = "" if info.kind != "atlas" else (" (complete)" if info.complete else " (unfinished)")
        raise OutputError(f"cannot write {shown}: it is {what}{state} made with other parameters "
                          f"({differences(info.parameters, parameters, info.kind != kind)}); "
                          "give --overwrite to replace it, or choose another name")
    return "replace"


def differences(old: dict[str, Any], new: dict[str, Any], other_kind: bool = False, shown: int = 3) -> str:
    """The parameters that differ, as 'res 1 (now 0.5), ...'."""
    if other_kind:
        return "another kind of store"
    keys = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    text = ", ".join(f"{k} {old.get(k)} (now {new.get(k)})" for k in keys[:shown])
    return text + (", ..." if len(keys) > shown else "")


def _is_zarr(path: str) -> bool:
    """Whether a directory holds a Zarr group (format 2 or 3)."""
    return any(os.path.exists(os.path.join(path, name)) for name in (".zgroup", "zarr.json"))
