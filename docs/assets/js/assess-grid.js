// The review plan's self-assessment grid, made to remember.
//
// hooks/assess.py renders the grid as a plain table (it shows and prints
// without scripts) with an empty <span data-assess="SKILL DAY"> in each
// score cell. Here each becomes a labelled 1-5 choice, and the reader's
// day 0 a date field. Both save to NotesStore's "assess" section:
//   {start: "YYYY-MM-DD", scores: {SKILL: {d0: 1-5, d7: 1-5, d21: 1-5}}}
// A small chart (inline SVG, drawn here) shows the average per day, with
// the same figures as text. On paper every choice prints as its value
// (notes.js fills .notes-print-value on beforeprint).
(function () {
  "use strict";
  var DAYS = [["d0", "Day 0", 0], ["d7", "Day 7", 7], ["d21", "Day 21", 21]];
  var PLAN = [0, 3, 7, 14, 21];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
    "Sep", "Oct", "Nov", "Dec"];
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var SVG = "http://www.w3.org/2000/svg";

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  // "YYYY-MM-DD" -> a local Date at midnight, or null.
  function parseDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
    if (!m) return null;
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return d.getMonth() === +m[2] - 1 && d.getDate() === +m[3] ? d : null;
  }

  function addDays(date, n) {
    return new Date(date.getFullYear(), date.getMonth(), date.getDate() + n);
  }

  function formatDay(date) {
    return WEEKDAYS[date.getDay()] + " " + date.getDate() + " " +
      MONTHS[date.getMonth()] + " " + date.getFullYear();
  }

  function validScore(v) {
    return typeof v === "number" && v % 1 === 0 && v >= 1 && v <= 5;
  }

  // The "assess" section, cleaned: what cannot be read is skipped and
  // counted, never thrown.
  function readAssess(raw) {
    var out = { start: null, scores: {}, skipped: 0 };
    if (!isObject(raw)) return out;
    if ("start" in raw) {
      if (parseDay(raw.start)) out.start = raw.start;
      else out.skipped += 1;
    }
    if ("scores" in raw && !isObject(raw.scores)) out.skipped += 1;
    var scores = isObject(raw.scores) ? raw.scores : {};
    Object.keys(scores).forEach(function (id) {
      var row = scores[id];
      if (!isObject(row)) { out.skipped += 1; return; }
      DAYS.forEach(function (day) {
        if (!(day[0] in row)) return;
        if (validScore(row[day[0]])) {
          out.scores[id] = out.scores[id] || {};
          out.scores[id][day[0]] = row[day[0]];
        } else {
          out.skipped += 1;
        }
      });
    });
    return out;
  }

  // The reader's section from the store, with a notice if parts of it
  // could not be read. The readable rest is stored back, so the notice
  // shows once rather than on every page.
  function loadAssess(store) {
    var state = readAssess(store.get("assess"));
    if (state.skipped) {
      store.notice("Some saved study progress in the self-assessment (" +
        state.skipped + (state.skipped === 1 ? " entry" : " entries") +
        ") was unreadable and was skipped; the rest was kept.");
      var kept = { scores: state.scores };
      if (state.start) kept.start = state.start;
      store.replace("assess", kept);
    }
    return state;
  }

  // Average score per day over the skills on the page: [{day, n, avg}].
  function averages(scores, ids) {
    return DAYS.map(function (day) {
      var sum = 0, n = 0;
      ids.forEach(function (id) {
        var v = scores[id] && scores[id][day[0]];
        if (validScore(v)) { sum += v; n += 1; }
      });
      return { day: day, n: n, avg: n ? sum / n : null };
    });
  }

  function describe(avgs, total) {
    return "Average score per day: " + avgs.map(function (a) {
      return a.day[1].toLowerCase() + " " + (a.n ?
        a.avg.toFixed(1) + " of 5 (" + a.n + " of " + total + " skills)" :
        "not scored yet");
    }).join("; ") + ".";
  }

  function svgEl(name, attrs, text) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) el.textContent = text;
    return el;
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
        "text-anchor": "middle", "class": "notes-chart-label" }, a.day[1]));
    });
  }

  function planText(start) {
    var d0 = parseDay(start);
    if (!d0) return "Set your day 0 to see the dates of the review plan.";
    return "Review plan: " + PLAN.map(function (n) {
      return "day " + n + " " + formatDay(addDays(d0, n));
    }).join(", ") + ".";
  }

  function el(name, attrs, text) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function printValue() {
    return el("span", { "class": "notes-print-value", "aria-hidden": "true" });
  }

  function fillPrint() {
    if (typeof notesFillPrintValues === "function") notesFillPrintValues();
  }

  function enhance(wrap) {
    var store = window.NotesStore;
    if (!store || wrap.hasAttribute("data-notes-ready")) return;
    wrap.setAttribute("data-notes-ready", "");
    var state = loadAssess(store);
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
      var avgs = averages(state.scores, ids);
      drawChart(svg, avgs);
      caption.textContent = describe(avgs, ids.length);
      fillPrint();
    }

    date.addEventListener("change", function () {
      var value = parseDay(date.value) ? date.value : null;
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
      var day = DAYS.filter(function (d) { return d[0] === dayKey; })[0];
      var skillEl = wrap.querySelector('[data-skill="' + id + '"]');
      if (!day || !skillEl) return;
      var select = el("select", { "class": "notes-assess-select notes-printable",
        "aria-label": skillEl.textContent.trim() + ", " +
          day[1].toLowerCase() + " score" });
      select.appendChild(el("option", { value: "" }, "–"));
      for (var v = 1; v <= 5; v += 1) {
        select.appendChild(el("option", { value: String(v) }, String(v)));
      }
      var saved = state.scores[id] && state.scores[id][dayKey];
      if (validScore(saved)) select.value = String(saved);
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

  function start() {
    document.querySelectorAll(".notes-assess").forEach(enhance);
  }

  // Shared with the home page's summary (study-summary.js).
  window.NotesAssess = {
    DAYS: DAYS, PLAN: PLAN, parseDay: parseDay, addDays: addDays,
    formatDay: formatDay, readAssess: readAssess, loadAssess: loadAssess,
    averages: averages,
  };

  if (typeof document$ !== "undefined") {
    document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
