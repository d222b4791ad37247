// "Your study" on the home page, worked out in this browser from the
// store, the core's card and plan rules (notes-core.js) and the indexes
// other hooks publish:
//   window.NotesQuizIndex  = {pages: [{page, title, url, ids: [...]}]}
//   window.NotesCardsIndex = {cards: [{id, topic, skill, page, ...}]}
// Either index may be missing (an older build); the summary then says
// less, never breaks. hooks/assess.py renders #notes-study with a text for
// readers without scripts and the links used here.
(function (Notes) {
  "use strict";
  var isObject = Notes.isObject, el = Notes.el, C = Notes.cards;
  var P = Notes.plan;

  function link(href, text) {
    return href ? el("a", { href: href }, text) : el("span", {}, text);
  }

  // A line of text and links: parts are strings or nodes.
  function line(tag, parts) {
    var e = el(tag);
    parts.forEach(function (p) {
      e.appendChild(typeof p === "string" ? document.createTextNode(p) : p);
    });
    return e;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // {now, later, fresh, known}: now = cards due now and later = the rest
  // due by the end of local today, by the review's own rules
  // (Notes.cards); fresh = deck cards with no schedule (null without a
  // deck).
  function cardCounts(stored, deck, now) {
    var dueNow = 0, later = 0, fresh = null, known = 0;
    var ids = deck ? deck.map(function (c) { return c.id; })
      : Object.keys(stored);
    if (deck) fresh = 0;
    ids.forEach(function (id) {
      var card = stored[id];
      if (!card) { if (deck) fresh += 1; return; }
      known += 1;
      if (C.dueNow(card, now)) dueNow += 1;
      else if (C.dueToday(card, now)) later += 1;
    });
    return { now: dueNow, later: later, fresh: fresh, known: known };
  }

  // [{title, url, right, answered, total}] for every page of the index.
  function quizScores(answers, pages) {
    return pages.map(function (p) {
      var right = 0, answered = 0;
      var ids = Array.isArray(p.ids) ? p.ids : [];
      ids.forEach(function (id) {
        var a = answers[id];
        if (!isObject(a)) return;
        answered += 1;
        if (a.ok === true) right += 1;
      });
      return { title: String(p.title || p.page), url: p.url, right: right,
        answered: answered, total: ids.length };
    });
  }

  // {day, date, offset} of the next plan day from today (offset in days,
  // 0 = today), or {done: true, last} after day 21.
  function nextPlanDay(start, now) {
    var d0 = P.parseDay(start);
    if (!d0) return null;
    var plan = P.data().plan;
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    var elapsed = Math.round((today - d0) / 86400000);
    for (var i = 0; i < plan.length; i += 1) {
      if (plan[i] >= elapsed) {
        return { day: plan[i], date: P.addDays(d0, plan[i]),
          offset: plan[i] - elapsed };
      }
    }
    return { done: true, last: P.addDays(d0, plan[plan.length - 1]) };
  }

  function when(offset) {
    if (offset === 0) return "today";
    if (offset === 1) return "tomorrow";
    return "in " + offset + " days";
  }

  function render(box) {
    var store = Notes.store;
    if (!P.data()) return;
    var links = {};
    box.querySelectorAll("[data-study-link]").forEach(function (a) {
      links[a.getAttribute("data-study-link")] = a.getAttribute("href");
    });
    var quizIndex = window.NotesQuizIndex, cardsIndex = window.NotesCardsIndex;
    var quizPages = isObject(quizIndex) && Array.isArray(quizIndex.pages) ?
      quizIndex.pages.filter(isObject) : null;
    var deck = isObject(cardsIndex) && Array.isArray(cardsIndex.cards) ?
      cardsIndex.cards.filter(function (c) { return isObject(c) && c.id; }) :
      null;
    if (quizPages && quizPages.length && quizPages[0].url) {
      links.quiz = quizPages[0].url;
    }

    var now = new Date();
    var answers = store.get("quiz"), stored = C.load(store);
    var assess = P.load(store);
    var cards = cardCounts(stored, deck, now);
    var quiz = quizPages ? quizScores(answers, quizPages) : [];
    var answered = Object.keys(answers).filter(function (k) {
      return isObject(answers[k]);
    }).length;
    var skillIds = Object.keys(assess.scores);
    var scored = skillIds.length > 0;

    while (box.firstChild) box.removeChild(box.firstChild);

    if (!cards.known && !answered && !scored && !assess.start) {
      box.appendChild(line("p", [el("strong", {}, "Nothing yet."),
        " Your progress will show here, kept in this browser only."]));
      var start = [
        "Start with ",
        link(links.cards, "the flashcards"),
        deck ? " (" + plural(deck.length, "card", "cards") + ", all new)" :
          "",
        ", the quiz at the end of ",
        link(links.quiz, quizPages && quizPages.length ?
          quizPages[0].title : "GPT-1"),
        ", or your day-0 scores on the ",
        link(links.grid, "review plan's grid"),
        ".",
      ];
      box.appendChild(line("p", start));
      return;
    }

    var list = el("ul", { "class": "notes-study-list" });
    // Flashcards.
    // "Due now" is the review's count; later today, those due before
    // midnight (learning steps, say) that the review will bring back.
    var counts = [plural(cards.now, "card", "cards") + " due now"];
    if (cards.later) counts.push(cards.later + " more later today");
    if (cards.fresh !== null) counts.push(cards.fresh + " new");
    var cardParts = [el("strong", {}, "Flashcards: "),
      counts.length < 3 ? counts.join(" and ") :
        counts[0] + ", " + counts[1] + " and " + counts[2]];
    cardParts.push(". ");
    cardParts.push(link(links.cards, cards.now || cards.fresh ?
      "Review now" : "Open the deck"));
    list.appendChild(line("li", cardParts));

    // Self-assessment: the average of each day scored so far.
    var avgs = P.averages(assess.scores, skillIds).filter(function (a) {
      return a.n;
    });
    var assessParts = [el("strong", {}, "Self-assessment: ")];
    if (avgs.length) {
      assessParts.push(avgs.map(function (a) {
        return a.day.label.toLowerCase() + " average " + a.avg.toFixed(1) +
          " of 5 (" + plural(a.n, "skill", "skills") + ")";
      }).join("; ") + ". ");
    } else {
      assessParts.push("not scored yet. ");
    }
    assessParts.push(link(links.grid, "Score yourself"));
    list.appendChild(line("li", assessParts));

    // The review plan's next day.
    var next = nextPlanDay(assess.start, now);
    var planParts = [el("strong", {}, "Review plan: ")];
    if (!next) {
      planParts.push("set your day 0 on ");
      planParts.push(link(links.grid, "the review plan"));
      planParts.push(" to see its dates.");
    } else if (next.done) {
      planParts.push("the three weeks are over (day 21 was " +
        P.formatDay(next.last) + "); any skill under 4 gets a day 28.");
    } else {
      planParts.push("next is day " + next.day + ", " +
        P.formatDay(next.date) + " (" + when(next.offset) + ").");
    }
    list.appendChild(line("li", planParts));
    box.appendChild(list);

    // Quiz scores per page.
    if (quizPages) {
      // No class on the table itself: the theme styles plain tables.
      var wrap = el("div", { "class": "notes-study-quiz" });
      var table = wrap.appendChild(el("table"));
      table.appendChild(el("caption", {}, "Quiz scores per page"));
      var head = el("tr");
      ["Page", "Right", "Answered", "Questions"].forEach(function (h) {
        head.appendChild(el("th", { scope: "col" }, h));
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      quiz.forEach(function (q) {
        var tr = el("tr");
        tr.appendChild(el("th", { scope: "row" })).appendChild(
          link(q.url, q.title));
        tr.appendChild(el("td", {}, q.answered ? String(q.right) : "–"));
        tr.appendChild(el("td", {}, String(q.answered)));
        tr.appendChild(el("td", {}, String(q.total)));
        body.appendChild(tr);
      });
      box.appendChild(wrap);
    } else if (answered) {
      box.appendChild(el("p", {}, "Quizzes: " +
        plural(answered, "question", "questions") + " answered."));
    }
  }

  Notes.onPage(function () {
    var box = document.getElementById("notes-study");
    if (box) render(box);
  });
})(window.Notes);
