/* The interactive map: a canvas drawn with d3-geo, a globe (orthographic) or
 * a flat map (equirectangular) that the user drags, zooms and clicks.
 * The data come from eclipse/webmap.py (the script element #eclipse-data);
 * what is seen from a place comes from circumstances.js; the panel, the
 * search box and the legend from panel.js.  window.eclipseMap is the page's
 * interface for scripts and tests.
 */
(function () {
  "use strict";
  var t0 = performance.now();
  var M = window.EclipseMath, P = window.EclipsePanel, S = window.EclipseSky, L = window.EclipseLink;
  var LAY = window.EclipseLayout, SP = window.EclipseSpan, d3 = window.d3, RAD = Math.PI / 180;
  var DATA = JSON.parse(document.getElementById("eclipse-data").textContent);
  M.configure(DATA.constants);  // the Python's constants, before any computation
  var SPAN = DATA.kind === "span";
  var canvas = document.getElementById("map"), ctx = canvas.getContext("2d", { alpha: false });
  var colours = DATA.colours, BACKGROUND = "#eef2f5";  // the page's, map.css

  // --- data ---------------------------------------------------------------------

  function decode(flat, decimals) {
    var scale = Math.pow(10, -decimals), out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push([x * scale, y * scale]);
    }
    return out;
  }
  function decodeLines(list, decimals) { return list.map(function (f) { return decode(f, decimals); }); }
  function multiLine(list, decimals) { return { type: "MultiLineString", coordinates: decodeLines(list, decimals) }; }
  function multiPolygon(polygons, decimals) {
    return { type: "MultiPolygon", coordinates: polygons.map(function (rings) { return decodeLines(rings, decimals); }) };
  }
  /* A layer of many pieces, each with its bounding cap (unit vector of its
   * centre, angular radius), so that a view draws only the pieces near it. */
  function pieces(type, list, decimals) {
    var items = list.map(function (item) {
      var coords = type === "MultiPolygon" ? decodeLines(item, decimals) : decode(item, decimals);
      var vertices = type === "MultiPolygon" ? coords[0] : coords, c = [0, 0, 0];
      var vectors = vertices.map(function (v) { var u = unit(v[0], v[1]); c[0] += u[0]; c[1] += u[1]; c[2] += u[2]; return u; });
      var n = Math.hypot(c[0], c[1], c[2]) || 1, radius = 0;
      c = [c[0] / n, c[1] / n, c[2] / n];
      vectors.forEach(function (u) { radius = Math.max(radius, angle(c, u)); });
      return { coords: coords, centre: c, radius: radius };
    });
    return { type: type, items: items, all: { type: type, coordinates: items.map(function (i) { return i.coords; }) } };
  }
  function unit(lon, lat) {
    var cl = Math.cos(lat * RAD);
    return [cl * Math.cos(lon * RAD), cl * Math.sin(lon * RAD), Math.sin(lat * RAD)];
  }
  function angle(a, b) { return Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]))); }

  // Natural Earth 1:110m, and 1:50m in the page of one eclipse
  var B = DATA.base, DETAILED = !!B.land50, base = {
    land: [multiPolygon(B.land110, 3)], coasts: [multiLine(B.coast110, 3)],
    borders: [multiLine(B.borders110, 3)], lakes: multiPolygon(B.lakes110, 3)
  };
  if (DETAILED) {
    base.land.push(pieces("MultiPolygon", B.land50, 3));
    base.coasts.push(pieces("MultiLineString", B.coast50, 3));
    base.borders.push(pieces("MultiLineString", B.borders50, 3));
    base.states = pieces("MultiLineString", B.states50, 3);
  }
  var graticules = [30, 10, 5].map(function (step) { return d3.geoGraticule().step([step, step])(); });

  var eclipses = DATA.eclipses.map(function (e) {
    return Object.assign({}, e, { el: new M.Elements(e.elements) });
  });
  function region(r) { return r ? multiPolygon(r.polygons, r.decimals) : null; }
  function curve(c) {
    return c ? { type: "MultiLineString", coordinates: decodeLines(c.parts, c.decimals), jd: c.jd_ut } : null;
  }
  /* One path: the umbra, its limits and the central line, with the eclipse. */
  function pathLayers(p, e) {
    var lines = p.lines;
    return {
      eclipse: e, umbra: region(p.umbra), central: curve(lines.central_line), band: region(p.sigma_band),
      limits: ["umbra_north_limit", "umbra_south_limit"].map(function (n) { return curve(lines[n]); })
        .filter(Boolean),
      // a hybrid's stretches of one kind, each drawn in its kind's colour
      parts: (p.parts || []).map(function (part) {
        return Object.assign(pathLayers(part, e), { kind: part.kind, colour: colours.kinds[part.kind] });
      }),
      changes: p.kind_changes || []
    };
  }
  var paths, penumbra = null, magnitude = [], horizon = null, marks = [], MOVING_VERTICES = 8000;
  if (SPAN) {
    var byDate = {};
    eclipses.forEach(function (e) { byDate[e.date] = e; });
    paths = DATA.paths.map(function (p) { return pathLayers(p, byDate[p.date]); });
    // while the view moves, about MOVING_VERTICES of the umbrae, four times fewer at least
    var count = 0;
    paths.forEach(function (p) { if (p.umbra) p.umbra.coordinates.forEach(function (rings) { count += rings[0].length; }); });
    var k = Math.max(4, Math.round(count / MOVING_VERTICES));
    paths.forEach(function (p) {
      p.coarse = { umbra: p.umbra && thin(p.umbra, k), central: p.central && thin(p.central, k) };
      p.outline = SP.outline(p.umbra);  // which places need their circumstances computed (span.js)
    });
    var spanFilter = SP.filter(eclipses);
  } else {
    paths = [pathLayers(DATA.path, eclipses[0])];
    penumbra = region(DATA.path.penumbra);
    magnitude = DATA.path.magnitude.map(function (m) { return { level: m.level, lines: multiLine(m.lines, 3) }; });
    horizon = multiLine(DATA.path.horizon, 3);
    marks = timeMarks(paths[0]);
  }

  /* Every k-th vertex of each line or ring of a geometry, its ends kept
   * (rings too short for it are kept whole): drawn while the view moves. */
  function thin(geometry, k) {
    function line(l) {
      if (l.length < 4 * k) return l;
      var out = l.filter(function (v, i) { return i % k === 0; });
      if ((l.length - 1) % k) out.push(l[l.length - 1]);
      return out;
    }
    var coordinates = geometry.type === "MultiPolygon"
      ? geometry.coordinates.map(function (rings) { return rings.map(line); }) : geometry.coordinates.map(line);
    return { type: geometry.type, coordinates: coordinates };
  }

  /* Marks on the central line every 5 to 60 minutes of UT, at most 14 of them
   * (as maps._time_marks), placed from the elements (earth.point_under). */
  function timeMarks(p) {
    if (!p.central) return [];
    var el = p.eclipse.el, jd = [].concat.apply([], p.central.jd);
    var first = Math.min.apply(null, jd), last = Math.max.apply(null, jd);
    var spanMin = (last - first) * 1440, every = 60;
    [5, 10, 15, 20, 30, 60].some(function (m) { if (spanMin / m <= 14) { every = m; return true; } return false; });
    var out = [];
    for (var m = Math.ceil(first * 1440 / every) * every; m < last * 1440; m += every) {
      var e = el.at((m / 1440 + el.deltaT / 86400 - el.t0) * 24), ll = M.pointUnder(e.x, e.y, e.d, e.mu);
      if (ll) out.push({ lon: ll[1] / RAD, lat: ll[0] / RAD, jd: m / 1440,
        label: M.formatDatetime(m / 1440, 0).split("T")[1].slice(0, 5) });
    }
    return out;
  }

  // --- the view ----------------------------------------------------------------------

  var first = eclipses[0];
  var home = SPAN ? { lon: 0, lat: 20 } : { lon: first.longitude, lat: first.latitude };
  var view = { mode: DATA.view.mode, lon: home.lon, lat: home.lat, zoom: 1 };
  var ZOOM_MIN = 0.5, ZOOM_MAX = 400, VIEWS = ["globe", "flat"];
  // pixels per degree from which 1:50m replaces 1:110m, and states are drawn
  var FINE_PPD = 8, STATES_PPD = 10;
  // while the view moves, 1:50m only for views narrower than this (radians):
  // the frame then stays well within 50 ms; the full detail comes at rest
  var MOVING_FINE_RADIUS = 0.5, REST_MS = 150;
  var width = 0, height = 0, projection = null, geo = null;

  function resize() {
    var ratio = window.devicePixelRatio || 1;
    width = canvas.clientWidth; height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  function scaleOf(zoom) {
    return view.mode === "globe" ? 0.46 * Math.min(width, height) * zoom : width / (2 * Math.PI) * zoom;
  }

  function makeProjection() {
    var s = scaleOf(view.zoom);
    if (view.mode === "globe") {
      view.lat = Math.max(-90, Math.min(90, view.lat));
      projection = d3.geoOrthographic().clipAngle(90).rotate([-view.lon, -view.lat])
        .translate([width / 2, height / 2]);
    } else {
      view.zoom = Math.max(view.zoom, 1);
      s = scaleOf(view.zoom);
      var room = Math.max(0, 90 - height / 2 / s / RAD);
      view.lat = Math.max(-room, Math.min(room, view.lat));
      projection = d3.geoEquirectangular().rotate([-view.lon, 0])
        .translate([width / 2, height / 2 + view.lat * RAD * s]);
    }
    view.lon = ((view.lon + 540) % 360) - 180;
    projection.scale(s).precision(0.7).clipExtent([[-2, -2], [width + 2, height + 2]]);
    geo = d3.geoPath(projection, ctx);
  }

  /* Whether a point is on the visible side of the globe (or on the flat map). */
  function facing(lon, lat) {
    return view.mode !== "globe" || d3.geoDistance([lon, lat], [view.lon, view.lat]) < Math.PI / 2 - 1e-9;
  }
  function project(lon, lat) {
    if (!facing(lon, lat)) return null;
    var p = projection([lon, lat]);
    return p && p[0] >= 0 && p[0] <= width && p[1] >= 0 && p[1] <= height ? p : null;
  }
  function invert(x, y) {
    var ll = projection.invert([x, y]);
    if (!ll || !isFinite(ll[0]) || !isFinite(ll[1]) || Math.abs(ll[1]) > 90) return null;
    if (view.mode === "globe") {
      var dx = x - width / 2, dy = y - height / 2, r = projection.scale();
      if (dx * dx + dy * dy > r * r) return null;
    }
    return [((ll[0] + 540) % 360) - 180, ll[1]];
  }
  function pixelsPerDegree() { return projection.scale() * RAD; }

  /* The cap of the sphere that holds the view: its centre and radius. */
  function viewCap() {
    var centre = invert(width / 2, height / 2) || [view.lon, view.lat], c = unit(centre[0], centre[1]), radius = 0;
    if (view.mode === "globe") {
      var r = Math.hypot(width, height) / 2;
      radius = r >= projection.scale() ? Math.PI / 2 : Math.asin(r / projection.scale());
    } else {
      for (var i = 0; i <= 16; i++) {
        [[width * i / 16, 0], [width * i / 16, height], [0, height * i / 16], [width, height * i / 16]].forEach(function (p) {
          var ll = invert(p[0], p[1]);
          radius = Math.max(radius, ll ? angle(c, unit(ll[0], ll[1])) : Math.PI);
        });
      }
    }
    return { centre: c, radius: radius + 0.01 };
  }

  /* A layer's pieces that reach into the view (all of a plain layer). */
  function near(layer, cap) {
    if (!layer.items) return layer;
    if (cap.radius >= Math.PI) return layer.all;
    return { type: layer.type, coordinates: layer.items.filter(function (i) {
      return angle(i.centre, cap.centre) < i.radius + cap.radius;
    }).map(function (i) { return i.coords; }) };
  }

  // --- drawing -------------------------------------------------------------------------

  var state = { hours: SPAN ? 0 : (first.jd_tt - first.el.t0) * 24, selected: null, shadow: null,
    night: null, moving: false, rest: null, hover: null, tapped: null };
  // when this script started and the first draw ended (ms from the start of
  // navigation), the number of draws and the durations of the last 500
  // (benchmarks and tests read them)
  var stats = { scriptStart: t0, firstDraw: null, draws: 0, frames: [] };

  function stroke(object, style, width, dash) {
    ctx.beginPath(); geo(object);
    ctx.strokeStyle = style; ctx.lineWidth = width; ctx.setLineDash(dash || []); ctx.stroke();
    ctx.setLineDash([]);
  }
  function fill(object, style, alpha) {
    ctx.beginPath(); geo(object);
    ctx.globalAlpha = alpha === undefined ? 1 : alpha; ctx.fillStyle = style; ctx.fill();
    ctx.globalAlpha = 1;
  }

  /* Water, land, the penumbra's region, lakes, coasts, borders, graticule:
   * Natural Earth 1:110m for wide views, 1:50m (the pieces in view) closer. */
  function drawBase() {
    var ppd = pixelsPerDegree(), cap = viewCap();
    var fine = DETAILED && ppd > FINE_PPD && (!state.moving || cap.radius < MOVING_FINE_RADIUS);
    fill({ type: "Sphere" }, colours.water);
    fill(fine ? near(base.land[1], cap) : base.land[0], colours.land);
    if (penumbra) fill(penumbra, colours.penumbra, 0.45);
    fill(base.lakes, colours.water);
    // dark and wide enough to part land from sea everywhere (3:1 against both)
    stroke(fine ? near(base.coasts[1], cap) : base.coasts[0], colours.coast, 1.5);
    stroke(fine ? near(base.borders[1], cap) : base.borders[0], "#8c8c8c", 0.5);
    if (DETAILED && ppd > STATES_PPD) stroke(near(base.states, cap), "#b0b0b0", 0.4, [1.5, 2]);
    stroke(graticules[ppd < 4 ? 0 : ppd < 20 ? 1 : 2], "rgba(154,154,154,0.6)", 0.4);
    stroke({ type: "Sphere" }, "#888", 0.8);
  }

  /* The box [x0, y0, x1, y1] a label takes, centred or left-aligned at (x, y). */
  function labelBox(text, x, y, size, align, weight) {
    ctx.font = (weight ? weight + " " : "") + size + "px system-ui, sans-serif";
    var w = ctx.measureText(text).width, x0 = align === "left" ? x : x - w / 2;
    return [x0 - 2, y - size / 2 - 1, x0 + w + 2, y + size / 2 + 1];
  }
  function overlaps(box, boxes) {
    return box[2] > width || box[0] < 0 || boxes.some(function (b) {
      return box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1];
    });
  }
  /* Draw a label on a light box (in bold when ``weight`` says so); returns the box. */
  function label(text, x, y, colour, size, align, weight) {
    var box = labelBox(text, x, y, size, align, weight);
    ctx.textAlign = align || "center"; ctx.textBaseline = "middle";
    ctx.fillStyle = colours.label_box;
    ctx.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
    ctx.fillStyle = colour; ctx.fillText(text, x, y);
    return box;
  }

  /* Lines of equal magnitude, each labelled at the middle of its longest
   * visible line; the curve where maximum happens at sunrise or sunset. */
  function drawPenumbra() {
    var boxes = [];
    magnitude.forEach(function (m) {
      stroke(m.lines, colours.magnitude, 0.9);
      var best = null;
      m.lines.coordinates.forEach(function (line) {
        var mid = line[Math.floor(line.length / 2)];
        if ((!best || line.length > best.length) && project(mid[0], mid[1])) best = line;
      });
      if (best) {
        var mid = best[Math.floor(best.length / 2)], p = project(mid[0], mid[1]);
        boxes.push(label(m.level.toFixed(1), p[0], p[1], colours.magnitude_label, 10.5));
      }
    });
    stroke(horizon, colours.horizon, 1, [1.5, 3]);
    return boxes;
  }

  /* A fill of diagonal lines in a colour, as the PNG maps' "////". */
  var hatching = null;
  function hatch(colour) {
    var tile = document.createElement("canvas"), g = tile.getContext("2d");
    tile.width = tile.height = 8;
    g.strokeStyle = colour; g.lineWidth = 1; g.globalAlpha = 0.7;
    g.beginPath(); g.moveTo(-1, 9); g.lineTo(9, -1); g.moveTo(-1, 1); g.lineTo(1, -1); g.moveTo(7, 9); g.lineTo(9, 7);
    g.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  /* The eclipse's path: the umbra, its limits, the central line with its
   * time marks (labels returned as boxes, that city names avoid). */
  function drawPath(p) {
    var colour = p.eclipse.colour, boxes = [];
    if (p.band) {  // the path within +-1 sigma of Delta T, hatched
      ctx.beginPath(); geo(p.band);
      ctx.fillStyle = hatching || (hatching = hatch(colour)); ctx.fill();
      stroke(p.band, colour, 0.8);
    }
    (p.parts.length ? p.parts : [p]).forEach(function (part) {
      var c = part.colour || colour;
      if (part.umbra) fill(part.umbra, c, 0.45);
      part.limits.forEach(function (l) { stroke(l, c, 1); });
      if (part.central) stroke(part.central, c, 1.2, [5, 3]);
    });
    boxes = boxes.concat(drawDurations(p));
    marks.forEach(function (m) {
      var q = project(m.lon, m.lat);
      if (!q) return;
      ctx.beginPath(); ctx.arc(q[0], q[1], 2.5, 0, 2 * Math.PI); ctx.fillStyle = partAt(p, m.jd).colour || colour; ctx.fill();
      boxes.push(label(m.label, q[0] + 5, q[1] + 9, colours.label, 10.5, "left"));
    });
    p.changes.forEach(function (c) {  // where a hybrid's kind changes: a ring
      var q = project(c.lon, c.lat);
      if (!q) return;
      ctx.beginPath(); ctx.arc(q[0], q[1], 4, 0, 2 * Math.PI); ctx.fillStyle = "#fff"; ctx.fill();
      ctx.lineWidth = 1.3; ctx.strokeStyle = "#222"; ctx.stroke();
    });
    p.parts.forEach(function (part) {  // each stretch named at the middle of its central line in view
      if (!part.central) return;
      var shown = [];
      part.central.coordinates.forEach(function (line) {
        line.forEach(function (v) { var q = project(v[0], v[1]); if (q) shown.push(q); });
      });
      if (!shown.length) return;
      var q = shown[Math.floor(shown.length / 2)], box = labelBox(part.kind, q[0], q[1] - 14, 12, undefined, "bold");
      if (!overlaps(box, boxes)) boxes.push(label(part.kind, q[0], q[1] - 14, part.colour, 12, undefined, "bold"));
    });
    return boxes;
  }

  /* The part of a hybrid's path at a UT Julian date (the path itself when it has no parts). */
  function partAt(p, jd) {
    var found = p;
    p.parts.forEach(function (part) {
      if (part.central && part.central.jd.some(function (ends) { return jd >= ends[0] && jd <= ends[1]; })) found = part;
    });
    return found;
  }

  /* Lines of equal central duration, as many as the zoom has room for
   * (io.mapdata.duration_levels ported: every 30 s, or every minute, ...),
   * each labelled on both sides of the central line nearest the view's
   * middle; labels returned as boxes. */
  var durations = (!SPAN && DATA.path.durations.lines.length) ? DATA.path.durations : null;
  var durationLines = durations ? durations.lines.map(function (d) {
    return { level: d.level, text: d.text, offset: d.offset, lines: multiLine(d.parts, durations.decimals) };
  }) : [];
  function durationLevels(halfWidth) {
    var best = [];
    durations.steps.forEach(function (step) {
      var kept = [], last = 0, stopped = false;
      durationLines.filter(function (d) { return d.offset !== null && d.level % step === 0; })
        .sort(function (a, b) { return b.level - a.level; }).forEach(function (d) {
          if (stopped || (d.offset - last) * halfWidth < (kept.length ? durations.gap_px : durations.room_px)
              || (1 - d.offset) * halfWidth < durations.room_px) {
            stopped = true; return;
          }
          kept.push(d); last = d.offset;
        });
      if (kept.length && (!best.length || kept[kept.length - 1].level < best[best.length - 1].level)) best = kept;
    });
    return best;
  }
  function drawDurations(p) {
    if (!durations) return [];
    var g = durations.greatest, a = projection(g), b = projection([g[0], g[1] + 0.1]);
    if (!a || !b || !facing(g[0], g[1])) return [];
    var halfWidth = durations.half_width_km * Math.hypot(b[0] - a[0], b[1] - a[1]) / (0.1 * 111.2), boxes = [];
    var axis = [];
    if (p.central) p.central.coordinates.forEach(function (line) {
      line.forEach(function (v) { var q = project(v[0], v[1]); if (q) axis.push(q); });
    });
    durationLevels(halfWidth).forEach(function (d) {
      stroke(d.lines, colours.duration, 0.8, [3, 2]);
      var best = [null, null];
      d.lines.coordinates.forEach(function (line) {
        line.forEach(function (v) {
          var q = project(v[0], v[1]);
          if (!q) return;
          var side = sideOf(axis, q), dist = Math.hypot(q[0] - width / 2, q[1] - height / 2);
          if (!best[side] || dist < best[side].dist) best[side] = { q: q, dist: dist };
        });
      });
      best.forEach(function (at) {
        if (!at) return;
        var box = labelBox(d.text, at.q[0], at.q[1], 10);
        if (!overlaps(box, boxes)) boxes.push(label(d.text, at.q[0], at.q[1], colours.duration, 10));
      });
    });
    return boxes;
  }
  /* 0 or 1: which side of a projected polyline a point lies on. */
  function sideOf(axis, q) {
    if (axis.length < 2) return 0;
    var j = 0, least = Infinity;
    axis.forEach(function (v, i) { var dd = Math.hypot(v[0] - q[0], v[1] - q[1]); if (dd < least) { least = dd; j = i; } });
    j = Math.min(j, axis.length - 2);
    var t = [axis[j + 1][0] - axis[j][0], axis[j + 1][1] - axis[j][1]];
    return t[0] * (q[1] - axis[j][1]) - t[1] * (q[0] - axis[j][0]) >= 0 ? 1 : 0;
  }

  /* The span's paths the filter shows: for each kind, the umbrae filled and
   * outlined (their edges are the limits) and the central lines, in one path
   * each; while the view moves, every k-th vertex of them (paths.coarse),
   * or in the flat map the picture of them at rest (drawMoving).  The path
   * highlighted (hovered or tapped) on top, outlined thicker. */
  function drawSpanPaths(full) {
    var coarse = state.moving && !full;
    ["total", "annular", "hybrid"].forEach(function (kind) {
      var ofKind = paths.filter(function (p) { return p.eclipse.kind === kind && shown(p); });
      if (!ofKind.length) return;
      var colour = colours.kinds[kind];
      ctx.beginPath();
      ofKind.forEach(function (p) { if (p.umbra) geo(coarse ? p.coarse.umbra : p.umbra); });
      ctx.globalAlpha = 0.45; ctx.fillStyle = colour; ctx.fill(); ctx.globalAlpha = 1;
      ctx.strokeStyle = colour; ctx.lineWidth = 0.8; ctx.stroke();
      ctx.beginPath();
      ofKind.forEach(function (p) { if (p.central) geo(coarse ? p.coarse.central : p.central); });
      ctx.lineWidth = 1.1; ctx.setLineDash(coarse ? [] : [5, 3]); ctx.stroke(); ctx.setLineDash([]);
    });
    var h = highlighted();
    if (h) {
      var colour = colours.kinds[h.eclipse.kind];
      if (h.umbra) { fill(h.umbra, colour, 0.75); stroke(h.umbra, "#111", 3.2); stroke(h.umbra, colour, 1.8); }
      if (h.central) { stroke(h.central, "#fff", 3.5); stroke(h.central, "#111", 1.8, [5, 3]); }
    }
  }
  function shown(p) { return SP.shows(spanFilter, p.eclipse); }
  /* The path highlighted: the one under the pointer, else the one tapped (if the filter shows it). */
  function highlighted() {
    var date = state.hover || state.tapped, p = null;
    paths.forEach(function (q) { if (q.eclipse.date === date && shown(q)) p = q; });
    return p;
  }

  /* The flat map of a span while it moves: the base map and the paths are
   * drawn once, at the moving view's scale, for the whole world (an
   * offscreen canvas, at most WORLD_PIXELS wide), and each frame places that
   * picture (wrapped about the antimeridian) where the view puts the world;
   * the labels are drawn over it.  Whether it could. */
  var WORLD_PIXELS = 4096, world = null;
  function drawMoving() {
    if (!SPAN || !state.moving || view.mode !== "flat") return false;
    var ratio = window.devicePixelRatio || 1, s = projection.scale(), ww = 2 * Math.PI * s, wh = Math.PI * s;
    if (ww * ratio > WORLD_PIXELS) return false;
    var key = [s, ratio, spanFilter.version, state.hover, state.tapped].join();
    if (!world || world.key !== key) world = worldPicture(key, s, ww, wh, ratio);
    var x0 = width / 2 + (-180 - view.lon) * RAD * s, y0 = height / 2 + (view.lat - 90) * RAD * s;
    x0 -= Math.ceil(x0 / ww) * ww;  // the leftmost copy that reaches the view
    for (var x = x0; x < width; x += ww) ctx.drawImage(world.canvas, x, y0, ww, wh);
    return true;
  }
  function worldPicture(key, s, ww, wh, ratio) {
    var picture = document.createElement("canvas");
    picture.width = Math.ceil(ww * ratio); picture.height = Math.ceil(wh * ratio);
    var saved = [ctx, projection, geo, width, height];
    ctx = picture.getContext("2d", { alpha: false });
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    width = ww; height = wh;
    projection = d3.geoEquirectangular().rotate([0, 0]).translate([ww / 2, wh / 2]).scale(s).precision(0.7)
      .clipExtent([[-2, -2], [ww + 2, wh + 2]]);
    geo = d3.geoPath(projection, ctx);
    try {
      ctx.fillStyle = BACKGROUND; ctx.fillRect(0, 0, ww, wh);
      drawBase();
      drawSpanPaths(true);
    } finally {
      ctx = saved[0]; projection = saved[1]; geo = saved[2]; width = saved[3]; height = saved[4];
    }
    return { key: key, canvas: picture };
  }

  function star(x, y, r, colour) {
    ctx.beginPath();
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + i * Math.PI / 5, rr = i % 2 ? r * 0.45 : r;
      ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath(); ctx.fillStyle = colour; ctx.fill();
    ctx.strokeStyle = "#fff"; ctx.lineWidth = 1; ctx.stroke();
  }

  /* The shadow on the ground at the slider's instant: the penumbra outlined
   * and lightly shaded, the umbra dark. */
  function shadowAt(hours) {
    var el = first.el, out = {};
    ["penumbra", "umbra"].forEach(function (name) {
      var f = M.footprint(el, hours, name === "penumbra");
      if (!f) { out[name] = null; return; }
      var ring = f.ring.concat([f.ring[0]]), polygon = { type: "Polygon", coordinates: [ring] };
      if (d3.geoArea(polygon) > 2 * Math.PI) polygon.coordinates = [ring.slice().reverse()];
      out[name] = { polygon: polygon, ring: f.ring, edge: f.edge };
    });
    var e = el.at(hours), axis = M.pointUnder(e.x, e.y, e.d, e.mu);
    out.axis = axis ? [axis[1] / RAD, axis[0] / RAD] : null;
    return out;
  }

  function drawShadow() {
    var s = state.shadow;
    if (!s) return;
    if (s.penumbra) {
      fill(s.penumbra.polygon, "#3a3a3a", 0.08);
      stroke(s.penumbra.polygon, "rgba(40,40,40,0.85)", 1.3);
    }
    if (s.umbra) {
      fill(s.umbra.polygon, "#111", 0.8);
      stroke(s.umbra.polygon, "#000", 1);
    }
    if (s.axis && !s.umbra) {
      var q = project(s.axis[0], s.axis[1]);
      if (q) { ctx.beginPath(); ctx.arc(q[0], q[1], 3, 0, 2 * Math.PI); ctx.fillStyle = "#111"; ctx.fill(); }
    }
  }

  /* The night at the slider's instant (sky.js): the Sun's centre below
   * the horizon of sunrise and sunset, a light shade that leaves land, sea
   * and the shadow readable, edged by the terminator. */
  function nightAt(hours) {
    var n = S.night(first.el, hours);
    return Object.assign(n, { polygon: d3.geoCircle().center(n.centre).radius(n.radius).precision(1)() });
  }
  function drawNight() {
    var n = state.night;
    if (!n) return;
    fill(n.polygon, "#0a1a40", 0.17);
    stroke(n.polygon, "rgba(10,26,64,0.45)", 0.8);
  }

  /* Names of the larger cities: near the central line first, any when zoomed
   * in; none overlapping another or a label already drawn. */
  function drawCities(boxes) {
    var ppd = pixelsPerDegree(), placed = boxes.slice(), count = 0, limit = Math.min(30, Math.round(ppd * 2));
    if (ppd < 3) return;
    P.nearPath.concat(ppd > (P.nearPath.length ? 12 : 5) ? P.cities : []).some(function (c) {
      var q = project(c[3], c[2]);
      if (!q || overlaps(labelBox(c[0], q[0] + 5, q[1] - 7.5, 11, "left"), placed)) return false;
      ctx.beginPath(); ctx.arc(q[0], q[1], 2, 0, 2 * Math.PI); ctx.fillStyle = "#333"; ctx.fill();
      placed.push(label(c[0], q[0] + 5, q[1] - 7.5, colours.label, 11, "left"));
      return ++count >= limit;
    });
  }

  function drawSelected() {
    if (!state.selected) return;
    var q = project(state.selected[1], state.selected[0]);
    if (!q) return;
    ctx.beginPath(); ctx.arc(q[0], q[1], 6, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5; ctx.strokeStyle = "#fff"; ctx.stroke();
    ctx.lineWidth = 1.5; ctx.strokeStyle = colours.selected; ctx.stroke();
    if (state.selectedName) label(state.selectedName, q[0] + 9, q[1] - 9, colours.selected, 12, "left");
  }

  function draw() {
    var start = performance.now();
    ctx.fillStyle = BACKGROUND; ctx.fillRect(0, 0, width, height);  // an opaque canvas composites faster
    var boxes = [];
    if (SPAN) {
      if (!drawMoving()) { drawBase(); drawSpanPaths(); }
      var h = highlighted();
      if (h) {  // its date and kind first, in bold
        var g = project(h.eclipse.longitude, h.eclipse.latitude);
        if (g) boxes.push(label(SP.describe(h.eclipse), g[0], g[1] - 11, "#111", 12.5, undefined, "bold"));
      }
      paths.forEach(function (p) {  // dates at greatest eclipse, none over another
        if (!shown(p) || p === h) return;
        var q = project(p.eclipse.longitude, p.eclipse.latitude);
        if (q && !overlaps(labelBox(p.eclipse.date, q[0], q[1] - 9, 10.5), boxes)) {
          boxes.push(label(p.eclipse.date, q[0], q[1] - 9, p.eclipse.colour, 10.5));
        }
      });
    } else {
      drawBase();
      drawNight();
      boxes = drawPenumbra().concat(drawPath(paths[0]));
      drawShadow();
      var g = project(first.longitude, first.latitude);  // over the shadow, which would hide it
      if (g) star(g[0], g[1], 8, "#000");
    }
    drawCities(boxes);
    drawSelected();
    cursor.draw(ctx);
    var ms = performance.now() - start;
    stats.frames.push(ms);
    stats.draws++;
    if (stats.frames.length > 500) stats.frames.shift();
    if (stats.firstDraw === null) stats.firstDraw = performance.now();
    linkLater();
  }

  /* The view is moving: draw lighter until it has been still for REST_MS. */
  function moving() {
    state.moving = true;
    clearTimeout(state.rest);
    state.rest = setTimeout(function () { state.moving = false; redraw(); }, REST_MS);
  }

  var pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; makeProjection(); draw(); });
  }

  // --- interaction --------------------------------------------------------------------

  /* Move the view so that the map slides by (dx, dy) pixels. */
  function pan(dx, dy) {
    var ppd = pixelsPerDegree();
    view.lon -= dx / ppd / (view.mode === "globe" ? Math.max(Math.cos(view.lat * RAD), 0.3) : 1);
    view.lat += dy / ppd;
    makeProjection();
  }

  /* Zoom by a factor, keeping the place under (x, y) where it is. */
  function zoomBy(factor, x, y) {
    if (x === undefined) { x = width / 2; y = height / 2; }
    moving();
    var before = invert(x, y);
    view.zoom = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, view.zoom * factor));
    makeProjection();
    if (before) keepUnder(before, x, y);
    redraw();
  }

  /* Turn the view until the place ll (lon, lat) is under (x, y) again:
   * a few pans, since a pan's degrees per pixel hold only near the centre. */
  function keepUnder(ll, x, y) {
    for (var i = 0; i < 6; i++) {
      var p = projection(ll);
      if (!p || Math.hypot(p[0] - x, p[1] - y) < 0.05) return;
      pan(x - p[0], y - p[1]);
    }
  }

  var pointers = {}, gesture = null;
  canvas.addEventListener("pointerdown", function (ev) {
    try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* a synthetic pointer */ }
    pointers[ev.pointerId] = [ev.offsetX, ev.offsetY];
    var ids = Object.keys(pointers);
    gesture = { start: [ev.offsetX, ev.offsetY], moved: ids.length > 1, grab: invert(ev.offsetX, ev.offsetY),
      spread: ids.length === 2 ? spread() : null };
  });
  function spread() {
    var p = Object.values(pointers);
    return { d: Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]), x: (p[0][0] + p[1][0]) / 2, y: (p[0][1] + p[1][1]) / 2 };
  }
  canvas.addEventListener("pointermove", function (ev) {
    var last = pointers[ev.pointerId];
    if (!last || !gesture) { if (ev.pointerType === "mouse" && !ev.buttons) hover(ev.offsetX, ev.offsetY); return; }
    var now = [ev.offsetX, ev.offsetY];
    pointers[ev.pointerId] = now;
    if (Object.keys(pointers).length === 2) {
      var s = spread();
      if (gesture.spread && gesture.spread.d > 0) zoomBy(s.d / gesture.spread.d, s.x, s.y);
      gesture.spread = s; gesture.moved = true;
      return;
    }
    if (Math.hypot(now[0] - gesture.start[0], now[1] - gesture.start[1]) > 4) gesture.moved = true;
    if (gesture.moved) {
      canvas.classList.add("dragging");
      moving();
      // the place grabbed follows the pointer (the globe turns under it)
      if (gesture.grab && view.mode === "globe") keepUnder(gesture.grab, now[0], now[1]);
      else pan(now[0] - last[0], now[1] - last[1]);
      redraw();
    }
  });
  function release(ev) {
    var was = pointers[ev.pointerId];
    delete pointers[ev.pointerId];
    canvas.classList.remove("dragging");
    if (!was || !gesture) return;
    tap = !gesture.moved && Object.keys(pointers).length === 0;
    if (Object.keys(pointers).length === 0) gesture = null;
  }
  /* A click (a tap: pressed and released without moving) chooses the place
   * under it; the second click of a double click chooses nothing, and the
   * double click zooms in about the place the first one chose (the map may
   * have moved it into view), or about the pointer. */
  var tap = false, tapped = null;
  canvas.addEventListener("click", function (ev) {
    var was = tap;
    tap = false;
    if (!was || ev.detail > 1) return;
    var ll = invert(ev.offsetX, ev.offsetY);
    tapped = ll ? { ll: ll, x: ev.offsetX, y: ev.offsetY } : null;
    if (ll) choose(ll[1], ll[0], { x: ev.offsetX, y: ev.offsetY });
  });
  canvas.addEventListener("dblclick", function (ev) {
    ev.preventDefault();
    var at = [ev.offsetX, ev.offsetY];
    if (tapped && Math.hypot(tapped.x - at[0], tapped.y - at[1]) < 20) at = projection(tapped.ll) || at;
    tapped = null;
    zoomBy(2, at[0], at[1]);
  });
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", function (ev) { delete pointers[ev.pointerId]; gesture = null; });
  canvas.addEventListener("pointerleave", function () {
    if (SPAN && state.hover) { state.hover = null; showHighlight(); redraw(); }
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    zoomBy(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), ev.offsetX, ev.offsetY);
  }, { passive: false });
  /* Keys: on the canvas, the arrows move the keyboard's cursor (cursor.js)
   * and Enter chooses the place under it; elsewhere on the page (nothing
   * focused) the arrows move the map.  + and - zoom (about the cursor when
   * it is shown), Escape closes the panel. */
  window.addEventListener("keydown", function (ev) {
    if (ev.target !== document.body && ev.target !== canvas) return;
    if (ev.target === canvas && cursor.key(ev)) { ev.preventDefault(); return; }
    var step = 40, keys = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    var at = cursor.pixel() || [undefined, undefined];
    if (keys[ev.key]) { pan(keys[ev.key][0], keys[ev.key][1]); redraw(); }
    else if (ev.key === "+" || ev.key === "=") zoomBy(1.5, at[0], at[1]);
    else if (ev.key === "-") zoomBy(1 / 1.5, at[0], at[1]);
    else if (ev.key === "Escape") P.close();
  });
  var cursor = window.EclipseCursor.create({
    canvas: canvas, size: function () { return [width, height]; }, project: project, invert: invert,
    pan: function (dx, dy) { moving(); pan(dx, dy); }, select: choose, selected: function () { return state.selected; },
    redraw: redraw
  });

  function setMode(mode) {
    view.mode = mode;
    document.getElementById("view-globe").setAttribute("aria-pressed", String(mode === "globe"));
    document.getElementById("view-flat").setAttribute("aria-pressed", String(mode === "flat"));
    makeProjection(); redraw();
  }
  document.getElementById("view-globe").onclick = function () { setMode("globe"); };
  document.getElementById("view-flat").onclick = function () { setMode("flat"); };
  document.getElementById("zoom-in").onclick = function () { zoomBy(1.6); };
  document.getElementById("zoom-out").onclick = function () { zoomBy(1 / 1.6); };
  document.getElementById("zoom-reset").onclick = function () {  // the starting view (start, below)
    Object.assign(view, home); setMode(home.mode);
  };

  /* Centre the view on the umbra (or the penumbra), zoomed to hold it in
   * the part of the map that the page's boxes leave free. */
  function fitPath() {
    var target = paths[0] && paths[0].umbra || penumbra;
    if (!target) return;
    var bounds = d3.geoBounds(target), west = bounds[0][0], east = bounds[1][0];
    var span = ((east - west) % 360 + 360) % 360 || 360;
    view.lon = west + span / 2; view.lat = (bounds[0][1] + bounds[1][1]) / 2;
    makeProjection();
    var b = d3.geoPath(projection).bounds(target), area = LAY.free(width, height);
    var factor = 0.8 * Math.min((area.right - area.left) / (b[1][0] - b[0][0]), (area.bottom - area.top) / (b[1][1] - b[0][1]));
    if (isFinite(factor) && factor > 0) view.zoom = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, view.zoom * factor));
  }

  /* Turn the view so that the place (lon, lat) is in the middle of the
   * part of the map the page's boxes leave free. */
  function centreInFree(lon, lat) {
    var area = LAY.free(width, height);
    if (!facing(lon, lat)) { view.lon = lon; view.lat = lat; }
    makeProjection();
    keepUnder([lon, lat], (area.left + area.right) / 2, (area.top + area.bottom) / 2);
  }

  /* Move the map, if need be, so that a place chosen is in view and not
   * under the panel or another box: on a phone the panel rises as a sheet
   * over the lower half of the map. */
  var MARGIN = 16;
  function bringIntoView(lon, lat) {
    makeProjection();
    var p = facing(lon, lat) ? projection([lon, lat]) : null;
    if (p && !LAY.covered(p[0], p[1], width, height, MARGIN)) return;
    centreInFree(lon, lat);
  }

  /* A place chosen (a click, the keyboard, the search, a script): shown,
   * and moved into view if a box hides it. */
  function choose(lat, lon, where, name, elevation) {
    select(lat, lon, where, name, elevation);
    bringIntoView(lon, lat);
  }

  /* Show what is seen from a place in the panel, and mark it. */
  function select(lat, lon, where, name, elevation) {
    state.selected = [lat, lon];
    state.selectedName = name || null;
    var hits = SPAN ? hitPaths(lon, lat, elevation) : null;
    if (SPAN) { state.tapped = hits.length ? hits[0].date : null; showHighlight(); }
    P.show(lat, lon, hits, elevation || 0);
    redraw();
  }

  /* The span's paths (of those the filter shows) a place is inside: those
   * of the eclipses seen total or annular there, as `eclipse local` sees
   * them (span.js), whatever is drawn near the place. */
  function hitPaths(lon, lat, elevation) {
    return SP.hits(paths.filter(shown), lat, lon, elevation || 0, d3).map(function (p) { return p.eclipse; });
  }
  /* The highlighted path named in the filters' box. */
  function showHighlight() {
    var out = document.getElementById("span-highlight"), h = highlighted();
    if (out) out.textContent = h ? "Highlighted: " + SP.describe(h.eclipse) : "Hover or tap a path";
  }
  /* Hovering a place inside a path highlights it (one test per frame at most). */
  var hoverAt = null;
  function hover(x, y) {
    if (!SPAN) return;
    var queued = hoverAt !== null;
    hoverAt = [x, y];
    if (queued) return;
    requestAnimationFrame(function () {
      var ll = hoverAt && invert(hoverAt[0], hoverAt[1]), hits = ll ? hitPaths(ll[0], ll[1]) : [];
      hoverAt = null;
      var date = hits.length ? hits[0].date : null;
      if (date !== state.hover) { state.hover = date; showHighlight(); redraw(); }
    });
  }

  // --- time ------------------------------------------------------------------------------

  var slider = document.getElementById("time"), playing = null;
  function setHours(hours) {
    state.hours = hours;
    state.shadow = shadowAt(hours);
    state.night = nightAt(hours);
    P.setTime(hours);
    var jd = M.jdTT(first.el, hours) - first.el.deltaT / 86400;
    var text = M.formatDatetime(jd, 0).replace("T", " ") + " UT";
    document.getElementById("time-label").textContent = text;
    slider.setAttribute("aria-valuetext", text.split(" ")[1] + " UT");  // "14:32:10 UT"
    redraw();
  }
  if (!SPAN) {
    var span = DATA.path.penumbra_hours;
    slider.min = span[0]; slider.max = span[1]; slider.step = "any"; slider.value = state.hours;
    slider.addEventListener("input", function () { stop(); setHours(parseFloat(slider.value)); });
    document.getElementById("play").onclick = function () { if (playing) stop(); else play(); };
  }
  /* Play: each animation frame advances the slider by the time its clock
   * (eclipseMap.clock, milliseconds) moved since the frame before, the
   * whole partial phase in PLAY_SECONDS; never by the frames' own
   * timestamps, so that a script or a test can hold the clock and step
   * the animation itself (eclipseMap.advance). */
  var PLAY_SECONDS = 24, lastTick = null;
  function play() {
    var button = document.getElementById("play");
    button.innerHTML = "&#10074;&#10074;"; button.title = "Pause"; button.setAttribute("aria-label", "Pause");
    if (state.hours >= span[1] - 1e-6) { setHours(span[0]); slider.value = span[0]; }
    lastTick = api.clock();
    playing = requestAnimationFrame(function tick() {
      var now = api.clock();
      advance(now - lastTick);
      lastTick = now;
      if (playing) playing = requestAnimationFrame(tick);
    });
  }
  /* Advance a playing animation by ms of its clock; at the end of the
   * partial phase it stops there.  Whether it still plays. */
  function advance(ms) {
    if (!playing) return false;
    var hours = state.hours + Math.max(ms, 0) / 1000 * (span[1] - span[0]) / PLAY_SECONDS;
    moving();
    if (hours >= span[1]) { hours = span[1]; stop(); }
    setHours(hours); slider.value = hours;
    return !!playing;
  }
  function stop() {
    if (playing) cancelAnimationFrame(playing);
    playing = null;
    var button = document.getElementById("play");
    button.innerHTML = "&#9654;"; button.title = "Play"; button.setAttribute("aria-label", "Play");
  }

  // --- a link to the view ------------------------------------------------------------

  /* The fragment is written at most every LINK_MS while the view, the time
   * or the place changes (history.replaceState: no navigation, no request,
   * no entry in the history), and not before anything has changed.  In a
   * page shown inside another (a notebook's srcdoc frame) the address
   * cannot change: the link is kept here only, and cannot be copied. */
  var LINK_MS = 400, linkTimer = null, startLink = null, lastLink = null;
  var FRAMED = location.protocol === "about:" || location.protocol === "data:";
  var ELEVATIONS = M.constants.local.elevation_range_m;
  function linkText() {
    var shown = P.shown();
    return L.format({
      place: shown && { lat: shown.lat, lon: shown.lon, elevation: shown.elevation, name: state.selectedName },
      view: view, time: SPAN ? null : M.utc(first.el, state.hours)
    });
  }
  function linkLater() {
    if (linkTimer === null && startLink !== null) linkTimer = setTimeout(writeLink, LINK_MS);
  }
  function writeLink() {
    clearTimeout(linkTimer); linkTimer = null;
    var hash = linkText();
    if (hash === lastLink) return;
    lastLink = hash;
    copied(false);
    if (FRAMED || (hash === startLink && !location.hash)) return;
    try { history.replaceState(history.state, "", hash); } catch (error) { FRAMED = true; copyButton(); }
  }

  /* Hours from t0 (TT) of a link's UT time within the slider's range, or
   * null: its date is that of one of the three UT days from the slider's
   * start (the calendar as the page writes it, Julian before 1582). */
  function hoursOf(iso) {
    var at = iso.indexOf("T"), date = iso.slice(0, at), clock = iso.slice(at + 1, -1).split(":");
    var seconds = +clock[0] * 3600 + +clock[1] * 60 + +clock[2];
    if (!(+clock[0] < 24 && +clock[1] < 60 && +clock[2] < 60)) return null;
    var el = first.el, start = M.jdTT(el, span[0]) - el.deltaT / 86400, midnight = Math.floor(start - 0.5) + 0.5;
    for (var k = 0; k < 3; k++) {
      if (M.formatDatetime(midnight + k, 0).split("T")[0] !== date) continue;
      var hours = (midnight + k + seconds / 86400 + el.deltaT / 86400 - el.t0) * 24;
      // a time to the second may lie half a second past an end: that end
      if (hours < span[0] - 1 / 3600 || hours > span[1] + 1 / 3600) return null;
      return Math.max(span[0], Math.min(span[1], hours));
    }
    return null;
  }

  var linked = L.parse(location.hash, { elevation: ELEVATIONS, zoom: [ZOOM_MIN, ZOOM_MAX], modes: VIEWS });

  /* Copy the address with the fragment of this view: the clipboard where
   * the browser allows it, else a selected text field (copied with the
   * editing command, or by the person). */
  function copyButton() {
    var button = document.getElementById("copy-link");
    button.disabled = FRAMED;
    if (FRAMED) {
      button.title = "This page is shown inside another (a notebook), whose address cannot hold the view: "
        + "save the page as a file to link to a view";
    }
  }
  function copied(yes, text) {
    var button = document.getElementById("copy-link"), status = document.getElementById("copy-status");
    button.textContent = yes ? "Copied" : "Copy link";
    status.textContent = text || (yes ? "Copied" : "");
    if (!yes && !text) document.getElementById("link-text").hidden = true;
  }
  function copyLink() {
    writeLink();
    var url = location.href, field = document.getElementById("link-text");
    function fallback() {
      field.hidden = false; field.value = url; field.focus(); field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      copied(ok, ok ? "Copied" : "Press Ctrl+C to copy the link");
      field.dataset.copied = String(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { copied(true); }, fallback);
    } else fallback();
  }
  document.getElementById("copy-link").onclick = copyLink;
  copyButton();

  // --- start ---------------------------------------------------------------------------

  if (SPAN) {
    document.body.classList.add("span");
    (document.querySelector("main") || document.body).appendChild(SP.controls(eclipses, colours.kinds, spanFilter, function () {
      spanFilter.version = (spanFilter.version || 0) + 1;
      var place = P.shown();  // the panel open: its paths as the filter now has them
      if (place) select(place.lat, place.lon, null, state.selectedName, place.elevation);
      showHighlight(); redraw();
    }));
    showHighlight();
  }
  P.init({ data: DATA, eclipses: eclipses, select: function (lat, lon, zoom, name) {
    view.lon = lon; view.lat = lat; view.zoom = Math.max(view.zoom, zoom || 1);
    choose(lat, lon, null, name);
  }, changed: linkLater });
  resize();
  window.addEventListener("resize", function () { resize(); redraw(); });
  LAY.init();
  if (linked.mode) view.mode = linked.mode;
  setMode(view.mode);
  // a fitted view's middle where the boxes leave the map free; another's
  // (greatest eclipse) moved only if a box hides it
  if (DATA.view.fit) { fitPath(); centreInFree(view.lon, view.lat); } else bringIntoView(view.lon, view.lat);
  home = Object.assign({}, view);  // Home's view (a link's own view aside)
  if (linked.centre) { view.lat = linked.centre.lat; view.lon = linked.centre.lon; }
  if (linked.zoom) view.zoom = linked.zoom;
  makeProjection();
  if (!SPAN && linked.time) {
    var linkedHours = hoursOf(linked.time);
    if (linkedHours !== null) { state.hours = linkedHours; slider.value = linkedHours; }
  }
  if (!SPAN) setHours(state.hours);
  if (linked.place) select(linked.place.lat, linked.place.lon, null, linked.place.name, linked.place.elevation);
  makeProjection();
  draw();
  startLink = lastLink = linkText();

  var api = window.eclipseMap = {
    /* What is seen from a place: the JSON of `eclipse local --format json`
     * (for a span, a list of it, one per eclipse, with date and kind). */
    local: function (lat, lon, elevation) { return P.local(lat, lon, elevation || 0); },
    /* [x, y] CSS pixels of a place in the viewport, or null when not in view. */
    toPixel: function (lat, lon) {
      var p = project(lon, lat), r = canvas.getBoundingClientRect();
      return p ? [r.left + p[0], r.top + p[1]] : null;
    },
    fromPixel: function (x, y) {
      var r = canvas.getBoundingClientRect(), ll = invert(x - r.left, y - r.top);
      return ll ? [ll[1], ll[0]] : null;
    },
    /* Show what is seen from a place, as a click there does; the place shown. */
    select: function (lat, lon, elevation) { choose(lat, lon, null, null, elevation); },
    /* A span's paths a place is inside (of those the filter shows), as
     * dates, and the one highlighted (or null). */
    hits: function (lat, lon) { return SPAN ? hitPaths(lon, lat).map(function (e) { return e.date; }) : []; },
    highlighted: function () { var h = SPAN && highlighted(); return h ? h.eclipse.date : null; },
    selected: function () { return state.selected; },
    /* The keyboard's cursor [lat, lon] while it is shown (the map focused), else null. */
    cursor: function () { return cursor.place(); },
    getView: function () { return Object.assign({}, view); },
    setView: function (v) { Object.assign(view, v); setMode(view.mode); makeProjection(); draw(); },
    /* The slider's instant in hours from t0 (TT), and the shadow drawn then:
     * rings of [lon, lat], with which vertices lie on the shadow's edge. */
    hours: function () { return state.hours; },
    setHours: function (h) { slider.value = h; setHours(h); makeProjection(); draw(); },
    shadow: function () {
      var s = state.shadow;
      function part(p) { return p ? { ring: p.ring, edge: p.edge } : null; }
      return s ? { penumbra: part(s.penumbra), umbra: part(s.umbra), axis: s.axis } : null;
    },
    /* The animation's clock in milliseconds, read at each frame while it
     * plays; replace it to drive the animation by another time. */
    clock: function () { return performance.now(); },
    /* Advance the playing animation by ms of that clock (as frames do);
     * whether it still plays.  And whether it plays. */
    advance: function (ms) { return advance(ms); },
    playing: function () { return !!playing; },
    /* At rest: no frame waiting to be drawn, the view not moving (the
     * detail drawn), the animation not playing. */
    idle: function () { return !pending && !state.moving && !playing; },
    /* The fragment of a link to this view (link.js), as the address will
     * hold it once written (LINK_MS after the last change). */
    link: function () { return linkText(); },
    /* The place the panel shows, {lat, lon, elevation, json}, json what
     * local() gives there; null with the panel closed.  And its drawing of
     * the sky at the slider's instant: {now, next} (sky.js at, the next
     * contact). */
    shown: function () { return P.shown(); },
    sky: function () { return P.sky(); },
    /* Whether the map shades a place as night at the slider's instant, and
     * the night's circle: centre [lon, lat], radius (degrees). */
    night: function (lat, lon) { return state.night ? S.isNight(state.night, lat, lon) : null; },
    nightCircle: function () { return state.night && { centre: state.night.centre, radius: state.night.radius }; },
    stats: stats
  };
})();
