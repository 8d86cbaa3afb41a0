/* How far a place is from the central line and from the limits of the
 * umbra: the page's port of eclipse.geometry.distances, for one place at a
 * time.  The curves are the path's at distances.STEP_S, as the page's data
 * carries them (document.distance_lines: simplified within
 * DISTANCE_SIMPLIFY_DEG, coordinates to 1e-5 degree).  Each curve's chords
 * are searched whole, in Earth-centred Cartesian coordinates; the nearest
 * point's distance is Lambert's formula on the WGS84 ellipsoid
 * (distances.geodesic_chord_km).  Signs as in Python: north of the central
 * line (the northern limit's side) positive, inside a limit positive; NaN
 * where the curve does not exist, where the place is not abeam of it (its
 * nearest point is an end) or farther than distances.MAX_DISTANCE_KM.
 * The constants (the Earth, the greatest distance, the JSON's keys and
 * rounding) come from the page's data (document.page_constants).
 */
(function (root) {
  "use strict";
  var RAD = Math.PI / 180;

  /* Decoded parts of an encoded curve (document.curve_parts: delta-encoded
   * integers of lon, lat at `decimals`): [[[lon, lat] degrees, ...], ...]. */
  function decodeParts(curve) {
    var scale = Math.pow(10, -curve.decimals);
    return curve.parts.map(function (flat) {
      var out = [], x = 0, y = 0;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i]; y += flat[i + 1];
        out.push([x * scale, y * scale]);
      }
      return out;
    });
  }

  /* Cartesian point (km) of the ellipsoid at geodetic lat, lon (degrees)
   * (earth.ellipsoid_points). */
  function cartesian(earth, lat, lon) {
    var a = earth.radius_m / 1000.0, e2 = earth.eccentricity_squared;
    var sinLat = Math.sin(lat * RAD), cosLat = Math.cos(lat * RAD);
    var n = a / Math.sqrt(1 - e2 * sinLat * sinLat);
    return [n * cosLat * Math.cos(lon * RAD), n * cosLat * Math.sin(lon * RAD), n * (1 - e2) * sinLat];
  }

  /* Lambert's distance (km) between two Cartesian points of the ellipsoid
   * (distances.geodesic_chord_km). */
  function lambertKm(earth, p, q) {
    var a = earth.radius_m / 1000.0, f = earth.flattening, b = a * (1 - f);
    function unit(v) {
      var u = [v[0] / a, v[1] / a, v[2] / b], r = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
      return [u[0] / r, u[1] / r, u[2] / r];
    }
    var u1 = unit(p), u2 = unit(q);
    var halfChord2 = ((u1[0] - u2[0]) * (u1[0] - u2[0]) + (u1[1] - u2[1]) * (u1[1] - u2[1])
      + (u1[2] - u2[2]) * (u1[2] - u2[2])) / 4.0;
    var sinHalf = Math.sqrt(Math.min(halfChord2, 1.0)), cosHalf2 = 1.0 - sinHalf * sinHalf;
    var sigma = 2.0 * Math.asin(sinHalf), sinSigma = 2.0 * sinHalf * Math.sqrt(cosHalf2);
    var sum = (u1[2] + u2[2]) / 2.0, difference = (u2[2] - u1[2]) / 2.0;
    var x = (sigma - sinSigma) * sum * sum / cosHalf2;
    var y = sigma > 0 ? (sigma + sinSigma) * difference * difference / halfChord2 : 0.0;
    return a * (sigma - f / 2.0 * (x + y));
  }

  /* The signed distance (km) from a place (Cartesian o) to a curve's parts,
   * positive to the left of the curve's direction, or NaN. */
  function signedKm(earth, maxKm, parts, o) {
    var best = Infinity, foot = null, tangent = null, interior = false;
    parts.forEach(function (part) {
      var points = part.map(function (v) { return cartesian(earth, v[1], v[0]); });
      for (var k = 0; k + 1 < points.length; k++) {
        var p = points[k], q = points[k + 1], v = [q[0] - p[0], q[1] - p[1], q[2] - p[2]];
        var square = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        if (!(square > 0)) continue;
        var s = ((o[0] - p[0]) * v[0] + (o[1] - p[1]) * v[1] + (o[2] - p[2]) * v[2]) / square;
        s = Math.min(1, Math.max(0, s));
        var f = [p[0] + s * v[0], p[1] + s * v[1], p[2] + s * v[2]];
        var d2 = (o[0] - f[0]) * (o[0] - f[0]) + (o[1] - f[1]) * (o[1] - f[1]) + (o[2] - f[2]) * (o[2] - f[2]);
        if (d2 < best) {
          best = d2; foot = f; tangent = v;
          interior = !((k === 0 && s <= 0) || (k === points.length - 2 && s >= 1));
        }
      }
    });
    if (!foot || !interior) return NaN;
    var km = lambertKm(earth, o, foot);
    if (!(km <= maxKm)) return NaN;
    var w = [o[0] - foot[0], o[1] - foot[1], o[2] - foot[2]], t = tangent;
    var side = (t[1] * w[2] - t[2] * w[1]) * foot[0] + (t[2] * w[0] - t[0] * w[2]) * foot[1]
      + (t[0] * w[1] - t[1] * w[0]) * foot[2];
    return side < 0 ? -km : km;
  }

  /* The signed distances (km) from a place (degrees) to the curves of
   * `lines` (the page's distance_lines, by their names in Path.lines):
   * { central_line_km, north_limit_km, south_limit_km } (PathDistances). */
  function pathDistances(constants, lines, lat, lon) {
    var earth = constants.earth, maxKm = constants.distances.max_km, o = cartesian(earth, lat, lon);
    function one(name) { return lines && lines[name] ? signedKm(earth, maxKm, decodeParts(lines[name]), o) : NaN; }
    return { central_line_km: one("central_line"), north_limit_km: -one("umbra_north_limit"),
      south_limit_km: one("umbra_south_limit") };
  }

  root.EclipseDistances = { pathDistances: pathDistances, decodeParts: decodeParts, lambertKm: lambertKm,
    cartesian: cartesian };
})(typeof window !== "undefined" ? window : globalThis);
