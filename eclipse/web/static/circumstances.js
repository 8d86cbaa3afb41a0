/* Local circumstances and shadow outlines from Besselian elements, in the page.
 *
 * A line-by-line port of eclipse/geometry/local.py (local_circumstances and
 * its helpers), geometry/shadow.py (the shadow, Meeus's steps, magnitude and
 * obscuration), geometry/earth.py (observer, fundamental coordinates,
 * point_under), geometry/horizon.py (refraction, the Sun's semidiameter, the
 * altitude of sunrise and sunset), geometry/regions.py (footprints) and io/records.py (the JSON
 * of `eclipse local`), for one observer at a time: the same formulas
 * (docs/formulas.md; Explanatory Supplement 2013 ch. 11; Meeus, Elements of
 * Solar Eclipses 1989) in the same order of operations, and the same
 * constants, which the page's data carries from the Python
 * (eclipse.web.document.page_constants): configure(DATA.constants) before
 * anything else.  Angles in radians, lengths in equatorial Earth radii, times
 * in hours from t0 (TT) unless said otherwise.
 */
(function (root) {
  "use strict";

  var RAD = Math.PI / 180, DEG = 180 / Math.PI;  // as numpy's radians and degrees
  var CONTACTS = [];  // local.CONTACTS, from configure()
  // set by configure(), from the page's data: earth.*, local.*, obscuration.*,
  // footprint.* and json.* of page_constants()
  var C = null, FLATTENING, ECCENTRICITY_SQUARED, EARTH_RADIUS_M, HORIZON;
  var GRID_HOURS, VALID_HOURS, MAX_ITERATIONS, CONTACT_ITERATIONS, TOLERANCE_HOURS, HORIZON_STEPS;
  var CONCENTRIC_DISTANCE, CIRCLE_VERTICES, OUTLINE_VERTICES, EDGE_ITERATIONS, EDGE_TOLERANCE;

  /* Take the constants of the Python this ports (the page's DATA.constants). */
  function configure(constants) {
    var earth = constants.earth, local = constants.local, shape = constants.footprint;
    C = constants;
    FLATTENING = earth.flattening; ECCENTRICITY_SQUARED = earth.eccentricity_squared;
    EARTH_RADIUS_M = earth.radius_m; HORIZON = constants.horizon;
    GRID_HOURS = local.grid_hours; VALID_HOURS = local.valid_hours;
    MAX_ITERATIONS = local.max_iterations; CONTACT_ITERATIONS = local.contact_iterations;
    TOLERANCE_HOURS = local.tolerance_hours; HORIZON_STEPS = local.horizon_steps;
    CONCENTRIC_DISTANCE = constants.obscuration.concentric_distance;
    CIRCLE_VERTICES = shape.circle_vertices; OUTLINE_VERTICES = shape.outline_vertices;
    EDGE_ITERATIONS = shape.edge_iterations; EDGE_TOLERANCE = shape.edge_tolerance;
    CONTACTS = local.contacts;
    root.EclipseMath.constants = constants;
    root.EclipseMath.CONTACTS = CONTACTS;
  }

  /* Besselian elements of one eclipse (BesselianElements.to_dict()): the six
   * polynomials as rows, d and mu in radians, and their derivatives
   * (besselian.py, BesselianElements._stacked). */
  function Elements(data) {
    if (!C) throw new Error("EclipseMath.configure(DATA.constants) first");
    var names = ["x", "y", "d", "mu", "l1", "l2"];
    this.t0 = data.t0_tt_jd;
    this.deltaT = data.delta_t_s;
    this.tanF1 = data.tan_f1;
    this.tanF2 = data.tan_f2;
    this.rows = names.map(function (name) {
      var scale = name === "d" || name === "mu" ? RAD : 1.0;
      return data[name].map(function (c) { return c * scale; });
    });
    this.slopes = this.rows.map(function (c) {
      return c.slice(1).map(function (v, k) { return v * (k + 1); });
    });
  }

  function horner(c, t) {
    var out = c[c.length - 1];
    for (var k = c.length - 2; k >= 0; k--) out = out * t + c[k];
    return out;
  }

  /* Elements and their hourly rates at t hours from t0 (BesselianElements.at). */
  Elements.prototype.at = function (t) {
    var r = this.rows, s = this.slopes;
    return {
      x: horner(r[0], t), y: horner(r[1], t), d: horner(r[2], t), mu: horner(r[3], t),
      l1: horner(r[4], t), l2: horner(r[5], t),
      dx: horner(s[0], t), dy: horner(s[1], t), dd: horner(s[2], t), dmu: horner(s[3], t),
      tanF1: this.tanF1, tanF2: this.tanF2
    };
  };

  /* An observer at geodetic latitude, east longitude (radians), height (m):
   * tan u = (1 - f) tan phi; rho sin phi' = (1 - f) sin u + (h/a) sin phi;
   * rho cos phi' = cos u + (h/a) cos phi (earth.observer). */
  function observer(latitude, longitude, elevation) {
    var u = Math.atan((1 - FLATTENING) * Math.tan(latitude));
    var h = elevation / EARTH_RADIUS_M;
    return {
      rhoSin: (1 - FLATTENING) * Math.sin(u) + h * Math.sin(latitude),
      rhoCos: Math.cos(u) + h * Math.cos(latitude),
      longitude: longitude, latitude: latitude
    };
  }

  /* (xi, eta, zeta) of an observer (earth.fundamental_coordinates). */
  function fundamental(obs, d, mu) {
    var hourAngle = mu + obs.longitude;
    var sinD = Math.sin(d), cosD = Math.cos(d), cosH = Math.cos(hourAngle);
    return {
      xi: obs.rhoCos * Math.sin(hourAngle),
      eta: obs.rhoSin * cosD - obs.rhoCos * cosH * sinD,
      zeta: obs.rhoSin * sinD + obs.rhoCos * cosH * cosD
    };
  }

  /* The shadow relative to an observer at t (local.shadow, local.shadow_at):
   * u = x - xi, v = y - eta, their rates a, b, and L1, L2 in the observer's
   * plane; xi' = mu' (zeta cos d - eta sin d), eta' = mu' xi sin d - zeta d'. */
  function shadow(el, t, obs) {
    var e = el.at(t);
    var f = fundamental(obs, e.d, e.mu);
    var sinD = Math.sin(e.d), cosD = Math.cos(e.d);
    var dxi = e.dmu * (f.zeta * cosD - f.eta * sinD);
    var deta = e.dmu * f.xi * sinD - f.zeta * e.dd;
    return {
      u: e.x - f.xi, v: e.y - f.eta, a: e.dx - dxi, b: e.dy - deta,
      penumbra: e.l1 - f.zeta * e.tanF1, umbra: e.l2 - f.zeta * e.tanF2, zeta: f.zeta
    };
  }

  /* One step of Meeus's iteration for the maximum (local.time_of_maximum). */
  function maximumStep(el, t, obs) {
    var s = shadow(el, t, obs);
    return t - (s.u * s.a + s.v * s.b) / (s.a * s.a + s.b * s.b);
  }

  /* One step toward a contact, the discriminant clamped at zero
   * (local.contact_time with clamp=True). */
  function contactStep(umbral, ending) {
    var sign = ending ? 1.0 : -1.0;
    return function (el, t, obs) {
      var s = shadow(el, t, obs);
      var radius = umbral ? Math.abs(s.umbra) : s.penumbra;
      var n2 = s.a * s.a + s.b * s.b;
      var p = s.u * s.a + s.v * s.b;
      var discriminant = Math.max(p * p - n2 * (s.u * s.u + s.v * s.v - radius * radius), 0.0);
      return t + (-p + sign * Math.sqrt(discriminant)) / n2;
    };
  }

  /* Repeat a step until it is below the tolerance (local._converge). */
  function converge(step, el, t, obs, iterations) {
    for (var i = 0; i < iterations; i++) {
      var change = step(el, t, obs) - t;
      t += change;
      if (Math.abs(change) < TOLERANCE_HOURS) break;
    }
    return t;
  }

  /* a mod m with the sign of m, as numpy's mod of floats (fmod, then m added
   * to a remainder of the other sign). */
  function mod(a, m) {
    var r = a % m;
    return r !== 0 && (r < 0) !== (m < 0) ? r + m : r;
  }

  /* The nearest integer, halves to even (numpy's round, Python's round). */
  function roundHalfEven(x) {
    var r = Math.round(x);  // halves up
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  /* The Sun's geocentric semidiameter from the elements at t0 (horizon.sun_semidiameter):
   * g = (k1 + k2) / (sin f1 - sin f2), z = (l1 - k1 / cos f1) / tan f1,
   * sin s = (g sin f1 - k1) / (g + z). */
  function sunSemidiameter(el) {
    var k1 = HORIZON.k_penumbra, f1 = Math.atan(el.tanF1), f2 = Math.atan(el.tanF2);
    var sinF1 = Math.sin(f1), sinF2 = Math.sin(f2);
    var g = (k1 + HORIZON.k_umbra) / (sinF1 - sinF2);
    var z = (el.rows[4][0] - k1 / Math.cos(f1)) / Math.tan(f1);
    return Math.asin((g * sinF1 - k1) / (g + z));
  }

  /* The true altitude of the Sun's centre at sunrise and sunset
   * (Horizon.rise_set_altitude): -(34' scaled + s) on the apparent horizon,
   * 0 on the geometric one. */
  function riseSetAltitude(el) {
    if (HORIZON.kind === "geometric") return 0.0;
    return -(HORIZON.horizon_refraction_deg * RAD * HORIZON.scale + sunSemidiameter(el));
  }

  /* The altitude seen of a true altitude (Horizon.apparent): Saemundsson's
   * refraction R = A' / tan(h + B / (h + C)) + D', h in degrees, held below
   * its lowest altitude, scaled; none on the geometric horizon. */
  function apparent(altitude) {
    if (!HORIZON.scale) return altitude;
    var k = HORIZON.saemundsson, h = Math.max(altitude * DEG, HORIZON.lowest_altitude_deg);
    var arcmin = k[0] / Math.tan((h + k[1] / (h + k[2])) * RAD) + k[3];
    return altitude + (arcmin / 60.0) * RAD * HORIZON.scale;
  }

  /* Sunrise (or sunset) nearest t, the Sun's centre at the true altitude h:
   * cos H0 = sin h / (cos phi cos d) - tan phi tan d, three steps at mu'
   * (local._horizon_crossing, earth.horizon_hour_angle); NaN in polar day
   * or night. */
  function horizonCrossing(el, obs, t, rising, altitude) {
    var sign = rising ? -1.0 : 1.0, sinAltitude = Math.sin(altitude);
    for (var i = 0; i < HORIZON_STEPS; i++) {
      var e = el.at(t);
      var h0 = Math.acos(sinAltitude / (Math.cos(obs.latitude) * Math.cos(e.d)) - Math.tan(obs.latitude) * Math.tan(e.d));
      var miss = mod(sign * h0 - (e.mu + obs.longitude) + Math.PI, 2 * Math.PI) - Math.PI;
      t = t + miss / e.dmu;
    }
    return t;
  }

  /* Whether the Sun is above a true altitude at some instant between two
   * (earth.sun_up_between): at either end, or at the upper culmination when
   * the interval holds one. */
  function sunUpBetween(obs, dStart, muStart, dEnd, muEnd, altitude) {
    var hStart = muStart + obs.longitude, hEnd = muEnd + obs.longitude;
    var d = (dStart + dEnd) / 2.0;
    var sinLat = Math.sin(obs.latitude), cosLat = Math.cos(obs.latitude);
    var sinHorizon = Math.sin(altitude);
    function sinAltitude(dd, cosH) { return sinLat * Math.sin(dd) + cosLat * Math.cos(dd) * cosH; }
    var culminates = Math.floor(hEnd / (2 * Math.PI)) > Math.floor(hStart / (2 * Math.PI));
    return sinAltitude(dStart, Math.cos(hStart)) > sinHorizon || sinAltitude(dEnd, Math.cos(hEnd)) > sinHorizon
      || (culminates && sinAltitude(d, 1.0) > sinHorizon);
  }

  /* True altitude and azimuth (north through east) of the Sun, radians
   * (earth.sun_altitude_azimuth; refraction is apparent()'s). */
  function sunAltitudeAzimuth(latitude, longitude, d, mu) {
    var hourAngle = mu + longitude;
    var sinLat = Math.sin(latitude), cosLat = Math.cos(latitude);
    var sinD = Math.sin(d), cosD = Math.cos(d), cosH = Math.cos(hourAngle);
    var altitude = Math.asin(Math.min(1, Math.max(-1, sinLat * sinD + cosLat * cosD * cosH)));
    var azimuth = Math.atan2(-cosD * Math.sin(hourAngle), sinD * cosLat - cosD * cosH * sinLat);
    return [altitude, mod(azimuth, 2 * Math.PI)];
  }

  /* Parallactic angle q of the axis's direction at geodetic latitude phi:
   * tan q = cos phi sin H / (sin phi cos d - cos phi sin d cos H)
   * (earth.parallactic_angle). */
  function parallacticAngle(latitude, longitude, d, mu) {
    var hourAngle = mu + longitude, cosLat = Math.cos(latitude);
    return Math.atan2(cosLat * Math.sin(hourAngle),
      Math.sin(latitude) * Math.cos(d) - cosLat * Math.sin(d) * Math.cos(hourAngle));
  }

  /* Position angles P and V (radians) of the point of contact at each of
   * CONTACTS (local._position_angles): P = atan2(u, v), plus pi at C2 and C3
   * of a total eclipse (the point of contact opposite the Moon's centre);
   * V = P - q. */
  function positionAngles(obs, at, total) {
    var p = [], v = [];
    at.forEach(function (e, i) {
      var f = fundamental(obs, e.d, e.mu), internal = C.local.internal_contacts.indexOf(CONTACTS[i]) >= 0;
      var angle = Math.atan2(e.x - f.xi, e.y - f.eta) + (internal && total ? Math.PI : 0.0);
      p.push(angle);
      v.push(angle - parallacticAngle(obs.latitude, obs.longitude, e.d, e.mu));
    });
    return [p, v];
  }

  /* Radians as degrees in [0, 360) (local._degrees_in_turn). */
  function degreesInTurn(angle) {
    var degrees = mod(angle * DEG, 360.0);
    return degrees >= 360.0 ? 0.0 : degrees;
  }

  /* (L1 - Delta) / (L1 + L2): the fraction of the Sun's diameter covered
   * (shadow.magnitude). */
  function magnitude(delta, penumbra, umbra) { return (penumbra - delta) / (penumbra + umbra); }

  function clipUnit(v) { return Math.min(1, Math.max(-1, v)); }  // NaN stays NaN, as np.clip

  /* Fraction of the Sun's area covered (shadow.obscuration): the lens of
   * the discs of radii R = (L1 + L2) / 2 (Sun) and r = (L1 - L2) / 2 (Moon),
   * Delta apart, over pi R^2: r^2 a + R^2 b - Delta R sin b, with
   * cos a = (Delta^2 + r^2 - R^2) / (2 Delta r) and
   * cos b = (Delta^2 + R^2 - r^2) / (2 Delta R) clipped to [-1, 1], which
   * makes it 0 for discs apart, r^2 / R^2 for the Moon within the Sun and 1
   * for the Sun within the Moon with no branch. */
  function obscuration(delta, penumbra, umbra) {
    delta = Math.max(delta, CONCENTRIC_DISTANCE);  // concentric: no 0 / 0
    var sun = (penumbra + umbra) * 0.5, moon = (penumbra - umbra) * 0.5;
    var d2 = delta * delta, sun2 = sun * sun, moon2 = moon * moon;
    var cosMoon = clipUnit((d2 + moon2 - sun2) / (2.0 * delta * moon));
    var cosSun = clipUnit((d2 + sun2 - moon2) / (2.0 * delta * sun));
    var lens = moon2 * Math.acos(cosMoon) + sun2 * Math.acos(cosSun);
    lens -= delta * sun * Math.sqrt(1.0 - cosSun * cosSun);
    return lens / (Math.PI * sun2);
  }

  function wrapLongitude(lon) {
    var wrapped = lon - 2 * Math.PI * roundHalfEven(lon * (0.5 / Math.PI));
    return wrapped >= Math.PI ? wrapped - 2 * Math.PI : wrapped;
  }

  function nothing(el, lat, lon, elev) {
    return {
      latitude: lat, longitude: wrapLongitude(lon * RAD) * DEG, elevation_m: elev,
      kind_seen: "none", visible: false, hours: [NaN, NaN, NaN, NaN, NaN],
      magnitude: 0.0, obscuration: 0.0, magnitude_visible: 0.0, obscuration_visible: 0.0,
      sunrise: NaN, sunset: NaN, duration_s: NaN,
      altitude: [NaN, NaN, NaN, NaN, NaN], azimuth: [NaN, NaN, NaN, NaN, NaN],
      below: [false, false, false, false, false],
      p: [NaN, NaN, NaN, NaN, NaN], v: [NaN, NaN, NaN, NaN, NaN], elements: el
    };
  }

  /* What an observer sees (local.local_circumstances for one observer) on
   * the page's horizon (DATA.constants.horizon): times in hours from t0
   * (TT), NaN where absent; angles in radians, altitudes as seen on that
   * horizon. */
  function circumstances(el, lat, lon, elev) {
    var obs = observer(lat * RAD, lon * RAD, elev || 0.0);
    var best = Infinity, tMax = NaN;
    GRID_HOURS.forEach(function (t) {
      var e = el.at(t), f = fundamental(obs, e.d, e.mu);
      var distance = (e.x - f.xi) * (e.x - f.xi) + (e.y - f.eta) * (e.y - f.eta);
      if (distance < best) { best = distance; tMax = t; }
    });
    tMax = converge(maximumStep, el, tMax, obs, MAX_ITERATIONS);
    var s = shadow(el, tMax, obs);
    var delta = Math.hypot(s.u, s.v), l1 = s.penumbra, l2 = s.umbra;
    if (!(delta < l1 && Math.abs(tMax) < VALID_HOURS)) return nothing(el, lat, lon, elev || 0.0);
    var central = delta < Math.abs(l2);
    function contact(umbral, ending) {
      return converge(contactStep(umbral, ending), el, tMax, obs, CONTACT_ITERATIONS);
    }
    var t1 = contact(false, false), t4 = contact(false, true);
    var t2 = central ? contact(true, false) : NaN, t3 = central ? contact(true, true) : NaN;
    var hours = [t1, t2, tMax, t3, t4];
    var at = hours.map(function (t) { return el.at(t); });
    var sky = at.map(function (e) { return sunAltitudeAzimuth(obs.latitude, obs.longitude, e.d, e.mu); });
    var riseSet = riseSetAltitude(el);
    var visible = sunUpBetween(obs, at[0].d, at[0].mu, at[4].d, at[4].mu, riseSet);
    var centralVisible = central && sunUpBetween(obs, at[1].d, at[1].mu, at[3].d, at[3].mu, riseSet);
    var kind = centralVisible ? (l2 < 0 ? "total" : "annular") : (visible ? "partial" : "none");

    var magnitudeMax = magnitude(delta, l1, l2), obscured = obscuration(delta, l1, l2);
    var crossings = [true, false].map(function (rising) {
      var t = horizonCrossing(el, obs, tMax, rising, riseSet);
      return t >= t1 && t <= t4 ? t : NaN;
    });
    var magnitudeVisible = magnitudeMax, obscurationVisible = obscured;
    if (!(sky[2][0] >= riseSet)) {
      // the Sun up only after the maximum (rises in progress) or before it (sets)
      var seen = [crossings[0] > tMax ? crossings[0] : NaN, crossings[1] < tMax ? crossings[1] : NaN];
      var m = [], o = [];
      seen.forEach(function (t) {
        var h = shadow(el, t, obs), dist = Math.hypot(h.u, h.v);
        m.push(magnitude(dist, h.penumbra, h.umbra));
        o.push(obscuration(dist, h.penumbra, h.umbra));
      });
      magnitudeVisible = fmax(m[0], m[1]);
      obscurationVisible = fmax(o[0], o[1]);
    }
    var angles = positionAngles(obs, at, l2 < 0);
    return {
      latitude: lat, longitude: wrapLongitude(lon * RAD) * DEG, elevation_m: elev || 0.0,
      kind_seen: kind, visible: visible, hours: hours,
      magnitude: magnitudeMax, obscuration: obscured,
      magnitude_visible: visible ? magnitudeVisible : 0.0,
      obscuration_visible: visible ? obscurationVisible : 0.0,
      sunrise: crossings[0], sunset: crossings[1], duration_s: (t3 - t2) * 3600.0,
      altitude: sky.map(function (a) { return apparent(a[0]); }), azimuth: sky.map(function (a) { return a[1]; }),
      below: sky.map(function (a) { return a[0] < riseSet; }),  // false where absent (NaN)
      // position angles P and V of each contact, radians (at maximum, of the
      // Moon's centre from the Sun's: the panel's drawing)
      p: angles[0], v: angles[1],
      sun_radius: (l1 + l2) / 2, moon_radius: (l1 - l2) / 2, distance: delta,
      elements: el
    };
  }

  function fmax(a, b) { return isNaN(a) ? b : (isNaN(b) ? a : Math.max(a, b)); }

  // --- times and the JSON of `eclipse local` --------------------------------------

  /* (year, month, day) of the calendar day holding a Julian day number, Julian
   * calendar before 1582-10-15 (Explanatory Supplement 15.11, as Skyfield's
   * compute_calendar_date). */
  function calendar(jdn) {
    var f = jdn + 1401;
    if (jdn >= 2299161) f += Math.floor((Math.floor((4 * jdn + 274277) / 146097) * 3) / 4) - 38;
    var e = 4 * f + 3, g = Math.floor(mod(e, 1461) / 4), h = 5 * g + 2;
    var day = Math.floor(mod(h, 153) / 5) + 1;
    var month = mod(Math.floor(h / 153) + 2, 12) + 1;
    var year = Math.floor(e / 1461) - 4716 + Math.floor((12 + 2 - month) / 12);
    return [year, month, day];
  }

  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }

  /* ISO 8601 of a Julian date, seconds rounded to `decimals`, halves to even
   * (dates.format_datetime). */
  function formatDatetime(jd, decimals, suffix) {
    var scale = Math.pow(10, decimals || 0);
    var ticks = roundHalfEven(jd * 86400 * scale + 43200 * scale);  // from noon to midnight
    var days = Math.floor(ticks / (86400 * scale));
    var rest = ticks - days * 86400 * scale;
    var ymd = calendar(days);
    var hour = Math.floor(rest / (3600 * scale)); rest -= hour * 3600 * scale;
    var minute = Math.floor(rest / (60 * scale)); var second = rest - minute * 60 * scale;
    var seconds = pad(Math.floor(second / scale), 2);
    if (decimals) seconds += "." + pad(second % scale, decimals);
    var year = ymd[0] >= 0 ? pad(ymd[0], 4) : "-" + pad(-ymd[0], 4);
    return year + "-" + pad(ymd[1], 2) + "-" + pad(ymd[2], 2) + "T" + pad(hour, 2) + ":"
      + pad(minute, 2) + ":" + seconds + (suffix || "");
  }

  /* A number rounded to `decimals` as Python's round() does: the decimal
   * nearest its exact binary value (toFixed), an exact half to even; never
   * -0; null if not finite.  (An exact half is value * 2^(decimals + 1) odd;
   * then value * 10^decimals is exact too, for |value| < 2^53 / 10^decimals.) */
  function round(value, decimals) {
    if (!Number.isFinite(value)) return null;
    var twice = value * Math.pow(2, decimals + 1), scale = Math.pow(10, decimals);
    if (Number.isInteger(twice) && twice % 2 !== 0) return roundHalfEven(value * scale) / scale + 0.0;
    return Number(value.toFixed(decimals)) + 0.0;
  }

  /* Julian date (TT) of hours from t0, its UT (dates.ut_from_tt), and its
   * ISO UT string (or null). */
  function jdTT(el, hours) { return el.t0 + hours / 24.0; }
  function jdUT(el, jd) { return jd - el.deltaT / 86400.0; }
  function utc(el, hours) {
    return isFinite(hours) ? formatDatetime(jdUT(el, jdTT(el, hours)), 0, "Z") : null;
  }

  /* One value as an entry of the JSON's table says, [kind, decimals]
   * (records.written; records.LOCAL_FORMAT says what each kind means). */
  function written(how, value) {
    var kind = how[0], decimals = how[1] || 0;
    if (kind === "number") return round(value, decimals);
    if (kind === "angle") {
      var turn = round(value, decimals);
      return turn !== null && turn >= 360.0 ? turn - 360.0 : turn;
    }
    if (kind === "utc") return Number.isFinite(value) ? formatDatetime(value, decimals, "Z") : null;
    if (kind === "tt") return Number.isFinite(value) ? formatDatetime(value, decimals) : null;
    if (kind === "flag") return !!value;
    return String(value);
  }

  /* One observer's values by the JSON's keys, before they are written
   * (records.local_values): numbers, instants as Julian dates (UT for "utc",
   * TT for "tt"), and each contact's values, or null where it does not
   * happen. */
  function values(c) {
    var el = c.elements, jd = c.hours.map(function (h) { return jdTT(el, h); }), contacts = {};
    var out = {
      kind_seen: c.kind_seen, visible: c.visible, latitude: c.latitude, longitude: c.longitude,
      elevation_m: c.elevation_m, magnitude: c.magnitude, obscuration: c.obscuration,
      magnitude_visible: c.magnitude_visible, obscuration_visible: c.obscuration_visible,
      sunrise: jdUT(el, jdTT(el, c.sunrise)), sunset: jdUT(el, jdTT(el, c.sunset)),
      duration_s: c.duration_s, sun_altitude_deg: c.altitude[2] * DEG, sun_azimuth_deg: c.azimuth[2] * DEG,
      contacts: contacts, delta_t_s: el.deltaT
    };
    CONTACTS.forEach(function (name, i) {
      out[name] = jdUT(el, jd[i]);
      contacts[name] = !isFinite(jd[i]) ? null : {
        time_utc: jdUT(el, jd[i]), time_tt: jd[i], sun_altitude_deg: c.altitude[i] * DEG,
        sun_azimuth_deg: c.azimuth[i] * DEG, sun_below_horizon: c.below[i],
        position_angle_p_deg: degreesInTurn(c.p[i]), position_angle_v_deg: degreesInTurn(c.v[i])
      };
    });
    return out;
  }

  /* The JSON of `eclipse local` for one observer from its values, by the
   * tables of records.LOCAL_FORMAT and CONTACT_FORMAT (records.write_local). */
  function writeLocal(v) {
    var out = {}, table = C.json;
    Object.keys(table.local).forEach(function (name) {
      var how = table.local[name];
      if (how[0] !== "contacts") { out[name] = written(how, v[name]); return; }
      out[name] = {};
      CONTACTS.forEach(function (contact) {
        var one = v[name][contact];
        out[name][contact] = one === null ? null : {};
        if (one === null) return;
        Object.keys(table.contact).forEach(function (key) {
          out[name][contact][key] = written(table.contact[key], one[key]);
        });
      });
    });
    return out;
  }

  /* The JSON of `eclipse local --format json` for one observer of
   * circumstances() (records.local_record). */
  function toJSON(c) { return writeLocal(values(c)); }

  // --- the shadow on the ground at an instant ------------------------------------

  /* Latitude and east longitude (radians) of the ellipsoid point whose
   * fundamental coordinates are (x, y, zeta > 0) (earth.point_under):
   * w = 1 / sqrt(1 - e^2 cos^2 d); y1 = w y; b1 = w sin d; b2 = (1 - f) w cos d;
   * B2 = 1 - x^2 - y1^2; phi1 = asin(sqrt(B2) b1 + y1 b2);
   * H = atan2(x, sqrt(B2) b2 - y1 b1); latitude = atan(tan phi1 / (1 - f)). */
  function pointUnder(x, y, d, mu) {
    var sinD = Math.sin(d), cosD = Math.cos(d);
    var w = 1.0 / Math.sqrt(1 - ECCENTRICITY_SQUARED * cosD * cosD);
    var y1 = w * y, b1 = w * sinD, b2 = (1 - FLATTENING) * w * cosD;
    var bSquared = 1 - x * x - y1 * y1;
    if (!(bSquared >= -1e-9)) return null;
    var root = Math.sqrt(Math.max(bSquared, 0));
    var sinPhi1 = Math.min(1, Math.max(-1, root * b1 + y1 * b2));
    var cosPhi1 = Math.sqrt(1.0 - sinPhi1 * sinPhi1);
    var hourAngle = Math.atan2(x, root * b2 - y1 * b1);
    return [Math.atan2(sinPhi1, (1 - FLATTENING) * cosPhi1), wrapLongitude(hourAngle - mu)];
  }

  /* zeta of the ellipsoid's point above (xi, eta) on the Sun's side, that of
   * the outline outside it (path.surface_zeta): A zeta^2 + 2 B zeta + C = 0. */
  function surfaceZeta(xi, eta, sinD, cosD) {
    var k = 1.0 / ((1.0 - FLATTENING) * (1.0 - FLATTENING));
    var a = cosD * cosD + k * sinD * sinD, b = eta * sinD * cosD * (k - 1.0);
    var c2 = sinD * sinD + k * cosD * cosD;
    var discriminant = b * b - a * (eta * eta * c2 + xi * xi - 1.0);
    return (-b + Math.sqrt(Math.max(discriminant, 0.0))) / a;
  }

  /* Clip a convex polygon by a convex one, both counter-clockwise
   * (Sutherland and Hodgman 1974). */
  function clipConvex(subject, clip) {
    var out = subject;
    for (var i = 0; i < clip.length && out.length; i++) {
      var a = clip[i], b = clip[(i + 1) % clip.length], input = out;
      out = [];
      var side = function (p) { return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]); };
      for (var j = 0; j < input.length; j++) {
        var p = input[j], q = input[(j + 1) % input.length], sp = side(p), sq = side(q);
        if (sp >= 0) out.push(p);
        if ((sp >= 0) !== (sq >= 0)) {
          var f = sp / (sp - sq);
          out.push([p[0] + f * (q[0] - p[0]), p[1] + f * (q[1] - p[1]), true]);
        }
      }
    }
    return out;
  }

  /* The shadow's footprint on the ground at t hours from t0
   * (regions.footprints, with as many vertices): the circle Delta = |L| on the
   * fundamental plane, L = l - zeta tan f iterated on the zeta of each edge
   * point (to EDGE_TOLERANCE: document.EDGE_ITERATIONS says why), cut by the
   * Earth's outline (the ellipse of semi-axes 1 and sqrt(1 - e^2 cos^2 d)),
   * taken to latitude and longitude.  Returns {ring: [[lon, lat] degrees, ...], edge: [bool, ...]}
   * (edge: the vertex lies on the shadow's circle, not on the horizon), or
   * null when the shadow misses the Earth. */
  function footprint(el, t, penumbral) {
    var e = el.at(t), l = penumbral ? e.l1 : e.l2, tanF = penumbral ? e.tanF1 : e.tanF2;
    var n = penumbral ? CIRCLE_VERTICES : Math.floor(CIRCLE_VERTICES / 2);
    var sinD = Math.sin(e.d), cosD = Math.cos(e.d), circle = [];
    for (var i = 0; i < n; i++) {
      var theta = i * (2 * Math.PI / n), c = Math.cos(theta), s = Math.sin(theta), radius = Math.abs(l);
      for (var k = 0, change = Infinity; k < EDGE_ITERATIONS && Math.abs(change) > EDGE_TOLERANCE; k++) {
        change = Math.abs(l - surfaceZeta(e.x + radius * c, e.y + radius * s, sinD, cosD) * tanF) - radius;
        radius += change;
      }
      circle.push([e.x + radius * c, e.y + radius * s]);
    }
    var b = Math.sqrt(1 - ECCENTRICITY_SQUARED * cosD * cosD), outline = [];
    for (var j = 0; j < OUTLINE_VERTICES; j++) {
      var phi = j * (2 * Math.PI / OUTLINE_VERTICES);  // as numpy's linspace
      outline.push([Math.cos(phi), b * Math.sin(phi)]);
    }
    var inside = function (p) { return p[0] * p[0] + (p[1] / b) * (p[1] / b) < 1; };
    var shape = circle.every(inside) ? circle : clipConvex(circle, outline);
    var ring = [], edge = [];
    shape.forEach(function (p) {
      var ll = pointUnder(p[0], p[1], e.d, e.mu);
      if (!ll) return;
      ring.push([ll[1] * DEG, ll[0] * DEG]);
      edge.push(p.length === 2);  // clipped vertices carry a third item
    });
    return ring.length > 2 ? { ring: ring, edge: edge } : null;
  }

  root.EclipseMath = {
    configure: configure, constants: null,
    Elements: Elements, circumstances: circumstances, toJSON: toJSON, footprint: footprint,
    values: values, writeLocal: writeLocal, written: written, round: round,
    pointUnder: pointUnder, formatDatetime: formatDatetime, jdTT: jdTT, utc: utc,
    observer: observer, shadow: shadow, obscuration: obscuration, apparent: apparent,
    riseSetAltitude: riseSetAltitude, sunSemidiameter: sunSemidiameter, sunAltitudeAzimuth: sunAltitudeAzimuth, parallacticAngle: parallacticAngle,
    CONTACTS: CONTACTS, RAD: RAD
  };
})(typeof window !== "undefined" ? window : globalThis);
