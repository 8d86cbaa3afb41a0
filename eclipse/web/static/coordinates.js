/* Coordinates as people write them, for the page's search box: a
 * line-by-line port of eclipse/io/coordinates.py (its docstring gives the
 * grammar: '32.78N 96.80W', '32°46\'48"N 96°48\'W', '32.78, -96.80',
 * '32 46 48 N 96 48 W'), with the same one-line errors, word for word
 * (tests/test_coordinates.py runs both on one table of inputs under Node).
 * parse(text) gives { lat: ..., lon: ... } or throws an Error.
 */
(function (root) {
  "use strict";

  var SPACE = /[ \t\r\n\u00a0\u2009\u202f]+/y;
  var TOKEN = new RegExp(
    "(?<number>[-+\u2212]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
    + "|(?<sec>\"|\u2033|\u201d|''|\u2019\u2019|\u2032\u2032)"
    + "|(?<min>'|\u2032|\u2019)"
    + "|(?<deg>\u00b0|\u00ba|\u02da|[dD][eE][gG]|[dD])"
    + "|(?<letter>[NSEWnsew])"
    + "|(?<comma>,)", "y");
  var KINDS = ["number", "sec", "min", "deg", "letter", "comma"];
  var MARKS = ["deg", "min", "sec"];
  var MINUS = "-\u2212", SIGNS = "+" + MINUS;
  var EXAMPLES = "e.g. 32.78N 96.80W, 32\u00b046'48\"N 96\u00b048'W or 32.78, -96.80";

  function CoordinateError(message) {
    var error = new Error(message);
    error.name = "CoordinateError";
    return error;
  }

  /* The parts of a text, or null where something is not a part. */
  function tokens(text) {
    var out = [], at = 0;
    while (at < text.length) {
      SPACE.lastIndex = at;
      var space = SPACE.exec(text);
      if (space) { at = SPACE.lastIndex; continue; }
      TOKEN.lastIndex = at;
      var m = TOKEN.exec(text);
      if (!m) return null;
      var kind = KINDS.filter(function (k) { return m.groups[k] !== undefined; })[0];
      out.push({ kind: kind, text: m[0], start: at, end: TOKEN.lastIndex });
      at = TOKEN.lastIndex;
    }
    return out;
  }

  function looksLikeCoordinates(text) {
    var t = tokens(text);
    return !!t && t.length > 0 && t.some(function (x) { return x.kind === "number"; });
  }

  function span(t, text) { return text.slice(t[0].start, t[t.length - 1].end); }

  /* The angle a run of parts writes (its letter before it when prefix, else
   * after it), or null when it writes none. */
  function angle(t, text, prefix) {
    if (!t.length) return null;
    var written = span(t, text), letter = "";
    var at = prefix ? 0 : t.length - 1;
    if (t[at].kind === "letter") {
      letter = t[at].text.toUpperCase();
      t = prefix ? t.slice(1) : t.slice(0, -1);
    }
    var numbers = [];
    for (var i = 0; i < t.length; i++) {
      if (t[i].kind === "number") {
        if (numbers.length === 3 || (numbers.length && SIGNS.indexOf(t[i].text[0]) >= 0)) return null;
        numbers.push(t[i].text);
      } else if (MARKS.indexOf(t[i].kind) >= 0) {
        if (MARKS.indexOf(t[i].kind) !== numbers.length - 1 || t[i - 1].kind !== "number") return null;
      } else {
        return null;  // a letter within, or a comma
      }
    }
    if (!numbers.length || numbers.slice(0, -1).some(function (n) { return n.indexOf(".") >= 0; })) return null;
    return { numbers: numbers, letter: letter, text: written };
  }

  function stripSign(n) { return SIGNS.indexOf(n[0]) >= 0 ? n.slice(1) : n; }

  /* The angle in degrees, signed (north and east positive), checked. */
  function degrees(a, axis) {
    var quoted = "\"" + a.text + "\"";
    var sign = SIGNS.indexOf(a.numbers[0][0]) >= 0 ? a.numbers[0][0] : "";
    var minus = sign !== "" && MINUS.indexOf(sign) >= 0;
    if (sign && a.letter && minus !== (a.letter === "S" || a.letter === "W")) {
      throw CoordinateError(quoted + " has a " + (minus ? "minus" : "plus") + " sign and " + a.letter
        + ", which contradict each other: give one or the other");
    }
    var latitudeLetter = a.letter === "N" || a.letter === "S";
    if (a.letter && latitudeLetter !== (axis === "latitude")) {
      throw CoordinateError(quoted + " is not a " + axis + ": " + a.letter + " is for a "
        + (latitudeLetter ? "latitude" : "longitude"));
    }
    var values = a.numbers.map(function (n) { return parseFloat(stripSign(n)); });
    var names = ["minutes", "seconds"];
    for (var i = 1; i < values.length; i++) {
      if (values[i] >= 60) throw CoordinateError(quoted + ": " + names[i - 1] + " must be below 60");
    }
    var value = values[0];
    if (values.length > 1) value = value + values[1] / 60;
    if (values.length > 2) value = value + values[2] / 3600;
    if (minus || a.letter === "S" || a.letter === "W") value = -value;
    if (axis === "latitude" && !(value >= -90 && value <= 90)) {
      throw CoordinateError("latitude " + quoted + " is beyond 90 degrees");
    }
    if (axis === "longitude" && a.letter && !(value >= -180 && value <= 180)) {
      throw CoordinateError("longitude " + quoted + " is beyond 180 degrees");
    }
    if (axis === "longitude" && !(value >= -180 && value < 360)) {
      throw CoordinateError("longitude " + quoted + " is outside -180 to 360 degrees");
    }
    return value;
  }

  function parseAngle(text, axis) {
    var t = tokens(text);
    var a = t && t.length ? angle(t, text, t[0].kind === "letter") : null;
    if (!a) {
      throw CoordinateError("cannot read \"" + text + "\" as a " + axis + ": write e.g. "
        + (axis === "latitude" ? "32.78N, 32\u00b046'48\"N or -32.78" : "96.80W, 96\u00b048'W or -96.80"));
    }
    return degrees(a, axis);
  }

  /* What the first of two angles is by their letters: "latitude" (the
   * default), "longitude", or "" where the letters fit neither order. */
  function order(first, second) {
    if (["", "N", "S"].indexOf(first) >= 0 && ["", "E", "W"].indexOf(second) >= 0) return "latitude";
    if (["", "E", "W"].indexOf(first) >= 0 && ["", "N", "S"].indexOf(second) >= 0) return "longitude";
    return "";
  }

  function parse(text) {
    var t = tokens(text);
    if (!t || !t.some(function (x) { return x.kind === "number"; })) {
      throw CoordinateError("cannot read \"" + text + "\" as a latitude and a longitude: write " + EXAMPLES);
    }
    var written = span(t, text), prefix = t[0].kind === "letter", commas = [], splits = [], i;
    for (i = 0; i < t.length; i++) if (t[i].kind === "comma") commas.push(i);
    if (commas.length) splits = commas; else for (i = 1; i < t.length; i++) splits.push(i);
    var skip = commas.length ? 1 : 0, readings = [];
    (commas.length < 2 ? splits : []).forEach(function (at) {
      var first = angle(t.slice(0, at), text, prefix), second = angle(t.slice(at + skip), text, prefix);
      if (first && second) {
        var o = order(first.letter, second.letter);
        if (o) readings.push({ first: first, second: second, order: o });
      }
    });
    if (readings.length > 1) {
      throw CoordinateError("cannot tell where the latitude ends in \"" + written + "\": put a comma "
        + "between the latitude and the longitude, or N/S and E/W");
    }
    if (!readings.length) {
      throw CoordinateError("cannot read \"" + written + "\" as a latitude and a longitude: write " + EXAMPLES);
    }
    var r = readings[0];
    if (r.order === "latitude") return { lat: degrees(r.first, "latitude"), lon: degrees(r.second, "longitude") };
    return { lat: degrees(r.second, "latitude"), lon: degrees(r.first, "longitude") };
  }

  root.EclipseCoordinates = { parse: parse, parseAngle: parseAngle, looksLikeCoordinates: looksLikeCoordinates };
})(typeof window !== "undefined" ? window : globalThis);
