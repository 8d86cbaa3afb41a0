/* The keyboard's cursor on the map.  While the canvas has the focus, the
 * arrow keys move a crosshair over the map (with Shift, STEPS[1] pixels a
 * press instead of STEPS[0]); within MARGIN pixels of the canvas's edge the
 * map moves under it instead (and on the globe, past its rim, the globe
 * turns); Enter or Space shows the eclipse from the place under it, as a
 * click there does.  Where it is goes to a polite live region
 * (#cursor-status), as "32.78°N 96.80°W".  The cursor holds a place, not a
 * pixel: it stays on it when the view moves.  map.js makes one with
 * create(map) and draws it, after the rest, with draw(ctx).
 */
(function () {
  "use strict";
  var STEPS = [8, 48], MARGIN = 40;
  var KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  /* "32.78°N 96.80°W": what is announced, to 0.01 degree (about 1 km). */
  function placeText(lat, lon) {
    return Math.abs(lat).toFixed(2) + "\u00b0" + (lat >= 0 ? "N" : "S") + " "
      + Math.abs(lon).toFixed(2) + "\u00b0" + (lon >= 0 ? "E" : "W");
  }

  /* map: { canvas, size() [w, h] in CSS pixels, project(lon, lat) [x, y] or
   * null (out of view), invert(x, y) [lon, lat] or null (off the Earth),
   * pan(dx, dy) (slide the map by pixels), select(lat, lon, where),
   * selected() [lat, lon] or null, redraw() }. */
  function create(map) {
    var status = document.getElementById("cursor-status");
    var place = null, shown = false;  // place: [lon, lat]

    function pixel() { return place && map.project(place[0], place[1]); }
    /* Where the cursor starts: the place chosen when in view, else the centre. */
    function start() {
      var s = map.selected(), p = s && map.project(s[1], s[0]);
      if (p) return p;
      var size = map.size();
      return [size[0] / 2, size[1] / 2];
    }
    function announce() { if (place) status.textContent = placeText(place[1], place[0]); }
    function show() {
      var p = pixel() || start();
      place = map.invert(p[0], p[1]) || place;
      shown = true;
      announce();
      map.redraw();
    }
    function hide() {
      if (!shown) return;
      shown = false;
      map.redraw();
    }

    /* Move by (dx, dy) pixels, the map sliding when the cursor would come
     * within MARGIN of an edge, or the globe turning when it would leave it. */
    function move(dx, dy) {
      var p = pixel() || start(), size = map.size(), x = p[0] + dx, y = p[1] + dy;
      var px = x < MARGIN ? MARGIN - x : x > size[0] - MARGIN ? size[0] - MARGIN - x : 0;
      var py = y < MARGIN ? MARGIN - y : y > size[1] - MARGIN ? size[1] - MARGIN - y : 0;
      if (px || py) { map.pan(px, py); x += px; y += py; }
      var ll = map.invert(x, y);
      if (!ll) {  // beyond the globe's rim (or the flat map's pole): the Earth moves instead
        map.pan(-dx, -dy);
        ll = map.invert(p[0], p[1]);
      }
      if (ll) place = ll;
      shown = true;
      announce();
      map.redraw();
    }

    /* Handle a key pressed on the canvas; whether it was the cursor's. */
    function key(ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return false;
      var k = KEYS[ev.key];
      if (k) {
        var step = STEPS[ev.shiftKey ? 1 : 0];
        move(k[0] * step, k[1] * step);
        return true;
      }
      if (ev.key === "Enter" || ev.key === " ") {
        if (!shown || !place) { show(); return true; }
        var p = pixel();
        map.select(place[1], place[0], p ? { x: p[0], y: p[1] } : null);
        return true;
      }
      return false;
    }

    /* A crosshair with a white halo: dark on light ground and light on dark. */
    function draw(ctx) {
      var p = shown && pixel();
      if (!p) return;
      var x = Math.round(p[0]) + 0.5, y = Math.round(p[1]) + 0.5, r = 7, arm = 15;
      ctx.beginPath();
      ctx.moveTo(x - arm, y); ctx.lineTo(x - 3, y); ctx.moveTo(x + 3, y); ctx.lineTo(x + arm, y);
      ctx.moveTo(x, y - arm); ctx.lineTo(x, y - 3); ctx.moveTo(x, y + 3); ctx.lineTo(x, y + arm);
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.setLineDash([]);
      ctx.lineWidth = 4; ctx.strokeStyle = "#fff"; ctx.stroke();
      ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke();
    }

    map.canvas.addEventListener("focus", function () {
      if (map.canvas.matches(":focus-visible")) show();
    });
    map.canvas.addEventListener("blur", hide);
    map.canvas.addEventListener("pointerdown", hide);

    return {
      key: key, draw: draw,
      /* [x, y] of the cursor on the canvas while it is shown, else null. */
      pixel: function () { return shown ? pixel() : null; },
      /* [lat, lon] of the cursor while it is shown, else null. */
      place: function () { return shown && place ? [place[1], place[0]] : null; }
    };
  }

  window.EclipseCursor = { create: create };
})();
