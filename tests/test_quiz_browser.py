"""The quizzes as a reader uses them, in Debian's Chromium.

Answer right and wrong and read the feedback; do a whole question with the
keyboard; reload and find the answers kept (over http and from file://);
print and find the answer key; no console error, no request to another
host, and axe finds nothing serious in either colour scheme.
Screenshots of a quiz (light, dark, 375 px) land in artifacts/.
"""

from __future__ import annotations

import json
import re

import pytest

from hooks.quiz import load_quizzes
from tests.browser import ARTIFACTS, STORE_KEY, Tab, tab_maker
from tests.harness import ROOT

pytestmark = pytest.mark.browser

QUIZZES = load_quizzes()
STEMS = [page[: -len(".md")] for page in QUIZZES]


class QuizTab(Tab):
    def question(self, qid: str):
        return self.page.locator(f'form[data-quiz-id="{qid}"]')


@pytest.fixture(scope="module")
def context(warm_context):
    with warm_context() as context:
        yield context


@pytest.fixture
def reader(context, csp_server):
    """open(stem, color_scheme=, viewport=) -> QuizTab on that page, as a
    first-time reader; after the test, each tab must have had no console
    error, request to another host or CSP violation."""
    server, site = csp_server
    tabs = tab_maker(context, server.base, site, QuizTab)
    make = next(tabs)

    def open_page(stem, **options):
        tab = make(**options)
        tab.open(stem)
        return tab

    yield open_page
    next(tabs, None)


def test_wrong_then_right_answer_gives_feedback_with_a_link(reader):
    r = reader("gpt-1")
    q = r.question("gpt-1/story-cloze-gain")
    status = q.get_by_role("status")
    assert status.inner_text().strip() == ""
    q.get_by_role("radio", name="+5.7").check()
    q.get_by_role("button", name="Check").click()
    text = status.inner_text()
    assert text.startswith("Not quite. The answer is (b).")
    assert "RACE" in text
    link = status.get_by_role("link")
    assert link.first.is_visible()
    assert re.search(r"gpt-1\.html#results$", link.first.get_attribute("href"))
    q.get_by_role("radio", name="+8.9").check()
    q.get_by_role("button", name="Check").click()
    assert status.inner_text().startswith("Correct.")


def test_multiple_choice_needs_every_right_option(reader):
    r = reader("gpt-1")
    q = r.question("gpt-1/not-sota")
    for name in ("RTE", "MRPC"):
        q.get_by_role("checkbox", name=name).check()
    q.get_by_role("button", name="Check").click()
    assert q.get_by_role("status").inner_text().startswith("Not quite")
    q.get_by_role("checkbox", name="SST-2").check()
    q.get_by_role("button", name="Check").click()
    assert q.get_by_role("status").inner_text().startswith("Correct.")


def test_numeric_answer_within_tolerance(reader):
    r = reader("gpt-1")
    q = r.question("gpt-1/param-count")
    box = q.get_by_label("Your answer, in millions of parameters")
    q.get_by_role("button", name="Check").click()
    assert "Type a number first" in q.get_by_role("status").inner_text()
    box.fill("117")  # the popular label is not the count
    q.get_by_role("button", name="Check").click()
    text = q.get_by_role("status").inner_text()
    assert text.startswith("Not quite. The answer is 116.535")
    assert "116,534,784" in text  # the feedback reads the golden too
    box.fill("116.5")
    box.press("Enter")
    assert q.get_by_role("status").inner_text().startswith("Correct.")


def test_predict_the_output_shows_code_and_checks_the_golden(reader):
    r = reader("kernels/attention")
    q = r.question("kernels-attention/online-output")
    assert "np.exp(m - m_new)" in q.locator("pre").inner_text()
    golden = (ROOT / "snippets/kernels_attention_quiz_online.out").read_text()
    q.get_by_role("radio", name=golden.splitlines()[1]).check()
    q.get_by_role("button", name="Check").click()
    assert q.get_by_role("status").inner_text().startswith("Correct.")


def test_keyboard_alone_answers_a_question(reader):
    r = reader("gpt-1")
    page = r.page
    page.locator("#check-yourself a.headerlink").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "quiz-gpt-1-aux-loss-ablation-0", focused
    page.keyboard.press("ArrowDown")  # moves to (b) and selects it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    q = r.question("gpt-1/aux-loss-ablation")
    assert q.get_by_role("status").inner_text().startswith("Correct.")
    page.keyboard.press("Tab")  # into the feedback's link
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href.endswith("#stage-2-supervised-fine-tuning"), href
    page.keyboard.press("Tab")  # on to the next question's options
    assert page.evaluate("document.activeElement.name") == (
        "quiz-gpt-1-story-cloze-gain"
    )


def _answer_and_reload(r):
    q = r.question("gpt-1/story-cloze-gain")
    q.get_by_role("radio", name="+5.7").check()
    q.get_by_role("button", name="Check").click()
    n = r.question("gpt-1/param-count")
    n.get_by_label("Your answer, in millions of parameters").fill("116.53")
    n.get_by_role("button", name="Check").click()
    stored = r.stored()
    r.page.reload(wait_until="load")
    return stored


def _assert_kept(r, stored):
    quiz = stored["quiz"]
    assert quiz["gpt-1/story-cloze-gain"]["ok"] is False
    assert quiz["gpt-1/story-cloze-gain"]["answer"] == [0]
    assert quiz["gpt-1/param-count"] == {
        "ok": True,
        "at": quiz["gpt-1/param-count"]["at"],
        "answer": 116.53,
    }
    assert re.match(r"\d{4}-\d\d-\d\dT", quiz["gpt-1/param-count"]["at"])
    q = r.question("gpt-1/story-cloze-gain")
    r.page.wait_for_function(
        "() => document.querySelector("
        "'form[data-quiz-id=\"gpt-1/story-cloze-gain\"] .quiz-verdict')"
        ".textContent"
    )
    assert q.get_by_role("radio", name="+5.7").is_checked()
    text = q.get_by_role("status").inner_text()
    assert text.startswith("Your last answer (") and "Not quite" in text
    n = r.question("gpt-1/param-count")
    box = n.get_by_label("Your answer, in millions of parameters")
    assert box.input_value() == "116.53"
    assert "Correct." in n.get_by_role("status").inner_text()


def test_answers_are_kept_after_reload(reader):
    r = reader("gpt-1")
    _assert_kept(r, _answer_and_reload(r))


def test_answers_are_kept_from_file(chromium, built_site):
    site, _ = built_site
    context = chromium.new_context()
    try:
        r = QuizTab(context, "file://", site)
        r.open("gpt-1")
        _assert_kept(r, _answer_and_reload(r))
        r.check_clean()
    finally:
        context.close()


def test_corrupt_saved_answers_leave_the_quiz_working(reader):
    r = reader("gpt-1")
    bad = {"version": 1, "quiz": {"gpt-1/story-cloze-gain": {"answer": 7}}}
    text = json.dumps(json.dumps(bad))
    r.page.evaluate(f"localStorage.setItem({json.dumps(STORE_KEY)}, {text})")
    r.page.reload(wait_until="load")
    q = r.question("gpt-1/story-cloze-gain")
    q.get_by_role("radio", name="+8.9").check()
    q.get_by_role("button", name="Check").click()
    assert q.get_by_role("status").inner_text().startswith("Correct.")


def test_print_shows_questions_and_the_answer_key(reader):
    r = reader("gpt-1", color_scheme="dark")
    page = r.page
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    key = page.locator(".quiz-key")
    assert key.is_visible()
    items = key.locator("li")
    assert items.count() == len(QUIZZES["gpt-1.md"])
    first = items.first.inner_text()
    assert first.startswith("(b)") and "75.0" in first
    numeric = items.nth(3).inner_text()
    assert numeric.startswith("116.535 millions of parameters")
    assert not page.get_by_role("button", name="Check").first.is_visible()
    assert page.locator("form.quiz-q").first.is_visible()
    box = key.bounding_box()
    last = page.locator("form.quiz-q").last.bounding_box()
    assert box["y"] > last["y"], "the key follows the last question"


# Every quiz page loads with all its questions, typeset, with no console
# error, foreign request or CSP violation, and axe-core checks each quiz
# answered in both colour schemes: tests/test_every_page*.py.


def test_contract_fieldset_legend_labels(reader):
    """Each question is a fieldset with a legend, every input has a label,
    and feedback is a polite live region."""
    r = reader("gpt-3")
    state = r.page.evaluate(
        """() => [...document.querySelectorAll('form.quiz-q')].map(f => ({
      legend: !!f.querySelector(':scope > fieldset > legend'),
      unlabelled: [...f.querySelectorAll('input')]
        .filter(i => !i.labels || !i.labels.length).length,
      live: f.querySelector('[aria-live=polite]') !== null,
      button: f.querySelector('button[type=submit]').textContent,
    }))"""
    )
    assert state and all(
        s["legend"] and not s["unlabelled"] and s["live"] for s in state
    ), state
    assert {s["button"] for s in state} == {"Check"}


def test_quiz_index_for_the_home_page(built_site):
    site, _ = built_site
    js = (site / "assets/study/quiz-index.js").read_text(encoding="utf-8")
    m = re.search(r"window\.NotesQuizIndex = (\{.*\});", js, re.S)
    data = json.loads(m[1])
    pages = {p["page"]: p for p in data["pages"]}
    assert set(pages) == set(QUIZZES)
    for page, entry in pages.items():
        assert entry["ids"] == [q.qid for q in QUIZZES[page]]
        path, anchor = entry["url"].split("#")
        assert anchor == "check-yourself"
        html = (site / path).read_text(encoding="utf-8")
        assert 'id="check-yourself"' in html
        assert entry["title"] and "<" not in entry["title"]


# Each question's legend and fieldset box, and the fieldset's borders.
LEGEND_BOXES = """() => [...document.querySelectorAll('form.quiz-q')]
  .map(form => {
    const set = form.querySelector('fieldset');
    const box = set.getBoundingClientRect();
    const text = set.querySelector('legend').getBoundingClientRect();
    const css = getComputedStyle(set);
    return {id: form.dataset.quizId, lines: Math.round(text.height),
      top: text.top - box.top - parseFloat(css.borderTopWidth),
      left: text.left - box.left - parseFloat(css.borderLeftWidth),
      right: box.right - parseFloat(css.borderRightWidth) - text.right};
  })"""


@pytest.mark.parametrize("stem", ["gpt-1", "kernels/attention"])
def test_legends_stay_inside_their_border_on_a_phone(reader, stem):
    """At 375 px a question wraps over several lines: all of it sits
    inside the fieldset's border, none of it on or over the line."""
    r = reader(stem, viewport={"width": 375, "height": 800})
    boxes = r.page.evaluate(LEGEND_BOXES)
    assert boxes and max(b["lines"] for b in boxes) > 60, boxes
    bad = [b for b in boxes if min(b["top"], b["left"], b["right"]) < 0]
    assert not bad, bad


@pytest.mark.parametrize(
    "name, scheme, width",
    [
        ("light", "light", 1280),
        ("dark", "dark", 1280),
        ("375px", "light", 375),
    ],
)
def test_screenshot_a_quiz(reader, name, scheme, width):
    r = reader(
        "gpt-3",
        color_scheme=scheme,
        viewport={"width": width, "height": 900},
    )
    q = r.question("gpt-3/six-nd-output")
    q.get_by_role("radio").first.check()
    q.get_by_role("button", name="Check").click()
    width_ok = r.page.evaluate(
        "document.documentElement.scrollWidth <= "
        "document.documentElement.clientWidth"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    q.screenshot(path=str(ARTIFACTS / f"quiz-{name}.png"))
    assert width_ok, "the quiz makes the page scroll sideways"
