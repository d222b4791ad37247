// Review mode of the flashcards page: due cards one at a time, scheduled
// by FSRS (ts-fsrs, vendored as assets/vendor/ts-fsrs/index.umd.js, the
// global `FSRS`). The deck comes from assets/study/cards-index.js
// (`NotesCardsIndex`, built from flashcards/cards.yml); schedules live in
// the store's section "cards", read and graded by Notes.cards (notes-core.js,
// which also runs under node for the FSRS cross-check). A deck card with no
// schedule is new.
//
// Keys, as in Anki: Space shows the answer, 1-4 grade it (Again, Hard,
// Good, Easy); each key is shown on its button. They do nothing while the
// focus is in a text field or in the "forget" confirmation.
(function (Notes) {
  "use strict";
  var C = Notes.cards, el = Notes.el;
  var GRADES = C.GRADES, grade = C.grade;
  var preview = C.preview, scheduler = C.scheduler;
  var LEARN_AHEAD_MS = C.LEARN_AHEAD_MS;
  var KEYS = { "Show answer": "Space", Again: "1", Hard: "2", Good: "3",
    Easy: "4" };

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

  // The readable schedules of this deck's cards.
  Review.prototype.schedules = function () {
    var saved = this.store.get("cards");
    var out = {};
    var self = this;
    Object.keys(saved).forEach(function (id) {
      if (self.byId[id] && C.valid(saved[id])) out[id] = saved[id];
    });
    return out;
  };

  // Entries that are not a Card are dropped (they count as new), with one
  // notice; Notes.cards.load stores the rest back, so it shows once.
  Review.prototype.checkStored = function () {
    C.load(this.store);
  };

  Review.prototype.build = function () {
    var h = this.host;
    h.textContent = "";
    h.appendChild(el("h2", { id: "review-mode" }, "Review"));
    h.appendChild(el("p", {}, "Cards that are due come first, then new " +
      "ones. Say your answer, show the card's answer, then grade how well " +
      "you recalled it; FSRS picks the next date. Keys: Space shows the " +
      "answer, 1 to 4 grade it. New cards have never " +
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
    this.showBtn = keyButton("Show answer",
      { class: "notes-review-primary" });
    this.answer = el("div", { class: "notes-review-a", tabindex: "-1",
      "aria-label": "Answer", role: "region" });
    this.answer.hidden = true;
    this.grades = el("div", { class: "notes-review-grades", role: "group",
      "aria-label": "How well did you recall it?" });
    this.grades.hidden = true;
    this.gradeWhen = {};
    GRADES.forEach(function (g) {
      var wrap = el("span", { class: "notes-review-grade" });
      var b = keyButton(g, { "aria-describedby": "notes-review-when-" + g });
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
    document.addEventListener("keydown", function (e) { self.onKey(e); });
  };

  // A button named `name` that shows its key; the key stays out of the
  // button's accessible name (aria-keyshortcuts announces it).
  function keyButton(name, attrs) {
    var b = el("button", attrs);
    b.type = "button";
    b.setAttribute("aria-keyshortcuts", KEYS[name]);
    b.appendChild(document.createTextNode(name));
    b.appendChild(el("kbd", { class: "notes-review-key",
      "aria-hidden": "true" }, KEYS[name]));
    return b;
  }

  function typing(node) {
    return node.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName);
  }

  // Space shows the answer; 1-4 grade it. Not while typing, not in the
  // confirmation, not with a modifier (browser and theme shortcuts).
  Review.prototype.onKey = function (e) {
    if (e.defaultPrevented || e.repeat) return; // a held key grades once
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    var t = e.target;
    if (t && t.nodeType === 1 && (typing(t) ||
        this.confirmBox.contains(t))) return;
    if (!this.confirmBox.hidden || !this.current) return;
    if (e.key === " " && !this.showBtn.hidden) {
      // Space on a focused control keeps its own meaning.
      if (t && t !== this.showBtn && t.closest &&
          t.closest("button, a, summary")) return;
      e.preventDefault();
      this.show();
    } else if (/^[1-4]$/.test(e.key) && !this.grades.hidden) {
      e.preventDefault();
      this.grade(GRADES[Number(e.key) - 1]);
    }
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
      if (C.dueNow(s, now)) due.push([d, c]);
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
    if (!this.current || !this.answer.hidden) return;
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
    if (!window.FSRS || !window.NotesCardsIndex) return;
    host.setAttribute("data-ready", "1");
    new Review(host, window.FSRS, window.NotesCardsIndex, Notes.store);
  }

  Notes.onPage(start);
})(window.Notes);
