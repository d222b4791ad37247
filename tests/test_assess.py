"""The study tools a reader keeps in this browser: the review plan's
self-assessment grid, the home page's "Your study" summary, and the store
under them when its data is corrupt, old or cannot be saved.

Every page here is served with the strict Content-Security-Policy and must
load with no console error, no request to another host and no violation.
The quiz and flashcard indexes (other hooks publish them) are stubbed with
the exact shapes the pages read, so the summary is tested on its own.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from hooks import page_scripts
from hooks.assess import (
    load_skills,
    on_page_markdown,
    render_grid,
)
from tests.browser import (
    ARTIFACTS,
    COLOUR_RULES,
    STORE_KEY,
    Tab,
    axe_serious,
    need_axe,
    tab_maker,
)
from tests.harness import ROOT
from tests.support import pdf_text

pytestmark = pytest.mark.browser

SKILLS = load_skills()
FIRST = SKILLS[0]["skill"]
# A Thursday; the reader started on Monday 30 Nov, so day 3 is today.
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)

QUIZ_INDEX = {
    "pages": [
        {
            "page": "gpt-1.md",
            "title": "GPT-1",
            "url": "gpt-1.html#check-yourself",
            "ids": ["gpt-1/aux-loss", "gpt-1/params", "gpt-1/context"],
        },
        {
            "page": "gpt-2.md",
            "title": "GPT-2",
            "url": "gpt-2.html#check-yourself",
            "ids": ["gpt-2/zero-shot", "gpt-2/webtext"],
        },
    ]
}
CARDS_INDEX = {
    "cards": [
        {
            "id": f"card-{i}",
            "topic": "GPT-1",
            "skill": "gpt1-objective",
            "page": "gpt-1.md",
            "q_html": "<p>q</p>",
            "a_html": "<p>a</p>",
        }
        for i in range(6)
    ]
}


def fsrs_card(due: str) -> dict:
    return {
        "due": due,
        "last_review": "2026-12-01T09:00:00.000Z",
        "stability": 2.3,
        "difficulty": 5.1,
        "elapsed_days": 0,
        "scheduled_days": 2,
        "learning_steps": 0,
        "reps": 1,
        "lapses": 0,
        "state": 2,
    }


STUDIED = {
    "version": 1,
    "quiz": {
        "gpt-1/aux-loss": {
            "ok": True,
            "at": "2026-12-01T09:00:00Z",
            "answer": 1,
        },
        "gpt-1/params": {
            "ok": False,
            "at": "2026-12-01T09:01:00Z",
            "answer": "110M",
        },
    },
    "cards": {
        # Due earlier, due late tonight (still today), due tomorrow.
        "card-0": fsrs_card("2026-12-02T08:00:00.000Z"),
        "card-1": fsrs_card("2026-12-03T23:30:00.000Z"),
        "card-2": fsrs_card("2026-12-04T00:30:00.000Z"),
    },
    "assess": {
        "start": "2026-11-30",
        "scores": {
            "gpt1-objective": {"d0": 2},
            "icl": {"d0": 4, "d7": 5},
        },
    },
}

# Read-only, so the site's own generated indexes (loaded later on the home
# page) cannot replace the stubs: the counts below are the stubs' counts.
STUBS = (
    "Object.defineProperty(window, 'NotesQuizIndex',"
    f" {{value: {json.dumps(QUIZ_INDEX)}, writable: false}});"
    "Object.defineProperty(window, 'NotesCardsIndex',"
    f" {{value: {json.dumps(CARDS_INDEX)}, writable: false}});"
)
QUOTA_FULL = """
Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.',
                         'QuotaExceededError');
};
"""


def seed(data) -> str:
    """An init script that stores `data` (text as is) once per context,
    before the first page of the test loads."""
    text = data if isinstance(data, str) else json.dumps(data)
    return (
        "if (!sessionStorage.getItem('seeded')) {"
        f" localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(text)});"
        " sessionStorage.setItem('seeded', '1'); }"
    )


@pytest.fixture(scope="module")
def context(warm_context):
    """One context for the module, its clock fixed at NOW in UTC."""
    with warm_context(timezone_id="UTC") as context:
        context.clock.set_fixed_time(NOW)
        yield context


@pytest.fixture
def reader(context, csp_server):
    """make(*init_scripts, color_scheme=, viewport=) -> Tab, as a
    first-time reader (the site's storage cleared)."""
    server, site = csp_server
    yield from tab_maker(context, server.base, site)


def choice(page, skill: str, day: int):
    return page.get_by_role("combobox", name=f"{skill}, day {day} score")


def notice(page):
    return page.get_by_role("status").filter(has_text="study")


# ------------------------------------------------------- hook, no browser


def test_grid_rows_come_from_the_skill_list():
    md = render_grid(SKILLS)
    rows = [ln for ln in md.splitlines() if ln.startswith("| <span")]
    assert len(rows) == len(SKILLS) >= 3
    for s in SKILLS:
        for day in ("d0", "d7", "d21"):
            assert f'data-assess="{s["id"]} {day}"' in md


@pytest.mark.parametrize(
    "yml, message",
    [
        (
            "skills:\n  - {id: a, skill: A, pages: x}\n"
            "  - {id: a, skill: B, pages: y}\n",
            "duplicate id",
        ),
        ("skills:\n  - {id: a, skill: A}\n", "lacks ['pages']"),
        ("skills:\n  - {id: A b, skill: A, pages: x}\n", "id must be"),
        ("skills:\n  - {id: a, skill: A | B, pages: x}\n", "'|'"),
    ],
)
def test_a_bad_skill_list_fails_naming_file_and_skill(tmp_path, yml, message):
    from mkdocs.exceptions import PluginError

    path = tmp_path / "skills.yml"
    path.write_text(yml, encoding="utf-8")
    with pytest.raises(PluginError) as err:
        load_skills(path)
    assert "skills.yml: skill #" in str(err.value)
    assert message in str(err.value)


def test_plan_days_are_written_once_as_data_for_the_scripts():
    """The grid's columns and the plan's days reach the browser as data
    from hooks/assess.py; no script repeats them."""

    class Page:
        class file:
            src_uri = "index.md"

    md = on_page_markdown("# Home\n\n<!-- study-summary -->\n", Page, {}, None)
    assert 'id="notes-study"' in md
    m = re.search(
        r'<script type="application/json" id="notes-plan">(.*?)</script>', md
    )
    assert m, md
    data = json.loads(m[1])
    assert data["plan"] == [0, 3, 7, 14, 21]
    assert [d["key"] for d in data["days"]] == ["d0", "d7", "d21"]
    assert [d["label"] for d in data["days"]] == ["Day 0", "Day 7", "Day 21"]
    assert on_page_markdown("# GPT-1\n", Page, {}, None) == "# GPT-1\n"
    js = (ROOT / "docs" / "assets" / "js").glob("*.js")
    for path in js:
        text = path.read_text(encoding="utf-8")
        assert "[0, 3, 7, 14, 21]" not in text, path
        assert '"Day 21"' not in text, path


class _Files:
    def __init__(self, missing=()):
        self.missing = set(missing)

    def get_file_from_path(self, uri):
        return None if uri in self.missing else object()


class _Page:
    url = "index.html"

    class file:
        src_uri = "index.md"


def _scripts(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_page_scripts_follow_what_the_page_holds():
    """One mechanism (hooks/page_scripts.py) for every study script: data
    before the script that reads it, each file once, a style in <head>;
    a data index the build lacks is left out, any other file fails."""
    from mkdocs.exceptions import PluginError

    page = "<html><head></head><body>{}</body></html>"
    page_scripts.on_files(_Files(), {})
    out = page_scripts.on_post_page(
        page.format('<div id="notes-study"></div>'), _Page, {}
    )
    # The mock interview adds its latest result to the summary, once the
    # summary is drawn: its script comes last.
    assert _scripts(out) == [
        "assets/study/quiz-index.js",
        "assets/study/cards-index.js",
        "assets/js/study-summary.js",
        "assets/js/interview.js",
    ]
    both = page.format(
        '<div id="notes-review"></div><form data-quiz-id="x"></form>'
    )
    out = page_scripts.on_post_page(both, _Page, {})
    assert _scripts(out) == [
        "assets/js/quiz.js",
        "assets/vendor/ts-fsrs/index.umd.js",
        "assets/study/cards-index.js",
        "assets/js/flashcards-review.js",
    ]
    head = out[: out.index("</head>")]
    assert 'href="assets/css/flashcards-review.css"' in head
    plain = page.format("<p>x</p>")
    assert page_scripts.on_post_page(plain, _Page, {}) == plain

    page_scripts.on_files(_Files({page_scripts.CARDS_INDEX}), {})
    out = page_scripts.on_post_page(
        page.format('<div id="notes-study"></div>'), _Page, {}
    )
    assert "cards-index.js" not in out and "study-summary.js" in out
    page_scripts.on_files(_Files({"assets/js/assess-grid.js"}), {})
    with pytest.raises(PluginError, match="index.md needs assets/js/assess"):
        page_scripts.on_post_page(
            page.format('<span data-assess="a d0"></span>'), _Page, {}
        )
    page_scripts.on_files(None, {})


def test_study_scripts_load_only_on_the_pages_that_use_them(built_site):
    site, _ = built_site
    feature = {
        "assets/js/quiz.js",
        "assets/js/flashcards-review.js",
        "assets/js/assess-grid.js",
        "assets/js/study-summary.js",
        "assets/js/interview.js",
    }
    interview = "assets/js/interview.js"
    expected = {
        "index.html": {"assets/js/study-summary.js", interview},
        "flashcards.html": {"assets/js/flashcards-review.js"},
        "review-plan.html": {"assets/js/assess-grid.js", interview},
        "interview.html": {interview},
        "gpt-1.html": {"assets/js/quiz.js"},
        "how-to-read.html": set(),
        "kernels/attention.html": {"../assets/js/quiz.js"},
    }
    for name, want in expected.items():
        found = _scripts((site / name).read_text(encoding="utf-8"))
        core = [s for s in found if s.endswith("assets/js/notes-core.js")]
        assert len(core) == 1, (name, found)
        mine = {s for s in found if s.split("../")[-1] in feature}
        assert mine == want, name
        # The core comes before any feature script, and the interview's
        # after the grid's and the summary's, whose output it adds to.
        for s in mine:
            assert found.index(core[0]) < found.index(s), (name, found)
            if interview in mine and s != interview:
                assert found.index(s) < found.index(interview), found


# What the page's own scripts add to `window`: the globals with every
# script of docs/assets/js served, less those with each served empty.
GLOBALS = "() => Object.getOwnPropertyNames(window)"


@pytest.mark.parametrize(
    "stem", ["index", "flashcards", "review-plan", "gpt-1", "interview"]
)
def test_our_scripts_define_one_global(reader, stem):
    """notes-core.js defines `Notes`; every other script of
    docs/assets/js (katex-init.js aside) defines nothing global."""
    ours = re.compile(r"/assets/js/(?!katex-init\.js)[\w-]+\.js$")
    seen = {}
    for blank in (False, True):
        r = reader()
        if blank:
            r.page.route(
                ours,
                lambda route: route.fulfill(
                    body="", content_type="text/javascript"
                ),
            )
        page = r.open(stem)
        seen[blank] = set(page.evaluate(GLOBALS))
    assert seen[False] - seen[True] == {"Notes"}


# ------------------------------------------------------------ the grid


def test_grid_offers_a_named_choice_per_skill_and_day(reader):
    r = reader()
    page = r.open("review-plan")
    for s in SKILLS:
        for day in (0, 7, 21):
            field = choice(page, s["skill"], day)
            assert field.count() == 1, (s["id"], day)
    first = choice(page, FIRST, 0)
    options = first.locator("option").all_inner_texts()
    assert options == ["–", "1", "2", "3", "4", "5"]
    assert page.get_by_label("Your day 0").count() == 1
    chart = page.get_by_role("img", name=re.compile("Average score per"))
    assert chart.count() == 1
    assert "day 0 not scored yet" in chart.evaluate(
        "svg => document.getElementById("
        "svg.getAttribute('aria-labelledby')).textContent"
    )
    r.check_clean()


def test_grid_saves_by_keyboard_and_remembers_after_reload(reader):
    r = reader()
    page = r.open("review-plan")
    # Keyboard only: focus the first choice, type a score, Tab onwards.
    choice(page, FIRST, 0).focus()
    page.keyboard.press("4")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "document.activeElement.getAttribute('aria-label')"
    )
    assert focused == f"{FIRST}, day 7 score"
    page.keyboard.press("2")
    choice(page, SKILLS[2]["skill"], 21).select_option("5")
    page.get_by_label("Your day 0").fill("2026-11-30")
    page.get_by_label("Your day 0").dispatch_event("change")

    page.reload(wait_until="load")
    assert choice(page, FIRST, 0).input_value() == "4"
    assert choice(page, FIRST, 7).input_value() == "2"
    assert choice(page, SKILLS[2]["skill"], 21).input_value() == "5"
    assert choice(page, SKILLS[1]["skill"], 0).input_value() == ""
    assert page.get_by_label("Your day 0").input_value() == "2026-11-30"
    assert r.stored()["assess"] == {
        "start": "2026-11-30",
        "scores": {
            SKILLS[0]["id"]: {"d0": 4, "d7": 2},
            SKILLS[2]["id"]: {"d21": 5},
        },
    }
    chart = page.get_by_role("img", name=re.compile("Average score per day"))
    name = chart.evaluate(
        "svg => document.getElementById("
        "svg.getAttribute('aria-labelledby')).textContent"
    )
    assert f"day 0 4.0 of 5 (1 of {len(SKILLS)} skills)" in name
    assert f"day 7 2.0 of 5 (1 of {len(SKILLS)} skills)" in name
    assert f"day 21 5.0 of 5 (1 of {len(SKILLS)} skills)" in name
    assert chart.locator("rect").count() == 3
    assert (
        "day 3 Thu 3 Dec 2026"
        in page.locator(".notes-assess-plan").inner_text()
    )
    # Clearing a score takes it out of the store and the chart.
    choice(page, FIRST, 7).select_option("")
    assert r.stored()["assess"]["scores"][SKILLS[0]["id"]] == {"d0": 4}
    assert chart.locator("rect").count() == 2
    r.check_clean()


def test_grid_shows_as_a_table_without_scripts(chromium, csp_server):
    server, site = csp_server
    context = chromium.new_context(java_script_enabled=False)
    page = Tab(context, server.base, site).open("review-plan")
    table = page.locator(".notes-assess table")
    assert table.locator("tbody tr").count() == len(SKILLS)
    assert table.locator("thead th").all_inner_texts() == [
        "Skill",
        "Page",
        "Day 0",
        "Day 7",
        "Day 21",
    ]
    combos = page.get_by_role("combobox").count()
    links = page.get_by_role("link", name="GPT-1", exact=True).count()
    context.close()
    assert combos == 0
    assert links >= 1


PRINTED = """() => [...document.querySelectorAll('.notes-assess tbody tr')]
  .map(tr => [...tr.cells].map(td => td.innerText.trim()))"""


def test_grid_prints_with_the_scores_filled_in(reader, tmp_path):
    r = reader(seed(STUDIED), color_scheme="dark")
    page = r.open("review-plan")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    rows = {row[0]: row[2:] for row in page.evaluate(PRINTED)}
    assert rows[FIRST] == ["2", "", ""]
    assert rows[SKILLS[2]["skill"]] == ["4", "5", ""]
    assert page.locator("select:visible, input:visible").count() == 0
    start = page.locator(".notes-assess-start").inner_text()
    assert "2026-11-30" in start
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    r.check_clean()
    out = tmp_path / "review-plan.pdf"
    page.pdf(path=str(out), format="A4")
    flat = " ".join(pdf_text(out).split())
    # pdftotext lays a wrapped cell's lines out beside the next cells.
    assert re.search(r"GPT-1's objective.{0,40} GPT-1 2 ", flat), flat
    assert re.search(r"In-context learning.{0,40} P2 4 5 ", flat), flat


def test_print_again_after_switching_to_light_stays_light(reader):
    """Dark, print, back to the screen (dark), switch to light, print
    again: afterwards the page stays light, as the reader left it."""
    r = reader(color_scheme="dark")
    page = r.open("review-plan")

    def scheme():
        return page.evaluate("document.body.dataset.mdColorScheme")

    def print_once():
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert scheme() == "default"
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")

    assert scheme() == "slate"
    print_once()
    assert scheme() == "slate"
    page.get_by_title("Switch to light mode").click()
    assert scheme() == "default"
    print_once()
    assert scheme() == "default", "the page went back to dark"
    r.check_clean()


def test_grid_works_opened_from_disk(chromium, csp_server):
    _, site_dir = csp_server
    context = chromium.new_context(timezone_id="UTC")
    r = Tab(context, "file://", site_dir)
    try:
        page = r.open("review-plan")
        choice(page, FIRST, 0).select_option("3")
        page.reload(wait_until="load")
        assert choice(page, FIRST, 0).input_value() == "3"
        page.goto((site_dir / "index.html").as_uri(), wait_until="load")
        summary = page.locator("#notes-study")
        assert "day 0 average 3.0 of 5 (1 skill)" in summary.inner_text()
        r.check_clean()
    finally:
        context.close()


# --------------------------------------------------- the home page summary


def test_summary_empty_state_links_where_to_start(reader):
    r = reader(STUBS)
    page = r.open("index")
    summary = page.locator("#notes-study")
    assert "Nothing yet." in summary.inner_text()
    assert "6 cards, all new" in summary.inner_text()
    for name, href in [
        ("the flashcards", "flashcards.html"),
        ("GPT-1", "gpt-1.html#check-yourself"),
        ("review plan's grid", "review-plan.html#self-assessment-grid"),
    ]:
        link = summary.get_by_role("link", name=name, exact=True)
        assert link.get_attribute("href") == href
    r.check_clean()


def test_summary_counts_what_the_reader_did(reader):
    r = reader(STUBS, seed(STUDIED))
    page = r.open("index")
    text = " ".join(page.locator("#notes-study").inner_text().split())
    # card-0 overdue, card-1 due tonight, card-2 tomorrow; 3 never seen.
    assert "1 card due now, 1 more later today and 3 new" in text
    assert (
        "day 0 average 3.0 of 5 (2 skills); day 7 average 5.0 of 5 "
        "(1 skill)" in text
    )
    assert "next is day 3, Thu 3 Dec 2026 (today)" in text
    table = page.get_by_role("table", name="Quiz scores per page")
    rows = table.locator("tbody tr")
    assert rows.nth(0).locator("th, td").all_inner_texts() == [
        "GPT-1",
        "1",
        "2",
        "3",
    ]
    assert rows.nth(1).locator("th, td").all_inner_texts() == [
        "GPT-2",
        "–",
        "0",
        "2",
    ]
    assert (
        table.get_by_role("link", name="GPT-1").get_attribute("href")
        == "gpt-1.html#check-yourself"
    )
    r.check_clean()


def test_summary_and_review_agree_on_what_is_due(reader, context):
    """Three cards graded Again come back in a minute: the review says
    none is due now, and so must the home page; a few minutes on, both
    say three."""
    r = reader()
    page = r.open("flashcards")
    page.wait_for_selector("#notes-review[data-ready]")
    for _ in range(3):
        page.get_by_role("button", name="Show answer").click()
        page.get_by_role("button", name="Again").click()

    def review_due() -> int:
        deck = page.get_by_role("list", name="Deck counts")
        item = deck.get_by_role("listitem").filter(has_text="Due now")
        return int(item.get_by_role("strong").inner_text())

    def home_due() -> int:
        r.open("index")
        text = " ".join(page.locator("#notes-study").inner_text().split())
        m = re.search(r"Flashcards: (\d+) cards? due now", text)
        assert m, text
        if m[1] == "0":
            assert "3 more later today" in text, text
        return int(m[1])

    try:
        assert review_due() == 0
        assert home_due() == 0
        context.clock.set_fixed_time(NOW + timedelta(minutes=5))
        r.open("flashcards")
        page.wait_for_selector("#notes-review[data-ready]")
        assert review_due() == 3
        assert home_due() == 3
    finally:
        context.clock.set_fixed_time(NOW)
    r.check_clean()


def test_summary_plan_day_moves_with_the_calendar(reader):
    data = dict(STUDIED, assess={"start": "2026-11-20"})
    r = reader(STUBS, seed(data))
    text = r.open("index").locator("#notes-study").inner_text()
    # Day 13 of the plan: the next session is day 14, tomorrow.
    assert "next is day 14, Fri 4 Dec 2026 (tomorrow)" in text
    r.check_clean()


# The generated index scripts failed to load: the globals stay undefined.
NO_INDEXES = (
    "Object.defineProperty(window, 'NotesQuizIndex',"
    " {value: undefined, writable: false});"
    "Object.defineProperty(window, 'NotesCardsIndex',"
    " {value: undefined, writable: false});"
)


def test_summary_without_the_indexes_still_works(reader):
    r = reader(NO_INDEXES, seed(STUDIED))
    page = r.open("index")
    text = " ".join(page.locator("#notes-study").inner_text().split())
    assert "1 card due now and 1 more later today." in text
    assert "Quizzes: 2 questions answered." in text
    assert "next is day 3" in text
    r.check_clean()


# ------------------------------------------------------- a robust store


BROKEN = {
    "bad JSON": (
        '{"version": 1, "assess": {',
        "could not be read",
        None,
    ),
    "wrong shape": (
        json.dumps([1, 2, 3]),
        "unexpected shape",
        None,
    ),
    "one section wrong": (
        json.dumps(
            {"version": 1, "quiz": "lost", "assess": STUDIED["assess"]}
        ),
        "(quiz) was unreadable",
        "4",
    ),
    "other version": (
        json.dumps({"version": 0, "assess": STUDIED["assess"]}),
        "another version",
        "4",
    ),
    "bad entries": (
        json.dumps(
            {
                "version": 1,
                "assess": {
                    "start": "someday",
                    "scores": {"icl": {"d0": 4, "d7": 9}, "x": 3},
                },
            }
        ),
        "self-assessment (3 entries) was unreadable",
        "4",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=str)
@pytest.mark.parametrize("stem", ["review-plan", "index"])
def test_corrupt_storage_leaves_the_page_working(reader, case, stem):
    raw, message, kept = BROKEN[case]
    r = reader(STUBS, seed(raw))
    page = r.open(stem)
    status = notice(page)
    assert status.count() == 1, f"no notice for {case}"
    assert message in status.inner_text()
    if stem == "index":
        text = page.locator("#notes-study").inner_text()
        assert text.strip(), "the summary must still render"
        if kept:
            assert "day 0 average" in text, text
        page.goto(page.url.replace("index.html", "") + "review-plan.html")
    else:
        page.reload(wait_until="load")
    # What was kept has been stored back: the notice is not repeated.
    assert notice(page).count() == 0, "the notice comes back on every page"
    icl = choice(page, "In-context learning: what it is, two explanations", 0)
    assert icl.input_value() == (kept or "")
    # The grid still works and what the reader does now is saved.
    choice(page, FIRST, 21).select_option("3")
    page.reload(wait_until="load")
    assert choice(page, FIRST, 21).input_value() == "3"
    assert r.stored()["version"] == 1
    r.check_clean()


def test_a_full_quota_is_caught(reader):
    r = reader(QUOTA_FULL)
    page = r.open("review-plan")
    choice(page, FIRST, 0).select_option("4")
    choice(page, FIRST, 7).select_option("5")
    status = notice(page)
    assert status.count() == 1
    assert "would not store" in status.inner_text()
    assert status.locator("p").count() == 1, "one notice, not one per save"
    # The page keeps working for this visit.
    caption = page.locator("#notes-assess-chart-caption").inner_text()
    assert "day 0 4.0 of 5" in caption and "day 7 5.0 of 5" in caption
    r.check_clean()


# ------------------------------------------ accessibility and screenshots


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("stem", ["review-plan", "index"])
def test_axe_finds_no_serious_issue_with_data(reader, stem, scheme):
    """Every rule in light; in dark the colour rules (the same DOM)."""
    need_axe()
    r = reader(STUBS, seed(STUDIED), color_scheme=scheme)
    page = r.open(stem)
    serious = axe_serious(page, COLOUR_RULES if scheme == "dark" else None)
    assert not serious, json.dumps(serious, indent=1)
    r.check_clean()


@pytest.mark.parametrize(
    "name, options",
    [
        ("light", {"color_scheme": "light"}),
        ("dark", {"color_scheme": "dark"}),
        ("375px", {"viewport": {"width": 375, "height": 800}}),
    ],
)
def test_screenshots_for_a_person_to_look_at(reader, name, options):
    """Not a check: pictures in artifacts/ of the grid and the summary."""
    r = reader(STUBS, seed(STUDIED), **options)
    ARTIFACTS.mkdir(exist_ok=True)
    page = r.open("review-plan")
    # The sticky header would cover the top of each element shot.
    page.add_style_tag(content=".md-header { position: static; }")
    page.locator(".notes-assess-tools").screenshot(
        path=ARTIFACTS / f"assess-tools-{name}.png"
    )
    grid = page.locator(".notes-assess")
    grid.screenshot(path=ARTIFACTS / f"assess-grid-{name}.png")
    page.locator(".notes-assess-chart").screenshot(
        path=ARTIFACTS / f"assess-chart-{name}.png"
    )
    page = r.open("index")
    page.add_style_tag(content=".md-header { position: static; }")
    page.locator("#notes-study").screenshot(
        path=ARTIFACTS / f"study-summary-{name}.png"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    r.check_clean()
