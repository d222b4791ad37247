// Review mode of the flashcards page: due cards one at a time, scheduled
// by FSRS (ts-fsrs, vendored as assets/vendor/ts-fsrs/index.umd.js, the
// global `FSRS`). The deck comes from assets/study/cards-index.js
// (`NotesCardsIndex`, built from flashcards/cards.yml); schedules live in
// NotesStore section "cards": {card id: ts-fsrs Card with ISO dates}.
// A deck card with no entry is new.
//
// The first part ("core") has no DOM and also runs under node, where
// tests/test_fsrs_crosscheck.py drives it against the Python `fsrs`
// package: same parameters, learning steps, no fuzz, same due dates.
(function (root) {
  "use strict";

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
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) return null;
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

  var core = {
    PARAMS: PARAMS,
    GRADES: GRADES,
    scheduler: scheduler,
    toStored: toStored,
    fromStored: fromStored,
    grade: grade,
    preview: preview,
  };
  if (typeof module === "object" && module.exports) {
    module.exports = core;
    return;
  }
  root.NotesReviewCore = core;

  // ---------------------------------------------------------------- UI

  var LEARN_AHEAD_MS = 20 * 60 * 1000; // like Anki: finish learning steps

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // "in 10 min", "in 5 h", or the local date 2026-12-02.
  function when(date, now) {
    var ms = date.getTime() - now.getTime();
    if (ms < 60 * 1000) return "now";
    if (ms < 60 * 60 * 1000) return "in " + Math.round(ms / 60000) + " min";
    if (ms < 24 * 60 * 60 * 1000) {
      return "in " + Math.round(ms / 3600000) + " h";
    }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" +
      pad(date.getDate());
  }

  function timeEl(date, now) {
    var t = el("time", { datetime: date.toISOString() }, when(date, now));
    return t;
  }

  function Review(host, F, index, store) {
    this.host = host;
    this.F = F;
    this.f = scheduler(F);
    this.deck = index.cards;
    this.store = store;
    this.byId = {};
    var self = this;
    this.deck.forEach(function (c) { self.byId[c.id] = c; });
    this.current = null;
    this.build();
    this.checkStored();
    this.refresh();
  }

  Review.prototype.schedules = function () {
    var saved = this.store.get("cards");
    var out = {};
    var self = this;
    Object.keys(saved).forEach(function (id) {
      if (self.byId[id] && fromStored(saved[id])) out[id] = saved[id];
    });
    return out;
  };

  // Entries that are not a Card are treated as new; say so once.
  Review.prototype.checkStored = function () {
    var saved = this.store.get("cards");
    var bad = Object.keys(saved).filter(function (id) {
      return !fromStored(saved[id]);
    });
    if (bad.length) {
      this.store.notice(bad.length + " saved card schedule(s) could not " +
        "be read; those cards count as new again.");
    }
  };

  Review.prototype.build = function () {
    var h = this.host;
    h.textContent = "";
    h.appendChild(el("h2", { id: "review-mode" }, "Review"));
    h.appendChild(el("p", {}, "Cards that are due come first, then new " +
      "ones. Say your answer, show the card's answer, then grade how well " +
      "you recalled it; FSRS picks the next date. New cards have never " +
      "been graded; learned ones are past their first learning steps. " +
      "Your schedule stays in this browser."));

    var counts = el("ul", { class: "notes-review-counts",
      "aria-label": "Deck counts" });
    this.counts = {};
    var self = this;
    [["due", "Due now"], ["new", "New"], ["learned", "Learned"]]
      .forEach(function (pair) {
        var li = el("li", { "data-count": pair[0] }, pair[1] + ": ");
        var n = el("strong", {}, "0");
        li.appendChild(n);
        counts.appendChild(li);
        self.counts[pair[0]] = n;
      });
    h.appendChild(counts);

    var card = el("div", { class: "notes-review-card" });
    this.cardBox = card;
    this.topic = el("p", { class: "notes-review-topic" });
    this.question = el("div", { class: "notes-review-q" });
    this.showBtn = el("button", { type: "button",
      class: "notes-review-primary" }, "Show answer");
    this.answer = el("div", { class: "notes-review-a", tabindex: "-1",
      "aria-label": "Answer", role: "region" });
    this.answer.hidden = true;
    this.grades = el("div", { class: "notes-review-grades", role: "group",
      "aria-label": "How well did you recall it?" });
    this.grades.hidden = true;
    this.gradeWhen = {};
    GRADES.forEach(function (g) {
      var wrap = el("span", { class: "notes-review-grade" });
      var b = el("button", { type: "button",
        "aria-describedby": "notes-review-when-" + g }, g);
      var w = el("span", { id: "notes-review-when-" + g,
        class: "notes-review-when" });
      b.addEventListener("click", function () { self.grade(g); });
      wrap.appendChild(b);
      wrap.appendChild(w);
      self.grades.appendChild(wrap);
      self.gradeWhen[g] = w;
    });
    this.showBtn.addEventListener("click", function () { self.show(); });
    this.empty = el("p", { class: "notes-review-empty", tabindex: "-1" });
    this.empty.hidden = true;
    [this.topic, this.question, this.showBtn, this.answer, this.grades,
      this.empty].forEach(function (x) { card.appendChild(x); });
    h.appendChild(card);

    this.status = el("p", { class: "notes-review-status", role: "status",
      "aria-live": "polite" });
    h.appendChild(this.status);

    var tools = el("div", { class: "notes-review-tools" });
    var exp = el("button", { type: "button" },
      "Export progress");
    exp.addEventListener("click", function () { self.exportFile(); });
    var impId = "notes-review-import";
    var impLabel = el("label", { for: impId },
      "Import progress");
    var imp = el("input", { type: "file", id: impId,
      accept: ".json,application/json", class: "notes-review-file" });
    imp.addEventListener("change", function () {
      if (imp.files && imp.files[0]) self.importFile(imp.files[0]);
      imp.value = "";
    });
    var forget = el("button", { type: "button" },
      "Forget my progress");
    this.forgetBtn = forget;
    forget.addEventListener("click", function () { self.askForget(); });
    [exp, impLabel, imp, forget].forEach(function (x) {
      tools.appendChild(x);
    });
    h.appendChild(tools);

    var confirmBox = el("div", { class: "notes-review-confirm",
      role: "group", "aria-labelledby": "notes-review-confirm-text" });
    confirmBox.hidden = true;
    confirmBox.appendChild(el("p", { id: "notes-review-confirm-text" },
      "Forget the review schedule of every card in this browser? Every " +
      "card becomes new again. Quiz answers and self-assessment scores " +
      "stay. Export your progress first if you may want it back."));
    var yes = el("button", { type: "button" }, "Yes, forget it");
    var no = el("button", { type: "button" },
      "Keep my progress");
    yes.addEventListener("click", function () { self.forget(); });
    no.addEventListener("click", function () { self.closeForget(); });
    confirmBox.addEventListener("keydown", function (e) {
      if (e.key === "Escape") self.closeForget();
    });
    confirmBox.appendChild(yes);
    confirmBox.appendChild(no);
    this.confirmBox = confirmBox;
    this.keepBtn = no;
    h.appendChild(confirmBox);
    h.hidden = false;
  };

  // Due entries first (earliest first), then new cards in deck order; if
  // none, a learning card due within LEARN_AHEAD_MS.
  Review.prototype.queue = function (now) {
    var sched = this.schedules();
    var due = [], fresh = [], soon = [], learned = 0;
    this.deck.forEach(function (c) {
      var s = sched[c.id];
      if (!s) { fresh.push(c); return; }
      var d = new Date(s.due).getTime();
      if (s.state === 2) learned++;
      if (d <= now.getTime()) due.push([d, c]);
      else if (s.state !== 2 && d - now.getTime() <= LEARN_AHEAD_MS) {
        soon.push([d, c]);
      }
    });
    var byDue = function (a, b) { return a[0] - b[0]; };
    due.sort(byDue);
    soon.sort(byDue);
    var order = due.map(function (x) { return x[1]; }).concat(fresh);
    if (!order.length) order = soon.map(function (x) { return x[1]; });
    return { order: order, due: due.length, fresh: fresh.length,
      learned: learned, sched: sched };
  };

  Review.prototype.refresh = function () {
    var now = new Date();
    var q = this.queue(now);
    this.counts.due.textContent = String(q.due);
    this.counts["new"].textContent = String(q.fresh);
    this.counts.learned.textContent = String(q.learned);
    this.markBrowse(q.sched, now);
    this.current = q.order[0] || null;
    this.answer.hidden = true;
    this.grades.hidden = true;
    if (!this.current) {
      this.topic.hidden = this.question.hidden = this.showBtn.hidden = true;
      this.empty.hidden = false;
      this.empty.textContent = "Nothing is due. " + this.nextText(q.sched);
      return;
    }
    var c = this.current;
    this.empty.hidden = true;
    this.topic.hidden = this.question.hidden = this.showBtn.hidden = false;
    this.topic.textContent = c.topic + (q.sched[c.id] ? "" : " · new card");
    this.question.innerHTML = c.q_html;
    this.answer.innerHTML = c.a_html;
    var more = el("p", { class: "notes-review-more" }, "More: ");
    more.appendChild(el("a", { href: c.url }, c.title || c.page));
    this.answer.appendChild(more);
  };

  Review.prototype.nextText = function (sched) {
    var next = null;
    Object.keys(sched).forEach(function (id) {
      var d = new Date(sched[id].due);
      if (!next || d < next) next = d;
    });
    if (!next) return "";
    return "The next card is due " + when(next, new Date()) + ".";
  };

  // Each browse box gets its card's next review date.
  Review.prototype.markBrowse = function (sched, now) {
    document.querySelectorAll(".notes-card-next[data-card]")
      .forEach(function (p) {
        var s = sched[p.getAttribute("data-card")];
        p.textContent = "";
        if (!s) return;
        p.appendChild(document.createTextNode("Next review: "));
        p.appendChild(timeEl(new Date(s.due), now));
      });
  };

  Review.prototype.show = function () {
    if (!this.current) return;
    var now = new Date();
    var dues = preview(this.F, this.f,
      this.schedules()[this.current.id] || null, now);
    var self = this;
    GRADES.forEach(function (g, i) {
      self.gradeWhen[g].textContent = "next " + when(dues[i], now);
    });
    this.showBtn.hidden = true;
    this.answer.hidden = false;
    this.grades.hidden = false;
    this.answer.focus();
  };

  Review.prototype.grade = function (g) {
    var c = this.current;
    if (!c) return;
    var now = new Date();
    var prev = this.schedules()[c.id] || null;
    var next = grade(this.F, this.f, prev, g, now);
    this.store.update("cards", function (cards) { cards[c.id] = next; });
    this.status.textContent = "";
    this.status.appendChild(document.createTextNode(
      "Graded " + g + ". That card comes back "));
    this.status.appendChild(timeEl(new Date(next.due), now));
    this.status.appendChild(document.createTextNode("."));
    this.refresh();
    (this.current ? this.showBtn : this.empty).focus();
  };

  Review.prototype.exportFile = function () {
    var text = this.store.exportAll();
    var blob = new Blob([text], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob),
      download: "gpt-series-notes-progress.json" });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
    this.status.textContent = "Exported your study progress to " +
      "gpt-series-notes-progress.json.";
  };

  Review.prototype.importFile = function (file) {
    var self = this;
    file.text().then(function (text) {
      var taken;
      try {
        taken = self.store.importAll(text);
      } catch (e) {
        self.status.textContent = "Nothing imported: " + file.name +
          " is not a study-progress file from these notes.";
        return;
      }
      self.checkStored();
      self.refresh();
      self.status.textContent = "Imported " + taken.join(", ") +
        " from " + file.name + ".";
    });
  };

  Review.prototype.askForget = function () {
    this.confirmBox.hidden = false;
    this.keepBtn.focus();
  };

  Review.prototype.closeForget = function () {
    this.confirmBox.hidden = true;
    this.forgetBtn.focus();
  };

  Review.prototype.forget = function () {
    this.store.clear("cards");
    this.confirmBox.hidden = true;
    this.refresh();
    this.status.textContent = "Forgot every card's schedule; all cards " +
      "are new again.";
    this.forgetBtn.focus();
  };

  function start() {
    var host = document.getElementById("notes-review");
    if (!host || host.getAttribute("data-ready")) return;
    if (!root.FSRS || !root.NotesCardsIndex || !root.NotesStore) return;
    host.setAttribute("data-ready", "1");
    root.NotesReview = new Review(host, root.FSRS, root.NotesCardsIndex,
      root.NotesStore);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})(this);
