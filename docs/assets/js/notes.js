// Small page fixes the theme leaves to us.
// Print: whatever the screen shows, paper gets every tab (with its label),
// every collapsible block open, the light colour scheme, and form fields
// (the self-assessment grid) as the values the reader chose.
// Access: the search dialog gets a name, and regions that scroll sideways
// (wide tables, notebook cells) can be reached with the keyboard.

function labelTabBlocks() {
  // pymdownx.tabbed (alternate style): labels and blocks are siblings in
  // the same order, so give each block its label for the print CSS.
  document.querySelectorAll(".tabbed-set").forEach(function (set) {
    var labels = set.querySelector(":scope > .tabbed-labels");
    var blocks = set.querySelector(":scope > .tabbed-content");
    if (!labels || !blocks) return;
    Array.prototype.forEach.call(blocks.children, function (block, i) {
      var label = labels.children[i];
      if (label) block.setAttribute("data-notes-tab", label.textContent.trim());
    });
  });
}

// Form fields print as their values: each .notes-printable control is
// followed by a .notes-print-value span, shown only on paper (notes.css).
function notesFillPrintValues() {
  document.querySelectorAll(".notes-printable").forEach(function (field) {
    var out = field.nextElementSibling;
    if (!out || !out.classList.contains("notes-print-value")) return;
    var text = field.value;
    if (field.tagName === "SELECT") {
      text = field.value ? field.options[field.selectedIndex].text : "";
    }
    out.textContent = text;
  });
}

var notesOpened = [];
var notesScheme = null;

function notesPaperScheme() {
  var body = document.body;
  var scheme = body.getAttribute("data-md-color-scheme");
  if (scheme === "default") return;
  notesScheme = scheme;
  body.setAttribute("data-md-color-scheme", "default");
}

window.addEventListener("beforeprint", function () {
  notesFillPrintValues();
  document.querySelectorAll("details:not([open])").forEach(function (d) {
    d.setAttribute("open", "");
    notesOpened.push(d);
  });
  notesPaperScheme();
});

// Print media can also arrive without beforeprint (a headless print, or
// the theme re-applying its scheme as media queries are re-evaluated):
// paper gets the light scheme then too.
if (window.matchMedia) {
  window.matchMedia("print").addEventListener("change", function (e) {
    if (e.matches) notesPaperScheme();
  });
}

window.addEventListener("afterprint", function () {
  notesOpened.forEach(function (d) { d.removeAttribute("open"); });
  notesOpened = [];
  if (notesScheme) document.body.setAttribute("data-md-color-scheme", notesScheme);
});

function fixAccess() {
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search");
  }
  var scrollers = ".md-typeset__scrollwrap, .highlight-ipynb, " +
    ".jp-OutputArea-output, .arithmatex, .highlight pre";
  document.querySelectorAll(scrollers).forEach(function (el) {
    var x = getComputedStyle(el).overflowX;
    var scrolls = (x === "auto" || x === "scroll") &&
      el.scrollWidth > el.clientWidth;
    if (scrolls && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
  });
}

function notesPageLoaded() {
  labelTabBlocks();
  fixAccess();
}

if (typeof document$ !== "undefined") {
  document$.subscribe(notesPageLoaded);
} else {
  document.addEventListener("DOMContentLoaded", notesPageLoaded);
}
