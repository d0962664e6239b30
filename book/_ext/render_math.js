// Typeset the book's formulas once, at build time, with the MathJax that the site
// ships (sphinx-mathjax-offline), so that readers' browsers download no MathJax.
// stdin: JSON [[page, [[tex, display], ...]], ...]; stdout: JSON [[page, {out, defs}],
// ...] plus the style sheet. Glyph shapes are shared within a page (one <defs> each).
"use strict";
const mathjaxDir = process.argv[2];
const pages = JSON.parse(require("fs").readFileSync(0, "utf8"));
const log = console.log;
console.log = (...args) => console.error(...args); // keep stdout for the JSON result

require(mathjaxDir + "/node-main.js")
  .init({
    loader: { load: ["input/tex-full", "output/svg", "a11y/assistive-mml"] },
    svg: { fontCache: "global" },
    startup: { typeset: false },
  })
  .then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const doc = MathJax.startup.document;
    const jax = doc.outputJax;
    const result = pages.map(([page, formulas]) => {
      jax.fontCache.clearCache();
      const out = formulas.map(([tex, display]) => {
        const node = MathJax.tex2svg(tex, { display });
        // MathJax keeps these attributes for its own menus; the site needs none of them
        const html = adaptor
          .outerHTML(node)
          .replace(/ data-mml-node="(?!mtable|merror)[^"]*"/g, "")
          .replace(/ data-c="[^"]*"/g, "");
        if (html.includes('data-mjx-error') || html.includes("merror")) {
          throw new Error(`${page}: MathJax cannot typeset ${JSON.stringify(tex)}`);
        }
        return html;
      });
      return [page, { out, defs: adaptor.outerHTML(jax.fontCache.getCache()) }];
    });
    const css = adaptor.textContent(jax.styleSheet(doc));
    process.stdout.write(JSON.stringify({ pages: result, css }));
  })
  .catch((err) => {
    console.error(String(err && err.stack ? err.stack : err));
    process.exit(1);
  });
