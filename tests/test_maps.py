"""Maps: content checked, not only existence; offline; files whole or absent."""

import functools
import os
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import eclipse
from eclipse.io.records import contact_utc
from eclipse.maps import figures as maps
from eclipse.maps import legend, maplabels
from support.cli import run


@pytest.fixture(autouse=True)
def no_cartopy_downloads(tmp_path, monkeypatch):
    """cartopy's data directory is an empty folder and its downloader raises:
    a map that reached for the network would fail here."""
    import cartopy
    from cartopy.io import Downloader

    empty = tmp_path / "cartopy-empty"
    empty.mkdir()
    monkeypatch.setitem(cartopy.config, "data_dir", str(empty))
    monkeypatch.setitem(cartopy.config, "pre_existing_data_dir", str(empty))

    def refuse(*args, **kwargs):
        raise AssertionError("cartopy tried to download map data")

    monkeypatch.setattr(Downloader, "acquire_resource", refuse)
    yield
    assert list(empty.iterdir()) == []


def rgba_at(fig, ax, lon, lat):
    """Pixel colours (RGB, 0-1) of a rendered figure at lon/lat points."""
    import cartopy.crs as ccrs

    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0
    xy = ax.projection.transform_points(ccrs.PlateCarree(), np.asarray(lon), np.asarray(lat))[:, :2]
    pixels = ax.transData.transform(xy)
    height = image.shape[0]
    cols = np.round(pixels[:, 0]).astype(int)
    rows = np.round(height - pixels[:, 1]).astype(int)
    return image[rows, cols]


def is_path_colour(rgb, kind):
    """A pixel of the path: its kind's colour, pure (the limits, the central
    line, the time marks) or blended at any opacity over one of the map's
    backgrounds (the filled umbra), i.e. near a segment from that colour to a
    background colour; land, water and the penumbra's shading are far from
    every such segment."""
    from matplotlib.colors import to_rgb

    target = np.array(to_rgb(maps.KIND_COLOURS[kind]))
    backgrounds = [np.array(to_rgb(c)) for c in
                   ("white", maps.LAND_COLOUR, maps.WATER_COLOUR, maps.PENUMBRA_COLOUR)]
    best = np.full(len(rgb), np.inf)
    for bg in backgrounds:
        direction = target - bg
        t = np.clip((rgb - bg) @ direction / (direction @ direction), 0.25, 1.0)
        best = np.minimum(best, np.linalg.norm(rgb - (bg + t[:, None] * direction), axis=-1))
    return best < 0.08


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2023-04-20", "2012-05-20"])
def test_path_drawn_where_central_line_projects(date):
    e = eclipse.at(date)
    path = e.path()
    fig = hybrid_world() if date == "2023-04-20" else maps.plot(e, path=path)
    ax = fig.axes[0]
    line = path.central_line
    # sample central-line vertices on the visible hemisphere (orthographic)
    centre = np.radians([e.latitude, e.longitude])
    lat, lon = np.radians(line.latitude), np.radians(line.longitude)
    cos_angle = np.sin(lat) * np.sin(centre[0]) + np.cos(lat) * np.cos(centre[0]) * np.cos(lon - centre[1])
    visible = np.flatnonzero(cos_angle > 0.5)[::5]
    assert len(visible) >= 3
    rgb = rgba_at(fig, ax, line.longitude[visible], line.latitude[visible])
    # a hybrid's stretches in their kinds' colours (test_hybrid_stretches_drawn_and_named_apart)
    kinds = path.kind_at(line.jd_tt[visible]) if e.kind == "hybrid" else np.full(len(visible), e.kind)
    seen = np.concatenate([is_path_colour(rgb[kinds == k], k) for k in np.unique(kinds)])
    assert np.mean(seen) > 0.8
    # the control: 12 degrees of latitude away from the line, off the path
    off = np.clip(line.latitude[visible] + np.where(line.latitude[visible] > 60, -12, 12), -89, 89)
    rgb_off = rgba_at(fig, ax, line.longitude[visible], off)
    assert np.mean(np.concatenate([is_path_colour(rgb_off[kinds == k], k) for k in np.unique(kinds)])) < 0.2
    # the title block names the eclipse
    texts = " ".join(t.get_text() for t in fig.texts)
    assert date in texts and f"saros {e.saros}" in texts and "Natural Earth" in texts
    assert "Ephemeris JPL DE421" in texts
    # layers: land/coast geometries, contours of magnitude, the path
    assert len(ax.collections) >= 5


def test_map_of_136_bce_hatches_the_path_within_one_sigma():
    """Before 1600 Delta T is uncertain by minutes: the map hatches the band
    the path sweeps within +-1 sigma (regions.sigma_band) and names it; a
    modern map has neither."""
    from eclipse.io.text import sigma_band_text

    e = eclipse.at("-0135-04-15")
    fig = maps.plot(e)
    ax = fig.axes[0]
    text = sigma_band_text(e)
    assert text[:1].upper() + text[1:] in legend_texts(ax)
    assert "\u00b1103 s" in sigma_band_text(e) and "\u00b10.43\u00b0" in sigma_band_text(e)
    hatched = [a for a in ax.get_children() if getattr(a, "get_hatch", lambda: None)() == "////"]
    assert hatched
    assert not any("sigma" in t for t in legend_texts(maps.plot(eclipse.at("2024-04-08")).axes[0]))


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_partial_only_has_no_path():
    e = eclipse.at("2025-03-29")
    fig = maps.plot(e)
    ax = fig.axes[0]
    from matplotlib.colors import to_rgb

    colours = {tuple(np.round(to_rgb(line.get_color()), 3)) for line in ax.lines}
    assert tuple(np.round(to_rgb(maps.KIND_COLOURS["total"]), 3)) not in colours
    assert "Partial solar eclipse of 2025-03-29" in " ".join(t.get_text() for t in fig.texts)


def test_span_map_labels_each_central_eclipse():
    found = eclipse.find(start="2020-01-01", end="2030-12-31")
    fig = maps.plot_span(found)
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    assert labels == {e.date for e in found if e.central}


def test_span_map_over_budget_is_refused(tmp_path):
    """Three centuries (444 central paths, io.mapdata.MAX_SPAN_PATHS is 300):
    refused in one line before any drawing, nothing written."""
    out = tmp_path / "span.png"
    code, _, err = run("map", "--start", "1801", "--end", "2100", "-o", out)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("eclipse: error: a map of 1801-2100 would draw 444 central paths; a picture draws at most 300")
    assert not out.exists()


def test_region_auto_zooms_on_the_path_with_cities(auto_maps):
    ax = auto_maps["2024-04-08"][2].axes[0]
    _west, _east, south, north = ax.get_extent(crs=__import__("cartopy.crs").crs.PlateCarree())
    assert north - south < 90  # zoomed, not the globe
    names = {t.get_text() for t in ax.texts}
    assert "Dallas" in names or "Mexico City" in names or "Montreal" in names


def test_cli_map_writes_png(tmp_path):
    out = tmp_path / "m.png"
    code, output, _ = run("map", "2024-04-08", "-o", out)
    assert code == 0 and output.strip() == f"wrote {out}"
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[-8:] == b"IEND\xaeB`\x82"


@pytest.mark.parametrize("argv, text", [
    (["map", "2024-04-08", "--projection", "banana"], "unknown projection"),
    (["map", "2024-04-08", "-o", "/nonexistent/dir/m.png"], "no directory"),
    (["map", "2024-04-08", "-o", "m.gif"], "extension"),
    (["map", "2024-04-09"], "no solar eclipse on 2024-04-09"),
])
def test_cli_map_bad_input(argv, text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(*argv)
    assert status != 0 and text in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "cartopy-empty"]  # no file left behind


def test_failed_render_leaves_no_file(tmp_path, monkeypatch):
    e = eclipse.at("2024-04-08")
    fig = maps.plot(e)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError):
        maps.save(fig, str(tmp_path / "x.png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cartopy-empty"]


def test_written_file_has_ordinary_permissions(tmp_path):
    """Atomic writing goes through mkstemp (0600); the result must not stay private."""
    out = tmp_path / "p.svg"
    old = os.umask(0o022)
    try:
        maps.save(maps.plot(eclipse.at("2025-03-29")), str(out))
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    assert out.read_text().rstrip().endswith("</svg>")


# --- labels overlap nothing (issue 10) ------------------------------------------------------


def drawn_labels(ax, renderer):
    """(text, gid, shape) of every label drawn on the axes, shape = the
    text's window extent joined with its white box's (display pixels), 0.5
    pixel in from each side; for a label turned along a line, its white box
    as turned (its window extent is the bounds of the turned box).  A mark's
    leader line is not part of its label (Text's extent, not Annotation's,
    which joins the line)."""
    import shapely
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    out = []
    for text in ax.texts:
        if not text.get_visible() or not text.get_text():
            continue
        box = Text.get_window_extent(text, renderer)
        patch = text.get_bbox_patch()
        if patch is not None and text.get_rotation() % 360 != 0:
            ring = patch.get_transform().transform_path(patch.get_path()).to_polygons()[0]
            out.append((text.get_text(), text.get_gid(), shapely.Polygon(ring).buffer(-0.5)))
            continue
        if patch is not None:
            box = Bbox.union([box, patch.get_window_extent(renderer)])
        out.append((text.get_text(), text.get_gid(), shapely.box(box.x0 + 0.5, box.y0 + 0.5, box.x1 - 0.5, box.y1 - 0.5)))
    return out


SECONDARY_COLOURS = {maps.MAGNITUDE_COLOUR, maps.HORIZON_COLOUR}


def drawn_lines_and_markers(ax):
    """Display polylines (with the line's gid and colour) and marker discs
    (x, y, r) of every Line2D on the axes, through the transforms matplotlib
    draws with."""
    from matplotlib.colors import to_hex

    lines, markers = [], []
    for line in ax.lines:
        if not line.get_visible():
            continue
        if line.get_linestyle() not in ("None", " ", ""):
            path = line.get_transform().transform_path(line.get_path())
            for piece in path.to_polygons(closed_only=False):
                piece = piece[np.all(np.isfinite(piece), axis=1)]
                if len(piece) > 1:
                    lines.append((line.get_gid(), to_hex(line.get_color()), piece))
        if line.get_marker() not in (None, "None", " ", ""):
            xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
            radius = line.get_markersize() / 2 * ax.figure.dpi / 72
            markers += [(x, y, radius) for x, y in xy if np.isfinite(x) and np.isfinite(y)]
    return lines, markers


def overlaps(ax):
    """Every overlap of a label with another label, a marker or a line on
    the axes, and every label outside the map's outline, as strings.

    Lines of equal magnitude and the horizon curve (by colour) are not path
    lines: a time or city label's white box may cover them, and a magnitude
    label sits on its own line (by gid).  The limits and the central line count for
    every label.  Tolerance: 0.5 pixel, the antialiasing of an edge."""
    import shapely

    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    boxes = drawn_labels(ax, renderer)
    lines, markers = drawn_lines_and_markers(ax)
    outline = ax.patch.get_transform().transform_path(ax.patch.get_path())
    outline = shapely.Polygon(outline.vertices).buffer(0.5) if len(outline.vertices) > 2 else None
    frame = shapely.box(*ax.bbox.extents).buffer(0.5)
    legend = ax.get_legend()
    legend_box = shapely.box(*legend.get_window_extent(renderer).extents) if legend is not None else None
    for i, (text, _gid, shape) in enumerate(boxes):
        if not frame.contains(shape) or (outline is not None and not outline.contains(shape)):
            found.append(f"{text!r} outside the map")
        if legend_box is not None and shape.intersects(legend_box):
            found.append(f"{text!r} on the legend")
        for other, _, other_shape in boxes[i + 1:]:
            if shape.intersects(other_shape.buffer(0.5)):
                found.append(f"{text!r} on label {other!r}")
        for x, y, r in markers:
            if shape.intersects(shapely.Point(x, y).buffer(r)):
                found.append(f"{text!r} on a marker at {x:.0f},{y:.0f}")
        magnitude_label = text in {f"{m:.1f}" for m in maps.MAGNITUDE_LEVELS}
        duration_label = re.fullmatch(r"\d+m\d\ds", text) is not None
        for line_gid, colour, piece in lines:
            # (lines of equal duration are secondary too: a label's box may cover one where nothing is free)
            secondary = colour in SECONDARY_COLOURS or str(line_gid).startswith("duration ")
            if secondary and (not magnitude_label or line_gid == f"magnitude {text}"):
                continue
            # a label of equal duration sits on its line, and its white box may
            # cover the next line of equal duration, 30 s or a minute away
            if duration_label and str(line_gid).startswith("duration "):
                continue
            if shape.intersects(shapely.LineString(piece)):
                found.append(f"{text!r} on line {line_gid!r}")
    return found


def all_overlaps(fig):
    return {i: overlaps(ax) for i, ax in enumerate(fig.axes) if overlaps(ax)}


@functools.cache
def hybrid_world():
    """The global map of the hybrid 2023-04-20 (drawn once, read by two tests)."""
    return maps.plot(eclipse.at("2023-04-20"))


@functools.cache
def texas_2024():
    """2024-04-08 over Texas (drawn once, read by two tests): the path ~75 px
    wide, room for lines of equal duration."""
    return maps.plot(eclipse.at("2024-04-08"), region=(-100, 25, -85, 36))


LABELLED_MAPS = {
    "2024-04-08 global": lambda: maps.plot(eclipse.at("2024-04-08")),
    "2024-04-08 Texas": texas_2024,
    "2023-04-20 global": hybrid_world,
    "2021-12-04 global": lambda: maps.plot(eclipse.at("2021-12-04")),
    "2026-08-12 auto": lambda: maps.plot(eclipse.at("2026-08-12"), region="auto", marks=[("Oviedo", 43.36, -5.85)]),
    "2024-04-08 robinson": lambda: maps.plot(eclipse.at("2024-04-08"), projection_name="robinson"),
    "2024-04-08 lambertconformal": lambda: maps.plot(eclipse.at("2024-04-08"), projection_name="lambertconformal"),
    "2025-03-29 auto": lambda: maps.plot(eclipse.at("2025-03-29"), region="auto"),
    "decade 2020-2030": lambda: maps.plot_span(eclipse.find(start="2020-01-01", end="2030-12-31")),
}


@pytest.mark.parametrize("name", LABELLED_MAPS)
def test_no_label_overlaps_another_a_marker_or_a_path_line(name):
    fig = LABELLED_MAPS[name]()
    labelled = sum(len(ax.texts) for ax in fig.axes)
    assert labelled >= 4  # the check below has labels to check
    assert all_overlaps(fig) == {}


@pytest.mark.parametrize("date", ["2024-04-08", "2027-08-02"])
def test_no_label_of_a_region_auto_map_overlaps_anything(date, auto_maps):
    """The maps of region auto (below), with their cities in the path named first
    (2026-08-12 with a mark is among LABELLED_MAPS)."""
    fig = auto_maps[date][2]
    assert sum(len(ax.texts) for ax in fig.axes) >= 4
    assert all_overlaps(fig) == {}


def test_time_marks_are_labelled_among_lines_of_equal_duration():
    """2024-04-08 over Texas: the lines of equal duration fill the path; the
    UT marks on its central line are labelled still, each by its time."""
    ax = texas_2024().axes[0]
    shown = [t.get_text() for t in ax.texts if re.fullmatch(r"\d\d:\d\d", t.get_text())]
    assert any((line.get_gid() or "").startswith("duration") for line in ax.lines)
    assert len(shown) >= 5 and shown == sorted(shown), shown


def test_overlap_check_sees_an_overlap():
    """The checker itself: a label put on the central line is reported."""
    e = eclipse.at("2024-04-08")
    fig = maps.plot(e, region="auto")
    ax = fig.axes[0]
    import cartopy.crs as ccrs

    ax.text(e.longitude, e.latitude, "on the path", transform=ccrs.PlateCarree(), ha="center", va="center")
    assert any("'on the path' on line" in o for o in overlaps(ax))


# --- what the maps frame (issue 10) ----------------------------------------------------------


def shown(ax, lon, lat):
    """Whether lon/lat points fall inside the axes once projected."""
    import cartopy.crs as ccrs

    xy = ax.projection.transform_points(ccrs.PlateCarree(), np.atleast_1d(np.asarray(lon, float)),
                                        np.atleast_1d(np.asarray(lat, float)))[:, :2]
    x0, x1, y0, y1 = ax.get_extent()
    return np.all(np.isfinite(xy), axis=1) & (xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)


def test_decade_map_draws_the_polar_paths_in_insets():
    """Robinson squeezes each pole into an edge; the paths that reach beyond
    70 degrees are drawn again around the pole, where they can be seen."""
    found = eclipse.find(start="2020-01-01", end="2030-12-31")
    fig = maps.plot_span(found)
    insets = {ax.get_title(): ax for ax in fig.axes[1:]}
    assert set(insets) == {"Arctic", "Antarctic"}
    arctic = insets["Arctic"]
    assert {"2021-06-10", "2026-08-12"} <= {t.get_text() for t in arctic.texts}
    assert {"2021-12-04", "2026-02-17"} <= {t.get_text() for t in insets["Antarctic"].texts}
    for date in ("2021-06-10", "2026-08-12"):
        e = next(e for e in found if e.date == date)
        line = e.path().central_line
        polar = np.flatnonzero(line.latitude > 75)[::4]
        assert len(polar) >= 3
        rgb = rgba_at(fig, arctic, line.longitude[polar], line.latitude[polar])
        assert np.mean(is_path_colour(rgb, e.kind)) > 0.8
    # the insets stand beside the world map, not on it
    main = fig.axes[0].get_window_extent()
    assert all(ax.get_window_extent().x0 >= main.x1 for ax in insets.values())


def test_region_auto_on_a_partial_eclipse_frames_where_it_is_seen():
    """2025-03-29 is seen with the Sun up from NE America, Greenland, Europe
    and NW Africa: the map frames that, not the globe round greatest eclipse."""
    e = eclipse.at("2025-03-29")
    ax = maps.plot(e, region="auto").axes[0]
    assert shown(ax, [2.35, -21.9, -7.6, -52.7], [48.86, 64.1, 33.6, 47.6]).all()  # Paris, Reykjavik, Casablanca, St John's
    elsewhere = ([-149.9, -77.0, -123.1], [61.2, -12.0, 49.3])  # Anchorage, Lima, Vancouver: no eclipse
    assert not shown(ax, *elsewhere).any()
    assert shown(maps.plot(e).axes[0], *elsewhere).all()  # the control: the globe shows them


def test_cli_region_auto_says_when_it_draws_the_globe(tmp_path, monkeypatch):
    monkeypatch.setattr(maps, "PARTIAL_FRAME_RADIUS_DEG", 5.0)
    out = tmp_path / "p.png"
    code, _, err = run("map", "2025-03-29", "--region", "auto", "-o", out, "--dpi", "30")
    assert code == 0
    assert "draws the whole globe" in err and len(err.strip().splitlines()) == 1
    assert out.exists()


@pytest.mark.parametrize("region, inside, outside", [
    ("-100,25,-80,40", [(-99, 26), (-81, 39)], [(-110, 32), (-90, 45)]),
    ("Mexico", [(-99.1, 19.4), (-117.0, 32.5), (-86.8, 21.2)], [(-75.7, 45.4), (-74.0, 40.7)]),
    ("Dallas", [(-96.8, 32.8)], [(-74.0, 40.7), (-118.2, 34.1)]),
])
def test_region_box_country_or_place(region, inside, outside):
    e = eclipse.at("2024-04-08")
    ax = maps.plot(e, region=region).axes[0]
    assert shown(ax, *zip(*inside)).all() and not shown(ax, *zip(*outside)).any()


def test_region_names_and_codes_frame_the_main_body():
    from eclipse.maps import framing

    usa = [framing.resolve(name) for name in ("United States of America", "united states", "USA", "US")]
    assert all(np.array_equal(f.longitude, usa[0].longitude) for f in usa)
    assert usa[0].longitude.min() > -130  # without Alaska and Hawaii
    europe = framing.resolve("Europe")
    assert europe.longitude.max() <= 60.0 and europe.longitude.min() < -9  # Portugal to the Urals
    france = framing.resolve("France")
    assert france.latitude.min() > 40  # without French Guiana
    assert framing.resolve("Côte d'Ivoire").name == framing.resolve("Ivory Coast").name


def test_mark_says_what_is_seen_there():
    e = eclipse.at("2024-04-08")
    fig = maps.plot(e, region="auto", marks=[("Dallas", 32.78, -96.80), (40.71, -74.01)])
    texts = [t.get_text() for t in fig.axes[0].texts]
    dallas = next(t for t in texts if t.startswith("Dallas\n"))
    seen = e.local(32.78, -96.80)
    minutes, seconds = divmod(round(float(seen.duration_s)), 60)
    assert f"total {minutes}m{seconds:02d}s from {contact_utc(seen, 'c2')[11:19]} UT" in dallas
    new_york = next(t for t in texts if t.startswith("40.71N 74.01W\n"))
    assert f"partial {float(e.local(40.71, -74.01).magnitude):.3f}" in new_york
    assert overlaps(fig.axes[0]) == []


def test_marks_at_cities_are_named_once_and_far_labels_have_leaders():
    """Places marked on 2026-08-12 over Spain: a marked city (Valencia,
    Palma) is named by its mark's label alone, not again by the city's; a
    mark's label pushed away from its diamond by the path's lines (more than
    maplabels.LEADER_FROM_PT off it) is joined to it by a line, one beside it
    is not; and nothing overlaps."""
    places = ["Madrid", "Valencia, Spain", "Oviedo", "Palma"]
    fig = maps.plot(eclipse.at("2026-08-12"), region="Spain", marks=places)
    ax = fig.axes[0]
    cities = [t.get_text() for t in ax.texts if t.get_gid() == "city"]
    assert "Valencia" not in cities and "Palma" not in cities
    assert len(cities) >= 5  # the other cities are still named
    fig.canvas.draw()
    scale = fig.dpi / 72.0
    labelled = [t for t in ax.texts if t.get_text().split("\n")[0] in {"Madrid, Spain", "Valencia, Spain", "Oviedo, Spain",
                                                                         "Palma, Spain"}]
    assert len(labelled) == 4
    for text in labelled:
        box = text.get_bbox_patch().get_window_extent()
        point = ax.transData.transform(text.xy)
        dx = max(box.x0 - point[0], point[0] - box.x1, 0.0)
        dy = max(box.y0 - point[1], point[1] - box.y1, 0.0)
        gap_pt = float(np.hypot(dx, dy)) / scale
        assert text.arrow_patch.get_visible() == (gap_pt > maplabels.LEADER_FROM_PT + 1.0) or abs(
            gap_pt - maplabels.LEADER_FROM_PT) <= 1.0, (text.get_text(), gap_pt)
    assert all_overlaps(fig) == {}


def test_cli_map_region_and_mark(tmp_path):
    out = tmp_path / "m.png"
    assert run("map", "2024-04-08", "--region", "Mexico", "--mark", "Mazatlan", "--mark", "25.5,-103.4",
               "-o", out, "--dpi", "40").code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_into_my_geoaxes_keeps_its_extent_and_picks_the_scale(monkeypatch):
    """Into a user's regional GeoAxes: that extent kept, 1:50m coasts,
    cities named, every label inside the axes."""
    import cartopy.crs as ccrs
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    asked = []
    real = maps.natural_earth

    def recording(layer, scale="110m"):
        asked.append((layer, scale))
        return real(layer, scale)

    monkeypatch.setattr(maps, "natural_earth", recording)
    fig = Figure(figsize=(6, 5))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.9), projection=ccrs.LambertConformal(-95, 35))
    ax.set_extent((-105, -85, 25, 40), ccrs.PlateCarree())
    before = ax.get_extent()
    maps.plot(eclipse.at("2024-04-08"), ax=ax)
    assert np.allclose(ax.get_extent(), before)
    assert ("coastline", "50m") in asked and ("coastline", "110m") not in asked
    assert "Dallas" in {t.get_text() for t in ax.texts}
    assert overlaps(ax) == []
    # a world view in the user's axes gets 1:110m and no cities
    asked.clear()
    fig2 = Figure(figsize=(6, 4))
    FigureCanvasAgg(fig2)
    world = fig2.add_axes((0.05, 0.05, 0.9, 0.9), projection=ccrs.Robinson())
    world.set_global()
    maps.plot(eclipse.at("2024-04-08"), ax=world)
    assert ("coastline", "110m") in asked and ("coastline", "50m") not in asked
    assert overlaps(world) == []


@pytest.mark.parametrize("argv, text", [
    (["--dpi", "0"], "--dpi 0: give 10 to 1200"),
    (["--dpi", "-5"], "--dpi -5: give 10 to 1200"),
    (["--dpi", "100000"], "--dpi 100000: give 10 to 1200"),
    (["--dpi", "nan"], "--dpi nan: give 10 to 1200"),
    (["--size", "0x5"], "between 1 and 50 inches"),
    (["--size", "100x100"], "between 1 and 50 inches"),
    (["--size", "8"], "expected WIDTHxHEIGHT"),
    (["--dpi", "1200", "--size", "50x50"], "too large"),
    (["--region", "nowhere-at-all"], "unknown region 'nowhere-at-all'"),
    (["--region", "10,95,20,30"], "latitudes must be in -90..90"),
    (["--mark", "95,10"], "latitude \"95\" is beyond 90 degrees"),
])
def test_cli_map_bad_dpi_size_region(argv, text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run("map", "2024-04-08", *argv)
    assert code == 2
    assert text in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "cartopy-empty"]


def test_save_refuses_an_image_too_large(tmp_path):
    fig = maps.plot(eclipse.at("2025-03-29"))
    with pytest.raises(maps.MapError, match="too large"):
        maps.save(fig, str(tmp_path / "big.png"), dpi=5000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cartopy-empty"]


# --- region auto: where people watch, the cities in the path named (issue 19) -----------------

AUTO_DATES = ("2017-08-21", "2024-04-08", "2026-08-12", "2027-08-02", "2023-04-20", "1999-08-11",
              "2021-12-04", "1560-08-21")


class AutoMaps(dict):
    """date -> (eclipse, path, figure) of `--region auto`, drawn on first use
    and kept for the module: a map costs 3 to 5 s, and several tests read each."""

    def __missing__(self, date):
        e = eclipse.at(date)
        path = e.path()
        self[date] = e, path, maps.plot(e, region="auto", path=path)
        return self[date]


@pytest.fixture(scope="module")
def auto_maps():
    return AutoMaps()


def gazetteer_cities(min_people):
    """Straight from the shipped gazetteer, not through the package: (name,
    lon, lat, people) of the cities of ``min_people`` or more, people being
    the urban area's where the gazetteer has it, else the city's."""
    import sqlite3
    from importlib.resources import files

    path = files("eclipse") / "data" / "places.sqlite"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT name, lon_e5 / 1e5, lat_e5 / 1e5, max(population, metro) FROM cities "
                          "WHERE max(population, metro) >= ?", (min_people,)).fetchall()
    return rows


def labels_outside_axes(ax):
    """The labels whose text leaves the axes, as strings (measured by the
    renderer without drawing the whole figure; the white box adds 0.7 pt)."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.bbox
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_visible() and t.get_text()]
    return [text for text, box in boxes
            if box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5 or box.y0 < frame.y0 - 0.5 or box.y1 > frame.y1 + 0.5]


#: City dots closer than this on the map (points) are named once, the larger
#: (maplabels.draw_cities' spacing; a suburb is closer to its city than that).
SPACING_PT = 24.0


@pytest.mark.parametrize("date", AUTO_DATES)
def test_region_auto_names_the_largest_cities_in_the_path(date, auto_maps):
    """For each map, the gazetteer's cities of 100,000 people or more inside
    the path (its own polygon) and inside the axes, largest first, each one
    with no larger one within SPACING_PT on the map: the first five (or all,
    if fewer) are named, and every label is inside the axes."""
    import shapely

    from eclipse.maps.maplabels import named_cities

    _e, path, fig = auto_maps[date]
    ax = fig.axes[0]
    named = named_cities(ax)
    assert labels_outside_axes(ax) == []
    assert fig.get_size_inches()[1] <= 1.6 * fig.get_size_inches()[0]  # no figure taller than 1.6 x its width

    rows = sorted(gazetteer_cities(100_000), key=lambda r: -r[3])
    name, lon, lat, _people = (np.array(v) for v in zip(*rows))
    inside = shapely.contains_xy(path.umbra, lon, lat) & shown(ax, lon, lat)
    candidates = np.flatnonzero(inside)
    xy = ax.transData.transform(ax.projection.transform_points(
        __import__("cartopy.crs").crs.PlateCarree(), lon[candidates], lat[candidates])[:, :2])
    pt = fig.dpi / 72.0
    distinct = []  # indices into candidates, largest first, none near a larger one
    for k in range(len(candidates)):
        if all(np.hypot(*(xy[k] - xy[j])) >= SPACING_PT * pt for j in distinct):
            distinct.append(k)
    required = [candidates[k] for k in distinct[:5]]

    def is_named(i):
        return any(n == name[i] and abs(x - lon[i]) < 0.01 and abs(y - lat[i]) < 0.01 for n, x, y in named)

    missing = [str(name[i]) for i in required if not is_named(i)]
    assert missing == [], f"{date}: {missing} unnamed; named {[n for n, _, _ in named]}"
    # named in order: the cities inside the path first, largest first, then the others
    people = {(str(n), round(float(x), 2), round(float(y), 2)): int(p) for n, x, y, p in zip(name, lon, lat, _people)}
    sizes = [people.get((n, round(x, 2), round(y, 2))) for n, x, y in named]
    in_path = [s is not None and bool(shapely.contains_xy(path.umbra, x, y)) for s, (_, x, y) in zip(sizes, named)]
    first_other = in_path.index(False) if False in in_path else len(named)
    assert not any(in_path[first_other:]), f"{date}: a city inside the path named after another: {named}"
    assert sizes[:first_other] == sorted(sizes[:first_other], reverse=True)
    if date in ("2017-08-21", "2024-04-08", "2026-08-12", "2027-08-02", "1999-08-11", "1560-08-21"):
        assert len(required) == 5  # the check had five cities to find


def test_region_auto_2024_names_the_cities_the_path_crosses(auto_maps):
    """Issue 19: Indianapolis, Cleveland, Buffalo and Little Rock lie in the path of 2024-04-08."""
    from eclipse.maps.maplabels import named_cities

    ax = auto_maps["2024-04-08"][2].axes[0]
    assert {"Dallas", "Indianapolis", "Cleveland", "Buffalo", "Little Rock"} <= {n for n, _, _ in named_cities(ax)}


def test_region_auto_frames_iceland_and_spain_to_the_balearics(auto_maps):
    """2026-08-12: Iceland and all of Spain's path to the Balearic Islands,
    the Sun low there (2 degrees at Palma) but up; not the empty sunrise
    end (Taymyr) nor East Greenland; a conic view, its figure no taller
    than 1.6 times its width, Spain wide enough to name its cities."""
    import cartopy.crs as ccrs

    from eclipse.maps.maplabels import named_cities

    _e, path, fig = auto_maps["2026-08-12"]
    ax = fig.axes[0]
    assert isinstance(ax.projection, ccrs.LambertConformal)
    # Reykjavik, Bilbao, Zaragoza, Valencia, Palma, Mao
    assert shown(ax, [-21.9, -2.9, -0.9, -0.4, 2.65, 4.27], [64.1, 43.3, 41.65, 39.5, 39.57, 39.89]).all()
    line = path.central_line
    balearic = (line.longitude > 1.0) & (line.longitude < 4.5)
    assert balearic.sum() >= 2 and shown(ax, line.longitude[balearic], line.latitude[balearic]).all()
    # Taymyr, where the path starts at sunrise, Norilsk, and East Greenland's empty coast
    assert not shown(ax, [113.4, 88.2, -22.0], [75.1, 69.3, 72.0]).any()
    xy = ax.projection.transform_points(ccrs.PlateCarree(), np.array([-9.3, 3.3]), np.array([43.0, 42.0]))
    x0, x1, _, _ = ax.get_extent()
    assert (xy[1, 0] - xy[0, 0]) / (x1 - x0) > 0.4  # Spain spans 40 % of the map's width or more
    named = {n for n, _, _ in named_cities(ax)}
    assert "Reykjavík" in named and {"Bilbao", "Zaragoza"} <= named and {"Valencia", "Palma"} <= named


@pytest.mark.parametrize("date", ["2026-08-12", "1560-08-21"])
def test_region_auto_png(date, auto_maps, tmp_path):
    """Two of the maps written as PNG, as `eclipse map DATE --region auto` writes them."""
    import struct

    out = tmp_path / f"{date}.png"
    maps.save(auto_maps[date][2], str(out), dpi=60)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert height <= 1.6 * width


def test_people_span_leaves_out_the_ends_where_few_live():
    """framing.people_span on made-up stretches of land along a path (km)
    and towns (km, people): an end stretch with fewer than END_PEOPLE and
    less than END_SHARE of all is left out, then the next; one with more of
    either is kept, and all between the kept ones; a town off every stretch
    counts for the nearest."""
    from eclipse.maps import framing

    stretches = np.array([[0.0, 100.0], [1900.0, 2400.0], [4900.0, 5100.0], [8800.0, 9100.0]])
    at = np.array([0.0, 50.0, 2000.0, 2100.0, 2300.0, 5000.0, 9000.0])
    people = np.array([3_000, 2_000, 400_000, 900_000, 10_000, 30_000, 60_000])
    # 5,000 at the start (0.4 %): left out; 60,000 at the end: kept; the lone 30,000 in the middle: kept
    assert framing.people_span(stretches, at, people) == (1900.0, 9100.0)
    people[-1] = 40_000  # 40,000 is 3 % of 1.38 million: kept all the same (END_SHARE)
    assert framing.people_span(stretches, at, people) == (1900.0, 9100.0)
    people[-1] = 4_000  # 0.3 %: left out, then the next end (30,000, 2.2 %) is kept
    assert framing.people_span(stretches, at, people) == (1900.0, 5100.0)
    at[-1] = 5300.0  # off every stretch, nearest the third: its 4,000 count there
    assert framing.people_span(stretches, at, people) == (1900.0, 5100.0)
    assert framing.people_span(stretches, at, np.zeros(7, dtype=np.int64)) is None
    few = np.array([3_000, 500])  # a path where few live at all: 1 % is 35 people, both ends kept
    assert framing.people_span(stretches[[0, 3]], np.array([0.0, 9000.0]), few) == (0.0, 9100.0)


def test_land_stretches_split_at_the_sea():
    """framing.land_stretches: vertices of the central line with land (or a
    town), runs apart where more than LAND_GAP_VERTICES in a row have none."""
    from eclipse.maps import framing

    along = np.arange(20) * 100.0
    vertices = np.array([3, 1, 2, 2, 5, 9, 10, 14])  # gaps: 5 -> 9 (3 without land), 10 -> 14
    expected = [[100.0, 500.0], [900.0, 1000.0], [1400.0, 1400.0]]
    assert framing.land_stretches(vertices, along).tolist() == expected
    assert framing.land_stretches(np.array([], dtype=int), along).shape == (0, 2)


# --- legends, labels at both ends, legible UT labels (issue 19) -------------------------------


#: The page's legend (eclipse/web/static/panel.js) of one eclipse, without
#: its shadow at the time shown (the page's alone).
PAGE_ENTRIES = ["Partial phase seen", "Magnitude at maximum, 0.2 to 0.8", "Maximum at sunrise or sunset",
                "Path of totality", "Central line, UT marks", "Greatest eclipse"]


@pytest.fixture(scope="module")
def partial_map():
    return maps.plot(eclipse.at("2025-03-29"))


@pytest.fixture(scope="module")
def dark_map():
    """The map of ``eclipse grid --png``: the greatest obscuration, dark where the eclipse is deep."""
    return maps.plot(eclipse.at("2024-04-08"), obscuration=True, resolution_deg=2.0)


def test_every_static_map_has_the_pages_legend(partial_map, dark_map):
    """The entries of the page's legend, as the page words them (read from
    panel.js): all of them on a total eclipse's regional map; no path on a
    partial eclipse's; no partial phase or lines of equal magnitude on the
    "how dark" map, which shades the obscuration instead (with a colour bar)."""
    from importlib.resources import files

    page = files("eclipse").joinpath("web/static/panel.js").read_text()
    for entry in PAGE_ENTRIES:
        assert entry in page or (entry.startswith("Path of ") and '"Path of " + word' in page
                                 and 'total: "totality"' in page), entry
    texas = maps.plot(eclipse.at("2024-04-08"), region="Texas")
    # (a regional map of a central eclipse draws the lines of equal central duration, and says so)
    assert any((line.get_gid() or "").startswith("duration") for line in texas.axes[0].lines)
    assert legend_texts(texas.axes[0]) == PAGE_ENTRIES[:5] + ["Central duration"] + PAGE_ENTRIES[5:]
    # framed on the state: Dallas, Houston, El Paso, Brownsville, Amarillo in view
    assert shown(texas.axes[0], [-96.80, -95.37, -106.49, -97.50, -101.83], [32.78, 29.76, 31.76, 25.90, 35.22]).all()
    assert legend_texts(partial_map.axes[0]) == [e for e in PAGE_ENTRIES if "Path" not in e and "Central" not in e]
    assert legend_texts(dark_map.axes[0]) == PAGE_ENTRIES[3:]
    annular = legend.legend_entries(eclipse.at("2024-10-02"), eclipse.at("2024-10-02").path())
    assert "Path of annularity" in [a.get_label() for a in annular]
    # a hybrid's stretches apart, and the lines of equal duration, worded as the page's
    hybrid = eclipse.at("2023-04-20")
    words = [a.get_label() for a in legend.legend_entries(hybrid, hybrid.path(), durations=True)]
    assert '"Path seen " + k + " (" + KIND_WORDS[k] + ")"' in page and "Where the path changes kind" in page
    for entry in ("Path seen annular (annularity)", "Path seen total (totality)", "Where the path changes kind"):
        assert entry in words, entry
    assert "Central duration" in words and "Central duration" in page and "Path of" not in " ".join(words)


def test_lines_of_equal_magnitude_are_labelled_at_both_ends(partial_map):
    """2025-03-29: each line of equal magnitude crosses the globe's disc;
    its label stands near each end, far apart."""
    ax = partial_map.axes[0]
    partial_map.canvas.draw()
    for level in maps.MAGNITUDE_LEVELS:
        spots = [t.get_window_extent() for t in ax.texts if t.get_text() == f"{level:.1f}"]
        assert len(spots) == 2, level
        (a, b) = [np.array([s.x0 + s.x1, s.y0 + s.y1]) / 2 for s in spots]
        assert np.hypot(*(a - b)) > maps.maplabels.BOTH_ENDS_PT * partial_map.dpi / 72 / 2


def test_ut_labels_are_legible_on_the_dark_obscuration(dark_map):
    """Each UT label of the "how dark" map has dark ink in a white halo:
    within its box, pixels near black (the figures) and near white (the
    halo) whatever the shade beneath, which on this map runs to black."""
    ax = dark_map.axes[0]
    dark_map.canvas.draw()
    image = np.asarray(dark_map.canvas.buffer_rgba())[..., :3] / 255.0
    height = image.shape[0]
    times = [t for t in ax.texts if t.get_text()[:2].isdigit() and ":" in t.get_text()]
    assert len(times) >= 5
    for text in times:
        box = text.get_window_extent()
        pixels = image[int(height - box.y1):int(height - box.y0), int(box.x0):int(box.x1)].mean(axis=-1)
        assert pixels.min() < 0.3 and pixels.max() > 0.95, text.get_text()
    assert all(t.get_path_effects() for t in times)


def test_a_region_the_eclipse_does_not_reach_is_drawn_with_a_note(tmp_path):
    """Bavaria on 2024-04-08 (the partial phase ends over the Atlantic): the
    map is drawn, framed on Bavaria, with the note on it and on stderr
    (exit 0); Texas, which sees it, has none.  'Georgia': the US state sees
    it, the Caucasus country does not."""
    e = eclipse.at("2024-04-08")
    path = e.path()
    bavaria = maps.region_frame(e, path, "Bavaria")
    assert bavaria.shape.covers(shapely_point(11.58, 48.14))  # Munich
    assert maps.region_note(e, path, bavaria) == "the eclipse of 2024-04-08 is not seen from Bavaria, Germany"
    assert maps.region_note(e, path, maps.region_frame(e, path, "Texas")) is None
    assert maps.region_frame(e, path, "Georgia").name == "Georgia, United States"
    out = tmp_path / "b.svg"
    code, _, err = run("map", "2024-04-08", "--region", "Bavaria", "-o", out)
    assert code == 0
    assert err.strip() == "eclipse: note: the eclipse of 2024-04-08 is not seen from Bavaria, Germany"
    assert "The eclipse of 2024-04-08 is not seen from Bavaria, Germany" in out.read_text()  # (text comments)


def shapely_point(lon, lat):
    import shapely

    return shapely.Point(lon, lat)


def test_cli_region_of_two_meanings_neither_reached_is_an_error(tmp_path):
    """2021-12-04 is seen from Antarctica and the far south only: 'Georgia'
    is neither, and the one-line error lists both."""
    from support.cli import one_line_error

    code, _, err = run("map", "2021-12-04", "--region", "Georgia", "-o", tmp_path / "g.png")
    assert code != 0 and one_line_error(err)
    assert "Georgia ('GEO') or Georgia, United States ('Georgia, US'); the eclipse reaches none" in err
    assert not (tmp_path / "g.png").exists()


# --- hybrids in parts, lines of equal duration (issue 19) ---------------------------------


def test_hybrid_stretches_drawn_and_named_apart():
    # 2023-04-20 on the globe: the central line's vertices of each stretch in
    # their kind's colour (as test_path_drawn_where_central_line_projects),
    # each stretch named, the changes marked
    e = eclipse.at("2023-04-20")
    path = e.path()
    fig = hybrid_world()
    ax = fig.axes[0]
    line = path.central_line
    kinds = path.kind_at(line.jd_tt)
    for kind in ("annular", "total"):
        i = np.flatnonzero(kinds == kind)
        change = np.isin(line.jd_tt, [c.jd_tt for c in path.kind_changes])
        i = i[~change[i]][:: max(1, len(i) // 12)]
        rgb = rgba_at(fig, ax, line.longitude[i], line.latitude[i])
        assert np.mean(is_path_colour(rgb, kind)) > 0.8, kind
        other = "total" if kind == "annular" else "annular"
        assert np.mean(is_path_colour(rgb, other)) < 0.2, kind
    names = [t.get_text() for t in ax.texts]
    assert names.count("annular") == 2 and names.count("total") == 1
    assert sum(line.get_gid() == "kind change" for line in ax.lines) == len(path.kind_changes) == 2


def test_duration_lines_on_a_regional_map():
    # 2024-04-08 over Texas: lines every 30 s or every minute from the
    # longest level (4m00s) out, each labelled with its duration
    from eclipse.maps import maplabels

    ax = texas_2024().axes[0]
    drawn = sorted({float(g.split()[1]) for g in (line.get_gid() for line in ax.lines) if str(g).startswith("duration ")})
    assert len(drawn) >= 3 and len(set(np.diff(drawn))) == 1 and np.diff(drawn)[0] in (30.0, 60.0)
    assert drawn[-1] == 240.0
    labels = {t.get_text() for t in ax.texts}
    assert {maplabels.duration_text(level) for level in drawn} <= labels  # '4m00s', '3m00s', ...


def test_duration_levels_as_the_scale_allows():
    # io.mapdata.duration_levels on 2024-04-08's offsets at greatest
    # duration: finer steps as the path widens, always whole steps from the
    # longest level, none within the gap of another line or the limit
    from eclipse.geometry.isolines import duration_lines
    from eclipse.io.mapdata import duration_levels

    offsets = {d.level_s: d.offset for d in duration_lines(eclipse.at("2024-04-08").path())}
    assert sorted(offsets) == [30.0 * k for k in range(1, 9)]  # greatest duration 4m28s
    assert duration_levels(offsets, 10.0, 6.0) == []  # the path too narrow
    chosen = [duration_levels(offsets, w, 6.0) for w in (30.0, 100.0, 1000.0)]
    assert chosen[0] == [240.0, 180.0]
    assert chosen[1][:2] == [240.0, 210.0] and len(chosen[1]) > 2
    assert chosen[2] == [240.0 - 30.0 * k for k in range(8)]
    for w, levels in zip((30.0, 100.0, 1000.0), chosen):
        f = np.array([0.0] + [offsets[level] for level in levels] + [1.0])
        assert np.all(np.diff(f) * w >= 6.0)
        assert len(set(np.diff(levels))) <= 1


def test_a_hybrids_legend_names_the_kinds_the_map_shows(auto_maps):
    """2023-04-20: the world map shows both stretches and the rings where the
    kind changes; `--region auto` frames the total stretch over land only
    (the annular ends are at sea at sunrise and sunset), and its legend
    names that one alone."""
    world = legend_texts(hybrid_world().axes[0])
    assert {"Path seen annular (annularity)", "Path seen total (totality)", "Where the path changes kind"} <= set(world)
    _e, _path, fig = auto_maps["2023-04-20"]
    framed = legend_texts(fig.axes[0])
    assert "Path seen total (totality)" in framed
    assert "Path seen annular (annularity)" not in framed and "Where the path changes kind" not in framed
