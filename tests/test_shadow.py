"""The shadow primitive: closed forms checked on cases worked by hand."""

import math

import numpy as np

from eclipse.shadow import obscuration


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
