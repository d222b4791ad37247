// The mock interview (docs/interview.md), and what its results add to the
// review plan's grid and the home page's "Your study". A feature script of
// the browser core (notes-core.js): it takes the store, the DOM helpers,
// the card rules and the plan's days from `Notes` and defines no global;
// `Notes.interview` holds what tests may read. hooks/page_scripts.py loads
// it on the interview page, and after the grid's and the summary's own
// scripts on the pages that show those.
//
// hooks/interview.py renders #interview-app (a note for readers without
// scripts), the printable sheet, the plan's days (#notes-plan, for the
// grid's columns) and the questions as JSON in
// <script type="application/json" id="interview-data">:
//   {order: [top-level ids], walks: [{id, title, questions}],
//    questions: {id: {id, skill, prompt, seconds, rubric: [{html, cite,
//      url, where, cards}], flags: [...], follow_ups: [ids], parent}},
//    skills: [{id, title, quiz: [quiz ids], cards: [card ids]}]}
// The reader's data is the study store's "interview" section:
//   {results: [{at, title, coverage, flags, skills: {id: {title, got,
//     total, flags}}, answers: [{id, ms, limit}], cards: [ids]}],
//    current: {title, ids, pos, phase, elapsed: {id: ms},
//      marks: {id: {p: ["c"|"p"|"m"|""], f: [bool]}}}}
// Recordings stay in memory (blob: URLs) and are never stored or sent.
(function (Notes) {
  "use strict";
  var store = Notes.store, el = Notes.el, isObject = Notes.isObject;
  var C = Notes.cards, P = Notes.plan;

  // The interview page sits at the site's root and this script in
  // assets/js/, so the page is this script's src with that part replaced
  // (a relative link, from any page, and from file:// too).
  var SCRIPT = document.currentScript;
  var PAGE_URL = (SCRIPT && SCRIPT.getAttribute("src") || "")
    .replace(/assets\/js\/interview\.js(\?.*)?$/, "") + "interview.html";
  var KEEP_RESULTS = 20;
  var MAX_CARDS = 10;
  var MARKS = [["c", "Covered"], ["p", "Partly"], ["m", "Missed"]];
  var ANNOUNCE = [[30, "30 seconds left."], [10, "10 seconds left."],
    [0, "Time is up. The clock now counts your overtime; finish the " +
      "thought, then press Done."]];

  function html(tag, attrs, markup) {
    var e = el(tag, attrs);
    e.innerHTML = markup; // built by the hook from our own data
    return e;
  }

  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60), r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function pct(x) { return Math.round(x * 100) + "%"; }

  // Coverage (0..1) and red flags to a suggested 1-5 score.
  function suggest(coverage, flagged) {
    if (coverage < 0.4) return 2;
    if (coverage < 0.6) return 3;
    if (coverage < 0.8) return 4;
    return flagged ? 4 : 5;
  }

  // ------------------------------------------------------ stored results

  function validResult(r) {
    return isObject(r) && typeof r.at === "string" &&
      !isNaN(Date.parse(r.at)) && typeof r.coverage === "number" &&
      isObject(r.skills) && Object.keys(r.skills).every(function (k) {
        var s = r.skills[k];
        return isObject(s) && typeof s.got === "number" &&
          typeof s.total === "number" && s.total > 0;
      });
  }

  function validSession(c, data) {
    if (!isObject(c) || !Array.isArray(c.ids) || !c.ids.length) return false;
    if (data && !c.ids.every(function (id) { return data.questions[id]; })) {
      return false;
    }
    return typeof c.pos === "number" && c.pos % 1 === 0 && c.pos >= 0 &&
      c.pos < c.ids.length && (c.phase === "ask" || c.phase === "mark") &&
      isObject(c.elapsed) && isObject(c.marks);
  }

  // The section, cleaned; what cannot be read is dropped (with a notice,
  // once: the readable rest is stored back).
  function load(data) {
    var raw = store.get("interview");
    var out = { results: [], current: null };
    var skipped = 0;
    if ("results" in raw) {
      if (Array.isArray(raw.results)) {
        raw.results.forEach(function (r) {
          if (validResult(r)) out.results.push(r);
          else skipped += 1;
        });
      } else {
        skipped += 1;
      }
    }
    if ("current" in raw && raw.current !== null) {
      if (validSession(raw.current, data)) out.current = raw.current;
      else skipped += 1;
    }
    if (skipped) {
      store.notice("Some saved mock-interview data (" + skipped +
        (skipped === 1 ? " entry" : " entries") + ") was unreadable and " +
        "was skipped; the rest was kept.");
      store.replace("interview", out);
    }
    return out;
  }

  // The latest result that covered each skill: {skill: {score, at, ...}}.
  function latestPerSkill(results) {
    var out = {};
    results.forEach(function (r) {
      Object.keys(r.skills).forEach(function (id) {
        var s = r.skills[id];
        if (out[id] && out[id].at >= r.at) return;
        out[id] = { at: r.at, title: s.title, coverage: s.got / s.total,
          score: suggest(s.got / s.total, s.flags > 0) };
      });
    });
    return out;
  }

  // ------------------------------------------------ "my weakest skills"

  // The reader's latest score for a skill: the last of the plan's days
  // (Notes.plan) that has a valid one.
  function gridScore(assess, id) {
    var row = isObject(assess.scores) && assess.scores[id];
    var plan = P.data();
    if (!isObject(row) || !plan) return null;
    for (var i = plan.days.length - 1; i >= 0; i--) {
      var v = row[plan.days[i].key];
      if (P.validScore(v)) return v;
    }
    return null;
  }

  function quizScore(answers, ids) {
    var answered = 0, right = 0;
    ids.forEach(function (id) {
      if (!isObject(answers[id])) return;
      answered += 1;
      if (answers[id].ok === true) right += 1;
    });
    return answered ? suggest(right / answered, false) : null;
  }

  // Skills with questions, weakest first: [{id, title, level}], level the
  // lowest of grid, quiz and interview (0 when none is known).
  function weakest(data, results) {
    var assess = store.get("assess"), answers = store.get("quiz");
    var latest = latestPerSkill(results);
    var asked = {};
    data.order.forEach(function (id) { asked[data.questions[id].skill] = 1; });
    var list = data.skills.filter(function (s) { return asked[s.id]; })
      .map(function (s, i) {
        var known = [gridScore(assess, s.id), quizScore(answers, s.quiz),
          latest[s.id] ? latest[s.id].score : null]
          .filter(function (v) { return v !== null; });
        return { id: s.id, title: s.title, i: i,
          level: known.length ? Math.min.apply(null, known) : 0 };
      });
    list.sort(function (a, b) { return a.level - b.level || a.i - b.i; });
    return list;
  }

  // -------------------------------------------------------------- mode

  function Interview(host, data) {
    this.host = host;
    this.data = data;
    this.skills = {};
    var self = this;
    data.skills.forEach(function (s) { self.skills[s.id] = s; });
    this.recordings = {};
    this.timer = null;
    this.build();
    var saved = load(data);
    this.results = saved.results;
    this.session = saved.current;
    if (this.session) this.offerResume();
    else this.showPicker();
  }

  Interview.prototype.build = function () {
    var h = this.host, self = this;
    h.textContent = "";
    // Picker.
    var pick = this.pick = el("section", { class: "interview-pick",
      "aria-labelledby": "interview-pick-h" });
    pick.appendChild(el("h2", { id: "interview-pick-h" }, "Choose an interview"));
    var fs = el("fieldset");
    fs.appendChild(el("legend", {}, "Interview"));
    var options = [];
    this.data.walks.forEach(function (w, i) {
      options.push(["walk:" + w.id, w.title + " (" +
        self.describe(self.expand(w.questions)) + ")", i === 0]);
    });
    options.push(["skill", "One skill", false]);
    options.push(["weak", "My weakest skills", false]);
    options.push(["random", "Five at random", false]);
    options.forEach(function (o, i) {
      var id = "interview-kind-" + i;
      var p = el("p", { class: "interview-choice" });
      var input = el("input", { type: "radio", name: "interview-kind",
        id: id, value: o[0] });
      if (o[2]) input.checked = true;
      p.appendChild(input);
      p.appendChild(el("label", { for: id }, " " + o[1]));
      fs.appendChild(p);
    });
    var sp = el("p", { class: "interview-skill" });
    sp.appendChild(el("label", { for: "interview-skill" }, "Skill: "));
    var select = this.skillSelect = el("select", { id: "interview-skill" });
    this.data.skills.forEach(function (s) {
      var n = self.data.order.filter(function (id) {
        return self.data.questions[id].skill === s.id;
      }).length;
      if (n) select.appendChild(el("option", { value: s.id }, s.title));
    });
    select.addEventListener("change", function () {
      fs.querySelector('input[value="skill"]').checked = true;
    });
    sp.appendChild(select);
    fs.appendChild(sp);
    pick.appendChild(fs);
    this.weakNote = el("p", { class: "interview-weak-note" });
    pick.appendChild(this.weakNote);
    var start = el("button", { type: "button", class: "md-button md-button--primary" },
      "Start");
    start.addEventListener("click", function () { self.start(); });
    pick.appendChild(start);
    h.appendChild(pick);

    // Resume.
    var resume = this.resumeBox = el("section", { class: "interview-resume",
      "aria-labelledby": "interview-resume-h" });
    resume.appendChild(el("h2", { id: "interview-resume-h", tabindex: "-1" },
      "Unfinished interview"));
    this.resumeText = el("p");
    resume.appendChild(this.resumeText);
    var go = el("button", { type: "button", class: "md-button md-button--primary" },
      "Resume");
    var over = el("button", { type: "button", class: "md-button" }, "Start over");
    go.addEventListener("click", function () { self.resume(); });
    over.addEventListener("click", function () { self.startOver(); });
    resume.appendChild(go);
    resume.appendChild(over);
    h.appendChild(resume);

    // One question.
    var run = this.run = el("section", { class: "interview-run",
      "aria-labelledby": "interview-q-h" });
    this.qHead = el("h2", { id: "interview-q-h" });
    this.qSkill = el("p", { class: "interview-q-skill" });
    this.prompt = el("p", { class: "interview-prompt", tabindex: "-1",
      id: "interview-prompt" });
    var clockP = el("p", { class: "interview-clock" });
    clockP.appendChild(el("span", { id: "interview-clock-label" }, "Clock: "));
    this.clock = el("span", { role: "timer", "aria-labelledby":
      "interview-clock-label", class: "interview-timer" });
    clockP.appendChild(this.clock);
    this.live = el("p", { class: "interview-live", role: "status",
      "aria-live": "polite", "aria-label": "Clock announcements" });
    var tools = el("p", { class: "interview-tools" });
    this.recBtn = el("button", { type: "button", class: "md-button" }, "Record");
    this.stopBtn = el("button", { type: "button", class: "md-button" }, "Stop");
    this.stopBtn.hidden = true;
    this.doneBtn = el("button", { type: "button",
      class: "md-button md-button--primary" }, "Done");
    this.recBtn.addEventListener("click", function () { self.record(); });
    this.stopBtn.addEventListener("click", function () { self.stopRecording(); });
    this.doneBtn.addEventListener("click", function () { self.done(); });
    [this.recBtn, this.stopBtn, this.doneBtn].forEach(function (b) {
      tools.appendChild(b);
    });
    this.micNote = el("p", { class: "interview-mic", role: "status" });
    this.rubric = el("div", { class: "interview-rubric" });
    [this.qHead, this.qSkill, this.prompt, clockP, this.live, tools,
      this.micNote, this.rubric].forEach(function (x) { run.appendChild(x); });
    h.appendChild(run);

    this.summary = el("section", { class: "interview-summary",
      "aria-labelledby": "interview-summary-h" });
    h.appendChild(this.summary);
    this.show(null);
  };

  Interview.prototype.show = function (part) {
    var self = this;
    ["pick", "resumeBox", "run", "summary"].forEach(function (k) {
      self[k].hidden = k !== part;
    });
  };

  // Top-level ids -> the asking order: each question, then its probes.
  Interview.prototype.expand = function (ids) {
    var q = this.data.questions, out = [];
    ids.forEach(function (id) {
      if (!q[id]) return;
      out.push(id);
      (q[id].follow_ups || []).forEach(function (p) { out.push(p); });
    });
    return out;
  };

  Interview.prototype.describe = function (ids) {
    var q = this.data.questions, s = 0;
    ids.forEach(function (id) { s += q[id].seconds; });
    var n = ids.length;
    return n + (n === 1 ? " question" : " questions") + ", about " +
      Math.max(1, Math.round(s / 60)) + " min";
  };

  Interview.prototype.showPicker = function () {
    var w = weakest(this.data, this.results).slice(0, 2);
    this.weakNote.textContent = w.length ? "Your weakest skills now: " +
      w.map(function (s) {
        return s.title + " (" + (s.level ? "level " + s.level :
          "not rehearsed yet") + ")";
      }).join("; ") + "." : "";
    var m = /[#&]skill=([a-z0-9-]+)/.exec(window.location.hash);
    if (m && this.skillSelect.querySelector('option[value="' + m[1] + '"]')) {
      this.skillSelect.value = m[1];
      this.pick.querySelector('input[value="skill"]').checked = true;
    }
    this.show("pick");
  };

  Interview.prototype.choice = function () {
    var picked = this.pick.querySelector('input[name="interview-kind"]:checked');
    var kind = picked ? picked.value : "walk:" + this.data.walks[0].id;
    var data = this.data, self = this;
    if (kind.indexOf("walk:") === 0) {
      var walk = data.walks.filter(function (w) {
        return "walk:" + w.id === kind;
      })[0] || data.walks[0];
      return { title: walk.title, ids: walk.questions };
    }
    if (kind === "skill") {
      var sid = this.skillSelect.value;
      return { title: "One skill: " + this.skills[sid].title,
        ids: data.order.filter(function (id) {
          return data.questions[id].skill === sid;
        }) };
    }
    if (kind === "weak") {
      var w = weakest(data, this.results).slice(0, 2);
      var ids = data.order.filter(function (id) {
        return w.some(function (s) { return s.id === data.questions[id].skill; });
      }).slice(0, 6);
      return { title: "My weakest skills: " + w.map(function (s) {
        return self.skills[s.id].title;
      }).join("; "), ids: ids };
    }
    var pool = data.order.slice(), out = [];
    while (pool.length && out.length < 5) {
      out.push(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]);
    }
    return { title: "Five at random", ids: out };
  };

  Interview.prototype.start = function () {
    var c = this.choice();
    this.dropRecordings();
    this.session = { title: c.title, ids: this.expand(c.ids), pos: 0,
      phase: "ask", elapsed: {}, marks: {},
      started: new Date().toISOString() };
    this.save();
    this.ask(true);
  };

  Interview.prototype.save = function () {
    var s = this.session;
    store.update("interview", function (sec) { sec.current = s; });
  };

  Interview.prototype.offerResume = function () {
    var s = this.session;
    var id = s.ids[s.pos];
    this.resumeText.textContent = "“" + s.title + "”: question " +
      (s.pos + 1) + " of " + s.ids.length + ", the clock paused at " +
      clock(s.elapsed[id] || 0) + ". Resume where you were, or start over " +
      "(your marks so far are dropped).";
    this.show("resumeBox");
  };

  Interview.prototype.resume = function () {
    if (this.session.phase === "mark") this.ask(false, true);
    else this.ask(true);
  };

  Interview.prototype.startOver = function () {
    this.stopClock();
    this.session = null;
    store.update("interview", function (sec) { delete sec.current; });
    this.dropRecordings();
    this.showPicker();
    this.pick.querySelector("h2").setAttribute("tabindex", "-1");
    this.pick.querySelector("h2").focus();
  };

  Interview.prototype.current = function () {
    return this.data.questions[this.session.ids[this.session.pos]];
  };

  // Show the question at session.pos; run its clock unless marking.
  Interview.prototype.ask = function (runClock, marking) {
    var s = this.session, q = this.current();
    var top = s.ids.filter(function (id, i) {
      return i <= s.pos && !this.data.questions[id].parent;
    }, this).length;
    var total = s.ids.filter(function (id) {
      return !this.data.questions[id].parent;
    }, this).length;
    this.qHead.textContent = q.parent ?
      "Follow-up to question " + top + " of " + total :
      "Question " + top + " of " + total;
    this.qSkill.textContent = "Skill: " + (this.skills[q.skill] ?
      this.skills[q.skill].title : q.skill) + ". Limit: " +
      clock(q.seconds * 1000) + ".";
    this.prompt.innerHTML = q.prompt;
    this.live.textContent = "";
    this.micNote.textContent = "";
    this.rubric.textContent = "";
    this.rubric.hidden = true;
    this.doneBtn.hidden = false;
    this.recBtn.hidden = false;
    this.recBtn.disabled = false;
    this.stopBtn.hidden = true;
    this.show("run");
    var ms = s.elapsed[q.id] || 0;
    this.announced = ANNOUNCE.filter(function (a) {
      return q.seconds * 1000 - ms <= a[0] * 1000;
    }).length;
    this.paint(ms);
    if (marking) {
      this.reveal(false);
      return;
    }
    if (runClock) this.startClock();
    this.prompt.focus();
  };

  Interview.prototype.startClock = function () {
    var self = this, q = this.current();
    this.stopClock();
    var base = this.session.elapsed[q.id] || 0, since = Date.now();
    var lastSaved = Math.floor(base / 1000);
    this.timer = {
      id: setInterval(function () { tick(); }, 250),
      ms: function () { return base + Date.now() - since; },
    };
    function tick() {
      var ms = self.timer.ms();
      self.paint(ms);
      self.announce(q, ms);
      if (Math.floor(ms / 1000) !== lastSaved) {
        lastSaved = Math.floor(ms / 1000);
        self.session.elapsed[q.id] = ms;
        self.save();
      }
    }
  };

  Interview.prototype.stopClock = function () {
    if (!this.timer) return null;
    var ms = this.timer.ms();
    clearInterval(this.timer.id);
    this.timer = null;
    return ms;
  };

  Interview.prototype.paint = function (ms) {
    var limit = this.current().seconds * 1000;
    this.clock.textContent = ms <= limit ?
      clock(limit - ms + 999) + " left" : "Overtime " + clock(ms - limit);
    this.clock.classList.toggle("interview-over", ms > limit);
  };

  Interview.prototype.announce = function (q, ms) {
    var left = q.seconds * 1000 - ms;
    while (this.announced < ANNOUNCE.length &&
      left <= ANNOUNCE[this.announced][0] * 1000) {
      this.live.textContent = ANNOUNCE[this.announced][1];
      this.announced += 1;
    }
  };

  Interview.prototype.done = function () {
    var ms = this.stopClock();
    var q = this.current();
    if (ms !== null) this.session.elapsed[q.id] = ms;
    if (this.recorder) this.stopRecording();
    this.session.phase = "mark";
    this.save();
    this.reveal(true);
  };

  // The rubric: a fieldset per point, then the red flags.
  Interview.prototype.reveal = function (focus) {
    var q = this.current(), self = this, s = this.session;
    var marks = s.marks[q.id] = s.marks[q.id] ||
      { p: q.rubric.map(function () { return ""; }),
        f: q.flags.map(function () { return false; }) };
    this.doneBtn.hidden = true;
    this.recBtn.hidden = true;
    this.stopBtn.hidden = true;
    var r = this.rubric;
    r.textContent = "";
    r.appendChild(el("h3", {}, "What a strong answer covers"));
    r.appendChild(el("p", {}, "Mark each point as you said it. Your time: " +
      clock(s.elapsed[q.id] || 0) + " of " + clock(q.seconds * 1000) + "."));
    this.audioBox = el("div", { class: "interview-audio" });
    r.appendChild(this.audioBox);
    this.showRecording(q.id);
    var key = q.id.replace(/\//g, "-");
    q.rubric.forEach(function (p, i) {
      var fs = el("fieldset", { class: "interview-point" });
      fs.appendChild(html("legend", {}, p.html));
      var row = el("p", { class: "interview-marks" });
      MARKS.forEach(function (m) {
        var id = key + "-" + i + "-" + m[0];
        var input = el("input", { type: "radio", name: key + "-" + i,
          id: id, value: m[0] });
        if (marks.p[i] === m[0]) input.checked = true;
        input.addEventListener("change", function () {
          marks.p[i] = m[0];
          self.save();
        });
        var label = el("label", { for: id, class: "interview-mark" });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + m[1]));
        row.appendChild(label);
      });
      fs.appendChild(row);
      fs.appendChild(self.source(p));
      r.appendChild(fs);
    });
    if (q.flags.length) {
      var ff = el("fieldset", { class: "interview-flags" });
      ff.appendChild(el("legend", {}, "Red flags: tick any you said"));
      q.flags.forEach(function (f, i) {
        var id = key + "-flag-" + i;
        var p = el("p");
        var input = el("input", { type: "checkbox", id: id });
        input.checked = !!marks.f[i];
        input.addEventListener("change", function () {
          marks.f[i] = input.checked;
          self.save();
        });
        var label = html("label", { for: id }, "I said this: " + f.html);
        p.appendChild(input);
        p.appendChild(document.createTextNode(" "));
        p.appendChild(label);
        ff.appendChild(p);
        ff.appendChild(self.source(f));
      });
      r.appendChild(ff);
    }
    var next = el("button", { type: "button",
      class: "md-button md-button--primary" }, "Next");
    var last = s.pos === s.ids.length - 1;
    var nextQ = last ? null : this.data.questions[s.ids[s.pos + 1]];
    var hint = el("p", { class: "interview-next-hint" }, last ?
      "That was the last question: Next shows the summary." :
      nextQ.parent ? "Next comes a follow-up on this answer." :
      "Next comes the next question.");
    this.markNote = el("p", { class: "interview-mark-note", role: "status" });
    next.addEventListener("click", function () { self.next(); });
    r.appendChild(hint);
    r.appendChild(next);
    r.appendChild(this.markNote);
    r.hidden = false;
    this.show("run");
    if (focus !== false) r.querySelector("input").focus();
  };

  Interview.prototype.source = function (p) {
    var out = el("p", { class: "interview-cite" }, p.cite + ". See ");
    out.appendChild(el("a", { href: p.url }, p.where));
    out.appendChild(document.createTextNode("."));
    return out;
  };

  Interview.prototype.next = function () {
    var s = this.session, q = this.current();
    var left = s.marks[q.id].p.filter(function (m) { return !m; }).length;
    if (left) {
      this.markNote.textContent = "Mark every point first (" + left +
        (left === 1 ? " is" : " are") + " not marked).";
      var first = this.rubric.querySelectorAll("fieldset.interview-point");
      for (var i = 0; i < first.length; i++) {
        if (!s.marks[q.id].p[i]) { first[i].querySelector("input").focus(); break; }
      }
      return;
    }
    if (s.pos === s.ids.length - 1) { this.finish(); return; }
    s.pos += 1;
    s.phase = "ask";
    this.save();
    this.ask(true);
  };

  // -------------------------------------------------------- the summary

  Interview.prototype.tally = function () {
    var s = this.session, data = this.data, skills = {}, missed = [];
    var flags = [], answers = [], got = 0, total = 0;
    s.ids.forEach(function (id) {
      var q = data.questions[id], m = s.marks[id] || { p: [], f: [] };
      var sk = skills[q.skill] = skills[q.skill] ||
        { got: 0, total: 0, flags: 0 };
      q.rubric.forEach(function (p, i) {
        var v = m.p[i] === "c" ? 1 : m.p[i] === "p" ? 0.5 : 0;
        sk.got += v; sk.total += 1; got += v; total += 1;
        if (m.p[i] === "m") missed.push({ q: q, p: p });
      });
      q.flags.forEach(function (f, i) {
        if (m.f[i]) { sk.flags += 1; flags.push(f); }
      });
      answers.push({ id: id, ms: Math.round(s.elapsed[id] || 0),
        limit: q.seconds });
    });
    return { skills: skills, missed: missed, flags: flags, answers: answers,
      coverage: total ? got / total : 0 };
  };

  // Missed points make their cards (else their skill's) due now. A card
  // with a schedule the review can read (Notes.cards.valid) keeps it with
  // its due date set to now, like Anki's "set due date", and is graded as
  // usual next; any other becomes a new card due now (the fields of
  // ts-fsrs's empty card), which the review shows before the unseen ones.
  Interview.prototype.feedCards = function (missed) {
    var ids = [], self = this;
    missed.forEach(function (x) {
      var cards = x.p.cards && x.p.cards.length ? x.p.cards :
        (self.skills[x.q.skill] || { cards: [] }).cards;
      cards.forEach(function (c) { if (ids.indexOf(c) < 0) ids.push(c); });
    });
    ids = ids.slice(0, MAX_CARDS);
    if (!ids.length) return ids;
    var now = new Date().toISOString();
    store.update("cards", function (cards) {
      ids.forEach(function (id) {
        if (C.valid(cards[id])) {
          cards[id].due = now;
        } else {
          cards[id] = { stability: 0, difficulty: 0, elapsed_days: 0,
            scheduled_days: 0, learning_steps: 0, reps: 0, lapses: 0,
            state: 0, due: now };
        }
      });
    });
    return ids;
  };

  Interview.prototype.finish = function () {
    var t = this.tally(), s = this.session, self = this;
    var cards = this.feedCards(t.missed);
    var result = { at: new Date().toISOString(), title: s.title,
      coverage: t.coverage, flags: t.flags.length, skills: {},
      answers: t.answers, cards: cards };
    Object.keys(t.skills).forEach(function (id) {
      var k = t.skills[id];
      result.skills[id] = { title: self.skills[id] ? self.skills[id].title :
        id, got: k.got, total: k.total, flags: k.flags };
    });
    this.results.push(result);
    this.results = this.results.slice(-KEEP_RESULTS);
    var kept = this.results;
    store.update("interview", function (sec) {
      sec.results = kept;
      delete sec.current;
    });
    this.session = null;
    this.renderSummary(result, t);
  };

  Interview.prototype.renderSummary = function (result, t) {
    var box = this.summary, data = this.data, self = this;
    box.textContent = "";
    var h = el("h2", { id: "interview-summary-h", tabindex: "-1" }, "Summary");
    box.appendChild(h);
    box.appendChild(el("p", {}, "“" + result.title + "”: you covered " +
      pct(result.coverage) + " of the points (partly counts half), and said " +
      (t.flags.length === 1 ? "1 red flag" : t.flags.length + " red flags") +
      "."));

    var table = el("table");
    table.appendChild(el("caption", {}, "Coverage per skill"));
    var head = el("tr");
    ["Skill", "Points covered", "Coverage", "Red flags", "Suggested score"]
      .forEach(function (x) { head.appendChild(el("th", { scope: "col" }, x)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    Object.keys(result.skills).forEach(function (id) {
      var k = result.skills[id], tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, k.title));
      tr.appendChild(el("td", {}, k.got + " of " + k.total));
      tr.appendChild(el("td", {}, pct(k.got / k.total)));
      tr.appendChild(el("td", {}, String(k.flags)));
      tr.appendChild(el("td", {}, String(suggest(k.got / k.total,
        k.flags > 0))));
      body.appendChild(tr);
    });
    box.appendChild(el("div", { class: "interview-scroll" })).appendChild(table);

    if (t.flags.length) {
      box.appendChild(el("p", {}, "Red flags you said:"));
      var ul = el("ul");
      t.flags.forEach(function (f) { ul.appendChild(html("li", {}, f.html)); });
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", {}, "Red flags you said: none."));
    }

    var times = el("table");
    times.appendChild(el("caption", {}, "Time per answer"));
    var th = el("tr");
    ["Question", "Your time", "Limit"].forEach(function (x) {
      th.appendChild(el("th", { scope: "col" }, x));
    });
    times.appendChild(el("thead")).appendChild(th);
    var tb = times.appendChild(el("tbody"));
    result.answers.forEach(function (a, i) {
      var tr = el("tr");
      var q = data.questions[a.id];
      tr.appendChild(html("th", { scope: "row" }, (i + 1) + ". " + q.prompt));
      var over = a.ms > a.limit * 1000;
      tr.appendChild(el("td", {}, clock(a.ms) + (over ? " (over by " +
        clock(a.ms - a.limit * 1000) + ")" : "")));
      tr.appendChild(el("td", {}, clock(a.limit * 1000)));
      tb.appendChild(tr);
    });
    box.appendChild(el("div", { class: "interview-scroll" })).appendChild(times);

    box.appendChild(el("h3", {}, "Sections to reread"));
    if (t.missed.length) {
      var seen = {}, list = el("ul", { class: "interview-reread" });
      t.missed.forEach(function (x) {
        if (seen[x.p.url]) return;
        seen[x.p.url] = 1;
        list.appendChild(el("li")).appendChild(el("a", { href: x.p.url },
          x.p.where));
      });
      box.appendChild(list);
    } else {
      box.appendChild(el("p", {}, "None: you missed no point."));
    }
    if (result.cards.length) {
      var cp = el("p", {}, result.cards.length + (result.cards.length === 1 ?
        " flashcard is" : " flashcards are") + " due now for the points you " +
        "missed. ");
      cp.appendChild(el("a", { href: data.cards_url }, "Review them"));
      box.appendChild(cp);
    }
    var again = el("button", { type: "button", class: "md-button" },
      "Start another interview");
    again.addEventListener("click", function () {
      self.dropRecordings();
      self.showPicker();
    });
    box.appendChild(again);
    this.show("summary");
    h.focus();
  };

  // ---------------------------------------------------------- recording

  Interview.prototype.micFailed = function () {
    this.micNote.textContent = "No microphone could be used (none found, " +
      "or permission was refused), so nothing is recorded; the interview " +
      "works the same without it.";
    this.recBtn.hidden = false;
    this.stopBtn.hidden = true;
  };

  Interview.prototype.record = function () {
    var self = this, q = this.current();
    var md = navigator.mediaDevices;
    if (!md || !md.getUserMedia || typeof MediaRecorder === "undefined") {
      this.micFailed();
      return;
    }
    this.recBtn.disabled = true;
    md.getUserMedia({ audio: true }).then(function (stream) {
      var rec = new MediaRecorder(stream), chunks = [];
      self.recorder = rec;
      rec.addEventListener("dataavailable", function (e) {
        if (e.data && e.data.size) chunks.push(e.data);
      });
      rec.addEventListener("stop", function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        var blob = new Blob(chunks, { type: rec.mimeType || "audio/webm" });
        if (self.recordings[q.id]) URL.revokeObjectURL(self.recordings[q.id]);
        self.recordings[q.id] = URL.createObjectURL(blob);
        self.showRecording(q.id);
      });
      rec.start();
      self.recBtn.hidden = true;
      self.recBtn.disabled = false;
      self.stopBtn.hidden = false;
      self.micNote.textContent = "Recording. Press Stop or Done to end it.";
      self.stopBtn.focus();
    }).catch(function () {
      self.recBtn.disabled = false;
      self.micFailed();
    });
  };

  Interview.prototype.stopRecording = function () {
    var rec = this.recorder;
    this.recorder = null;
    if (rec && rec.state !== "inactive") rec.stop();
    this.stopBtn.hidden = true;
    this.recBtn.hidden = this.session && this.session.phase === "mark";
    this.micNote.textContent = "Recording stopped; play it back beside " +
      "the rubric after Done.";
  };

  Interview.prototype.showRecording = function (id) {
    var box = this.audioBox, url = this.recordings[id];
    if (!box || !url || !this.session ||
      this.session.ids[this.session.pos] !== id) return;
    box.textContent = "";
    var label = "interview-audio-" + id.replace(/\//g, "-");
    box.appendChild(el("p", { id: label }, "Your answer, recorded:"));
    box.appendChild(el("audio", { controls: "", src: url,
      "aria-labelledby": label }));
    var name = id.replace(/^interview\//, "").replace(/\//g, "-") + ".webm";
    box.appendChild(el("a", { href: url, download: name },
      "Download this recording"));
  };

  Interview.prototype.dropRecordings = function () {
    var r = this.recordings;
    Object.keys(r).forEach(function (k) { URL.revokeObjectURL(r[k]); });
    this.recordings = {};
  };

  Interview.prototype.hasRecordings = function () {
    return Object.keys(this.recordings).length > 0;
  };

  // ----------------------------------------------- grid and home page

  // The grid's column an interview date falls in: the last of the plan's
  // days (Notes.plan) on or before it, counted from the reader's day 0;
  // the last column while day 0 is not set.
  function dayColumn(at, start) {
    var days = P.data().days, d0 = P.parseDay(start);
    if (!d0) return days[days.length - 1].key;
    var n = Math.floor((Date.parse(at) - d0.getTime()) / 86400000);
    var key = days[0].key;
    days.forEach(function (d) { if (n >= d.day) key = d.key; });
    return key;
  }

  function decorateGrid(wrap) {
    if (wrap.hasAttribute("data-interview-ready")) return;
    wrap.setAttribute("data-interview-ready", "");
    if (!P.data()) return;
    var latest = latestPerSkill(load(null).results);
    var start = store.get("assess").start;
    Object.keys(latest).forEach(function (id) {
      var s = latest[id];
      var cell = wrap.querySelector('[data-assess="' + id + " " +
        dayColumn(s.at, start) + '"]');
      if (!cell) return;
      cell.appendChild(el("span", { class: "interview-suggest" },
        "Interview suggests " + s.score));
    });
  }

  function decorateSummary(box) {
    var results = load(null).results;
    if (!results.length || box.querySelector(".interview-home")) return;
    var r = results[results.length - 1], weak = null;
    if (!Object.keys(r.skills).length) return;
    Object.keys(r.skills).forEach(function (id) {
      var k = r.skills[id], c = k.got / k.total;
      if (!weak || c < weak.c) weak = { id: id, c: c, title: k.title };
    });
    var day = new Date(r.at);
    var line = el("p", { class: "interview-home" });
    line.appendChild(el("strong", {}, "Mock interview: "));
    line.appendChild(document.createTextNode("“" + r.title + "” on " +
      day.toISOString().slice(0, 10) + ", coverage " + pct(r.coverage) +
      ". Weakest skill: " + weak.title + ". "));
    line.appendChild(el("a", { href: PAGE_URL + "#skill=" + weak.id },
      "Rehearse it"));
    var list = box.querySelector(".notes-study-list");
    if (list) list.appendChild(el("li")).appendChild(line);
    else box.appendChild(line);
  }

  function start() {
    var host = document.getElementById("interview-app");
    var json = document.getElementById("interview-data");
    if (host && json && !host.hasAttribute("data-ready")) {
      host.setAttribute("data-ready", "");
      var data;
      try { data = JSON.parse(json.textContent); } catch (e) { data = null; }
      if (data && data.walks && data.walks.length) {
        var mode = new Interview(host, data);
        Notes.interview.mode = mode;
        // The clock's exact reading, for a reload (it also saves each s).
        window.addEventListener("pagehide", function () {
          if (mode.timer && mode.session) {
            mode.session.elapsed[mode.current().id] = mode.timer.ms();
            mode.save();
          }
        });
        window.addEventListener("beforeunload", function (e) {
          if (!mode.hasRecordings()) return;
          e.preventDefault();
          e.returnValue = "";
        });
      }
    }
    document.querySelectorAll(".notes-assess").forEach(decorateGrid);
    var study = document.getElementById("notes-study");
    if (study) decorateSummary(study);
  }

  Notes.interview = { suggest: suggest, weakest: weakest,
    dayColumn: dayColumn, mode: null };
  Notes.onPage(start);
})(window.Notes);
