"""The drawn lines: chords between vertices follow the true curves."""

from __future__ import annotations

import numpy as np
import pytest

from eclipse.geometry.earth import point_under
from eclipse.geometry.limits import SECOND_BRANCH, Edge
from support.cache import path_of as ours
from support.curves import ecef


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2014-04-29"])
def test_lines_follow_the_curves_between_vertices(date):
    # The 1 km between vertices: at the middle instant of every
    # segment the true point is within 1 km of the drawn chord.
    p = ours(date)
    el = p.elements
    t0 = float(el.t0)
    for name, curve in p.lines.items():
        t = (curve.jd_tt - t0) * 24
        same = curve.part[1:] == curve.part[:-1]
        middle = 0.5 * (t[1:] + t[:-1])[same]
        e = el.at(middle)
        if name == "central_line":
            lat, lon = point_under(e.x, e.y, e.d, e.mu)
        else:
            side = -1.0 if "north" in name else 1.0
            edge = Edge(e, side, name.startswith("penumbra"))
            x, y, z = edge.highest()
            # the second branch from a fold: the next solution down
            second = curve.part[1:][same] >= SECOND_BRANCH
            if second.any():
                x_low, y_low, _ = edge.next_below(z)
                x, y = np.where(second, x_low, x), np.where(second, y_low, y)
            lat, lon = point_under(x, y, e.d, e.mu)
        q = ecef(np.degrees(lat), np.degrees(lon))
        a = ecef(curve.latitude, curve.longitude)[:-1][same]
        b = ecef(curve.latitude, curve.longitude)[1:][same]
        ab = b - a
        s = np.clip(np.sum((q - a) * ab, -1) / np.sum(ab * ab, -1), 0, 1)
        stray = np.linalg.norm(q - a - s[:, None] * ab, axis=-1)
        assert np.nanmax(stray) < 1.0, (name, np.nanmax(stray))
