/* The page of a span (many eclipses): which paths a place is inside, the
 * filters of the paths by kind and by years, and the path highlighted.
 *
 * A place is inside an eclipse's path when the eclipse is seen total or
 * annular there: the kind seen of circumstances.js (the port of `eclipse
 * local`, from the eclipse's own Besselian elements), never the drawing.
 * The drawn umbra only says which eclipses need not be computed: a place
 * farther than MARGIN_DEG from every piece of an umbra's outline and not
 * within it cannot be inside (the drawing is within SPAN_TOLERANCE_DEG,
 * 0.01 degree, of the path's edge: document.SPAN_SIMPLIFY_DEG), so a hover
 * computes a handful of eclipses, not the span's hundred.
 *
 * map.js calls hits, near (the candidates) and controls; panel.js lists the
 * hits.  window.EclipseSpan.
 */
(function (root) {
  "use strict";
  var RAD = Math.PI / 180;
  var KINDS = ["total", "annular", "hybrid"];
  /* The kinds seen that make a place inside a path (a hybrid's is one of them). */
  var INSIDE = { total: true, annular: true };
  /* How far (degrees) outside an umbra's outline a place is still computed:
   * fifty times the drawing's tolerance. */
  var MARGIN_DEG = 0.5;
  /* Vertices of an outline per piece of the prefilter. */
  var CHUNK = 24;

  function unit(lon, lat) {
    var cl = Math.cos(lat * RAD);
    return [cl * Math.cos(lon * RAD), cl * Math.sin(lon * RAD), Math.sin(lat * RAD)];
  }
  function angle(a, b) { return Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]))); }
  /* The cap (centre, angular radius) holding some [lon, lat] vertices. */
  function cap(vertices) {
    var c = [0, 0, 0], vectors = vertices.map(function (v) {
      var u = unit(v[0], v[1]); c[0] += u[0]; c[1] += u[1]; c[2] += u[2]; return u;
    });
    var n = Math.hypot(c[0], c[1], c[2]) || 1, radius = 0;
    c = [c[0] / n, c[1] / n, c[2] / n];
    vectors.forEach(function (u) { radius = Math.max(radius, angle(c, u)); });
    return { centre: c, radius: radius };
  }

  /* Whether a place (degrees, at an elevation in metres, 0 by default) is
   * inside the path of an eclipse (``e.el``, its M.Elements): total or
   * annular there. */
  function inside(e, lat, lon, elevation) {
    return !!INSIDE[root.EclipseMath.circumstances(e.el, lat, lon, elevation || 0).kind_seen];
  }

  /* The prefilter of a path's umbra (a GeoJSON MultiPolygon, or null): a cap
   * for each polygon and for each CHUNK vertices of its rings. */
  function outline(umbra) {
    if (!umbra) return null;
    return umbra.coordinates.map(function (rings) {
      var pieces = [];
      rings.forEach(function (ring) {
        for (var i = 0; i < ring.length - 1; i += CHUNK) pieces.push(cap(ring.slice(i, i + CHUNK + 1)));
      });
      return { polygon: { type: "Polygon", coordinates: rings }, whole: cap(rings[0]), pieces: pieces };
    });
  }

  /* Whether a place may be inside the path whose outline is ``o``: within
   * its drawn umbra, or within MARGIN_DEG of its edge (always, without an
   * umbra drawn). */
  function near(o, lat, lon, d3) {
    if (!o) return true;
    var u = unit(lon, lat), margin = MARGIN_DEG * RAD;
    return o.some(function (p) {
      if (angle(p.whole.centre, u) > p.whole.radius + margin) return false;
      if (p.pieces.some(function (c) { return angle(c.centre, u) <= c.radius + margin; })) return true;
      return d3.geoContains(p.polygon, [lon, lat]);
    });
  }

  /* The paths (objects with .eclipse and .outline) a place is inside, of
   * those given. */
  function hits(paths, lat, lon, elevation, d3) {
    return paths.filter(function (p) {
      return near(p.outline, lat, lon, d3) && inside(p.eclipse, lat, lon, elevation);
    });
  }

  /* The astronomical year of an ISO date ("-0135-04-15" is -135). */
  function year(date) { return parseInt(date, 10); }

  /* The filter: the kinds drawn and the years from and to (inclusive). */
  function filter(eclipses) {
    var years = eclipses.map(function (e) { return year(e.date); });
    var kinds = {};
    KINDS.forEach(function (k) { kinds[k] = true; });
    return { kinds: kinds, from: Math.min.apply(null, years), to: Math.max.apply(null, years),
      first: Math.min.apply(null, years), last: Math.max.apply(null, years) };
  }
  /* Whether the filter shows an eclipse's path. */
  function shows(f, e) {
    var y = year(e.date);
    return !!f.kinds[e.kind] && y >= f.from && y <= f.to;
  }

  /* The filters' controls in a box (id span-filters): a labelled checkbox
   * for each kind the span has paths of, two labelled year fields, and the
   * line naming the path highlighted (id span-highlight, read aloud when it
   * changes).  ``changed`` is called after each change of the filter. */
  function controls(eclipses, colours, f, changed) {
    var doc = root.document, box = doc.createElement("div");
    box.id = "span-filters"; box.className = "box";
    box.setAttribute("role", "group"); box.setAttribute("aria-label", "Paths shown");
    var kinds = doc.createElement("fieldset"), legend = doc.createElement("legend");
    legend.textContent = "Paths";
    kinds.appendChild(legend);
    KINDS.forEach(function (k) {
      if (!eclipses.some(function (e) { return e.kind === k && e.central; })) return;
      var label = doc.createElement("label"), input = doc.createElement("input"), swatch = doc.createElement("span");
      input.type = "checkbox"; input.checked = f.kinds[k]; input.id = "span-kind-" + k; input.value = k;
      input.addEventListener("change", function () { f.kinds[k] = input.checked; changed(); });
      swatch.className = "swatch"; swatch.style.background = colours[k];
      label.appendChild(input); label.appendChild(swatch);
      label.appendChild(doc.createTextNode(k.charAt(0).toUpperCase() + k.slice(1)));
      kinds.appendChild(label);
    });
    box.appendChild(kinds);
    var years = doc.createElement("fieldset"), legend2 = doc.createElement("legend");
    legend2.textContent = "Years";
    years.appendChild(legend2);
    [["from", "From year"], ["to", "To year"]].forEach(function (which) {
      var label = doc.createElement("label"), input = doc.createElement("input");
      input.type = "number"; input.id = "span-" + which[0]; input.min = f.first; input.max = f.last; input.step = 1;
      input.value = f[which[0]]; input.setAttribute("aria-label", which[1]);
      input.addEventListener("input", function () {
        var v = parseInt(input.value, 10);
        if (!isFinite(v)) return;
        f[which[0]] = Math.max(f.first, Math.min(f.last, v));
        changed();
      });
      label.appendChild(doc.createTextNode(which[0] === "from" ? "" : "\u2013"));
      label.appendChild(input);
      years.appendChild(label);
    });
    box.appendChild(years);
    var shown = doc.createElement("output");
    shown.id = "span-highlight"; shown.setAttribute("aria-live", "polite");
    box.appendChild(shown);
    return box;
  }

  /* The words naming a highlighted path: its date and kind. */
  function describe(e) { return e ? e.date + " " + e.kind : ""; }

  root.EclipseSpan = { MARGIN_DEG: MARGIN_DEG, inside: inside, outline: outline, near: near, hits: hits,
    year: year, filter: filter, shows: shows, controls: controls, describe: describe };
})(typeof window !== "undefined" ? window : globalThis);
