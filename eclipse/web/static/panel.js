/* The page's text: title block, legend, credit, the panel of what is seen
 * from a place (id local-panel) with a drawing of the Sun and Moon at
 * maximum, and the city search.  The map (map.js) calls init, show and close.
 */
(function () {
  "use strict";
  var M = window.EclipseMath, C = window.EclipseCoordinates, S = window.EclipseSky, Z = window.EclipseZones, RAD = Math.PI / 180;
  var KIND_WORDS = { total: "totality", annular: "annularity" };
  // what the position angles of `eclipse local` are (io.tables.POSITION_ANGLES_NOTE)
  var POSITION_ANGLES = {
    P: "Position angle of the contact point on the Sun's disc, from its north point towards east",
    V: "Position angle of the contact point on the Sun's disc, from its zenith point, counter-clockwise",
    both: "degrees counter-clockwise from its north point (P) and from its zenith point (V)"
  };
  var CONTACT_NAMES = { c1: "C1 partial begins", c2: "C2 {central} begins", max: "Maximum",
    c3: "C3 {central} ends", c4: "C4 partial ends" };
  var DATA, eclipses, choose, panel, changed;
  // the place shown ({lat, lon, elevation, hits, c, json}), the slider's
  // instant (hours from t0, TT) and the drawing of the sky then
  var current = null, hours = null, sky = null;

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) {
      if (k === "text") node.textContent = attributes[k]; else node.setAttribute(k, attributes[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function latlonText(lat, lon) {
    return Math.abs(lat).toFixed(4) + "\u00b0" + (lat >= 0 ? "N" : "S") + " "
      + Math.abs(lon).toFixed(4) + "\u00b0" + (lon >= 0 ? "E" : "W");
  }
  function durationText(seconds) {
    var s = Math.round(seconds);
    return Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
  }
  /* hh:mm:ss of an ISO time; the date part can be -0135-04-15 as well */
  function timeText(iso) { return iso ? iso.split("T")[1].slice(0, 8) : "\u2013"; }
  function degrees(value) { return value === null ? "\u2013" : value.toFixed(1) + "\u00b0"; }

  /* Great-circle distance in km (spherical Earth; for naming the nearest city). */
  function distanceKm(lat1, lon1, lat2, lon2) {
    var a = Math.sin((lat2 - lat1) * RAD / 2), b = Math.sin((lon2 - lon1) * RAD / 2);
    var h = a * a + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * b * b;
    return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // --- what is seen from a place ------------------------------------------------------

  /* Refuse what is not a place on the Earth, as local.check_location does. */
  function checkLocation(lat, lon, elevation) {
    [["latitude", lat], ["longitude", lon], ["elevation", elevation]].forEach(function (v) {
      if (typeof v[1] !== "number" || !isFinite(v[1])) throw new RangeError(v[0] + " must be a finite number");
    });
    if (lat < -90 || lat > 90) throw new RangeError("latitude " + lat + " is outside [-90, 90]");
    if (lon < -180 || lon >= 360) throw new RangeError("longitude " + lon + " is outside [-180, 360)");
    var range = M.constants.local.elevation_range_m;
    if (elevation < range[0] || elevation > range[1]) {
      throw new RangeError("elevation " + elevation + " m is outside [" + range[0] + ", " + range[1] + "] m");
    }
  }

  /* The horizon the page sees the Sun on, as `eclipse local`'s JSON has it. */
  function horizonRecord() {
    var h = M.constants.horizon;
    return { kind: h.kind, temperature_c: h.temperature_c, pressure_hpa: h.pressure_hpa };
  }

  /* One line on it, as the table of `eclipse local` (io.text.horizon_text). */
  function horizonText() {
    var h = M.constants.horizon;
    return h.kind === "geometric" ? "Altitudes without refraction; sunrise and sunset: the Sun's centre at altitude 0."
      : "Altitudes as seen (refraction at " + h.temperature_c + " \u00b0C, " + h.pressure_hpa
        + " hPa); sunrise and sunset: the Sun's upper limb on the horizon.";
  }

  function local(lat, lon, elevation) {
    checkLocation(lat, lon, elevation);
    var zone = Z.timezoneAt(lat, lon);  // (null on a span's page)
    var out = eclipses.map(function (e) {
      var v = M.values(M.circumstances(e.el, lat, lon, elevation)), json = M.writeLocal(v);
      json = Object.assign({ date: e.date, kind: e.kind, place: null, timezone: zone }, json,
        { delta_t_sigma_s: M.written(M.constants.json.sigma, e.delta_t_sigma_s), horizon: horizonRecord() });
      // one eclipse's page only: a span's list of eclipses seen stays quick
      if (DATA.kind !== "span") json.kinds_seen_within_sigma = kindsWithinSigma(e, lat, lon, elevation);
      Object.assign(json, distanceJSON(lat, lon));
      return zone ? localTimes(json, v, zone) : json;
    });
    return DATA.kind === "span" ? out : out[0];
  }

  /* Each instant's local time in the place's zone, as records.local_json:
   * the contacts' time_local, sunrise_local and sunset_local. */
  function localTimes(json, v, zone) {
    M.CONTACTS.forEach(function (n) {
      if (json.contacts[n] !== null) json.contacts[n].time_local = Z.iso(v[n], zone, v.longitude);
    });
    ["sunrise", "sunset"].forEach(function (n) { json[n + "_local"] = Z.iso(v[n], zone, v.longitude); });
    return json;
  }

  /* The local clocks of a place's contacts, by name (zones.js clock), and
   * the line that names its zone: 'America/Chicago, CDT, UTC−5'; local
   * mean time from the longitude before the zone's first rule; each clock
   * in turn if it changes during the eclipse; null without a zone. */
  function localClocks(c, json) {
    var zone = json.timezone, v = M.values(c), clocks = {}, seen = [], texts = [];
    if (!zone) return null;
    M.CONTACTS.concat(["sunrise", "sunset"]).forEach(function (n) {
      var k = Z.clock(v[n], zone, v.longitude);
      if (!k) return;
      clocks[n] = k;
      var text = k.name === "LMT" ? "local mean time (LMT, " + Z.offsetText(k.offset) + ", from the longitude)"
        : (/^[+-]/.test(k.name) ? "" : k.name + ", ") + Z.offsetText(k.offset);
      if (seen.indexOf(text) < 0) { seen.push(text); texts.push(text); }
    });
    var nauticalZone = /^Etc\//.test(zone), lmt = texts.length && texts.every(function (t) { return /^local mean/.test(t); });
    var line = lmt ? texts[0].charAt(0).toUpperCase() + texts[0].slice(1)
      : "Local time: " + (nauticalZone ? "nautical zone (" + zone + ")" : zone) + ", " + texts.join(", then ");
    return { clocks: clocks, line: line, lmt: lmt };
  }

  /* A cell of the UT column: the UT time, and under it the local one (in a
   * span of class local) when the place has a zone. */
  function stacked(ut, local, tag) {
    return el(tag, {}, [document.createTextNode(ut), local ? el("br") : null,
      local ? el("span", { "class": "local", text: local }) : null]);
  }

  /* hh:mm:ss of a local clock, with the day when it is not the UT day. */
  function localText(k, utc) {
    if (!k) return "\u2013";
    var text = M.formatDatetime(k.jd, 0), day = text.split("T")[0], utcDay = utc.split("T")[0];
    return text.split("T")[1] + (day === utcDay ? "" : k.offset > 0 ? " +1d" : " \u22121d");
  }

  /* The kinds seen from a place as Delta T runs over +-1 sigma, as
   * Eclipse.kinds_seen_within_sigma: the place turned by the same
   * sigma_samples offsets from -sigma_shift_deg to +sigma_shift_deg. */
  var KINDS_SEEN = ["none", "partial", "annular", "total"];
  function kindsWithinSigma(e, lat, lon, elevation) {
    var n = e.sigma_samples, shift = e.sigma_shift_deg, step = 2 * shift / (n - 1), seen = {};
    for (var i = 0; i < n; i++) {
      var turned = ((lon - shift + i * step + 180) % 360 + 360) % 360 - 180;
      seen[M.circumstances(e.el, lat, turned, elevation).kind_seen] = true;
    }
    return KINDS_SEEN.filter(function (k) { return seen[k]; });
  }

  /* The signed distances to the central line and the umbral limits, by the
   * keys and rounding of records.DISTANCE_FORMAT (distances.js; null on a
   * span's page, which carries no curves for them, as without distances in
   * Python). */
  function distanceJSON(lat, lon) {
    var table = M.constants.distances.format, out = {};
    var d = DATA.kind === "span" ? null
      : window.EclipseDistances.pathDistances(M.constants, DATA.path.distance_lines, lat, lon);
    Object.keys(table).forEach(function (key) {
      var how = table[key];
      out[key] = d ? M.written([how[1], how[2]], d[how[0]]) : null;
    });
    return out;
  }

  /* '12.3 km north of the central line; 33.1 km inside the southern limit'
   * (the nearer limit), as text.path_distance_text; null when none is known. */
  function distanceText(json) {
    var parts = [], central = json.central_line_distance_km;
    function km(value) { return Math.abs(value).toFixed(1); }
    if (central !== null) {
      parts.push(km(central) === "0.0" ? "on the central line"
        : km(central) + " km " + (central > 0 ? "north" : "south") + " of the central line");
    }
    var limits = [[json.north_limit_distance_km, "northern"], [json.south_limit_distance_km, "southern"]]
      .filter(function (l) { return l[0] !== null; })
      .sort(function (a, b) { return Math.abs(a[0]) - Math.abs(b[0]); });
    if (limits.length) {
      var value = limits[0][0], side = limits[0][1];
      parts.push(km(value) === "0.0" ? "on the " + side + " limit"
        : km(value) + " km " + (value > 0 ? "inside" : "outside") + " the " + side + " limit");
    }
    return parts.length ? parts.join("; ") : null;
  }

  function nearestCity(lat, lon) {
    var best = null, bestKm = 50;
    P.cities.forEach(function (c) {
      var km = distanceKm(lat, lon, c[2], c[3]);
      if (km < bestKm) { best = c; bestKm = km; }
    });
    return best ? "near " + best[0] + ", " + best[1] + " (" + Math.round(bestKm) + " km)" : null;
  }

  function header(lat, lon, elevation) {
    var near = nearestCity(lat, lon), range = M.constants.local.elevation_range_m;
    var input = el("input", { id: "elevation", type: "number", inputmode: "decimal", step: "1", min: String(range[0]),
      max: String(range[1]), value: String(elevation), "aria-label": "Elevation in metres" });
    input.addEventListener("change", function () { setElevation(input); });
    return [el("button", { "class": "close", type: "button", title: "Close", "aria-label": "Close", text: "\u00d7" }),
      el("h2", { text: latlonText(lat, lon) }), near ? el("div", { "class": "note", text: near }) : null,
      el("div", { "class": "elevation" }, [el("label", { "for": "elevation", text: "Elevation" }), input,
        el("span", { text: "m" }), el("span", { id: "elevation-note", "class": "note", role: "status" })])];
  }

  /* The elevation field changed: what is seen from that height, or why
   * not (the results for the last good one stay). */
  function setElevation(input) {
    var note = document.getElementById("elevation-note"), text = input.value.trim(), value = Number(text);
    var range = M.constants.local.elevation_range_m;
    var problem = !text || !isFinite(value) ? "not a number"
      : value < range[0] || value > range[1] ? "outside " + range[0] + " to " + range[1] + " m" : "";
    input.setAttribute("aria-invalid", String(!!problem));
    note.textContent = problem;
    if (problem || value === current.elevation) return;
    current.elevation = value;
    sections();
    if (changed) changed();
  }

  /* One eclipse seen from a place: kind seen, contacts with the Sun's
   * altitude, magnitude, obscuration, duration, notes, and the drawing. */
  function eclipseSection(e, c, json) {
    var nodes = [];
    if (json.kind_seen === "none") {
      var reason = json.c1 === null ? "the Moon's shadow does not reach this place"
        : "the Sun is below the horizon throughout";
      nodes.push(el("div", { "class": "seen", text: "Not visible from here" }), el("p", { "class": "note", text: reason }));
      return nodes;
    }
    var central = KIND_WORDS[json.kind_seen];
    nodes.push(el("div", { "class": "seen", "data-kind": json.kind_seen,
      text: json.kind_seen.charAt(0).toUpperCase() + json.kind_seen.slice(1) + " eclipse seen" }));
    var word = c.moon_radius > c.sun_radius ? "totality" : "annularity", below = false, here = localClocks(c, json);
    var rows = M.CONTACTS.filter(function (n) { return json[n] !== null; }).map(function (n) {
      var contact = json.contacts[n], name = CONTACT_NAMES[n].replace("{central}", word);
      below = below || contact.sun_below_horizon;
      return el("tr", { "data-contact": n, "class": contact.sun_below_horizon ? "below" : "" },
        [el("td", { text: name }), stacked(timeText(json[n]), here && localText(here.clocks[n], json[n]), "td"),
          el("td", { text: degrees(contact.sun_altitude_deg) }),
          el("td", { "class": "angle", text: degrees(contact.position_angle_p_deg) }),
          el("td", { "class": "angle", text: degrees(contact.position_angle_v_deg) })]);
    });
    nodes.push(el("table", {}, [el("thead", {}, [el("tr", {}, [el("th", { text: e.date }),
      stacked("UT", here && (here.lmt ? "LMT" : "Local"), "th"),
      el("th", { text: "Sun alt" }), el("th", { text: "P", title: POSITION_ANGLES.P }),
      el("th", { text: "V", title: POSITION_ANGLES.V })])]), el("tbody", {}, rows)]));
    if (here) nodes.push(el("p", { "class": "note zone", text: here.line + "." }));
    nodes.push(el("p", { "class": "note angles", text: "P, V: where the contact is on the Sun's disc, " + POSITION_ANGLES.both + "." }));
    var facts = "Magnitude " + json.magnitude.toFixed(4) + " \u00b7 obscuration " + (100 * json.obscuration).toFixed(1) + "%";
    if (central && json.duration_s !== null) facts += " \u00b7 " + central + " " + durationText(json.duration_s);
    nodes.push(el("p", { "class": "note facts", text: facts }));
    var across = distanceText(json);
    if (across) nodes.push(el("p", { "class": "note distances", text: across }));
    if (below) nodes.push(el("p", { "class": "note below", text: "In grey italics: the Sun is below the horizon then." }));
    ["sunrise", "sunset"].forEach(function (n) {
      var k = here && here.clocks[n];
      if (json[n]) nodes.push(el("p", { "class": "note", text: "The Sun " + (n === "sunrise" ? "rises" : "sets") + " at "
        + timeText(json[n]) + " UT" + (k ? " (" + localText(k, json[n]) + " " + k.name + ")" : "") + ", during the eclipse." }));
    });
    nodes.push(el("p", { "class": "note horizon", text: horizonText() }));
    var kinds = json.kinds_seen_within_sigma;
    if (kinds && kinds.length > 1) {  // as `eclipse local`
      nodes.push(el("p", { "class": "note sigma", text: e.sigma_note + ": within that this place sees it "
        + kinds.join(" or ") + "." }));
    }
    if (json.kind_seen === "partial" && json.c2 !== null) {
      nodes.push(el("p", { "class": "note", text: "The " + word + " happens with the Sun below the horizon." }));
    }
    if (json.magnitude_visible < json.magnitude - 1e-9) {
      nodes.push(el("p", { "class": "note", text: "At most " + json.magnitude_visible.toFixed(4)
        + " of the Sun's diameter is covered with the Sun up." }));
    }
    nodes.push(discs(c, json));
    return nodes;
  }

  /* The Sun and the Moon as seen from the place at the slider's instant
   * (sky.js), the zenith up: the Moon's centre lies at position angle
   * P = atan2(u, v) from the Sun's (north through east), the zenith at the
   * parallactic angle q; on the sky (east to the left of north) the Moon is
   * V = P - q anticlockwise from up (circumstances.js, positionAngles).
   * Below the Sun the ground, when the horizon is in the picture; under the
   * drawing the instant, the Sun's altitude and the time to the next
   * contact.  On a span's page (no slider): at maximum. */
  function discs(c, json) {
    var size = 170, ratio = window.devicePixelRatio || 1;
    var canvas = el("canvas", { width: size * ratio, height: size * ratio, style: "width:" + size + "px;height:" + size + "px",
      role: "img", "aria-label": "The Sun and the Moon" });
    var caption = el("p", { "class": "note sky-now" });
    sky = { canvas: canvas, caption: caption, c: c, json: json };
    drawSky();
    return el("div", { "class": "discs" }, [canvas, caption]);
  }

  var CONTACT_SHORT = { c1: "C1", c2: "C2", max: "Maximum", c3: "C3", c4: "C4" };
  function drawSky() {
    if (!sky || !current) return;
    var c = sky.c, el0 = c.elements, t = hours === null ? c.hours[2] : hours;
    var now = S.at(el0, current.lat, current.lon, current.elevation, t);
    sky.now = now;
    var size = 170, g = sky.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    var total = now.moon_radius > now.sun_radius && now.distance < now.moon_radius - now.sun_radius;
    var dark = now.up ? Math.pow(Math.min(now.obscuration, 1), 4) : 1;
    var skyColour = mix([143, 195, 234], [12, 20, 45], total ? 1 : dark);
    g.fillStyle = "rgb(" + skyColour.join(",") + ")";
    g.fillRect(0, 0, size, size);
    var R = 48, cx = size / 2, cy = size / 2 + 4, v = now.v;
    var r = R * now.moon_radius / now.sun_radius, d = R * now.distance / now.sun_radius;
    if (total && now.up) {
      var corona = g.createRadialGradient(cx, cy, R * 0.9, cx, cy, R * 2);
      corona.addColorStop(0, "rgba(255,255,240,0.9)"); corona.addColorStop(1, "rgba(255,255,240,0)");
      g.fillStyle = corona; g.beginPath(); g.arc(cx, cy, R * 2, 0, 2 * Math.PI); g.fill();
    }
    g.fillStyle = "#ffd23f"; g.beginPath(); g.arc(cx, cy, R, 0, 2 * Math.PI); g.fill();
    g.fillStyle = "#26282c"; g.beginPath();
    g.arc(cx - d * Math.sin(v), cy - d * Math.cos(v), r, 0, 2 * Math.PI); g.fill();
    // the horizon, the Sun's radius R to its semidiameter
    var horizonY = cy + R * now.altitude / M.sunSemidiameter(el0);
    if (horizonY < size) {
      g.fillStyle = "rgba(62,72,52,0.92)";
      g.fillRect(0, Math.max(horizonY, 0), size, size - Math.max(horizonY, 0));
    }
    // the caption over the sky (or the ground, when the horizon is above it):
    // black or white, whichever stands out more; 4.58:1 at least
    var behind = horizonY < 14 ? [62, 72, 52] : skyColour;
    g.fillStyle = luminance(behind) > 0.1791 ? "#000" : "#fff";
    g.font = "11px system-ui, sans-serif"; g.textAlign = "center";
    g.fillText("\u2191 zenith", cx, 12);
    var next = S.nextContact(c, t), at = timeText(M.utc(el0, t));
    var text = at + " UT: Sun " + degrees(now.altitude / RAD) + " high, azimuth " + degrees(now.azimuth / RAD)
      + (now.up ? "" : " (below the horizon)") + "; magnitude " + now.magnitude.toFixed(3)
      + ", obscuration " + (100 * now.obscuration).toFixed(1) + "%. "
      + (next ? CONTACT_SHORT[next.name] + " in " + S.waitText(next.hours - t) + "."
        : "The eclipse is over here (C4 at " + timeText(sky.json.c4) + " UT).");
    sky.caption.textContent = text;
    sky.next = next;
    sky.canvas.setAttribute("aria-label", "The Sun and the Moon seen from here at " + at + " UT");
  }

  function mix(a, b, f) {
    return a.map(function (v, i) { return Math.round(v + (b[i] - v) * f); });
  }
  /* WCAG 2.1's relative luminance of an [r, g, b] colour (0-255). */
  function luminance(rgb) {
    var c = rgb.map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /* The panel for one place: the eclipse of the page, or (span) the paths
   * clicked and the eclipses of the span seen there. */
  function show(lat, lon, hits, elevation) {
    current = { lat: lat, lon: lon, hits: hits, elevation: elevation || 0 };
    panel.textContent = "";
    header(lat, lon, current.elevation).forEach(function (n) { if (n) panel.appendChild(n); });
    panel.appendChild(el("div", { "class": "sections" }));
    sections();
    panel.hidden = false;
    panel.querySelector(".close").onclick = close;
  }

  /* What is seen from the place at its elevation, below the header. */
  function sections() {
    var box = panel.querySelector(".sections"), lat = current.lat, lon = current.lon, h = current.elevation;
    box.textContent = "";
    sky = null;
    if (DATA.kind === "span") {
      current.json = local(lat, lon, h);
      spanSections(lat, lon, current.hits).forEach(function (n) { box.appendChild(n); });
    } else {
      var e = eclipses[0], c = M.circumstances(e.el, lat, lon, h), json = local(lat, lon, h);
      current.json = json;
      eclipseSection(e, c, json).forEach(function (n) { box.appendChild(n); });
    }
  }

  function close() {
    panel.hidden = true;
    current = null; sky = null;
    if (changed) changed();
  }

  /* The slider moved: the drawing of the sky follows. */
  function setTime(h) { hours = h; drawSky(); }

  function spanSections(lat, lon, hits) {
    var nodes = [];
    (hits || []).forEach(function (e) {
      nodes.push(el("h3", { "class": "path-details", "data-date": e.date, text: e.title }));
      var rows = [["Greatest eclipse", e.time_utc.replace("T", " ").replace("Z", " UT")],
        ["Magnitude", e.magnitude.toFixed(4)], ["Gamma", e.gamma.toFixed(4)],
        ["Duration at greatest", e.duration_text || "\u2013"],
        ["Path width", e.path_width_km ? Math.round(e.path_width_km) + " km" : "\u2013"], ["Saros", String(e.saros)]];
      nodes.push(el("table", {}, [el("tbody", {}, rows.map(function (r) {
        return el("tr", {}, [el("td", { text: r[0] }), el("td", { text: r[1] })]);
      }))]));
    });
    var seen = current.json.filter(function (j) { return j.kind_seen !== "none"; });
    nodes.push(el("h3", { text: "Eclipses of the span seen here" }));
    if (!seen.length) nodes.push(el("p", { "class": "note", text: "None." }));
    else {
      nodes.push(el("table", { "class": "seen-list" }, [el("thead", {}, [el("tr", {}, ["Date", "Seen", "Mag.", "Max UT"].map(function (h) {
        return el("th", { text: h });
      }))]), el("tbody", {}, seen.map(function (j) {
        var colour = DATA.colours.kinds[j.kind];
        return el("tr", { "data-date": j.date }, [
          el("td", {}, [el("span", { "class": "swatch", style: "background:" + colour, title: j.kind + " eclipse" }),
            document.createTextNode(j.date)]),
          el("td", { text: j.kind_seen }), el("td", { text: j.magnitude.toFixed(3) }), el("td", { text: timeText(j.max) })]);
      }))]));
    }
    nodes.push(el("p", { "class": "note", text: (eclipses.length - seen.length) + " of the span's " + eclipses.length
      + " eclipses are not seen from here." }));
    return nodes;
  }

  // --- title, legend, credit -----------------------------------------------------------

  function swatch(kind, colour, extra) {
    var svg = '<svg width="26" height="12" viewBox="0 0 26 12">';
    if (kind === "fill") svg += '<rect x="1" y="1" width="24" height="10" fill="' + colour + '" ' + (extra || "") + "/>";
    else if (kind === "hatch") {
      svg += '<rect x="1" y="1" width="24" height="10" fill="none" stroke="' + colour + '" stroke-width="0.8"/>';
      for (var x = -6; x < 26; x += 4) {
        svg += '<line x1="' + x + '" y1="11" x2="' + (x + 10) + '" y2="1" stroke="' + colour + '" stroke-width="0.8"/>';
      }
    } else if (kind === "line") svg += '<line x1="1" y1="6" x2="25" y2="6" stroke="' + colour + '" stroke-width="1.6" ' + (extra || "") + "/>";
    else if (kind === "ring") svg += '<circle cx="13" cy="6" r="4" fill="#fff" stroke="' + colour + '" stroke-width="1.3"/>';
    else svg += '<text x="13" y="11" text-anchor="middle" font-size="13" fill="' + colour + '">\u2605</text>';
    return svg + "</svg>";
  }

  /* The sources the credit names, and where they are.  Plain links: they
   * leave the page only when a person follows one, in a new tab that knows
   * nothing of this page (noopener noreferrer); the page never navigates. */
  var SOURCES = {
    "JPL": "https://ssd.jpl.nasa.gov/planets/eph_export.html",
    "Natural Earth": "https://www.naturalearthdata.com/",
    "GeoNames": "https://www.geonames.org/",
    "d3-geo": "https://github.com/d3/d3-geo"
  };
  function credit(node, text) {
    var names = Object.keys(SOURCES), rest = text;
    node.textContent = "";
    while (rest) {
      var at = -1, name = null;
      names.forEach(function (n) {
        var i = rest.indexOf(n);
        if (i >= 0 && (at < 0 || i < at)) { at = i; name = n; }
      });
      if (!name) { node.appendChild(document.createTextNode(rest)); break; }
      node.appendChild(document.createTextNode(rest.slice(0, at)));
      node.appendChild(el("a", { href: SOURCES[name], target: "_blank", rel: "noopener noreferrer", text: name }));
      rest = rest.slice(at + name.length);
    }
  }

  function legend() {
    var c = DATA.colours, items = [];
    if (DATA.kind === "span") {
      ["total", "annular", "hybrid"].forEach(function (k) {
        if (eclipses.some(function (e) { return e.kind === k && e.central; })) {
          items.push([swatch("fill", c.kinds[k], 'fill-opacity="0.6"'), k.charAt(0).toUpperCase() + k.slice(1) + " path"]);
        }
      });
      items.push([swatch("line", "#555", 'stroke-dasharray="5 3"'), "Central line; date at greatest eclipse"]);
    } else {
      var e = eclipses[0], colour = c.kinds[e.kind];
      var word = KIND_WORDS[e.kind] || "the central eclipse";
      items.push([swatch("fill", c.penumbra, 'stroke="#bbb"'), "Partial phase seen"]);
      items.push([swatch("line", c.magnitude), "Magnitude at maximum, 0.2 to 0.8"]);
      items.push([swatch("line", c.horizon, 'stroke-dasharray="1.5 3"'), "Maximum at sunrise or sunset"]);
      var parts = DATA.path.parts || [];
      if (parts.length) {  // a hybrid: the stretches seen annular and seen total apart
        ["annular", "total"].forEach(function (k) {
          if (parts.some(function (p) { return p.kind === k; })) {
            items.push([swatch("fill", c.kinds[k], 'fill-opacity="0.55"'), "Path seen " + k + " (" + KIND_WORDS[k] + ")"]);
          }
        });
        items.push([swatch("line", "#555", 'stroke-dasharray="5 3"'), "Central line, UT marks"]);
        items.push([swatch("ring", "#222"), "Where the path changes kind"]);
      } else if (DATA.path.umbra) {
        items.push([swatch("fill", colour, 'fill-opacity="0.55"'), "Path of " + word]);
        items.push([swatch("line", colour, 'stroke-dasharray="5 3"'), "Central line, UT marks"]);
      }
      if (DATA.path.durations && DATA.path.durations.lines.length) {
        items.push([swatch("line", c.duration, 'stroke-dasharray="3 2"'), "Central duration (zoomed in)"]);
      }
      if (DATA.path.sigma_band) {
        var text = DATA.path.sigma_band_text;
        items.push([swatch("hatch", colour), text.charAt(0).toUpperCase() + text.slice(1)]);
      }
      items.push([swatch("star", "#000"), "Greatest eclipse"]);
      items.push([swatch("fill", "#0a1a40", 'fill-opacity="0.17" stroke="#0a1a40" stroke-opacity="0.45"'), "Night at the time shown"]);
      // a partial eclipse's umbra never reaches the Earth
      if (e.kind !== "partial") items.push([swatch("fill", "#222"), "Umbra at the time shown"]);
      items.push([swatch("line", "#333"), "Penumbra's edge then"]);
    }
    var box = document.getElementById("legend"), list = document.getElementById("legend-items") || box;
    box.classList.add("box");
    items.forEach(function (item) {
      var row = el("div");
      row.innerHTML = item[0];
      row.appendChild(document.createTextNode(item[1]));
      list.appendChild(row);
    });
  }

  // --- search -------------------------------------------------------------------------

  /* The search box, an ARIA 1.2 combobox: the gazetteer's places
   * (search.js) or coordinates (coordinates.js) as the text is typed, in a
   * listbox whose highlighted option is the box's aria-activedescendant;
   * arrows move, Enter takes, Escape closes; why nothing matches is said in
   * #search-note (a status, not an option). */
  function search() {
    var input = document.getElementById("search"), list = document.getElementById("search-results");
    var note = document.getElementById("search-note"), S = window.EclipseSearch;
    var places = null, results = [], index = 0;  // (decoded when the box first has the focus)
    var problem = "";  // why the text, read as coordinates, names no point
    function open(shown) {
      list.hidden = !shown;
      input.setAttribute("aria-expanded", String(shown));
      if (shown && results[index]) input.setAttribute("aria-activedescendant", "search-option-" + index);
      else input.removeAttribute("aria-activedescendant");
    }
    function render() {
      var text = input.value.trim();
      list.textContent = "";
      results.forEach(function (r, i) {
        var li = el("li", { id: "search-option-" + i, role: "option", "aria-selected": String(i === index), text: r.text });
        li.onmousedown = function (ev) { ev.preventDefault(); pick(i); };
        list.appendChild(li);
      });
      note.textContent = !results.length && text ? problem || "No city of that name in this page" : "";
      open(results.length > 0 && !!text);
    }
    function close() { open(false); note.textContent = ""; }
    function ready() { return places || (places = S.keys(S.load(DATA.places))); }
    function pick(i) {
      var r = results[i];
      if (!r) return;
      input.value = r.text; close(); input.blur();
      choose(r.lat, r.lon, 6, r.name);
    }
    input.addEventListener("input", function () {
      results = []; index = 0; problem = "";
      if (C.looksLikeCoordinates(input.value)) {  // as eclipse/io/coordinates.py reads them
        try {
          var p = C.parse(input.value), lon = p.lon >= 180 ? p.lon - 360 : p.lon;
          results.push({ text: latlonText(p.lat, lon), lat: p.lat, lon: lon });
        } catch (error) {
          problem = error.message;
        }
      } else {
        results = S.suggest(ready(), input.value);
      }
      render();
    });
    input.addEventListener("keydown", function (ev) {
      var shown = !list.hidden;
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (shown) index = Math.max(0, Math.min(index + (ev.key === "ArrowDown" ? 1 : -1), results.length - 1));
        render(); ev.preventDefault();
      } else if (ev.key === "Enter") {
        if (shown) { pick(index); ev.preventDefault(); }
      } else if (ev.key === "Escape") {
        if (shown || note.textContent) { close(); ev.preventDefault(); }
      }
    });
    // (hidden a moment later, unless the box has the focus again by then: a
    // clear and new text); shown again when the box has the focus with text
    input.addEventListener("blur", function () {
      setTimeout(function () { if (document.activeElement !== input) close(); }, 150);
    });
    input.addEventListener("focus", function () { ready(); if (input.value.trim()) render(); });
    list.classList.add("box");
    note.classList.add("box");
  }

  /* Cities within 12 degrees of arc of a central line (as maps.draw_cities),
   * most populous first. */
  function nearPath(cities) {
    var central = DATA.kind === "span" ? null : DATA.path.lines.central_line, vertices = [];
    if (!central) return [];
    var scale = Math.pow(10, -central.decimals);
    central.parts.forEach(function (flat) {
      var x = 0, y = 0;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i]; y += flat[i + 1];
        if (i % 8 === 0) vertices.push([y * scale, x * scale]);  // every fourth vertex
      }
    });
    var reach = 12 * 111.2;
    return cities.filter(function (c) {
      return vertices.some(function (v) { return distanceKm(c[2], c[3], v[0], v[1]) < reach; });
    });
  }

  var P = window.EclipsePanel = {
    cities: [], nearPath: [], local: local, show: show, close: close, setTime: setTime,
    /* The place shown, {lat, lon, elevation, json} (json: what local()
     * gave there), or null with the panel closed. */
    shown: function () {
      return current && { lat: current.lat, lon: current.lon, elevation: current.elevation, json: current.json };
    },
    /* The drawing's sky (sky.js at) and the next contact {name, hours}, or null. */
    sky: function () { return sky && current ? { now: sky.now, next: sky.next || null } : null; },
    init: function (options) {
      DATA = options.data; eclipses = options.eclipses; choose = options.select; changed = options.changed;
      Z.configure(DATA.zones, DATA.kind === "span" ? null : DATA.path.penumbra);
      panel = document.getElementById("local-panel");
      panel.classList.add("box");
      P.cities = DATA.cities;
      P.nearPath = nearPath(DATA.cities);
      document.getElementById("title").textContent = DATA.title;
      document.getElementById("subtitle").innerHTML = DATA.subtitle.map(function (s) {
        return s.replace(/&/g, "&amp;").replace(/[<]/g, "&lt;");
      }).join("<br>");
      document.getElementById("title-block").classList.add("box");
      document.getElementById("timebar").classList.add("box");
      credit(document.getElementById("credit"), DATA.credit + "; places GeoNames (CC BY 4.0); d3-geo (ISC)");
      legend();
      search();
    }
  };
})();
