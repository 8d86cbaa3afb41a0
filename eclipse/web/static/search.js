/* The search box's places: the gazetteer's cities the page carries
 * (eclipse/web/document.py place_data: one string per column, the numbers
 * as differences written 5 bits a character) and the ranking of a name's
 * matches as `eclipse local --place` ranks them (eclipse/io/places.py):
 * names compared in name_key's form (no case, accents or punctuation;
 * "St." is "Saint"), the cities whose own name it is of LARGE_CITY people
 * or more first, then those that bear it as another name ("Munich"), then
 * the smaller ones, then the names that begin with it, each largest first.
 * "Name, Region" or "Name, Country" keeps the cities of that first-level
 * division or country (its name, or its code: "Paris, TX", "Exmouth, GB");
 * so does "Paris Texas" when no name is "Paris Texas".
 * tests/test_webmap_search.py runs it under Node against the Python.
 */
(function (root) {
  "use strict";

  var BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var DIGIT = {};
  for (var d = 0; d < BASE64.length; d++) DIGIT[BASE64[d]] = d;
  // as places.py: letters Unicode does not decompose, abbreviations, punctuation
  var LETTERS = { "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n" };
  var ABBREVIATIONS = { st: "saint", ste: "sainte", ft: "fort", mt: "mount" };
  var DROPPED = /[.'\u2019\u02bc`]/g, SPACED = /[-\u2010\u2013/(),]/g;
  var ONE_WORD = /^[a-z0-9]+$/, NONE = [], LIMIT = 8;

  /* places.name_key: 'St. Louis' and 'saint-louis' both give 'saint louis'. */
  function nameKey(text) {
    var t = text.toLowerCase();
    if (ONE_WORD.test(t)) return t;  // (most names: nothing to do)
    // (str.casefold: lower case, and the sharp s and final sigma folded)
    t = t.replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3");
    if (!/^[\x00-\x7f]*$/.test(t)) {
      t = t.replace(/[øæœłđðþıħŧŋ]/g, function (c) { return LETTERS[c]; })
        .normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    }
    var words = t.replace(DROPPED, "").replace(SPACED, " ").split(/\s+/).filter(Boolean);
    return words.map(function (w, i) {
      return i < words.length - 1 && ABBREVIATIONS.hasOwnProperty(w) ? ABBREVIATIONS[w] : w;
    }).join(" ");
  }

  /* document.encode_integers, undone: the integers, then their running sums. */
  function decodeIntegers(text) {
    var out = [], value = 0, shift = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text[i]];
      value += (digit & 31) * Math.pow(2, shift);
      if (digit & 32) { shift += 5; continue; }
      out.push(value % 2 ? -(value + 1) / 2 : value / 2);
      value = 0; shift = 0;
    }
    return out;
  }

  function sums(values) {
    var total = 0;
    return values.map(function (v) { total += v; return total; });
  }

  /* The columns of place_data as arrays: name, lat, lon, size, group (an
   * index into groups: country, division code, division name), the other
   * names and whether it is `small` (under LARGE_CITY people in a larger
   * urban area) by row; the names' keys are made at the first search. */
  function load(data) {
    var scale = Math.pow(10, -data.decimals), group = [], other = {}, small = {};
    data.groups.forEach(function (g, k) { for (var i = 0; i < g[3]; i++) group.push(k); });
    data.other.forEach(function (o) { other[o[0]] = o[1].split("|"); });
    sums(decodeIntegers(data.small)).forEach(function (i) { small[i] = true; });
    return {
      name: data.names ? data.names.split("|") : [],
      lat: sums(decodeIntegers(data.lat)).map(function (v) { return v * scale; }),
      lon: sums(decodeIntegers(data.lon)).map(function (v) { return v * scale; }),
      size: sums(decodeIntegers(data.size)),
      group: group, groups: data.groups, countries: data.countries, other: other,
      large: data.large, small: small, keys: null
    };
  }

  /* 'Exmouth, Western Australia, AU': the name, its division, its country's code. */
  function label(places, i) {
    var g = places.groups[places.group[i]];
    return [places.name[i]].concat(g[2] ? [g[2]] : [], [g[0]]).join(", ");
  }

  /* Whether a qualifier's key names a row's division or country: a name
   * (or its beginning) or a code. */
  function within(places, i, qualifier) {
    var g = places.groups[places.group[i]], country = places.countries[g[0]] || "";
    return qualifier === g[0].toLowerCase() || (g[1] && qualifier === g[1].toLowerCase())
      || nameKey(country).indexOf(qualifier) === 0 || (g[2] && nameKey(g[2]).indexOf(qualifier) === 0);
  }

  /* How well a key matches: 0 the city's own name (2 for a city of fewer
   * than LARGE_CITY people: find_place reads the other names first), 1
   * another name, 3 the beginning of its own name, 4 of another name, 5 of
   * a later word of its own; -1 none. */
  function tier(places, i, q) {
    var key = places.keys[i], others = places.other[i] || NONE;
    if (key === q) return places.size[i] >= places.large && !places.small[i] ? 0 : 2;
    if (others.indexOf(q) >= 0) return 1;
    if (key.indexOf(q) === 0) return 3;
    if (others.some(function (k) { return k.indexOf(q) === 0; })) return 4;
    if (key.indexOf(" " + q) > 0) return 5;
    return -1;
  }

  /* The names' keys, made once (a few tenths of a second for 40,000). */
  function keys(places) {
    if (!places.keys) places.keys = places.name.map(nameKey);
    return places;
  }

  /* The best matches of a text ('Erie', 'Exmouth, England', 'Paris
   * Texas'), at most `limit`: { index, text (label), name, lat, lon }. */
  function suggest(places, text, limit) {
    var parts = text.split(","), q = nameKey(parts[0]);
    var qualifiers = parts.slice(1).map(nameKey).filter(Boolean);
    if (!q) return [];
    keys(places);
    var found = matches(places, q, qualifiers), words = q.split(" ");
    // as places._readings when nothing matches: the last words one or two
    // divisions or countries ('Paris Texas', 'Oviedo Asturias Spain')
    for (var j = words.length - 1; !found.length && j > 0; j--) {
      var name = words.slice(0, j).join(" "), tail = words.slice(j);
      for (var k = 0; !found.length && k < tail.length; k++) {
        var split = k ? [tail.slice(0, k).join(" "), tail.slice(k).join(" ")] : [tail.join(" ")];
        found = matches(places, name, split.concat(qualifiers));
      }
    }
    return found.slice(0, limit || LIMIT).map(function (f) {
      var i = f[1];
      return { index: i, text: label(places, i), name: places.name[i], lat: places.lat[i], lon: places.lon[i] };
    });
  }

  /* The rows a key matches within the qualifiers, as [tier, row], best first. */
  function matches(places, q, qualifiers) {
    var found = [];
    for (var i = 0; i < places.name.length; i++) {
      var t = tier(places, i, q);
      if (t < 0) continue;
      if (!qualifiers.every(function (qq) { return within(places, i, qq); })) continue;
      found.push([t, i]);
    }
    return found.sort(function (a, b) {
      var x = a[1], y = b[1];
      return a[0] - b[0] || places.size[y] - places.size[x]
        || (places.name[x] < places.name[y] ? -1 : places.name[x] > places.name[y] ? 1 : 0);
    });
  }

  root.EclipseSearch = { nameKey: nameKey, decodeIntegers: decodeIntegers, load: load, keys: keys, label: label,
    suggest: suggest };
})(typeof window !== "undefined" ? window : globalThis);
