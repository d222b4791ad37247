// The browser core of these notes: loaded first on every page, before any
// feature script, as a classic script (module scripts do not load from
// file://). It defines one global, `Notes`; feature scripts take what they
// need from it and define no globals of their own.
//
// Pages and DOM
//   Notes.onPage(fn)                  -> fn() once the page is loaded
//                                        (Material's document$)
//   Notes.isObject(x)                 -> a plain object, not null or array
//   Notes.el(tag, attrs, text)        -> a new element; attrs set as
//                                        attributes ("class" included)
//   Notes.fillPrintValues()           -> each .notes-printable field's value
//                                        into the .notes-print-value after it
//
// The reader's study data, in this browser only
//   Notes.store.get("quiz")           -> a copy of that section ({} if none)
//   Notes.store.update("quiz", fn)    -> fn(section) edits it in place; saved
//   Notes.store.replace("cards", obj) -> sets a whole section; saved
//   Notes.store.clear("cards")        -> drops one section; saved
//   Notes.store.exportAll()           -> JSON text of every section
//   Notes.store.importAll(text)       -> merges sections from such a text
//   Notes.store.notice(text)          -> a polite status line on the page
//
// Card schedules (store section "cards": {card id: ts-fsrs Card, dates as
// ISO strings}); one set of rules for the review and the home page
//   Notes.cards.valid(entry)          -> entry is a schedule we can read
//   Notes.cards.dueNow(entry, now)    -> valid and due at `now`
//   Notes.cards.dueToday(entry, now)  -> valid and due by the end of the
//                                        local day of `now`
//   Notes.cards.load(store)           -> {card id: entry}, the valid entries;
//                                        unreadable ones are dropped from the
//                                        store with one notice (once)
//   Notes.cards.scheduler(FSRS), .grade(FSRS, f, entry, grade, now),
//   .preview(FSRS, f, entry, now), .toStored, .fromStored, .PARAMS,
//   .GRADES, .LEARN_AHEAD_MS          -> FSRS scheduling (ts-fsrs given as
//                                        FSRS); also runs under node
//
// The review plan (its days come from the page: hooks/assess.py writes
// them as JSON in <script type="application/json" id="notes-plan">)
//   Notes.plan.data()                 -> {days: [{key, label, day}], plan:
//                                        [0, 3, ...]}, or null off the plan's
//                                        pages
//   Notes.plan.parseDay("YYYY-MM-DD") -> a local Date at midnight, or null
//   Notes.plan.addDays(date, n), Notes.plan.formatDay(date)
//   Notes.plan.validScore(v)          -> v is a whole score from 1 to 5
//   Notes.plan.load(store)            -> {start, scores}, the store's
//                                        "assess" section cleaned (notice once)
//   Notes.plan.averages(scores, ids)  -> [{day, n, avg}] per day of the grid
//
// Robustness: unreadable JSON, a wrong shape or an unknown version never
// breaks a page. The store keeps every section that is still a plain
// object, shows a notice saying what it dropped, keeps the unreadable
// text under KEY + ":broken" so nothing is lost for good, and writes the
// kept state back, so the notice shows once, not on every page (the card
// and plan loaders do the same for entries they cannot read). A full quota
// or storage that is switched off is caught: the page keeps working for
// this visit and says that progress will not be saved.
//
// Under node (tests/fsrs_ts_runner.js) this file exports `Notes`; only the
// scheduling part is meant to run there.
(function (root) {
  "use strict";
  var Notes = {};

  // ------------------------------------------------------ pages and DOM

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Material emits document$ on every page load.
  function onPage(fn) {
    root.document$.subscribe(fn);
  }

  // Form fields print as their values: each .notes-printable control is
  // followed by a .notes-print-value span, shown only on paper (notes.css).
  function fillPrintValues() {
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

  Notes.isObject = isObject;
  Notes.el = el;
  Notes.onPage = onPage;
  Notes.fillPrintValues = fillPrintValues;

  // -------------------------------------------------------------- store

  var KEY = "gpt-series-notes";
  var VERSION = 1;
  var SECTIONS = ["quiz", "cards", "assess", "interview"];
  var state = null;
  var notices = [];

  function storage() {
    try {
      return root.localStorage;
    } catch (e) {
      return null;
    }
  }

  function empty() {
    var s = { version: VERSION };
    SECTIONS.forEach(function (name) { s[name] = {}; });
    return s;
  }

  // Keep what can be kept from a stored value of any shape or version.
  function salvage(raw) {
    var s = empty();
    var parsed;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      keepBroken(raw);
      notice("Saved study progress could not be read, so it starts afresh " +
        "(the old text is kept in this browser under " + KEY + ":broken).");
      return s;
    }
    if (!isObject(parsed)) {
      keepBroken(raw);
      notice("Saved study progress had an unexpected shape and was reset.");
      return s;
    }
    if (parsed.version !== VERSION) {
      notice("Saved study progress is from another version of these " +
        "notes; what could be read was kept.");
    }
    var dropped = [];
    SECTIONS.forEach(function (name) {
      if (!(name in parsed)) return;
      if (isObject(parsed[name])) s[name] = parsed[name];
      else dropped.push(name);
    });
    if (dropped.length) {
      notice("Some saved study progress (" + dropped.join(", ") +
        ") was unreadable and was reset; the rest was kept.");
    }
    return s;
  }

  function keepBroken(raw) {
    var st = storage();
    if (!st) return;
    try { st.setItem(KEY + ":broken", String(raw)); } catch (e) { /* full */ }
  }

  function load() {
    if (state) return state;
    var st = storage();
    var raw = null;
    if (st) {
      try { raw = st.getItem(KEY); } catch (e) { raw = null; }
    }
    if (raw === null) {
      state = empty();
    } else {
      var before = notices.length;
      state = salvage(raw);
      // Store what was kept, once, so the next page does not repeat the
      // notice (unreadable text is already saved under KEY + ":broken").
      if (notices.length > before) save();
    }
    return state;
  }

  var warnedSave = false;
  function save() {
    var st = storage();
    var ok = false;
    if (st) {
      try {
        st.setItem(KEY, JSON.stringify(state));
        ok = true;
      } catch (e) {
        ok = false;
      }
    }
    if (!ok && !warnedSave) {
      warnedSave = true;
      notice("This browser would not store more study data (storage full " +
        "or switched off): progress works for this visit but is not saved.");
    }
    return ok;
  }

  function copy(x) { return JSON.parse(JSON.stringify(x)); }

  function checkSection(name) {
    if (SECTIONS.indexOf(name) < 0) {
      throw new Error("Notes.store: unknown section " + JSON.stringify(name));
    }
  }

  // A status line at the top of the page content, read out politely.
  function notice(text) {
    notices.push(text);
    var host = document.querySelector(".md-content__inner") || document.body;
    if (!host) return;
    var box = document.getElementById("notes-store-notice");
    if (!box) {
      box = document.createElement("div");
      box.id = "notes-store-notice";
      box.className = "admonition warning notes-store-notice";
      box.setAttribute("role", "status");
      host.insertBefore(box, host.firstChild);
    }
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
  }

  Notes.store = {
    KEY: KEY,
    VERSION: VERSION,
    get: function (name) {
      checkSection(name);
      return copy(load()[name]);
    },
    update: function (name, fn) {
      checkSection(name);
      var section = load()[name];
      fn(section);
      return save();
    },
    replace: function (name, value) {
      checkSection(name);
      if (!isObject(value)) throw new Error("Notes.store: not an object");
      load()[name] = copy(value);
      return save();
    },
    clear: function (name) {
      checkSection(name);
      load()[name] = {};
      return save();
    },
    exportAll: function () {
      return JSON.stringify(load(), null, 2);
    },
    // Returns the list of sections taken from `text`; throws on bad JSON.
    importAll: function (text) {
      var parsed = JSON.parse(text);
      if (!isObject(parsed)) throw new Error("not a study-progress file");
      var taken = [];
      SECTIONS.forEach(function (name) {
        if (isObject(parsed[name])) {
          load()[name] = parsed[name];
          taken.push(name);
        }
      });
      if (!taken.length) throw new Error("no study progress in that file");
      save();
      return taken;
    },
    notice: notice,
    notices: function () { return notices.slice(); },
  };

  // ----------------------------------------------------- card schedules

  // FSRS-6 defaults, spelled out so the cross-check can pass the same
  // values to py-fsrs. No fuzz: a card's next date is reproducible.
  var PARAMS = {
    request_retention: 0.9,
    maximum_interval: 36500,
    enable_fuzz: false,
    enable_short_term: true,
    learning_steps: ["1m", "10m"],
    relearning_steps: ["10m"],
  };
  var GRADES = ["Again", "Hard", "Good", "Easy"]; // ts-fsrs Rating 1..4
  var NUMBERS = ["stability", "difficulty", "elapsed_days",
    "scheduled_days", "learning_steps", "reps", "lapses", "state"];
  // Like Anki: with nothing else to do, finish the learning steps early.
  var LEARN_AHEAD_MS = 20 * 60 * 1000;

  function scheduler(F) {
    return F.fsrs(F.generatorParameters(PARAMS));
  }

  // A ts-fsrs Card as stored: plain JSON, dates as ISO strings.
  function toStored(card) {
    var out = {};
    NUMBERS.forEach(function (k) { out[k] = card[k]; });
    out.due = new Date(card.due).toISOString();
    if (card.last_review) {
      out.last_review = new Date(card.last_review).toISOString();
    }
    return out;
  }

  // A stored entry back to a Card, or null when it is not one.
  function fromStored(obj) {
    if (!isObject(obj)) return null;
    var card = {};
    for (var i = 0; i < NUMBERS.length; i++) {
      var v = obj[NUMBERS[i]];
      if (typeof v !== "number" || !isFinite(v) || v < 0) return null;
      card[NUMBERS[i]] = v;
    }
    if ([0, 1, 2, 3].indexOf(card.state) < 0) return null;
    var due = new Date(obj.due);
    if (typeof obj.due !== "string" || isNaN(due.getTime())) return null;
    card.due = due;
    if (obj.last_review !== undefined) {
      var last = new Date(obj.last_review);
      if (typeof obj.last_review !== "string" || isNaN(last.getTime())) {
        return null;
      }
      card.last_review = last;
    }
    return card;
  }

  // Grade a stored entry (or null for a new card) at `now`; returns the
  // new stored entry.
  function grade(F, f, stored, gradeName, now) {
    var rating = GRADES.indexOf(gradeName) + 1;
    if (rating < 1) throw new Error("unknown grade " + gradeName);
    var card = (stored && fromStored(stored)) || F.createEmptyCard(now);
    return toStored(f.next(card, now, rating).card);
  }

  // The due date each grade would give, for the labels beside the buttons.
  function preview(F, f, stored, now) {
    var card = (stored && fromStored(stored)) || F.createEmptyCard(now);
    var log = f.repeat(card, now);
    return GRADES.map(function (_, i) { return log[i + 1].card.due; });
  }

  function valid(entry) {
    return fromStored(entry) !== null;
  }

  function dueNow(entry, now) {
    var card = fromStored(entry);
    return card !== null && card.due.getTime() <= now.getTime();
  }

  function endOfDay(now) {
    return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)
      .getTime() - 1;
  }

  function dueToday(entry, now) {
    var card = fromStored(entry);
    return card !== null && card.due.getTime() <= endOfDay(now);
  }

  // The schedules we can read. Entries we cannot are dropped from the
  // store (their cards count as new again) with one notice, so it shows
  // once rather than on every visit.
  function loadCards(store) {
    var saved = store.get("cards");
    var out = {};
    var bad = [];
    Object.keys(saved).forEach(function (id) {
      if (valid(saved[id])) out[id] = saved[id];
      else bad.push(id);
    });
    if (bad.length) {
      store.notice(bad.length + " saved card schedule(s) could not " +
        "be read; those cards count as new again.");
      store.update("cards", function (cards) {
        bad.forEach(function (id) { delete cards[id]; });
      });
    }
    return out;
  }

  Notes.cards = {
    PARAMS: PARAMS,
    GRADES: GRADES,
    LEARN_AHEAD_MS: LEARN_AHEAD_MS,
    scheduler: scheduler,
    toStored: toStored,
    fromStored: fromStored,
    grade: grade,
    preview: preview,
    valid: valid,
    dueNow: dueNow,
    dueToday: dueToday,
    load: loadCards,
  };

  // ---------------------------------------------------- the review plan

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
    "Sep", "Oct", "Nov", "Dec"];
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var planCache;

  // What hooks/assess.py wrote on this page, or null.
  function planData() {
    if (planCache !== undefined) return planCache;
    var node = document.getElementById("notes-plan");
    planCache = node ? JSON.parse(node.textContent) : null;
    return planCache;
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
  function readAssess(raw, days) {
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
      days.forEach(function (day) {
        if (!(day.key in row)) return;
        if (validScore(row[day.key])) {
          out.scores[id] = out.scores[id] || {};
          out.scores[id][day.key] = row[day.key];
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
    var state = readAssess(store.get("assess"), planData().days);
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

  // Average score per day over the given skills: [{day, n, avg}].
  function averages(scores, ids) {
    return planData().days.map(function (day) {
      var sum = 0, n = 0;
      ids.forEach(function (id) {
        var v = scores[id] && scores[id][day.key];
        if (validScore(v)) { sum += v; n += 1; }
      });
      return { day: day, n: n, avg: n ? sum / n : null };
    });
  }

  Notes.plan = {
    data: planData,
    parseDay: parseDay,
    addDays: addDays,
    formatDay: formatDay,
    validScore: validScore,
    load: loadAssess,
    averages: averages,
  };

  if (typeof module === "object" && module.exports) {
    module.exports = Notes;
  } else {
    root.Notes = Notes;
  }
})(this);
