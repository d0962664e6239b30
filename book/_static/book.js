// "Interpolating Attention": keep figures legible and wide boxes reachable on narrow
// screens.
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
  // A box that scrolls sideways (a wide formula, table or output) must be reachable
  // with the keyboard: it becomes focusable while it actually scrolls.
  const SCROLLERS =
    'article mjx-container[display="true"], article .cell_output, ' +
    "article .table-wrapper, article pre";
  function markScrollers() {
    for (const el of document.querySelectorAll(SCROLLERS)) {
      const scrolls = el.scrollWidth > el.clientWidth;
      if (scrolls && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      if (!scrolls && el.getAttribute("tabindex") === "0") el.removeAttribute("tabindex");
    }
  }
  function run() {
    for (const img of document.querySelectorAll("article .cell_output img")) {
      if (img.complete) keepLegible(img);
      else img.addEventListener("load", () => keepLegible(img), { once: true });
    }
    markScrollers();
    window.addEventListener("load", markScrollers);
    window.addEventListener("resize", markScrollers);
    // the article's width also changes after a resize has been handled (the sidebars
    // open, close and animate): re-check whenever a box or the article changes size
    if ("ResizeObserver" in window) {
      const observer = new ResizeObserver(markScrollers);
      const article = document.querySelector("article");
      if (article) observer.observe(article);
      for (const el of document.querySelectorAll(SCROLLERS)) observer.observe(el);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
