"""The limits: on the shadow's edge where it moves along itself, and the
same whether solved on a subgrid or in full."""

from __future__ import annotations

import numpy as np
import pytest

import eclipse
from eclipse.geometry import limits as limits_module
from eclipse.geometry.earth import observer
from eclipse.geometry.limits import SECOND_BRANCH
from eclipse.geometry.path import path
from eclipse.geometry.shadow import shadow
from support.cache import path_of as ours
from support.curves import ecef
from support.curves import sample as _sample


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2023-04-20", "2025-03-29", "2014-04-29"])
def test_limits_graze(date):
    # A limit point is on the shadow's edge (Delta = |L|) at the instant
    # where Delta - |L| is stationary (the edge moves along itself), checked
    # with local.shadow's u, v and rates a, b, independently of the closed
    # form in limits.Edge:  d/dt (Delta - |L|) = (u a + v b) / Delta
    # - sign(L) (l' - zeta' tan f).  1e-8 radii (6 cm) off the edge; and a
    # residual slope s turns the edge's normal by s / S (S the shadow's speed
    # against the ground), moving the limit along the edge by |L| s / S:
    # under 1e-6 radii (6 m).  A wrong tangency formula leaves s ~ 1e-4
    # radii/h (the rate of L; a copysign slip once made it 3e-4), i.e. 1e-4
    # radii on a penumbral limit.
    p = ours(date)
    el = p.elements
    for name, curve in p.lines.items():
        if name == "central_line":
            continue
        penumbral = name.startswith("penumbra")
        boundaries = np.flatnonzero(np.diff(curve.part))
        i = np.union1d(_sample(curve, 40), np.concatenate([boundaries, boundaries + 1]))
        t = (curve.jd_tt[i] - float(el.t0)) * 24
        place = observer(np.radians(curve.latitude[i]), np.radians(curve.longitude[i]))
        s = shadow(el, t, place)
        e = el.at(t)
        radius = s.penumbra if penumbral else s.umbra
        gap = s.distance - np.abs(radius)
        xi, eta = e.x - s.u, e.y - s.v
        zeta_rate = -e.dmu * xi * np.cos(e.d) + eta * e.dd
        radius_rate = (e.dl1 - zeta_rate * e.tan_f1) if penumbral else (e.dl2 - zeta_rate * e.tan_f2)
        slope = (s.u * s.a + s.v * s.b) / s.distance - np.sign(radius) * radius_rate
        # the ends of each part (on the horizon, or at a fold) apart
        part = curve.part[i]
        end = np.r_[True, part[1:] != part[:-1]] | np.r_[part[1:] != part[:-1], True]
        inner = ~end
        assert np.max(np.abs(gap[inner])) < 1e-8, name
        # an end where the limit folds (a cusp) is a double root of the
        # tangency condition, solved to ~ the square root of the tolerance,
        # and an end on the horizon is put on the outline by a move below
        # 1e-6 radii: 1e-6 radii (6 m)
        assert np.max(np.abs(gap[end])) < 1e-6, name
        # the ends stop on the horizon or at a fold
        shift = np.abs(radius * slope) / np.hypot(s.a, s.b)
        assert np.max(shift[inner]) < 1e-6, (name, np.max(shift[inner]))


@pytest.mark.parametrize("date", ["2024-04-08", "2025-03-29"])
def test_limits_bound_the_region(date):
    # Independent of the tangency: a point of a limit never sees the shadow
    # (Delta < |L| with the Sun up) at any instant of the eclipse, sampled
    # every 0.5 s.  -1e-7 radii (0.6 m): the ends on the horizon are put on
    # the outline by moves below 1e-6 radii on the plane (measured: -1.7e-8);
    # the tangency bug this guards against gave -5e-6.
    p = ours(date)
    el = p.elements
    t0 = float(el.t0)
    ts = np.arange((p.p1.jd_tt - t0) * 24, (p.p4.jd_tt - t0) * 24, 0.5 / 3600)
    for name, curve in p.lines.items():
        if name == "central_line":
            continue
        for i in _sample(curve, 8):
            s = shadow(el, ts, observer(np.radians(curve.latitude[i]), np.radians(curve.longitude[i])))
            radius = s.penumbra if name.startswith("penumbra") else np.abs(s.umbra)
            inside = np.where(s.zeta > 0, s.distance - radius, np.inf)
            assert inside.min() > -1e-7, (name, i, inside.min())


def test_limits_from_interpolated_zeta_match_the_full_iteration(monkeypatch):
    # At 1-s steps the limits are computed from zeta interpolated on a
    # subgrid; they must equal those of the full iteration (to 1 m).
    e = eclipse.at("2021-12-04")
    fast = path(e, step_s=2)
    monkeypatch.setattr(limits_module, "COARSE_POINTS", 10**9)
    full = path(e, step_s=2)
    for name, curve in full.lines.items():
        other = fast.lines[name]
        assert len(other) == len(curve)
        km = np.linalg.norm(ecef(curve.latitude, curve.longitude) - ecef(other.latitude, other.longitude), axis=-1)
        assert km.max() < 1e-3, name
    # durations from interpolated contacts: 1e-3 s, a hundredth of the 0.1 s
    # shown (measured: 4e-5 s)
    assert np.max(np.abs(fast.central_line.duration_s - full.central_line.duration_s)) < 1e-3


@pytest.mark.parametrize("date", ["2015-03-20", "2024-04-08"])
def test_limit_ends_do_not_depend_on_the_subgrid(date, monkeypatch):
    # Where a limit ends near the horizon the crossing of the outline found
    # between two subgrid instants can belong to a second, lower branch of
    # the tangency condition; the limit then ends at a fold above the
    # horizon.  Whether the subgrid is 1 s or ~40 s apart, the same ends
    # must be found: the same vertices and parts (2015-03-20's southern
    # umbral limit once began on the lower branch's horizon point, 30 km
    # from its fold, on the subgrid only).  Vertices at whole steps within
    # 1 m; the others (ends, second branches, vertices added between steps)
    # depend on the folds, located by bisection to ~2 us where the limit
    # moves as the square root of time: within 0.2 km (measured: 85 m).
    e = eclipse.at(date)
    fast = path(e, step_s=1)
    monkeypatch.setattr(limits_module, "COARSE_POINTS", 10**9)
    full = path(e, step_s=1)
    assert any((c.part >= SECOND_BRANCH).any() for c in full.lines.values())
    for name, curve in full.lines.items():
        other = fast.lines[name]
        assert len(other) == len(curve) and np.array_equal(other.part, curve.part), name
        km = np.linalg.norm(ecef(curve.latitude, curve.longitude) - ecef(other.latitude, other.longitude), axis=-1)
        assert np.array_equal(curve.on_step, other.on_step), name
        assert km[curve.on_step].max() < 1e-3, name
        assert km.max() < 0.2, name
