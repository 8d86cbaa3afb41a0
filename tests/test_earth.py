"""The Earth's helpers that trade NumPy's general functions for faster forms:
each checked against the general form it replaces."""

from __future__ import annotations

import numpy as np
import pytest

from eclipse.geometry.earth import (
    NARROW_SPAN,
    fundamental_coordinates,
    fundamental_rates,
    observer,
    observer_under,
    point_under,
    sin_cos,
    wrap_longitude,
)


@pytest.mark.parametrize("centre", [-1.3, -0.4, 0.0, 0.2, 0.41, 1.5])
@pytest.mark.parametrize("span", [1e-6, 1e-3, 0.9 * NARROW_SPAN])
def test_sin_cos_of_a_narrow_span_matches_numpy(centre, span):
    # The Taylor series about the first angle: within 2 ulp of NumPy's sin
    # and cos (the series' own error is below 3e-24 for |delta| < 0.01).
    angle = centre + np.linspace(-span / 2, span / 2, 1000)
    s, c = sin_cos(angle)
    assert np.max(np.abs(s - np.sin(angle))) <= 4.5e-16
    assert np.max(np.abs(c - np.cos(angle))) <= 4.5e-16


def test_sin_cos_of_a_wide_span_or_nan_is_numpys():
    wide = np.linspace(-3.0, 3.0, 1000)
    assert all(np.array_equal(a, b) for a, b in zip(sin_cos(wide), (np.sin(wide), np.cos(wide))))
    with_nan = 0.3 + np.linspace(0, 1e-4, 200)
    with_nan[0] = np.nan
    s, c = sin_cos(with_nan)
    assert np.isnan(s[0]) and np.isnan(c[0])
    assert np.allclose(s[1:], np.sin(with_nan[1:]), rtol=0, atol=4.5e-16)


def test_wrap_longitude_lands_in_half_open_range():
    edges = np.array([-np.pi, np.pi, 3 * np.pi, -3 * np.pi, 2 * np.pi, 0.0, 1e-300, 40.0, -40.0])
    rng = np.random.default_rng(1)
    values = np.concatenate([edges, rng.uniform(-50, 50, 10000)])
    wrapped = wrap_longitude(values)
    assert np.all(wrapped >= -np.pi) and np.all(wrapped < np.pi)
    # the same angle: a whole number of turns away (to rounding of the input)
    turns = (values - wrapped) / (2 * np.pi)
    assert np.max(np.abs(turns - np.round(turns))) < 1e-14 * np.maximum(1, np.abs(values)).max()
    assert wrap_longitude(np.pi) == -np.pi and wrap_longitude(-np.pi) == -np.pi
    assert np.isnan(wrap_longitude(np.nan))


def test_observer_under_the_axis_is_the_observer_at_its_point():
    # observer_under skips observer()'s trigonometry: same rho sin phi',
    # rho cos phi' (1e-15), and its fundamental coordinates are (x, y).
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-0.7, 0.7, (2, 2000))
    d, mu = rng.uniform(-0.41, 0.41, 2000), rng.uniform(0, 2 * np.pi, 2000)
    under = observer_under(x, y, d, mu)
    lat, lon = point_under(x, y, d, mu)
    assert np.array_equal(lat, under.latitude) and np.array_equal(lon, under.longitude)
    general = observer(lat, lon)
    assert np.max(np.abs(under.rho_sin - general.rho_sin)) < 1e-15
    assert np.max(np.abs(under.rho_cos - general.rho_cos)) < 1e-15
    xi, eta, _ = fundamental_coordinates(under, d, mu)
    assert np.max(np.abs(xi - x)) < 1e-14 and np.max(np.abs(eta - y)) < 1e-14


def test_fundamental_rates_match_the_rotation():
    # xi' = mu' (zeta cos d - eta sin d) equals mu' rho cos phi' cos H, and
    # both rates equal a numerical derivative of the coordinates as the
    # Earth turns (d and mu varying over 1e-6 h).
    rng = np.random.default_rng(3)
    place = observer(rng.uniform(-1.4, 1.4, 500), rng.uniform(-np.pi, np.pi, 500))
    d, mu = 0.3, 1.1
    dd, dmu = 2e-4, 0.2618
    h = 1e-6
    xi, eta, zeta = fundamental_coordinates(place, d, mu)
    dxi, deta = fundamental_rates(xi, eta, zeta, d, dd, dmu)
    after = fundamental_coordinates(place, d + dd * h, mu + dmu * h)
    before = fundamental_coordinates(place, d - dd * h, mu - dmu * h)
    assert np.max(np.abs(dxi - (after[0] - before[0]) / (2 * h))) < 1e-8
    assert np.max(np.abs(deta - (after[1] - before[1]) / (2 * h))) < 1e-8
    hour_angle = mu + place.longitude
    assert np.max(np.abs(dxi - dmu * place.rho_cos * np.cos(hour_angle))) < 1e-15
