// "Check yourself": check a quiz answer, say why, remember it.
// hooks/quiz.py renders every question as a <form> with its answer in
// data attributes and its explanation hidden in .quiz-why; this script
// only reacts to "Check". Answers are kept in the store's section "quiz":
//   { "<question id>": {ok: bool, at: ISO time, answer: [indices] | number} }
// and shown again (with the verdict) when the page is reloaded.
(function (Notes) {
  "use strict";

  function chosen(form) {
    var kind = form.dataset.kind;
    if (kind === "numeric") {
      var input = form.querySelector("input[type=number]");
      var text = input.value.trim();
      if (text === "" || !isFinite(Number(text))) return null;
      return Number(text);
    }
    var picked = [];
    form.querySelectorAll("input:checked").forEach(function (el) {
      picked.push(Number(el.value));
    });
    return picked.length ? picked : null;
  }

  function isRight(form, answer) {
    if (form.dataset.kind === "numeric") {
      var value = Number(form.dataset.value);
      var tol = Number(form.dataset.tol);
      // A little slack for decimal rounding of the tolerance itself.
      return Math.abs(answer - value) <= tol * (1 + 1e-9) + 1e-12;
    }
    var want = form.dataset.answer.split(",").map(Number).sort();
    var got = answer.slice().sort();
    return want.length === got.length &&
      want.every(function (x, i) { return x === got[i]; });
  }

  function show(form, ok, answer, when) {
    var verdict = form.querySelector(".quiz-verdict");
    var why = form.querySelector(".quiz-why");
    var text;
    if (answer === null) {
      text = form.dataset.kind === "numeric"
        ? "Type a number first, then press Check."
        : "Pick an answer first, then press Check.";
      form.classList.remove("quiz-right", "quiz-wrong");
      why.hidden = true;
    } else if (ok) {
      text = "Correct.";
    } else {
      text = "Not quite. The answer is " + form.dataset.show + ".";
    }
    if (answer !== null) {
      if (when) text = "Your last answer (" + when + "): " + text;
      form.classList.toggle("quiz-right", ok);
      form.classList.toggle("quiz-wrong", !ok);
      why.hidden = false;
    }
    verdict.textContent = text;
  }

  function restore(form, saved) {
    if (!saved || saved.answer === undefined || saved.answer === null) return;
    var answer = saved.answer;
    if (form.dataset.kind === "numeric") {
      if (typeof answer !== "number" || !isFinite(answer)) return;
      form.querySelector("input[type=number]").value = String(answer);
    } else {
      if (!Array.isArray(answer)) return;
      var inputs = form.querySelectorAll("input");
      answer.forEach(function (i) {
        if (inputs[i]) inputs[i].checked = true;
      });
    }
    var when = typeof saved.at === "string" ? saved.at.slice(0, 10) : "";
    // Judge again: the saved flag could be stale if the question changed.
    show(form, isRight(form, answer), answer, when || "earlier");
  }

  function setUp(form, saved) {
    if (form.dataset.quizReady) return;
    form.dataset.quizReady = "1";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answer = chosen(form);
      if (answer === null) {
        show(form, false, null);
        return;
      }
      var ok = isRight(form, answer);
      show(form, ok, answer);
      Notes.store.update("quiz", function (section) {
        section[form.dataset.quizId] = {
          ok: ok,
          at: new Date().toISOString(),
          answer: answer,
        };
      });
    });
    try {
      restore(form, saved[form.dataset.quizId]);
    } catch (e) {
      // A malformed saved answer must never break the page.
    }
  }

  function quizPageLoaded() {
    var forms = document.querySelectorAll("form.quiz-q");
    if (!forms.length) return;
    var saved = Notes.store.get("quiz");
    forms.forEach(function (form) { setUp(form, saved); });
  }

  Notes.onPage(quizPageLoaded);
})(window.Notes);
