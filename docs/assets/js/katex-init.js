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

// Search results repeat a section's indexed text, math included as its
// \( \) and \[ \] source; typeset it as on the page. Material marks the
// query terms with <mark>, which can split a formula across elements, so a
// mark inside a formula is unwrapped first; marks outside math stay.
function notesInsideMath(mark) {
  var before = "";
  for (var n = mark.parentNode.firstChild; n && n !== mark; n = n.nextSibling) {
    before += n.textContent;
  }
  var opens = (before.match(/\\\(|\\\[/g) || []).length;
  var closes = (before.match(/\\\)|\\\]/g) || []).length;
  return opens > closes;
}

function renderSearchMath(list) {
  list.querySelectorAll(".md-search-result__article").forEach(function (a) {
    if (a.hasAttribute("data-notes-math")) return;
    a.setAttribute("data-notes-math", "");
    if (!/\\\(|\\\[/.test(a.textContent)) return;
    a.querySelectorAll("mark").forEach(function (mark) {
      if (!notesInsideMath(mark)) return;
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    renderMathInElement(a, { delimiters: NOTES_TEX, throwOnError: false });
  });
}

(function () {
  var list = document.querySelector(".md-search-result__list");
  if (!list || typeof MutationObserver === "undefined") return;
  new MutationObserver(function () {
    renderSearchMath(list);
  }).observe(list, { childList: true, subtree: true });
})();
