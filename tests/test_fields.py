"""Obscuration fields (issue 13): eclipse.fields.grids and `eclipse grid`.

(a) against astropy with the same DE421 file: the topocentric discs of the
    Sun and the Moon, their overlap measured by shapely, on the ground and
    up to 600 km;
(b) the Sun up from a height: an independent ray-ellipsoid intersection in
    Earth-fixed coordinates, and obscuration seen at 300 km after sunset on
    the ground;
(c) consistency with eclipse.geometry.local, the time window against P1 and P4,
    xarray's dimensions and CF attributes, the files, the command line.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import xarray as xr

import eclipse
from eclipse.fields import grids as fields
from eclipse.fields.grids import FieldError
from support.cli import one_line_error, run
from support.curves import disc_overlap_by_polygons
from support.oracle import topocentric

DAY_MS = 86400000.0


def ut_jd(time) -> float:
    return np.datetime64(time, "ms").astype(np.int64) / DAY_MS + 2440587.5


def as_datetime(jd_ut) -> np.datetime64:
    return np.datetime64(int(round((float(jd_ut) - 2440587.5) * DAY_MS)), "ms")


# --- (a) astropy --------------------------------------------------------------------------

#: (date, UT, latitude, longitude, height km): partial, near totality, annular,
#: polar, from 100 to 600 km up.
ASTROPY_CASES = [
    ("2024-04-08", "2024-04-08T18:30:00", 30.0, -100.0, 0.0),
    ("2024-04-08", "2024-04-08T19:10:00", 40.7, -74.0, 0.0),
    ("2024-04-08", "2024-04-08T18:42:00", 32.8, -96.8, 300.0),
    ("2024-10-02", "2024-10-02T18:40:00", -27.1, -109.3, 0.0),
    ("2017-08-21", "2017-08-21T18:00:00", 40.0, -100.0, 600.0),
    ("2021-12-04", "2021-12-04T07:40:00", -80.0, -80.0, 100.0),
]


@pytest.mark.parametrize("date,time,lat,lon,km", ASTROPY_CASES)
def test_against_astropy(date, time, lat, lon, km):
    """Obscuration and magnitude against the topocentric discs from astropy.

    The package follows NASA's convention (docs/formulas.md): the Sun's disc has
    radius (L1 + L2) / 2 and the Moon's (L1 - L2) / 2, L1 from the lunar
    radius k1 and L2 from k2, so in angles the Sun's semi-diameter gains
    half the difference of the Moon's two (0.39 arcsec) and the Moon's is
    their mean; the oracle uses the same.  (With k1 alone the overlap is
    5e-4 to 7e-4 larger.)  The contacts agree with astropy within 0.02 arcsec
    (test_local), which moves a magnitude by 0.02 / 1900 = 1e-5 and an
    obscuration by less: 3e-5 covers both (measured: 1e-5 at most).
    """
    delta_t = 69.0
    e = eclipse.at(date, delta_t=delta_t)
    obscured = float(fields.obscuration(e, time, lat, lon, km))
    covered = float(fields.magnitude(e, time, lat, lon, km))
    jd_tt = ut_jd(time) + delta_t / 86400.0
    separation, sun_sd, moon_sd_1, moon_sd_2 = (float(v[0]) for v in
                                                topocentric(jd_tt, lat, lon, km * 1000.0, delta_t=delta_t)[:4])
    sun = sun_sd + (moon_sd_1 - moon_sd_2) / 2.0
    moon = (moon_sd_1 + moon_sd_2) / 2.0
    assert 0.1 < obscured < 1.0
    assert abs(obscured - disc_overlap_by_polygons(separation, sun, moon)) < 3e-5
    assert abs(covered - (sun + moon - separation) / (2.0 * sun)) < 3e-5


# --- (b) the Sun up from a height -------------------------------------------------------


def sun_blocked_by_ellipsoid(lat, lon, km, d, mu) -> np.ndarray:
    """Whether the ray from a place toward the Sun meets the WGS84 ellipsoid,
    solved in Earth-fixed coordinates (metres), independently of the
    fundamental plane: the place from the usual geodetic formulas, the Sun's
    direction from the axis's declination d and Greenwich hour angle mu (its
    longitude is -mu), and the quadratic of |P + s S| on the ellipsoid."""
    a = 6378137.0
    f = 1 / 298.257223563
    b = a * (1 - f)
    e2 = f * (2 - f)
    phi, lam = np.radians(lat), np.radians(lon)
    n = a / np.sqrt(1 - e2 * np.sin(phi) ** 2)
    h = km * 1000.0
    p = np.stack([(n + h) * np.cos(phi) * np.cos(lam), (n + h) * np.cos(phi) * np.sin(lam),
                  (n * (1 - e2) + h) * np.sin(phi)])
    s = np.stack(np.broadcast_arrays(np.cos(d) * np.cos(-mu), np.cos(d) * np.sin(-mu), np.sin(d)))
    scale = np.array([1 / a, 1 / a, 1 / b])[:, None]
    ps, ss = p * scale, s * scale
    qa, qb, qc = (ss * ss).sum(0), (ps * ss).sum(0), (ps * ps).sum(0) - 1.0
    discriminant = qb * qb - qa * qc
    far_root = (-qb + np.sqrt(np.maximum(discriminant, 0.0))) / qa
    return (discriminant > 0) & (far_root > 0) & (qb < 0)


def test_sun_up_matches_a_ray_through_the_ellipsoid():
    """Where the fields are NaN (the Sun down) exactly where the ray toward
    the Sun meets the solid Earth, for random places from 0 to 600 km and
    instants of 2024-04-08 and 2021-12-04 (southern summer: the Sun up all
    day near the pole).  Places within 1e-6 of tangency (a few metres of
    height) are left out: there both sides are rounding."""
    rng = np.random.default_rng(13)
    for date in ("2024-04-08", "2021-12-04"):
        e = eclipse.at(date)
        n = 4000
        lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
        lon = rng.uniform(-180, 180, n)
        km = rng.choice([0.0, 0.5, 100.0, 300.0, 600.0], n)
        hours = rng.uniform(-3, 3, n)
        times = xr.DataArray(as_datetime_array(e, hours), dims="p")
        values = fields.obscuration(e, times, xr.DataArray(lat, dims="p"), xr.DataArray(lon, dims="p"),
                                    xr.DataArray(km, dims="p")).values
        el = e.elements.at(hours)
        blocked = sun_blocked_by_ellipsoid(lat, lon, km, el.d, el.mu)
        tangent = np.abs(grazing(lat, lon, km, el.d, el.mu)) < 1e-6
        assert np.array_equal(np.isnan(values)[~tangent], blocked[~tangent])
        assert 0.3 < blocked.mean() < 0.7 and tangent.mean() < 0.01


def grazing(lat, lon, km, d, mu):
    """How far the ray passes from tangency (the discriminant's sign-free size)."""
    a, f = 6378137.0, 1 / 298.257223563
    phi, lam = np.radians(lat), np.radians(lon)
    up = np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    s = np.stack(np.broadcast_arrays(np.cos(d) * np.cos(-mu), np.cos(d) * np.sin(-mu), np.sin(d)))
    dip = np.arccos(1.0 / (1.0 + km * 1000.0 / a / (1 - f)))
    return (up * s).sum(0) + np.sin(dip)  # sin(altitude) + sin(dip): zero at the horizon


def as_datetime_array(e, hours):
    epoch = fields.ut_epoch_seconds(e.elements)
    return ((epoch + hours * 3600.0) * 1000.0).round().astype(np.int64).astype("datetime64[ms]")


def test_obscuration_at_300_km_continues_past_ground_sunset():
    """Where the 2024-04-08 eclipse sets over the North Atlantic, places see
    the Sun set (NaN on the ground) while 300 km above them the Sun is still
    up, below the astronomical horizon but above the dip (17.3 degrees at
    300 km), and partly covered (checked there against astropy)."""
    e = eclipse.at("2024-04-08")
    times = np.arange(np.datetime64("2024-04-08T19:40"), np.datetime64("2024-04-08T20:40"),
                      np.timedelta64(10, "m"))
    ds = fields.field(e, times, np.arange(30.0, 70.0, 2.0), np.arange(-40.0, 20.0, 2.0), [0.0, 300.0])
    ground, aloft = ds.obscuration.sel(altitude=0.0), ds.obscuration.sel(altitude=300.0)
    after_sunset = ground.isnull() & (aloft > 0.05)
    assert int(after_sunset.sum()) > 20
    point = after_sunset.where(after_sunset, drop=True).stack(p=("time", "lat", "lon"))
    point = point.isel(p=np.flatnonzero(point.values.astype(bool))[0])
    time, lat, lon = point["time"].values, float(point["lat"]), float(point["lon"])
    jd_tt = ut_jd(time) + float(e.elements.delta_t) / 86400.0
    separation, sun_sd, moon_1, moon_2 = (float(v[0]) for v in
                                          topocentric(jd_tt, lat, lon, 300e3, delta_t=float(e.elements.delta_t))[:4])
    expected = disc_overlap_by_polygons(separation, sun_sd + (moon_1 - moon_2) / 2, (moon_1 + moon_2) / 2)
    assert abs(float(aloft.sel(time=time, lat=lat, lon=lon)) - expected) < 3e-5


# --- (c) consistency, dimensions, files, the command line ----------------------------------


def test_equals_local_circumstances_at_maximum():
    """At each place's maximum (eclipse.geometry.local), the field gives the same
    magnitude and obscuration: the same formulas, to rounding."""
    e = eclipse.at("2017-08-21")
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(25, 50, 300), rng.uniform(-125, -70, 300)
    lc = e.local(lat, lon)
    up = lc.sun_altitude_deg > 0.1
    times = xr.DataArray([as_datetime(t) for t in lc.time_ut("max")[up]], dims="site")
    ds = fields.field(e, times, xr.DataArray(lat[up], dims="site"), xr.DataArray(lon[up], dims="site"))
    # 1 ms of rounding the instant moves a magnitude by < 1e-7
    assert np.allclose(ds.magnitude.values, lc.magnitude[up], atol=2e-7, rtol=0)
    assert np.allclose(ds.obscuration.values, lc.obscuration[up], atol=2e-7, rtol=0)
    assert up.sum() > 200


def test_dimensions_coordinates_and_attributes():
    e = eclipse.at("2024-04-08")
    times = ["2024-04-08T18:00:00", "2024-04-08T18:40Z"]
    o = fields.obscuration(e, times, lat=[30.0, 35.0, 40.0], lon=-95.0, altitude_km=[0, 100])
    assert o.dims == ("time", "altitude", "lat") and o.shape == (2, 2, 3)
    assert o.time.dtype.kind == "M" and str(o.time.values[1]).startswith("2024-04-08T18:40:00")
    assert float(o.lon) == -95.0 and o.attrs["units"] == "1" and "long_name" in o.attrs
    assert o.lat.attrs["units"] == "degrees_north" and o.altitude.attrs["units"] == "km"
    sites = fields.magnitude(e, times[0], xr.DataArray([30.0, 40.0], dims="site"),
                             xr.DataArray([-100.0, -80.0], dims="site"))
    assert sites.dims == ("site",)
    outer = fields.magnitude(e, times[0], [30.0, 40.0], [-100.0, -80.0])
    assert outer.dims == ("lat", "lon") and outer.values[0, 0] == sites.values[0]
    assert outer.values[1, 1] == sites.values[1]
    assert np.isnan(fields.obscuration(e, times[0], 30.0, 100.0))  # night over Asia


@pytest.mark.parametrize("kwargs,message", [
    ({"times": "2024-04-09T12:00"}, "must lie between"),
    ({"times": "yesterday"}, "cannot read time 'yesterday'"),
    ({"lat": 95.0}, "latitude 95"),
    ({"lat": np.zeros((2, 2))}, "2 dimensions"),
    ({"altitude_km": -5.0}, "below the deepest"),
])
def test_bad_input(kwargs, message):
    e = eclipse.at("2024-04-08")
    args = {"times": "2024-04-08T18:00", "lat": 30.0, "lon": -90.0, "altitude_km": 0.0, **kwargs}
    with pytest.raises(eclipse.EclipseError, match=message):
        fields.obscuration(e, args["times"], args["lat"], args["lon"], args["altitude_km"])


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2023-04-20", "2025-03-29", "2012-11-13"])
def test_time_window_holds_the_whole_eclipse(date):
    """The grid's instants begin before P1 and end after P4 (eclipse.geometry.path),
    a step beyond at most; 600 km up they begin earlier and end later."""
    e = eclipse.at(date)
    p = e.path()
    first, last = (as_datetime(jd) for jd in (p.p1.jd_ut, p.p4.jd_ut))
    times = fields.eclipse_times(e, 300)
    assert times[0] <= first < times[0] + np.timedelta64(600, "s")
    assert times[-1] - np.timedelta64(600, "s") < last <= times[-1]
    high = fields.eclipse_times(e, 300, 600.0)
    assert high[0] < times[0] and high[-1] > times[-1]


def test_grid_files_netcdf_and_zarr(tmp_path):
    """The lazy grid written to netCDF and Zarr reads back with xarray with
    its values, CF attributes and UT times."""
    e = eclipse.at("2024-04-08")
    ds = fields.grid(e, 10.0, 1800, [0.0, 300.0], bbox=(-140, 0, -40, 70))
    assert ds.obscuration.dims == fields.DIMS and ds.obscuration.chunks is not None
    direct = fields.field(e, ds.time.values, ds.lat.values, ds.lon.values, ds.altitude.values)
    for name in ("out.nc", "out.zarr"):
        fields.save(ds, str(tmp_path / name))
        back = xr.open_dataset(tmp_path / name, engine="zarr" if name.endswith("zarr") else None)
        assert back.attrs["Conventions"] == "CF-1.8"
        assert back.time.dtype.kind == "M" and back.time.values[0] == ds.time.values[0]
        assert back.obscuration.attrs["long_name"] and back.lat.attrs["standard_name"] == "latitude"
        np.testing.assert_allclose(back.obscuration.values, direct.obscuration.values, rtol=0, atol=1e-7)
        np.testing.assert_allclose(back.magnitude.values, direct.magnitude.values, rtol=0, atol=1e-6)
        assert np.nanmax(back.obscuration.values) > 0.9
        back.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nc", "out.zarr"]  # no temporary left


def small_grid(**kwargs):
    """A grid of 2024-04-08 in many small chunks: 12 times, 2 altitudes,
    14 rows of 20 cells cut 4 rows by 4 (the last chunk 2 rows)."""
    e = eclipse.at("2024-04-08")
    return fields.grid(e, 5.0, 1800, [0.0, 300.0], bbox=(-140, 0, -40, 70), chunk_cells=4 * 20 + 19, **kwargs)


def as_written_by_xarray(ds):
    """The same Dataset without grid's plan: save hands it to xarray's
    to_netcdf / to_zarr, as every grid was written before issue 16."""
    plain = ds.copy()
    plain.encoding = {}
    return plain


@pytest.mark.parametrize("name", ["g.nc", "g.zarr"])
def test_grid_files_are_those_xarray_writes(tmp_path, name):
    """save writes a grid's chunks itself; the file reads back as the one
    xarray writes from the same Dataset: the same values (bit for bit: the
    same kernel on the same chunks), attributes, types, fill values,
    compression and chunks."""
    ds = small_grid()
    assert ds.obscuration.data.numblocks == (12, 2, 4, 1) and ds.obscuration.data.chunks[2] == (4, 4, 4, 2)
    fields.save(ds, str(tmp_path / name))
    fields.save(as_written_by_xarray(ds), str(tmp_path / f"xarray-{name}"))
    engine = "zarr" if name.endswith("zarr") else "h5netcdf"
    with xr.open_dataset(tmp_path / name, engine=engine, decode_times=False) as ours, \
            xr.open_dataset(tmp_path / f"xarray-{name}", engine=engine, decode_times=False) as theirs:
        assert ours.identical(theirs)
        for variable in theirs.variables:
            expected = {k: v for k, v in theirs[variable].encoding.items() if k != "source"}
            got = {k: v for k, v in ours[variable].encoding.items() if k != "source"}
            assert repr(got) == repr(expected)  # (repr: the fill values are NaN)
        assert ours.obscuration.encoding["chunks" if engine == "zarr" else "chunksizes"] == (1, 1, 4, 20)


class ChunkCounter:
    """Stands in for fields._grid_block: counts its calls, and at every
    ``check_every``-th counts how many chunks computed before are still held
    (weak references to them), after a full garbage collection (what a
    reference cycle in the writer holds is not held for long).  A collection
    takes about 0.3 s with xarray, Dask and astropy loaded: one at every
    chunk made the test 34 s; a leak holds every chunk before, seen at any
    call checked."""

    def __init__(self, kernel, stop_at=None, check_every=1):
        self.kernel, self.stop_at, self.check_every = kernel, stop_at, check_every
        self.alive, self.held_at_calls, self.calls = [], [], 0

    def __call__(self, *args):
        import gc
        import weakref

        self.calls += 1
        if self.calls % self.check_every == 0:
            gc.collect()
            self.alive = [ref for ref in self.alive if ref() is not None]
            self.held_at_calls.append(len(self.alive))
        if self.stop_at is not None and self.calls == self.stop_at:
            raise KeyboardInterrupt
        values = self.kernel(*args)
        self.alive += [weakref.ref(v) for v in values]
        return values


@pytest.mark.parametrize("name", ["g.nc", "g.zarr"])
def test_save_holds_one_chunk_at_a_time_without_dask(tmp_path, monkeypatch, name):
    """Every chunk is computed once, and let go before the next is computed,
    so that memory does not grow with the number of chunks (the peak of
    `eclipse grid` is measured by scripts/bench_fields.py, "memory"); Dask
    computes nothing."""
    import dask

    def no_dask(*args, **kwargs):
        raise AssertionError("save asked Dask to compute")

    counter = ChunkCounter(fields._grid_block, check_every=8)
    monkeypatch.setattr(fields, "_grid_block", counter)
    ds = small_grid()
    with dask.config.set(scheduler=no_dask):
        fields.save(ds, str(tmp_path / name))
    # every chunk computed once; when the next is computed, the writer holds
    # none of the chunks before, but zarr's event-loop thread lets go of the
    # last buffers it wrote a moment after each write returns (seen: one or
    # two held on a loaded machine): a few at most, where a leak would hold
    # all 96 (the 8th, 16th ... 96th calls checked: a leak holds 7 to 95)
    assert counter.calls == 12 * 2 * 4 and len(counter.held_at_calls) == 12
    assert max(counter.held_at_calls) <= 3


def test_save_reopens_the_file_every_so_many_chunks(tmp_path, monkeypatch):
    """HDF5 keeps bookkeeping per chunk written while a file is open: the
    file is closed and opened again every CHUNKS_PER_OPENING chunks, with
    the same result."""
    monkeypatch.setattr(fields, "CHUNKS_PER_OPENING", 5)
    ds = small_grid()
    fields.save(ds, str(tmp_path / "g.nc"))
    with xr.open_dataset(tmp_path / "g.nc") as back:
        np.testing.assert_array_equal(back.magnitude.values, ds.magnitude.values)


@pytest.mark.parametrize("name", ["g.nc", "g.zarr"])
def test_an_interrupt_propagates_and_leaves_nothing(tmp_path, monkeypatch, name):
    """Ctrl-C (KeyboardInterrupt in the main thread) during the chunks
    stops save at once, and no file nor temporary remains."""
    counter = ChunkCounter(fields._grid_block, stop_at=3)
    monkeypatch.setattr(fields, "_grid_block", counter)
    with pytest.raises(KeyboardInterrupt):
        fields.save(small_grid(), str(tmp_path / name))
    assert counter.calls == 3 and list(tmp_path.iterdir()) == []


def test_a_changed_grid_goes_to_xarray(tmp_path):
    """A grid whose fields were changed (here a selection) is no longer the
    grid's plan: xarray writes it, with its own values."""
    ds = small_grid()
    part = ds.isel(time=slice(2, 5), lat=slice(1, 6))
    assert fields._own_plan(ds) is not None and fields._own_plan(part) is None
    fields.save(part, str(tmp_path / "part.nc"))
    with xr.open_dataset(tmp_path / "part.nc") as back:
        np.testing.assert_array_equal(back.obscuration.values, part.obscuration.values)
        assert back.time.values[0] == part.time.values[0]


def test_cell_centres_and_antimeridian():
    lat, lon = fields.cell_centres(1.0)
    assert (len(lat), len(lon)) == (180, 360) and lat[0] == -89.5 and lon[-1] == 179.5
    lat, lon = fields.cell_centres(2.0, (170, -10, -170, 10))
    assert list(lon) == [171.0, 173.0, 175.0, 177.0, 179.0, 181.0, 183.0, 185.0, 187.0, 189.0]
    with pytest.raises(FieldError):
        fields.cell_centres(0.0)


def test_cli_grid(capsys, tmp_path):
    out = tmp_path / "g.nc"
    code, stdout, err = run("grid", "2024-04-08", "--resolution-deg", "5", "--step-s", "900", "--altitude-km", "0",
                                "300", "-o", str(out))
    assert code == 0 and err == "" and stdout.startswith(f"wrote {out}")
    ds = xr.open_dataset(out)
    assert ds.obscuration.dims == ("time", "altitude", "lat", "lon") and list(ds.altitude.values) == [0, 300]
    ds.close()


@pytest.mark.parametrize("argv,text", [
    (["--resolution-deg", "0.0001"], "would take up to"),
    (["--resolution-deg", "-1"], "resolution"),
    (["--step-s", "0.5"], "whole number of seconds"),
    (["--bbox", "1,2,3"], "LON1,LAT1,LON2,LAT2"),
    (["-o", "x.txt"], "must end in .nc"),
    (["-o", "/nonexistent/dir/x.nc"], "no directory"),
])
def test_cli_grid_bad_input(capsys, tmp_path, monkeypatch, argv, text):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run("grid", "2024-04-08", *argv)
    assert code == 2 and one_line_error(err) and text in err
    assert list(tmp_path.iterdir()) == []


def test_cli_grid_says_what_to_install():
    """Without the [fields] extra (zarr made unimportable in a fresh
    interpreter): one line naming what is missing and how to install it."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['zarr'] = None; from eclipse.cli import main; "
            "sys.exit(main(['grid', '2024-04-08']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and one_line_error(done.stderr), done.stderr
    assert "pip install 'eclipse-path[fields]'" in done.stderr and "zarr" in done.stderr


def test_max_obscuration_is_local_obscuration_visible():
    e = eclipse.at("2024-04-08")
    lat, lon = np.arange(-10.0, 60.0, 10.0), np.arange(-150.0, 0.0, 15.0)
    darkest = fields.max_obscuration(e, lat, lon)
    lc = e.local(lat[:, None], lon[None, :], horizon="geometric")  # as the maps and atlases
    assert darkest.dims == ("lat", "lon") and np.array_equal(darkest.values, lc.obscuration_visible)
    assert json.dumps(darkest.attrs)  # plain attributes (CF)
    assert math.isclose(float(darkest.max()), 1.0)


def test_a_grid_before_the_era_in_the_standard_calendar(tmp_path):
    """136 BCE: the file's times are seconds since 1970 in the CF "standard"
    calendar (Julian before 1582-10-15, as the package's dates), which
    xarray reads back (with cftime) as 15 April 136 BCE, the date of
    `eclipse find --year -135` (CF counts no year zero: -136 is 136 BCE)."""
    import xarray as xr

    out = tmp_path / "g.nc"
    code, _, err = run("grid", "-0135-04-15", "--resolution-deg", "10", "--step-s", "1200", "-o", out)
    assert code == 0 and err == ""
    with xr.open_dataset(out, decode_times=xr.coders.CFDatetimeCoder(use_cftime=True)) as g:
        first = g.time.values[0]
        assert (first.year, first.month, first.day) == (-136, 4, 15) and g.time.encoding["calendar"] == "standard"
        assert 0.9 < float(g.obscuration.max()) <= 1.0
