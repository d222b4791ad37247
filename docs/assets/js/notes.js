// Small page fixes the theme leaves to us, on every page.
// Print: whatever the screen shows, paper gets every tab (with its label),
// every collapsible block open, the light colour scheme, and form fields
// (the self-assessment grid) as the values the reader chose.
// Access: the search dialog gets a name, and regions that scroll sideways
// (wide tables, notebook cells) can be reached with the keyboard.
(function (Notes) {
  "use strict";

  function labelTabBlocks() {
    // pymdownx.tabbed (alternate style): labels and blocks are siblings in
    // the same order, so give each block its label for the print CSS.
    document.querySelectorAll(".tabbed-set").forEach(function (set) {
      var labels = set.querySelector(":scope > .tabbed-labels");
      var blocks = set.querySelector(":scope > .tabbed-content");
      if (!labels || !blocks) return;
      Array.prototype.forEach.call(blocks.children, function (block, i) {
        var label = labels.children[i];
        if (label) {
          block.setAttribute("data-notes-tab", label.textContent.trim());
        }
      });
    });
  }

  var opened = [];
  // The reader's scheme while a print is under way, to restore after it.
  var screenScheme = null;

  function paperScheme() {
    var body = document.body;
    var scheme = body.getAttribute("data-md-color-scheme");
    if (scheme === "default") return;
    screenScheme = scheme;
    body.setAttribute("data-md-color-scheme", "default");
  }

  window.addEventListener("beforeprint", function () {
    Notes.fillPrintValues();
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      opened.push(d);
    });
    paperScheme();
  });

  // Print media can also arrive without beforeprint (a headless print, or
  // the theme re-applying its scheme as media queries are re-evaluated):
  // paper gets the light scheme then too.
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (e) {
      if (e.matches) paperScheme();
    });
  }

  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.removeAttribute("open"); });
    opened = [];
    // Restore once: a later print starts from the scheme shown then.
    if (screenScheme) {
      document.body.setAttribute("data-md-color-scheme", screenScheme);
    }
    screenScheme = null;
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

  Notes.onPage(function () {
    labelTabBlocks();
    fixAccess();
  });
})(window.Notes);
