"""Generic numerical tools, vectorised over arrays of problems (a leaf module).

Every finder of the package is built from these: roots of a function
bracketed on a grid (the Illinois variant of regula falsi), the samples
where a condition turns on and off, fixed-point iteration until each
problem has converged, the narrowing of the instant where something stops
existing, and evaluation of long arrays in slices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from .arrays import BoolArray, FloatArray, IndexArray

#: Long arrays are worked on in slices of CHUNK elements (``in_chunks``):
#: 64 kB per temporary, under glibc's threshold for pages of their own.
#: (2048, 4096, 6144 and 8192 timed on 2024-04-08 at 1-s steps: 4096 and
#: up within 2 ms, 8192 or 6144 best.)
CHUNK = 8192


def bracketed_root(func: Callable[[FloatArray], FloatArray], lo: npt.ArrayLike, hi: npt.ArrayLike,
                   f_lo: npt.ArrayLike | None = None, f_hi: npt.ArrayLike | None = None, iterations: int = 30,
                   x_tolerance: float = 1e-10, f_tolerance: float = 1e-15) -> FloatArray:
    """Roots of ``func`` in [lo, hi] (arrays of problems) by the Illinois
    regula falsi (Dowell and Jarratt 1971).

    ``func`` changes sign over each bracket (``f_lo``, ``f_hi``: its values
    at the ends when the caller has them).  Each step takes the secant's
    root; when the same end is kept twice running, its value is halved,
    which makes convergence superlinear on smooth functions.  Stops when
    every bracket is narrower than ``x_tolerance`` or every value below
    ``f_tolerance``; the defaults (hours, in a function of order one) reach
    the rounding of hours (1e-12 h) in 30 steps from brackets of up to an
    hour.  The brackets are narrowed in place (masks, not new arrays: the
    loop often runs on small arrays, where each NumPy call's overhead counts).
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    if lo.size == 0:
        return lo
    f_lo = func(lo) if f_lo is None else np.array(f_lo, dtype=float)
    f_hi = func(hi) if f_hi is None else np.array(f_hi, dtype=float)
    # each bracket in increasing order: the secant's root and the choice of
    # the end to replace are the same either way round, and each new iterate
    # can then be kept within its bracket by two cheap calls
    swap = lo > hi
    if swap.any():
        lo, hi, f_lo, f_hi = np.where(swap, hi, lo), np.where(swap, lo, hi), np.where(swap, f_hi, f_lo), np.where(swap, f_lo, f_hi)
    last_kept_hi: BoolArray | None = None  # whether the last step replaced lo (None before the first)
    t = lo
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(iterations):
            denominator = f_hi - f_lo
            t = np.divide(lo * f_hi - hi * f_lo, denominator, out=lo.copy(), where=denominator != 0)
            np.minimum(np.maximum(t, lo, out=t), hi, out=t)
            f = func(t)
            if ((np.abs(f) < f_tolerance) | (np.abs(hi - lo) < x_tolerance)).all():
                break
            keep_hi = f * f_lo > 0  # the root lies between t and hi: t replaces lo
            keep_lo = ~keep_hi
            if last_kept_hi is not None:
                np.multiply(f_hi, 0.5, out=f_hi, where=keep_hi & last_kept_hi)
                np.multiply(f_lo, 0.5, out=f_lo, where=keep_lo & ~last_kept_hi)
            np.copyto(lo, t, where=keep_hi)
            np.copyto(f_lo, f, where=keep_hi)
            np.copyto(hi, t, where=keep_lo)
            np.copyto(f_hi, f, where=keep_lo)
            last_kept_hi = keep_hi
    return t


def sign_changes(inside: BoolArray, same: BoolArray | bool = True) -> tuple[IndexArray, IndexArray]:
    """Indices i where a sampled condition turns on (entries) and off
    (exits) between samples i and i + 1; ``same``, a mask over those pairs,
    leaves out pairs that straddle two series laid end to end."""
    return (np.flatnonzero(~inside[:-1] & inside[1:] & same),
            np.flatnonzero(inside[:-1] & ~inside[1:] & same))


def crossings(t: FloatArray, inside: BoolArray, func: Callable[[FloatArray], FloatArray]) -> tuple[FloatArray, FloatArray]:
    """Instants where a condition sampled at sorted times ``t`` turns on and
    off, refined as roots of ``func`` (of opposite signs either side)."""
    enter, leave = sign_changes(inside)
    both = np.concatenate([enter, leave])
    roots = bracketed_root(func, t[both], t[both + 1])
    return roots[: len(enter)], roots[len(enter):]


def converge(step: Callable[[IndexArray, FloatArray], FloatArray], t: npt.ArrayLike, iterations: int,
             tolerance: float) -> FloatArray:
    """Fixed-point iteration of many problems at once: ``t[i] += step(i, t[i])``
    (``step`` takes the indices of the problems still active and their
    values) until every step is below ``tolerance`` or ``iterations`` times.
    Problems that have converged are left alone; NaN steps stop too."""
    t = np.array(t, dtype=float)
    active = np.arange(t.size)
    for _ in range(iterations):
        change = step(active, t[active])
        t[active] += change
        active = active[~(np.abs(change) < tolerance)]
        if not active.size:
            break
    return t


def last_existing(exists: Callable[[FloatArray], BoolArray], good: FloatArray, gone: FloatArray, rounds: int,
                  points: int = 32) -> tuple[FloatArray, FloatArray]:
    """Narrow intervals [good, gone] (arrays: something exists at ``good``,
    not at ``gone``) to where it stops existing: each round tries ``points``
    instants across each interval at once, ``exists(t)`` taking an array of
    shape (len(good), points).  Each round divides the interval by
    ``points``."""
    fractions = np.arange(1, points + 1) / points
    for _ in range(rounds):
        t = good[:, None] + (gone - good)[:, None] * fractions
        missing = ~exists(t)
        first = np.where(missing.any(axis=1), np.argmax(missing, axis=1), points - 1)
        rows = np.arange(len(good))
        good, gone = np.where(first > 0, t[rows, np.maximum(first - 1, 0)], good), t[rows, first]
    return good, gone


def in_chunks(func: Callable[..., tuple[npt.NDArray[Any], ...]], *arrays: npt.NDArray[Any],
              chunk: int = CHUNK) -> tuple[npt.NDArray[Any], ...]:
    """``func`` applied to consecutive slices of 1-D arrays, its results
    (a tuple of arrays) joined.

    Slices of CHUNK elements keep NumPy's temporaries small: on arrays of
    tens of thousands of elements each temporary otherwise costs fresh
    pages from the system (glibc gives a freed block at the top of the heap
    back), which made the limits' fine points 2-3x slower (2024-04-08 at
    1-s steps).
    """
    n = len(arrays[0])
    if n <= chunk:
        return func(*arrays)
    pieces = [func(*(a[i:i + chunk] for a in arrays)) for i in range(0, n, chunk)]
    return tuple(np.concatenate(p) for p in zip(*pieces))


def secant_step(x_old: FloatArray, x_new: FloatArray, f_old: FloatArray, f_new: FloatArray, threshold: float,
                fallback: FloatArray | float) -> FloatArray:
    """The secant method's step from x_new, -f_new (x_new - x_old) /
    (f_new - f_old); ``fallback`` where |f_new - f_old| is not above
    ``threshold``."""
    denominator = f_new - f_old
    safe = np.abs(denominator) > threshold
    return np.where(safe, -f_new * (x_new - x_old) / np.where(safe, denominator, 1.0), fallback)
