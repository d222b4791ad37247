// The reader's study data: quiz answers, flashcard schedules, the
// self-assessment grid. It lives in this browser only, under one
// namespaced, versioned localStorage key, and never leaves the page.
//
//   NotesStore.get("quiz")            -> a copy of that section ({} if none)
//   NotesStore.update("quiz", fn)     -> fn(section) edits it in place; saved
//   NotesStore.replace("cards", obj)  -> sets a whole section; saved
//   NotesStore.clear("cards")         -> drops one section; saved
//   NotesStore.exportAll()            -> JSON text of every section
//   NotesStore.importAll(text)        -> merges sections from such a text
//   NotesStore.notice(text)           -> a polite status line on the page
//
// Robustness: unreadable JSON, a wrong shape or an unknown version never
// breaks a page. The store keeps every section that is still a plain
// object, shows a notice saying what it dropped, keeps the unreadable
// text under KEY + ":broken" so nothing is lost for good, and writes the
// kept state back, so the notice shows once, not on every page. A full
// quota or storage that is switched off is caught: the page keeps working
// for this visit and says that progress will not be saved.
(function () {
  "use strict";
  var KEY = "gpt-series-notes";
  var VERSION = 1;
  var SECTIONS = ["quiz", "cards", "assess", "interview"];
  var state = null;
  var notices = [];

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  function storage() {
    try {
      return window.localStorage;
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
      throw new Error("NotesStore: unknown section " + JSON.stringify(name));
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

  window.NotesStore = {
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
      if (!isObject(value)) throw new Error("NotesStore: not an object");
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
})();
