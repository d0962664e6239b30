// "Interpolating Attention": keep figures legible on narrow screens.
// A figure is drawn at 80 dpi with 10 pt labels. Shrunk below 65 % of its natural width
// (a phone showing a wide figure), its labels fall under ~7 px; instead it keeps that
// width and its output box scrolls sideways (see book.css).
(function () {
  "use strict";
  const MIN_SCALE = 0.65;
  function keepLegible(img) {
    if (!img.naturalWidth) return;
    img.style.minWidth = Math.ceil(MIN_SCALE * img.naturalWidth) + "px";
    img.classList.add("book-keep-legible");
  }
  function run() {
    for (const img of document.querySelectorAll("article .cell_output img")) {
      if (img.complete) keepLegible(img);
      else img.addEventListener("load", () => keepLegible(img), { once: true });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
