/* A link to a view: the URL's fragment holds the place chosen, the view and
 * the slider's time, e.g.
 *
 *   #place=32.7767,-96.7970&elev=139&name=Dallas&view=globe&center=32.7767,-96.7970&zoom=6&time=2024-04-08T18:40:00Z
 *
 * place and center are latitude,longitude in degrees to 1e-4 (11 m; a
 * pixel at the largest zoom is 4e-4 degree), elev metres (whole), name the
 * place's name as searched (URI-encoded), view globe or flat, zoom to four
 * significant digits, time UT to the second as `eclipse local` writes it.
 * ``parse`` reads what it can of a fragment and leaves out any part that is
 * not a value of its kind (the page keeps its default there); it never
 * throws.  The page writes the fragment with history.replaceState: no
 * navigation, no request.
 */
(function (root) {
  "use strict";
  var NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
  var ISO = /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

  function number(text) { return NUMBER.test(text) ? Number(text) : null; }

  /* "lat,lon" as two numbers within the Earth's ranges, or null. */
  function latlon(text) {
    var parts = String(text).split(",");
    if (parts.length !== 2) return null;
    var lat = number(parts[0]), lon = number(parts[1]);
    if (lat === null || lon === null || lat < -90 || lat > 90 || lon < -180 || lon >= 360) return null;
    return [lat, lon >= 180 ? lon - 360 : lon];
  }

  function trim(value, decimals) { return String(Number(value.toFixed(decimals))); }

  /* The fragment (with its '#') of a state: {place: {lat, lon, elevation,
   * name} or null, view: {mode, lat, lon, zoom}, time: ISO UT or null}. */
  function format(state) {
    var parts = [];
    if (state.place) {
      var p = state.place;
      parts.push("place=" + trim(p.lat, 4) + "," + trim(p.lon, 4));
      if (p.elevation) parts.push("elev=" + Math.round(p.elevation));
      if (p.name) parts.push("name=" + encodeURIComponent(p.name));
    }
    var v = state.view;
    parts.push("view=" + v.mode, "center=" + trim(v.lat, 4) + "," + trim(v.lon, 4),
      "zoom=" + String(Number(v.zoom.toPrecision(4))));
    if (state.time) parts.push("time=" + state.time);
    return "#" + parts.join("&");
  }

  /* What a fragment says: any of place {lat, lon, elevation, name}, mode,
   * centre {lat, lon}, zoom, time (the ISO text), each only when it is a
   * value of its kind within ``limits`` ({elevation: [low, high], zoom:
   * [low, high], modes: [...]}); {} for anything else. */
  function parse(hash, limits) {
    var out = {};
    try {
      var fields = {};
      String(hash || "").replace(/^#/, "").split("&").forEach(function (pair) {
        var at = pair.indexOf("=");
        if (at > 0) {
          try { fields[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1)); } catch (e) { /* not UTF-8 */ }
        }
      });
      var place = fields.place !== undefined ? latlon(fields.place) : null;
      if (place) {
        var elevation = fields.elev !== undefined ? number(fields.elev) : 0;
        if (elevation === null || elevation < limits.elevation[0] || elevation > limits.elevation[1]) elevation = 0;
        out.place = { lat: place[0], lon: place[1], elevation: elevation,
          name: fields.name ? fields.name.slice(0, 100) : null };
      }
      if (limits.modes.indexOf(fields.view) >= 0) out.mode = fields.view;
      var centre = fields.center !== undefined ? latlon(fields.center) : null;
      if (centre) out.centre = { lat: centre[0], lon: centre[1] };
      var zoom = fields.zoom !== undefined ? number(fields.zoom) : null;
      if (zoom !== null && zoom >= limits.zoom[0] && zoom <= limits.zoom[1]) out.zoom = zoom;
      if (fields.time !== undefined && ISO.test(fields.time)) out.time = fields.time;
    } catch (error) {
      return {};
    }
    return out;
  }

  root.EclipseLink = { format: format, parse: parse };
})(typeof window !== "undefined" ? window : globalThis);
