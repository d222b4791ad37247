// The review plan's self-assessment grid, made to remember.
//
// hooks/assess.py renders the grid as a plain table (it shows and prints
// without scripts) with an empty <span data-assess="SKILL DAY"> in each
// score cell, and the plan's days as data (Notes.plan.data()). Here each
// cell becomes a labelled 1-5 choice, and the reader's day 0 a date field.
// Both save to the store's "assess" section:
//   {start: "YYYY-MM-DD", scores: {SKILL: {d0: 1-5, d7: 1-5, d21: 1-5}}}
// A small chart (inline SVG, drawn here) shows the average per day, with
// the same figures as text. On paper every choice prints as its value
// (notes.js fills .notes-print-value on beforeprint).
(function (Notes) {
  "use strict";
  var P = Notes.plan, el = Notes.el, isObject = Notes.isObject;
  var SVG = "http://www.w3.org/2000/svg";

  function describe(avgs, total) {
    return "Average score per day: " + avgs.map(function (a) {
      return a.day.label.toLowerCase() + " " + (a.n ?
        a.avg.toFixed(1) + " of 5 (" + a.n + " of " + total + " skills)" :
        "not scored yet");
    }).join("; ") + ".";
  }

  function svgEl(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Three bars on a 0-5 scale; the caption holds the same figures.
  function drawChart(svg, avgs) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = 300, H = 150, top = 20, bottom = 28, left = 26, slot = 90;
    var plot = H - top - bottom;
    for (var s = 0; s <= 5; s += 1) {
      var y = top + plot - plot * s / 5;
      svg.appendChild(svgEl("line", { x1: left, x2: W - 4, y1: y, y2: y,
        "class": "notes-chart-grid" }));
      svg.appendChild(svgEl("text", { x: left - 6, y: y + 4,
        "text-anchor": "end", "class": "notes-chart-label" }, String(s)));
    }
    avgs.forEach(function (a, i) {
      var x = left + 10 + i * slot, w = slot - 30;
      var h = a.n ? plot * a.avg / 5 : 0;
      if (a.n) {
        svg.appendChild(svgEl("rect", { x: x, y: top + plot - h, width: w,
          height: h, "class": "notes-chart-bar" }));
        svg.appendChild(svgEl("text", { x: x + w / 2,
          y: top + plot - h - 5, "text-anchor": "middle",
          "class": "notes-chart-value" }, a.avg.toFixed(1)));
      }
      svg.appendChild(svgEl("text", { x: x + w / 2, y: H - 8,
        "text-anchor": "middle", "class": "notes-chart-label" }, a.day.label));
    });
  }

  function planText(start) {
    var d0 = P.parseDay(start);
    if (!d0) return "Set your day 0 to see the dates of the review plan.";
    return "Review plan: " + P.data().plan.map(function (n) {
      return "day " + n + " " + P.formatDay(P.addDays(d0, n));
    }).join(", ") + ".";
  }

  function printValue() {
    return el("span", { "class": "notes-print-value", "aria-hidden": "true" });
  }

  var fillPrint = Notes.fillPrintValues;

  function enhance(wrap) {
    var store = Notes.store;
    if (wrap.hasAttribute("data-notes-ready")) return;
    wrap.setAttribute("data-notes-ready", "");
    var state = P.load(store);
    var ids = [];
    wrap.querySelectorAll("[data-skill]").forEach(function (s) {
      ids.push(s.getAttribute("data-skill"));
    });

    // The reader's day 0, above the table.
    var tools = el("div", { "class": "notes-assess-tools" });
    var startP = el("p", { "class": "notes-assess-start" });
    var label = el("label", { "for": "notes-assess-start" },
      "Your day 0 (the day you started): ");
    var date = el("input", { type: "date", id: "notes-assess-start",
      "class": "notes-printable" });
    if (state.start) date.value = state.start;
    startP.appendChild(label);
    startP.appendChild(date);
    startP.appendChild(printValue());
    var plan = el("p", { "class": "notes-assess-plan" }, planText(state.start));
    tools.appendChild(startP);
    tools.appendChild(plan);
    wrap.parentNode.insertBefore(tools, wrap);

    // The chart, below the table, named by its visible caption.
    var figure = el("figure", { "class": "notes-assess-chart" });
    var svg = svgEl("svg", { viewBox: "0 0 300 150", role: "img",
      "aria-labelledby": "notes-assess-chart-caption", focusable: "false" });
    var caption = el("figcaption", { id: "notes-assess-chart-caption" });
    figure.appendChild(svg);
    figure.appendChild(caption);
    wrap.parentNode.insertBefore(figure, wrap.nextSibling);

    function redraw() {
      var avgs = P.averages(state.scores, ids);
      drawChart(svg, avgs);
      caption.textContent = describe(avgs, ids.length);
      fillPrint();
    }

    date.addEventListener("change", function () {
      var value = P.parseDay(date.value) ? date.value : null;
      state.start = value;
      store.update("assess", function (section) {
        if (value) section.start = value;
        else delete section.start;
      });
      plan.textContent = planText(value);
      fillPrint();
    });

    wrap.querySelectorAll("[data-assess]").forEach(function (cell) {
      var parts = cell.getAttribute("data-assess").split(" ");
      var id = parts[0], dayKey = parts[1];
      var day = P.data().days.filter(function (d) {
        return d.key === dayKey;
      })[0];
      var skillEl = wrap.querySelector('[data-skill="' + id + '"]');
      if (!day || !skillEl) return;
      var select = el("select", { "class": "notes-assess-select notes-printable",
        "aria-label": skillEl.textContent.trim() + ", " +
          day.label.toLowerCase() + " score" });
      select.appendChild(el("option", { value: "" }, "–"));
      for (var v = 1; v <= 5; v += 1) {
        select.appendChild(el("option", { value: String(v) }, String(v)));
      }
      var saved = state.scores[id] && state.scores[id][dayKey];
      if (P.validScore(saved)) select.value = String(saved);
      select.addEventListener("change", function () {
        var score = select.value ? parseInt(select.value, 10) : null;
        state.scores[id] = state.scores[id] || {};
        if (score) state.scores[id][dayKey] = score;
        else delete state.scores[id][dayKey];
        store.update("assess", function (section) {
          if (!isObject(section.scores)) section.scores = {};
          var row = section.scores[id];
          if (!isObject(row)) row = section.scores[id] = {};
          if (score) row[dayKey] = score;
          else delete row[dayKey];
        });
        redraw();
      });
      cell.appendChild(select);
      cell.appendChild(printValue());
    });
    redraw();
  }

  Notes.onPage(function () {
    document.querySelectorAll(".notes-assess").forEach(enhance);
  });
})(window.Notes);
