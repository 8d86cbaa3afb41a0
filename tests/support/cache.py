"""Eclipses and paths computed once per process (tests share them)."""

from __future__ import annotations

import functools

import eclipse
from eclipse.geometry.path import path

from . import nasa


@functools.cache
def eclipse_at(date: str, delta_t: float | None = None):
    return eclipse.at(date, delta_t=delta_t)


@functools.cache
def path_of(date: str, delta_t: float | None = None):
    """Our path at 60-s steps (Skyfield's Delta T, or the one given)."""
    return eclipse_at(date, delta_t).path()


@functools.cache
def nasa_path(date: str, our_k1: bool = False):
    """The path computed by the same code from NASA's published elements
    (with their l1 moved to our lunar radius k1 when ``our_k1``)."""
    elements = nasa.elements_with_our_k1(date) if our_k1 else nasa.besselian(date)
    return path(elements)


def with_nasa_delta_t(date: str):
    """Our eclipse computed with NASA's Delta T (constant), so that both sides
    put the Earth at the same rotation angle."""
    return eclipse_at(date, float(nasa.besselian(date).delta_t))
