"""Timing for the benchmark scripts: the best of several runs is the fair
figure on a shared machine (anything else only ever adds time)."""

from __future__ import annotations

import time


def timed(repeat: int, function, *args):
    """The seconds of each of ``repeat`` calls of ``function(*args)``, and
    the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return times, result


def best_of(repeat: int, function, *args):
    """The least seconds of ``repeat`` calls, and the last result."""
    times, result = timed(repeat, function, *args)
    return min(times), result
