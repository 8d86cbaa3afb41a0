/* Where the page's boxes leave the map free: the title, the controls, the
 * legend, the time bar, the credit and the panel (a side panel on wide
 * screens, a bottom sheet on phones, map.css) lie over the canvas.  The map
 * (map.js) fits its starting view into the free area and moves a place
 * chosen out from under them; the legend folds; the boxes at the bottom
 * stand on each other by the heights set here.
 */
(function () {
  "use strict";
  // the boxes over the map, by id (the search suggestions come and go with typing)
  var OVERLAYS = ["title-block", "controls", "legend", "timebar", "span-filters", "credit", "local-panel"];
  // screens on which the legend starts folded: phones, and any short window
  var SMALL = "(max-width: 700px), (max-height: 700px)";

  /* The boxes shown over the map: {left, top, right, bottom} in CSS pixels
   * of the viewport (the canvas fills it). */
  function overlays() {
    heights();  // the boxes at the bottom where they stand now (the sheet just opened, say)
    return OVERLAYS.map(function (id) { return document.getElementById(id); }).filter(function (node) {
      return node && !node.hidden;
    }).map(function (node) { return node.getBoundingClientRect(); }).filter(function (r) {
      return r.width > 1 && r.height > 1;  // (a title out of sight takes 1 px)
    });
  }

  /* The largest part of the width x height viewport that the boxes leave
   * free, found greedily: each box, the largest first, cuts the free
   * rectangle at whichever of its four sides keeps the most area. */
  function free(width, height) {
    var area = { left: 0, top: 0, right: width, bottom: height };
    function size(a) { return Math.max(0, a.right - a.left) * Math.max(0, a.bottom - a.top); }
    overlays().sort(function (a, b) { return b.width * b.height - a.width * a.height; }).forEach(function (r) {
      if (r.right <= area.left || r.left >= area.right || r.bottom <= area.top || r.top >= area.bottom) return;
      var cuts = [Object.assign({}, area, { top: r.bottom }), Object.assign({}, area, { bottom: r.top }),
        Object.assign({}, area, { left: r.right }), Object.assign({}, area, { right: r.left })];
      area = cuts.reduce(function (best, c) { return size(c) > size(best) ? c : best; });
    });
    return area;
  }

  /* Whether the point (x, y) of the viewport is hidden or nearly so: under
   * a box or within ``margin`` pixels of one, or of the viewport's edge. */
  function covered(x, y, width, height, margin) {
    if (x < margin || y < margin || x > width - margin || y > height - margin) return true;
    return overlays().some(function (r) {
      return x > r.left - margin && x < r.right + margin && y > r.top - margin && y < r.bottom + margin;
    });
  }

  /* The legend's button folds it away and unfolds it; it starts folded on
   * small screens. */
  function legend() {
    var toggle = document.getElementById("legend-toggle"), items = document.getElementById("legend-items");
    if (!toggle || !items) return;
    function show(open) { toggle.setAttribute("aria-expanded", String(open)); items.hidden = !open; }
    toggle.addEventListener("click", function () { show(items.hidden); });
    show(!window.matchMedia(SMALL).matches);
  }

  /* The time bar (on a span's page, the filters in its place) stands on
   * the credit, and the legend (and on a phone the panel) on both
   * (map.css): their heights, kept as they change. */
  var BARS = ["timebar", "span-filters"];
  function heights() {
    var credit = document.getElementById("credit");
    document.documentElement.style.setProperty("--credit-h", (credit ? credit.offsetHeight : 0) + "px");
    var bar = Math.max.apply(null, BARS.map(function (id) {
      var node = document.getElementById(id);
      return node ? node.offsetHeight : 0;  // 0 when not displayed
    }));
    document.documentElement.style.setProperty("--timebar-h", bar + "px");
  }

  function init() {
    legend();
    heights();
    window.addEventListener("resize", heights);
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(heights);
      ["credit"].concat(BARS).forEach(function (id) { var n = document.getElementById(id); if (n) observer.observe(n); });
    }
  }

  window.EclipseLayout = { overlays: overlays, free: free, covered: covered, init: init };
})();
