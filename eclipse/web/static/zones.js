/* The time zone of a place and its local time, as `eclipse local` gives
 * them (eclipse/io/places.py: observer_timezone, local_clock, local_iso).
 * The page of one eclipse carries (eclipse/web/zones.py) the land zones'
 * boundaries where the eclipse is seen, simplified, and each zone's clock
 * from Python's zoneinfo over the hours of the eclipse: offset and
 * abbreviation, 'LMT' where the zone has no rule yet.  A place's zone is the
 * land zone whose polygon holds it (even-odd rule in longitude and
 * latitude, as timezonefinder tests them), else, inside the region where
 * the eclipse is seen, the nautical zone of its longitude; elsewhere the
 * page does not know it (null).  No browser time zone database is read: the
 * clocks are zoneinfo's, so the page's local times are Python's.
 */
(function (root) {
  "use strict";
  var Z = null, zones = [], region = [];

  /* Rings of encoded (lon, lat) vertices (document.encode_lines) as flat
   * Float64Arrays of degrees, with their bounding box. */
  function decodePolygon(rings, decimals) {
    var scale = Math.pow(10, -decimals), box = [Infinity, Infinity, -Infinity, -Infinity];
    var out = rings.map(function (flat) {
      var ring = new Float64Array(flat.length), x = 0, y = 0;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i]; y += flat[i + 1];
        ring[i] = x * scale; ring[i + 1] = y * scale;
        if (ring[i] < box[0]) box[0] = ring[i];
        if (ring[i + 1] < box[1]) box[1] = ring[i + 1];
        if (ring[i] > box[2]) box[2] = ring[i];
        if (ring[i + 1] > box[3]) box[3] = ring[i + 1];
      }
      return ring;
    });
    return { rings: out, box: box };
  }

  /* Whether (x, y) is inside a polygon: an odd number of its rings' edges
   * cross the ray from it towards +x (its holes count as rings). */
  function contains(polygon, x, y) {
    var b = polygon.box, inside = false;
    if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) return false;
    polygon.rings.forEach(function (r) {
      for (var i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
        var yi = r[i + 1], yj = r[j + 1];
        if ((yi > y) !== (yj > y) && x < (r[j] - r[i]) * (y - yi) / (yj - yi) + r[i]) inside = !inside;
      }
    });
    return inside;
  }

  /* A longitude of -180..360 (as local() takes) within -180..180; 180 stays
   * 180, whose nautical zone is UTC+12 (-180's is UTC-12). */
  function wrap(lon) { return lon > 180 ? lon - 360 : lon; }

  /* The data of zones.zone_data, and the region where the eclipse is seen
   * (the path's encoded penumbra). */
  function configure(data, penumbra) {
    Z = data || null;
    zones = !Z ? [] : Z.polygons.map(function (p) {
      var polygon = decodePolygon(p.slice(1), Z.decimals);
      polygon.zone = Z.names[p[0]];
      return polygon;
    });
    region = !penumbra ? [] : penumbra.polygons.map(function (rings) { return decodePolygon(rings, penumbra.decimals); });
  }

  /* The land zone holding a place, or null. */
  function landZone(lat, lon) {
    var x = wrap(lon);
    for (var i = 0; i < zones.length; i++) if (contains(zones[i], x, lat)) return zones[i].zone;
    return null;
  }

  /* The nautical zone of a longitude (places.nautical_timezone): "Etc/GMT+5"
   * is UTC-5 (POSIX signs); 172.5 E to 180 is UTC+12. */
  function nautical(lon) {
    var east = Math.min(Math.floor((wrap(lon) + 7.5) / 15), 12);
    return east === 0 ? "Etc/GMT" : "Etc/GMT" + (east > 0 ? "-" : "+") + Math.abs(east);
  }

  /* A place's zone (places.observer_timezone): the land's, else inside the
   * region where the eclipse is seen the nautical one; null elsewhere (the
   * page carries no zones there) and on a span's page. */
  function timezoneAt(lat, lon) {
    if (!Z) return null;
    var land = landZone(lat, lon);
    if (land) return land;
    var x = wrap(lon);
    return region.some(function (p) { return contains(p, x, lat); }) ? nautical(lon) : null;
  }

  function roundHalfEven(x) {
    var r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  /* The local clock at a UT Julian date in a zone (places.local_clock):
   * { jd: local Julian date, offset: seconds, name: abbreviation }; local
   * mean time from the longitude (4 minutes a degree, 'LMT') before the
   * Gregorian reform, after the last date Python's datetime holds, or where
   * the zone has no rule yet; null for NaN, for an unknown zone and outside
   * the hours the page carries clocks for. */
  function clock(jd, zone, lon) {
    if (!Z || !zone || !isFinite(jd)) return null;
    var offset, name;
    if (jd >= Z.gregorian_jd && jd < Z.last_datetime_jd) {
      var changes = Z.clocks[zone];
      if (!changes || !changes.length || jd < Z.window[0] || jd > Z.window[1]) return null;
      var seconds = roundHalfEven((jd - Z.unix_epoch_jd) * 86400), now = changes[0];
      changes.forEach(function (c) { if (c[0] !== null && c[0] <= seconds) now = c; });
      offset = now[1]; name = now[2];
    } else name = "LMT";
    if (name === "LMT") offset = roundHalfEven(lon * 240);
    return { jd: jd + offset / 86400, offset: offset, name: name };
  }

  /* '+02:00', '-05:00', '+02:57:41' (places.local_iso). */
  function isoOffset(offset) {
    var s = Math.abs(Math.trunc(offset)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    function two(n) { return String(n).padStart(2, "0"); }
    return (offset < 0 ? "-" : "+") + two(h) + ":" + two(m) + (sec ? ":" + two(sec) : "");
  }

  /* ISO 8601 local time with its offset, to the second (places.local_iso),
   * or null. */
  function iso(jd, zone, lon) {
    var c = clock(jd, zone, lon);
    return c ? root.EclipseMath.formatDatetime(c.jd, 0) + isoOffset(c.offset) : null;
  }

  /* 'UTC\u22125', 'UTC+5:30', 'UTC+2:57:41', 'UTC+0', for people. */
  function offsetText(offset) {
    var s = Math.abs(Math.trunc(offset)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    var text = "UTC" + (offset < 0 ? "\u2212" : "+") + h;
    if (m || sec) text += ":" + String(m).padStart(2, "0");
    if (sec) text += ":" + String(sec).padStart(2, "0");
    return text;
  }

  root.EclipseZones = {
    configure: configure, timezoneAt: timezoneAt, landZone: landZone, nautical: nautical,
    clock: clock, iso: iso, offsetText: offsetText
  };
})(typeof window !== "undefined" ? window : globalThis);
