"""Besselian elements against NASA's, and their polynomials against the ephemeris."""

import numpy as np
import pytest

import eclipse
from eclipse.dates import jd_from_calendar
from eclipse.sources import elements as besselian
from eclipse.sources import kernel as ephemeris
from support.nasa import besselian as nasa_besselian
from support.nasa import catalog

DATES = [r.date for r in catalog(1901, 2050)]


@pytest.fixture(scope="module")
def eph():
    return ephemeris.load()


@pytest.mark.parametrize("date", DATES[::3] + ["2024-04-08", "2023-04-20", "2021-12-04"])
def test_elements_at_t0_match_nasa(date, eph):
    """x, y within 2e-5 Earth radii, d within 1e-4 degree, l1, l2 within 1e-4,
    at NASA's own t0 (so that the comparison is of the same instant)."""
    nasa = nasa_besselian(date)
    ours = besselian.fit_elements(eph, [float(nasa.t0)])[0]
    assert abs(ours.x[0] - nasa.x[0]) < 2e-5
    assert abs(ours.y[0] - nasa.y[0]) < 2e-5
    assert abs(ours.d[0] - nasa.d[0]) < 1e-4
    assert abs(ours.l1[0] - nasa.l1[0]) < 1e-4
    assert abs(ours.l2[0] - nasa.l2[0]) < 1e-4
    # the hourly motion, NASA to 1e-7 per hour
    assert abs(ours.x[1] - nasa.x[1]) < 2e-6
    assert abs(ours.y[1] - nasa.y[1]) < 2e-6
    # mu on the ephemeris meridian: 1e-4 degree is 0.4 arcsec of rotation
    assert abs((ours.ephemeris_meridian_mu0() - nasa.ephemeris_meridian_mu0() + 180) % 360 - 180) < 1e-4


def test_polynomial_reproduces_exact_elements(eph):
    """The cubic fit over +-3 h stays within 1e-6 Earth radii of the ephemeris
    between its nodes (half hours), so the polynomials can stand for it."""
    t0 = jd_from_calendar(2024, 4, 8) + 18 / 24
    fitted = besselian.fit_elements(eph, [t0])[0]
    hours = np.arange(-2.5, 3.0, 1.0)
    exact = besselian.exact_elements(eph, t0 + hours / 24)
    at = fitted.at(hours)
    assert np.max(np.abs(at.x - exact["x"])) < 1e-6
    assert np.max(np.abs(at.y - exact["y"])) < 1e-6
    assert np.max(np.abs(at.l2 - exact["l2"])) < 1e-6


def test_elements_evaluate_on_arrays():
    e = eclipse.at("2024-04-08")
    t = np.linspace(-2, 2, 11)
    at = e.elements.at(t)
    assert at.x.shape == t.shape and at.mu.shape == t.shape
    jd = e.elements.t0 + t / 24
    assert np.allclose(e.elements.hours(jd), t)
