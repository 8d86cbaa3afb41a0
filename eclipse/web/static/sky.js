/* The sky at the slider's instant: the Sun and the Moon as seen from a
 * place (for the panel's drawing) and where it is night (for the map's
 * shade), from the page's Besselian elements with circumstances.js.
 *
 * The Sun's direction is the shadow axis's (d, mu), as in `eclipse local`
 * (earth.sun_altitude_azimuth): the altitude of a place of geodetic
 * latitude phi is sin h = sin phi sin d + cos phi cos d cos(mu + lambda),
 * which is the spherical distance from the point (d, -mu), so the night is
 * a circle on the sphere of latitudes and longitudes: around the
 * antisolar point (-d, 180 - mu), of radius 90 degrees + h0, h0 the true
 * altitude of the Sun's centre at sunrise and sunset (on the apparent
 * horizon -(34' + the Sun's semidiameter), about -0.83 degree; 0 on the
 * geometric one: circumstances.js riseSetAltitude).  Times are hours from
 * t0 (TT), angles radians unless said otherwise.
 */
(function (root) {
  "use strict";
  var M = root.EclipseMath, RAD = Math.PI / 180, DEG = 180 / Math.PI;

  /* The Sun and the Moon seen from (lat, lon in degrees, elevation in m) at
   * t: the Moon's centre Delta from the Sun's on the observer's plane at
   * position angle P = atan2(u, v) from north towards east, V = P - q from
   * the zenith; both radii (Earth radii, R = (L1 + L2) / 2, r = (L1 - L2) / 2);
   * magnitude and obscuration then (shadow.magnitude, shadow.obscuration:
   * none while the discs are apart); the Sun's true and seen altitude and
   * its azimuth; whether it is up (its centre above h0). */
  function at(el, lat, lon, elevation, t) {
    var obs = M.observer(lat * RAD, lon * RAD, elevation || 0), s = M.shadow(el, t, obs), e = el.at(t);
    var delta = Math.hypot(s.u, s.v), p = Math.atan2(s.u, s.v);
    var sky = M.sunAltitudeAzimuth(obs.latitude, obs.longitude, e.d, e.mu);
    var q = M.parallacticAngle(obs.latitude, obs.longitude, e.d, e.mu);
    var touching = delta < s.penumbra;
    return {
      hours: t, distance: delta, p: p, v: p - q,
      sun_radius: (s.penumbra + s.umbra) / 2, moon_radius: (s.penumbra - s.umbra) / 2,
      magnitude: touching ? (s.penumbra - delta) / (s.penumbra + s.umbra) : 0,
      obscuration: touching ? M.obscuration(delta, s.penumbra, s.umbra) : 0,
      true_altitude: sky[0], altitude: M.apparent(sky[0]), azimuth: sky[1],
      up: sky[0] >= M.riseSetAltitude(el)
    };
  }

  /* The contact after t of a place's circumstances (circumstances()):
   * {name, hours} or null when none is left. */
  function nextContact(c, t) {
    var best = null;
    M.CONTACTS.forEach(function (name, i) {
      var h = c.hours[i];
      if (isFinite(h) && h > t && (!best || h < best.hours)) best = { name: name, hours: h };
    });
    return best;
  }

  /* '3 min 12 s', '1 h 04 min', '42 s': a time to wait, rounded to the second. */
  function waitText(hours) {
    var s = Math.max(0, Math.round(hours * 3600));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
    return Math.floor(s / 3600) + " h " + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + " min";
  }

  /* The night at t: the centre [lon, lat] (degrees) of the circle where
   * the Sun's centre is below h0, and its radius (degrees). */
  function night(el, t) {
    var e = el.at(t), lon = (180 - e.mu * DEG) % 360;
    lon = ((lon + 540) % 360) - 180;
    return { centre: [lon, -e.d * DEG], radius: 90 + M.riseSetAltitude(el) * DEG,
      subsolar: [((-e.mu * DEG + 540) % 360 + 360) % 360 - 180, e.d * DEG] };
  }

  /* Whether (lat, lon) lies in that night: its distance (degrees, on the
   * sphere) from the centre below the radius. */
  function isNight(n, lat, lon) {
    var a = lat * RAD, b = n.centre[1] * RAD, dl = (lon - n.centre[0]) * RAD;
    var cosine = Math.sin(a) * Math.sin(b) + Math.cos(a) * Math.cos(b) * Math.cos(dl);
    return Math.acos(Math.max(-1, Math.min(1, cosine))) * DEG < n.radius;
  }

  root.EclipseSky = { at: at, nextContact: nextContact, waitText: waitText, night: night, isNight: isNight };
})(typeof window !== "undefined" ? window : globalThis);
