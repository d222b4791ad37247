"""The mock interview as a reader uses it, in Debian's Chromium, with the
page clock faked (Playwright's page.clock).

One flow covers most of the issue's list, since each page load costs: a
short interview (one skill with a follow-up) where the timer moves, the
live region speaks at 30 s, 10 s and 0 only, overtime shows, a denied
microphone leaves the mode working, the rubric is marked by keyboard
focus and labels, a reload offers Resume with the clock paused, and the
summary's figures match the marks; then the missed points' cards are due,
the review plan's grid shows the suggestion and the home page names the
interview. Separate tests: recording with a fake microphone gives a
playable <audio>; corrupt interview data shows a notice and loses nothing
else, from file://. The tests read the questions from the page's own
JSON, so they hold for any question set.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    COLOUR_RULES,
    STORE_KEY,
    Tab,
    axe_serious,
    need_axe,
    tab_maker,
)

pytestmark = pytest.mark.browser

DATA = (
    "() => JSON.parse(document.getElementById('interview-data').textContent)"
)
# Every text the clock's live region shows, in order.
LIVE_LOG = """
window.__live = [];
new MutationObserver(() => {
  const el = document.querySelector('.interview-live');
  if (el && el.textContent) window.__live.push(el.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DARK = "() => document.body.dataset.mdColorScheme === 'slate'"
FAKE_MIC = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


class InterviewTab(Tab):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page.set_default_timeout(10_000)

    def data(self) -> dict:
        return self.page.evaluate(DATA)

    def timer(self) -> str:
        return self.page.get_by_role("timer").inner_text()

    def focused(self) -> str:
        return self.page.evaluate(
            "() => { const a = document.activeElement;"
            " return a.id + '|' + (a.labels && a.labels[0] ?"
            " a.labels[0].innerText.trim() : a.innerText.trim()); }"
        )

    def mark(self, marks: list[str], flags: int = 0) -> None:
        """Mark point i with marks[i] (Covered, Partly, Missed), tick the
        first `flags` red flags, press Next."""
        page = self.page
        points = page.locator("fieldset.interview-point")
        assert points.count() == len(marks)
        for i, m in enumerate(marks):
            points.nth(i).get_by_role("radio", name=m).check()
        boxes = page.get_by_role("checkbox", name=re.compile("^I said this"))
        for i in range(flags):
            boxes.nth(i).check()
        page.get_by_role("button", name="Next").click()


RUBRIC_LEGENDS = """() => [...document.querySelectorAll(
    'fieldset.interview-point')].map(set => {
  const box = set.getBoundingClientRect();
  const text = set.querySelector('legend').getBoundingClientRect();
  const css = getComputedStyle(set);
  return {lines: Math.round(text.height),
    top: text.top - box.top - parseFloat(css.borderTopWidth),
    left: text.left - box.left - parseFloat(css.borderLeftWidth)};
})"""


@pytest.fixture(scope="module")
def context(warm_context):
    with warm_context() as context:
        yield context


@pytest.fixture
def tabs(context, csp_server):
    server, site = csp_server
    yield from tab_maker(context, server.base, site, InterviewTab)


def asked(data: dict, ids: list[str]) -> list[str]:
    out = []
    for qid in ids:
        out += [qid, *data["questions"][qid]["follow_ups"]]
    return out


def shortest_skill(data: dict) -> tuple[str, list[str]]:
    """The skill whose interview is shortest among those with a probe."""
    best = None
    for s in data["skills"]:
        top = [
            q
            for q in data["order"]
            if data["questions"][q]["skill"] == s["id"]
        ]
        if not any(data["questions"][q]["follow_ups"] for q in top):
            continue
        ids = asked(data, top)
        if best is None or len(ids) < len(best[1]):
            best = (s["id"], ids)
    assert best, "no skill has a question with a follow-up"
    return best


def test_a_short_interview_end_to_end(tabs):
    need_axe()
    t = tabs(LIVE_LOG)
    page = t.page
    page.clock.install(time=T0)
    t.open("interview")
    page.clock.pause_at(T0 + timedelta(minutes=1))  # moves by run_for only
    data = t.data()
    walk = data["walks"][0]
    default = page.get_by_role(
        "radio", name=re.compile("^" + re.escape(walk["title"]))
    )
    assert default.is_checked()
    skill, ids = shortest_skill(data)
    qs = [data["questions"][i] for i in ids]
    page.get_by_role("combobox", name="Skill").select_option(skill)
    assert page.get_by_role("radio", name="One skill").is_checked()
    page.get_by_role("button", name="Start").click()

    # The first question: prompt focused, the clock counts down.
    first = qs[0]
    n_top = sum(1 for q in qs if not q["parent"])
    heading = page.get_by_role("heading", name=f"Question 1 of {n_top}")
    assert heading.is_visible()
    assert t.focused().startswith("interview-prompt|")
    limit = first["seconds"]
    assert t.timer() == f"{limit // 60}:{limit % 60:02d} left"
    assert not page.get_by_role("button", name="Stop").is_visible()
    page.get_by_role("button", name="Record").click()
    page.get_by_text("No microphone could be used").wait_for()
    page.clock.run_for((limit - 30) * 1000)
    assert t.timer() == "0:30 left"
    page.clock.run_for(25_000)
    assert t.timer() == "0:05 left"
    page.clock.run_for(12_000)
    assert t.timer() == "Overtime 0:07"
    live = page.evaluate("window.__live")
    assert [x.split(".")[0] for x in dict.fromkeys(live)] == [
        "30 seconds left",
        "10 seconds left",
        "Time is up",
    ], live

    # Done: the rubric, focus on the first point's first choice.
    page.get_by_role("button", name="Done").click()
    assert t.focused().endswith("|Covered")
    for name in ("Done", "Record", "Stop"):
        assert not page.get_by_role("button", name=name).is_visible(), name
    legends = page.locator("fieldset.interview-point > legend")
    assert legends.count() == len(first["rubric"])
    link = page.locator("fieldset.interview-point").first.get_by_role("link")
    assert link.get_attribute("href") == first["rubric"][0]["url"]
    page.get_by_role("button", name="Next").click()
    assert (
        "Mark every point first"
        in page.locator(".interview-mark-note").inner_text()
    )
    # axe-core waits on timers: let the page clock run while it checks
    # (no answer's clock runs while the rubric shows).
    page.clock.resume()
    assert axe_serious(page) == []
    page.screenshot(path=ARTIFACTS / "interview-rubric-light.png")
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function(DARK, timeout=5000)
    assert axe_serious(page, COLOUR_RULES) == []
    page.screenshot(path=ARTIFACTS / "interview-rubric-dark.png")
    page.get_by_title("Switch to light mode").click()
    page.set_viewport_size({"width": 375, "height": 800})
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.documentElement.clientWidth]"
    )
    assert wide[0] <= wide[1], wide
    # Each rubric point (a legend that wraps at 375 px) sits inside its
    # fieldset's border, none of it on or over the line.
    legends = page.evaluate(RUBRIC_LEGENDS)
    assert legends and max(b["lines"] for b in legends) > 40, legends
    assert not [b for b in legends if min(b["top"], b["left"]) < 0], legends
    page.screenshot(path=ARTIFACTS / "interview-rubric-375px.png")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.clock.pause_at(T0 + timedelta(minutes=15))
    n = len(first["rubric"])
    marks1 = ["Covered", "Partly"] + ["Missed"] * (n - 2)
    flags1 = min(1, len(first["flags"]))
    t.mark(marks1, flags1)

    # The follow-up, then a reload half-way through it.
    probe = qs[1]
    assert probe["parent"] == first["id"]
    assert page.get_by_role(
        "heading", name=f"Follow-up to question 1 of {n_top}"
    ).is_visible()
    assert t.focused().startswith("interview-prompt|")
    page.clock.run_for(10_000)
    page.reload(wait_until="load")
    page.clock.pause_at(T0 + timedelta(minutes=40))
    assert page.get_by_role(
        "heading", name="Unfinished interview"
    ).is_visible()
    assert "question 2 of" in page.locator(".interview-resume").inner_text()
    assert page.get_by_role("button", name="Start over").is_visible()
    page.clock.run_for(20_000)  # paused: nothing moves
    page.get_by_role("button", name="Resume").click()
    left = probe["seconds"] - 10
    assert t.timer() == f"{left // 60}:{left % 60:02d} left"
    page.clock.run_for(5_000)
    left -= 5
    assert t.timer() == f"{left // 60}:{left % 60:02d} left"
    page.get_by_role("button", name="Done").click()
    t.mark(["Covered"] * len(probe["rubric"]))
    for q in qs[2:]:
        page.get_by_role("button", name="Done").click()
        t.mark(["Covered"] * len(q["rubric"]))

    # The summary.
    assert t.focused().startswith("interview-summary-h|Summary")
    got = 1 + 0.5 + sum(len(q["rubric"]) for q in qs[1:])
    total = sum(len(q["rubric"]) for q in qs)
    table = page.get_by_role("table", name="Coverage per skill")
    row = table.get_by_role("row").nth(1).inner_text()
    assert f"{got:g} of {total}" in row, row
    assert f"{round(100 * got / total)}%" in row, row
    summary = page.locator(".interview-summary").inner_text()
    assert f"said {flags1} red flag" in summary
    times = page.get_by_role("table", name="Time per answer")
    rows = times.get_by_role("row")
    assert "(over by 0:07)" in rows.nth(1).inner_text()
    assert "0:15" in rows.nth(2).inner_text()
    reread = page.locator(".interview-reread a")
    want = list(dict.fromkeys(p["url"] for p in first["rubric"][2:]))
    assert [
        reread.nth(i).get_attribute("href") for i in range(len(want))
    ] == want
    page.screenshot(path=ARTIFACTS / "interview-summary.png", full_page=True)

    # "My weakest skills": the unrehearsed skills rank below this one.
    page.get_by_role("button", name="Start another interview").click()
    note = page.locator(".interview-weak-note").inner_text()
    title = next(s["title"] for s in data["skills"] if s["id"] == skill)
    assert note.count("not rehearsed yet") == 2 and title not in note, note

    # Missed points' cards are due now (their own, else the skill's).
    stored = t.stored()
    result = stored["interview"]["results"][-1]
    skill_cards = next(s["cards"] for s in data["skills"] if s["id"] == skill)
    want_cards = []
    for p in first["rubric"][2:]:
        for c in p["cards"] or skill_cards:
            if c not in want_cards:
                want_cards.append(c)
    want_cards = want_cards[:10]
    assert result["cards"] == want_cards
    assert "current" not in stored["interview"]
    now = page.evaluate("Date.now()")
    for c in want_cards:
        due = page.evaluate(
            f"Date.parse({json.dumps(stored['cards'][c]['due'])})"
        )
        assert abs(due - now) < 60_000, c

    # The grid's suggestion (no day 0 set: the day-21 column).
    t.open("review-plan")
    cell = page.locator(f'[data-assess="{skill} d21"]')
    score = (
        2
        if got / total < 0.4
        else 3
        if got / total < 0.6
        else 4
        if got / total < 0.8 or flags1
        else 5
    )
    assert cell.locator(".interview-suggest").inner_text() == (
        f"Interview suggests {score}"
    )
    # The home page names it.
    t.open("index")
    home = page.locator(".interview-home")
    assert f"coverage {round(100 * got / total)}%" in home.inner_text()
    rehearse = home.get_by_role("link", name="Rehearse it")
    assert rehearse.get_attribute("href").endswith(f"#skill={skill}")
    # The review counts them due.
    t.open("flashcards")
    page.wait_for_selector("#notes-review[data-ready]")
    due = (
        page.get_by_role("list", name="Deck counts")
        .get_by_role("listitem")
        .filter(has_text="Due now")
    )
    assert due.get_by_role("strong").inner_text() == str(len(want_cards))


def test_recording_gives_a_playable_audio(playwright, csp_server):
    server, site = csp_server
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MIC
    )
    try:
        context = browser.new_context()
        t = InterviewTab(context, server.base, site)
        page = t.page
        t.open("interview")
        page.get_by_role("button", name="Start").click()
        page.get_by_role("button", name="Record").click()
        page.get_by_role("button", name="Stop").wait_for()
        page.wait_for_timeout(1200)
        page.get_by_role("button", name="Done").click()
        audio = page.get_by_role("region").or_(page.locator("audio"))
        audio = page.locator("audio")
        audio.wait_for(state="attached")
        assert audio.get_attribute("src").startswith("blob:")
        ready = page.evaluate(
            """() => new Promise(done => {
              const a = document.querySelector('audio');
              if (a.readyState >= 1) return done(a.readyState);
              a.onloadedmetadata = () => done(a.readyState);
              a.onerror = () => done(-1);
            })"""
        )
        assert ready >= 1
        link = page.get_by_role("link", name="Download this recording")
        assert link.get_attribute("href").startswith("blob:")
        assert link.get_attribute("download").endswith(".webm")
        dialogs = []

        def on_dialog(d):
            dialogs.append(d.type)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.close(run_before_unload=True)
        page.wait_for_timeout(300)
        assert dialogs == ["beforeunload"]
        t.check_clean()
        context.close()
    finally:
        browser.close()


def test_corrupt_interview_data_from_file(chromium, built_site):
    site, _ = built_site
    context = chromium.new_context()
    kept = {
        "quiz": {"gpt-1/story-cloze-gain": {"answer": [1], "ok": True}},
        "cards": {"gpt1-idea": {"due": "2026-01-01T00:00:00.000Z"}},
    }
    bad = dict(
        kept,
        version=1,
        interview={"results": [7, {"at": "x"}], "current": "nope"},
    )
    seed = (
        "if (!sessionStorage.getItem('seeded')) {"
        "sessionStorage.setItem('seeded', '1');"
        f"localStorage.setItem({json.dumps(STORE_KEY)}, "
        f"{json.dumps(json.dumps(bad))}); }}"
    )
    try:
        t = InterviewTab(context, "file://", site, [seed])
        page = t.page
        t.open("interview")
        notice = page.locator("#notes-store-notice").inner_text()
        assert "mock-interview data (3 entries)" in notice
        stored = t.stored()
        assert stored["quiz"] == kept["quiz"]
        assert stored["cards"] == kept["cards"]
        assert stored["interview"] == {"results": [], "current": None}
        # On paper: no controls, room to write, the key open.
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        assert not page.locator("#interview-app").is_visible()
        assert page.locator(".interview-write").first.is_visible()
        assert (
            page.locator("details.interview-key").get_attribute("open")
            is not None
        )
        assert page.locator(".interview-key-list li").first.is_visible()
        page.emulate_media(media="screen")
        page.get_by_role("button", name="Start").click()
        assert page.locator("#interview-prompt").inner_text().strip()
        assert t.timer().endswith("left")
        t.check_clean()
    finally:
        context.close()
