/* How far a place is from the central line and from the limits of the
 * umbra: the page's port of eclipse.geometry.distances, for one place at a
 * time.  The curves are the path's at distances.STEP_S, as the page's data
 * carries them (document.distance_lines: the vertices that keep the chords
 * within DISTANCE_TOLERANCE_KM, to 1e-5 degree).  Each curve's chords
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

  /* A curve's parts as Cartesian points, once for all the places asked
   * about (the last curves decoded are kept). */
  var cache = { lines: null, chains: {} };
  function chainsOf(earth, lines, name) {
    if (cache.lines !== lines) cache = { lines: lines, chains: {} };
    if (!(name in cache.chains)) {
      cache.chains[name] = decodeParts(lines[name]).map(function (part) {
        return part.map(function (v) { return cartesian(earth, v[1], v[0]); });
      });
    }
    return cache.chains[name];
  }

  /* The signed distance (km) from a place (Cartesian o) to a curve's parts
   * (Cartesian), positive to the left of the curve's direction, or NaN. */
  function signedKm(earth, maxKm, parts, o) {
    var best = Infinity, foot = null, tangent = null, interior = false;
    var ox = o[0], oy = o[1], oz = o[2];
    parts.forEach(function (points) {
      var last = points.length - 2;
      for (var k = 0; k <= last; k++) {
        var p = points[k], q = points[k + 1];
        var vx = q[0] - p[0], vy = q[1] - p[1], vz = q[2] - p[2];
        var square = vx * vx + vy * vy + vz * vz;
        if (!(square > 0)) continue;
        var s = ((ox - p[0]) * vx + (oy - p[1]) * vy + (oz - p[2]) * vz) / square;
        s = s < 0 ? 0 : (s > 1 ? 1 : s);
        var fx = p[0] + s * vx, fy = p[1] + s * vy, fz = p[2] + s * vz;
        var d2 = (ox - fx) * (ox - fx) + (oy - fy) * (oy - fy) + (oz - fz) * (oz - fz);
        if (d2 < best) {
          best = d2; foot = [fx, fy, fz]; tangent = [vx, vy, vz];
          interior = !((k === 0 && s <= 0) || (k === last && s >= 1));
        }
      }
    });
    if (!foot || !interior) return NaN;
    var km = lambertKm(earth, o, foot);
    if (!(km <= maxKm)) return NaN;
    var w = [ox - foot[0], oy - foot[1], oz - foot[2]], t = tangent;
    var side = (t[1] * w[2] - t[2] * w[1]) * foot[0] + (t[2] * w[0] - t[0] * w[2]) * foot[1]
      + (t[0] * w[1] - t[1] * w[0]) * foot[2];
    return side < 0 ? -km : km;
  }

  /* The signed distances (km) from a place (degrees) to the curves of
   * `lines` (the page's distance_lines, by their names in Path.lines):
   * { central_line_km, north_limit_km, south_limit_km } (PathDistances). */
  function pathDistances(constants, lines, lat, lon) {
    var earth = constants.earth, maxKm = constants.distances.max_km, o = cartesian(earth, lat, lon);
    function one(name) { return lines && lines[name] ? signedKm(earth, maxKm, chainsOf(earth, lines, name), o) : NaN; }
    return { central_line_km: one("central_line"), north_limit_km: -one("umbra_north_limit"),
      south_limit_km: one("umbra_south_limit") };
  }

  root.EclipseDistances = { pathDistances: pathDistances, decodeParts: decodeParts, lambertKm: lambertKm,
    cartesian: cartesian };
})(typeof window !== "undefined" ? window : globalThis);
