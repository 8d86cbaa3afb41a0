"""The shadow primitive: closed forms checked on cases worked by hand."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from eclipse.geometry.shadow import obscuration
from support.curves import disc_overlap_by_polygons


def test_obscuration_formula():
    # disjoint, Moon inside the Sun (annular), Sun inside the Moon, half-way
    delta = np.array([2.0, 0.0, 0.0, 0.0])
    l1 = np.array([1.0, 1.0, 1.0, 1.0])
    l2 = np.array([0.0, 0.2, -0.2, 0.0])  # Sun radius (l1+l2)/2, Moon (l1-l2)/2
    got = obscuration(delta, l1, l2)
    assert got[0] == 0.0
    assert math.isclose(got[1], (0.4 / 0.6) ** 2)
    assert got[2] == 1.0
    assert got[3] == 1.0  # equal discs, concentric
    # equal discs of radius r, centres r apart: 2/3 - sqrt(3)/(2 pi)
    assert math.isclose(float(obscuration(0.5, 1.0, 0.0)), 2 / 3 - math.sqrt(3) / (2 * math.pi))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 1.5), st.floats(0.2, 1.0), st.floats(0.2, 1.0))
def test_obscuration_is_the_overlap_of_the_discs(separation, sun, moon):
    """The lens formula, one expression for every case (apart, overlapping,
    one disc within the other), against the overlap measured on polygons of
    16384 sides (area error below 1e-7 of the Sun's)."""
    got = float(obscuration(separation, sun + moon, sun - moon))  # L1 = R + r, L2 = R - r
    assert abs(got - disc_overlap_by_polygons(separation, sun, moon)) < 1e-6
