// Typeset math with the KaTeX served from this site (no CDN).
// Markdown pages: arithmatex wraps TeX in .arithmatex as \( \) or \[ \],
// so plain dollar signs in prose stay dollar signs.
// Notebook pages: Jupyter markdown cells use $ and $$.
var NOTES_TEX = [
  { left: "\\[", right: "\\]", display: true },
  { left: "\\(", right: "\\)", display: false },
];
var NOTES_NOTEBOOK_TEX = NOTES_TEX.concat([
  { left: "$$", right: "$$", display: true },
  { left: "$", right: "$", display: false },
]);

function renderNotesMath() {
  // Bad TeX shows as .katex-error, which the browser test looks for.
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    renderMathInElement(el, { delimiters: NOTES_TEX, throwOnError: false });
  });
  document.querySelectorAll(".jp-RenderedMarkdown").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: NOTES_NOTEBOOK_TEX,
      throwOnError: false,
    });
  });
}

// Material emits document$ on every page load, instant navigation included.
if (typeof document$ !== "undefined") {
  document$.subscribe(renderNotesMath);
} else {
  document.addEventListener("DOMContentLoaded", renderNotesMath);
}
