"""Besselian elements against NASA's, and the hard cases of DESIGN.md."""

import numpy as np
import pytest

import eclipse
from eclipse import besselian, ephemeris
from eclipse.dates import jd_from_calendar
from nasa import besselian as nasa_besselian
from nasa import catalog

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


def test_hybrid_2023_04_20():
    e = eclipse.at("2023-04-20")
    assert (e.kind, e.central, e.saros) == ("hybrid", True, 129)
    assert abs(e.magnitude - 1.0132) < 0.0002


def test_polar_total_2021_12_04():
    e = eclipse.at("2021-12-04")
    assert (e.kind, e.central) == ("total", True)
    assert e.latitude < -76
    assert abs(e.gamma - -0.9526) < 0.00015


def test_non_central_annular_2014_04_29():
    e = eclipse.at("2014-04-29")
    assert (e.kind, e.central) == ("annular", False)
    assert e.duration_s is None and e.path_width_km is None
    assert abs(e.sun_altitude_deg) < 0.01  # on the limb
    assert abs(e.magnitude - 0.9868) < 0.0002


def test_partial_only_2025_03_29():
    e = eclipse.at("2025-03-29")
    assert (e.kind, e.central) == ("partial", False)
    assert abs(e.magnitude - 0.9376) < 0.0002
    assert e.saros == 149


def test_totals_2017_and_2024():
    e17, e24 = eclipse.at("2017-08-21"), eclipse.at("2024-04-08")
    assert (e17.kind, e24.kind) == ("total", "total")
    assert abs(e17.duration_s - 160) <= 2 and abs(e24.duration_s - 268) <= 2


def test_delta_t_override_moves_longitude_only():
    """A larger Delta T means an earlier UT, a less rotated Earth: the point
    of greatest eclipse moves east by 1.002738 * 15 arcsec per second of
    Delta T, and nothing else moves."""
    a = eclipse.at("2024-04-08", delta_t=69.0)
    b = eclipse.at("2024-04-08", delta_t=79.0)
    assert a.jd_tt == b.jd_tt and a.gamma == b.gamma and a.latitude == b.latitude
    assert abs((b.longitude - a.longitude) - 10 * 1.002738 * 15 / 3600) < 2e-4
    assert (a.delta_t_s, b.delta_t_s) == (69.0, 79.0)


def test_times_utc_and_tt_are_consistent():
    e = eclipse.at("2024-04-08")
    assert e.time_utc.endswith("Z") and e.time_utc.startswith("2024-04-08T18:17")
    assert e.time_tt.startswith("2024-04-08T18:18:29")
