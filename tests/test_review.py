"""The flashcards page's review mode, driven in Chromium as a reader uses
it: keyboard and accessible names, reload, export and import, forget,
print, both colour schemes, a phone screen, and a copy opened from disk.

The site here is a trimmed copy of the project (two pages and the
flashcards page) built with tests/fixtures/review-deck.yml as its deck,
so the tests do not depend on the real deck's size or wording. Every
test fails on a console error, a page error or a request to another host.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser import (
    ARTIFACTS,
    COLOUR_RULES,
    CSP,
    STORE_KEY,
    SiteServer,
    Tab,
    axe_serious,
    need_axe,
    tab_maker,
)
from tests.support import build_review_site

pytestmark = pytest.mark.browser

# A fixed "now" for the page's clock, so due dates are reproducible.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CARD_FIELDS = {
    "due",
    "last_review",
    "stability",
    "difficulty",
    "elapsed_days",
    "scheduled_days",
    "learning_steps",
    "reps",
    "lapses",
    "state",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_review_site(tmp_path_factory.mktemp("review") / "copy") / (
        "site"
    )


@pytest.fixture(scope="module")
def server(site):
    with SiteServer(site, {"Content-Security-Policy": CSP}) as s:
        yield s


class ReviewTab(Tab):
    def open_review(self, when: datetime = NOW):
        """The flashcards page in review mode, its clock at `when`."""
        self.page.clock.set_fixed_time(when)
        self.open("flashcards")
        self.page.wait_for_selector("#notes-review[data-ready]")
        return self.page


@pytest.fixture(scope="module")
def context(warm_context):
    with warm_context(accept_downloads=True) as context:
        yield context


@pytest.fixture
def tabs(context, server, site):
    """make(color_scheme=, viewport=) -> ReviewTab, as a first-time
    reader; every tab must end with no console error, page error or
    request to another host."""
    yield from tab_maker(context, server.base, site, ReviewTab)


@pytest.fixture
def reader(tabs):
    return tabs()


def counts(page) -> dict[str, int]:
    deck = page.get_by_role("list", name="Deck counts")
    out = {}
    for label in ("Due now", "New", "Learned"):
        item = deck.get_by_role("listitem").filter(has_text=label)
        out[label] = int(item.get_by_role("strong").inner_text())
    return out


def stored_cards(page) -> dict:
    raw = page.evaluate(f"localStorage.getItem({STORE_KEY!r})")
    return json.loads(raw)["cards"] if raw else {}


def tab_to(page, name: str, limit: int = 40):
    """Press Tab until the focus is on the button named `name`."""
    button = page.get_by_role("button", name=name, exact=True)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def review_one(page, grade: str) -> str:
    """Show the answer and grade it, by keyboard. Returns the question."""
    question = page.locator(".notes-review-q").inner_text()
    show = page.get_by_role("button", name="Show answer")
    show.focus()
    page.keyboard.press("Enter")
    answer = page.get_by_role("region", name="Answer")
    assert answer.is_visible()
    tab_to(page, grade)
    page.keyboard.press("Enter")
    return question


# ----------------------------------------------------------- reviewing


def test_review_three_cards_then_reload_keeps_the_schedule(reader):
    page = reader.open_review()
    assert counts(page) == {"Due now": 0, "New": 5, "Learned": 0}
    for name in ("Show answer",):
        assert page.get_by_role("button", name=name).is_visible()
    for grade in ("Again", "Hard", "Good", "Easy"):
        assert not page.get_by_role("button", name=grade).is_visible()

    asked = [
        review_one(page, "Good"),
        review_one(page, "Easy"),
        review_one(page, "Again"),
    ]
    assert asked == [
        "First test question?",
        "Second test question, with a two-paragraph answer?",
        "Third test question?",
    ]
    # Good and Again keep a new card in its learning steps; Easy on a new
    # card graduates it at once.
    assert counts(page) == {"Due now": 0, "New": 2, "Learned": 1}
    status = page.get_by_role("status").filter(has_text="Graded Again")
    assert "comes back in 1 min" in status.inner_text()
    saved = stored_cards(page)
    assert sorted(saved) == ["t-one", "t-three", "t-two"]
    for entry in saved.values():
        assert set(entry) == CARD_FIELDS, entry
    assert saved["t-one"]["due"] == "2026-03-02T09:10:00.000Z"
    assert saved["t-three"]["due"] == "2026-03-02T09:01:00.000Z"
    # Each card's next date, in the browse list as well.
    nxt = page.locator('.notes-card-next[data-card="t-one"]')
    assert nxt.text_content() == "Next review: in 10 min"
    assert (
        page.locator('.notes-card-next[data-card="t-four"]').text_content()
        == ""
    )

    page.reload(wait_until="load")
    page.wait_for_selector("#notes-review[data-ready]")
    assert stored_cards(page) == saved
    assert counts(page) == {"Due now": 0, "New": 2, "Learned": 1}
    assert page.locator(".notes-review-q").inner_text() == (
        "Fourth test question?"
    )
    assert nxt.text_content() == "Next review: in 10 min"

    # Three days on, the two learning cards and nothing else are due, and
    # they come before the new ones.
    reader.open_review(NOW + timedelta(days=3))
    assert counts(page) == {"Due now": 2, "New": 2, "Learned": 1}
    assert page.locator(".notes-review-q").inner_text() == (
        "Third test question?"
    )
    easy_due = datetime.fromisoformat(saved["t-two"]["due"])
    reader.open_review(easy_due + timedelta(minutes=1))
    assert counts(page)["Due now"] == 3


def test_grade_buttons_say_when_each_grade_brings_the_card_back(reader):
    page = reader.open_review()
    page.get_by_role("button", name="Show answer").click()
    hints = {
        g: page.get_by_role("button", name=g).get_attribute("aria-describedby")
        for g in ("Again", "Hard", "Good", "Easy")
    }
    text = {
        g: page.locator(f"#{hid}").inner_text() for g, hid in hints.items()
    }
    assert text["Again"] == "next in 1 min"
    assert text["Good"] == "next in 10 min"
    assert text["Easy"].startswith("next 2026-03-")


def test_a_finished_deck_says_when_the_next_card_is_due(reader):
    page = reader.open_review()
    for _ in range(5):
        review_one(page, "Easy")
    assert counts(page) == {"Due now": 0, "New": 0, "Learned": 5}
    assert page.get_by_text("Nothing is due.").is_visible()
    # The keyboard focus lands on that message, not on the page body.
    assert page.evaluate("document.activeElement.innerText").startswith(
        "Nothing is due."
    )
    assert not page.get_by_role("button", name="Show answer").is_visible()


def test_an_unreadable_schedule_entry_leaves_the_page_working(reader):
    page = reader.open_review()
    bad = {"version": 1, "cards": {"t-one": {"due": "soon"}, "t-two": 7}}
    page.evaluate(f"localStorage.setItem({STORE_KEY!r}, {json.dumps(bad)!r})")
    page.reload(wait_until="load")
    page.wait_for_selector("#notes-review[data-ready]")
    assert counts(page) == {"Due now": 0, "New": 5, "Learned": 0}
    assert (
        "could not be read" in page.locator("#notes-store-notice").inner_text()
    )
    review_one(page, "Good")
    assert stored_cards(page)["t-one"]["state"] == 1


def test_an_unreadable_schedule_is_reported_once_not_every_visit(reader):
    page = reader.open_review()
    good = stored_cards(page)
    bad = {"version": 1, "cards": {"t-one": {"due": "soon"}, "t-two": 7}}
    page.evaluate(f"localStorage.setItem({STORE_KEY!r}, {json.dumps(bad)!r})")
    page.reload(wait_until="load")
    page.wait_for_selector("#notes-review[data-ready]")
    notice = page.get_by_role("status").filter(has_text="could not be read")
    assert notice.count() == 1
    # The entries that cannot be read are gone from the store, so the
    # next visit has nothing to report.
    assert stored_cards(page) == good == {}
    page.reload(wait_until="load")
    page.wait_for_selector("#notes-review[data-ready]")
    assert notice.count() == 0, "the notice comes back on every visit"
    assert counts(page) == {"Due now": 0, "New": 5, "Learned": 0}


# ------------------------------------------------------------ keyboard


def test_keys_show_and_grade_as_in_anki(reader):
    page = reader.open_review()
    show = page.get_by_role("button", name="Show answer")
    # Each key is shown on its button and announced as its shortcut.
    assert show.get_attribute("aria-keyshortcuts") == "Space"
    assert show.locator("kbd").inner_text() == "Space"
    page.keyboard.press("Space")
    assert page.get_by_role("region", name="Answer").is_visible()
    for n, grade in enumerate(("Again", "Hard", "Good", "Easy"), 1):
        button = page.get_by_role("button", name=grade, exact=True)
        assert button.get_attribute("aria-keyshortcuts") == str(n)
        assert button.locator("kbd").inner_text() == str(n)
    page.keyboard.press("3")
    status = page.get_by_role("status").filter(has_text="Graded Good")
    assert "comes back in 10 min" in status.inner_text()
    assert list(stored_cards(page)) == ["t-one"]
    # The next card: Space, then 4 (Easy).
    page.keyboard.press("Space")
    page.keyboard.press("4")
    assert page.get_by_role("status").filter(has_text="Graded Easy").count()
    assert counts(page) == {"Due now": 0, "New": 3, "Learned": 1}


def test_keys_do_nothing_while_typing_or_confirming(reader):
    page = reader.open_review()
    search = page.get_by_role("textbox", name="Search")
    page.get_by_role("button", name="Show answer").click()
    saved = stored_cards(page)
    # A text field: the keys are its own.
    search.focus()
    page.keyboard.press("1")
    page.keyboard.press("Space")
    assert search.input_value() == "1 "
    assert stored_cards(page) == saved == {}
    page.keyboard.press("Escape")
    search.fill("")
    # The confirmation box: 1 to 4 grade nothing while it asks.
    page.get_by_role("button", name="Forget my progress").click()
    assert page.evaluate("document.activeElement.innerText") == (
        "Keep my progress"
    )
    for key in ("1", "2", "3", "4"):
        page.keyboard.press(key)
    assert stored_cards(page) == {}
    assert counts(page) == {"Due now": 0, "New": 5, "Learned": 0}
    page.keyboard.press("Escape")
    # Back on the page, the keys work again.
    page.get_by_role("region", name="Answer").focus()
    page.keyboard.press("1")
    assert list(stored_cards(page)) == ["t-one"]


# --------------------------------------------- export, import, forget


def test_export_then_import_restores_the_schedule(reader, tmp_path):
    page = reader.open_review()
    review_one(page, "Good")
    review_one(page, "Hard")
    saved = stored_cards(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export progress").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["version"] == 1 and exported["cards"] == saved

    page.get_by_role("button", name="Forget my progress").click()
    page.get_by_role("button", name="Yes, forget it").click()
    assert stored_cards(page) == {}
    assert counts(page)["New"] == 5

    page.get_by_label("Import progress").set_input_files(path)
    page.get_by_role("status").filter(has_text="Imported").wait_for()
    assert stored_cards(page) == saved
    assert counts(page)["New"] == 3

    junk = tmp_path / "junk.json"
    junk.write_text("not json", encoding="utf-8")
    page.get_by_label("Import progress").set_input_files(junk)
    page.get_by_role("status").filter(has_text="Nothing imported").wait_for()
    assert stored_cards(page) == saved


def test_forget_asks_first_and_escape_keeps_everything(reader):
    page = reader.open_review()
    review_one(page, "Good")
    saved = stored_cards(page)
    forget = page.get_by_role("button", name="Forget my progress")
    forget.focus()
    page.keyboard.press("Enter")
    ask = page.get_by_role("group", name="Forget the review schedule")
    assert ask.is_visible()
    # The safe choice has the focus; Escape backs out.
    assert page.evaluate("document.activeElement.innerText") == (
        "Keep my progress"
    )
    page.keyboard.press("Escape")
    assert not ask.is_visible()
    assert stored_cards(page) == saved
    assert page.evaluate("document.activeElement.innerText") == (
        "Forget my progress"
    )
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # on "Keep my progress"
    assert not ask.is_visible() and stored_cards(page) == saved
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # on "Yes, forget it"
    assert stored_cards(page) == {}
    assert counts(page) == {"Due now": 0, "New": 5, "Learned": 0}
    assert "Forgot" in page.get_by_role("status").last.inner_text()


# ------------------------------------------------------ print, a11y


def test_print_shows_the_browse_view_not_the_review(reader):
    page = reader.open_review()
    review_one(page, "Good")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    state = page.evaluate(
        """() => {
      const box = (el) => el.getBoundingClientRect();
      const second = [...document.querySelectorAll('article details')]
        .find(d => d.textContent.includes('Closing paragraph'));
      const last = [...second.querySelectorAll('p')]
        .find(p => p.textContent.includes('Closing paragraph'));
      return {
        review: box(document.getElementById('notes-review')).height,
        details: document.querySelectorAll('article details').length,
        hidden: [...document.querySelectorAll('article details > p')]
          .filter(p => box(p).height === 0).length,
        inBox: second.contains(last) && box(last).height > 0
          && box(last).bottom <= box(second).bottom,
      };
    }"""
    )
    assert state["review"] == 0, state
    assert state["details"] == 5 and state["hidden"] == 0, state
    assert state["inBox"], state


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_issue_in_review_mode(tabs, scheme):
    """Every rule in light; in dark the colour rules (the same DOM)."""
    need_axe()
    page = tabs(color_scheme=scheme).open_review()
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    review_one(page, "Good")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Forget my progress").click()
    serious = axe_serious(page, COLOUR_RULES if scheme == "dark" else None)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"review-{scheme}.png", full_page=True)
    assert not serious, json.dumps(serious, indent=1)


def test_review_fits_a_phone_screen(tabs):
    page = tabs(viewport={"width": 375, "height": 800}).open_review()
    page.get_by_role("button", name="Show answer").click()
    state = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   width: document.documentElement.clientWidth,
                   panel: document.getElementById('notes-review')
                     .getBoundingClientRect().right})"""
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "review-375px.png", full_page=True)
    assert state["scroll"] <= state["width"], state
    assert state["panel"] <= state["width"], state


# ------------------------------------------------------------ file://


def test_review_works_from_disk(chromium, site):
    context = chromium.new_context()
    try:
        r = ReviewTab(context, "file://", site)
        page = r.open_review()
        assert counts(page)["New"] == 5
        review_one(page, "Good")
        saved = stored_cards(page)
        assert list(saved) == ["t-one"]
        page.reload(wait_until="load")
        page.wait_for_selector("#notes-review[data-ready]")
        assert stored_cards(page) == saved
        assert counts(page) == {"Due now": 0, "New": 4, "Learned": 0}
        r.check_clean()
    finally:
        context.close()


# ------------------------------------------------------- built files


def test_the_build_publishes_the_index_and_the_exports(site):
    index = (site / "assets" / "study" / "cards-index.js").read_text(
        encoding="utf-8"
    )
    prefix = "window.NotesCardsIndex = "
    body = index[index.index(prefix) + len(prefix) :].rstrip().rstrip(";")
    cards = json.loads(body)["cards"]
    assert [c["id"] for c in cards] == [
        "t-one",
        "t-two",
        "t-three",
        "t-four",
        "t-five",
    ]
    for c in cards:
        assert {"id", "topic", "skill", "page", "q_html", "a_html"} <= set(c)
    assert cards[1]["a_html"].count("<p>") == 2
    assert cards[2]["url"] == "index.html"
    html = (site / "flashcards.html").read_text(encoding="utf-8")
    for name in ("gpt-series-flashcards.apkg", "gpt-series-flashcards.csv"):
        assert (site / "assets" / "flashcards" / name).stat().st_size > 100
        assert f'href="assets/flashcards/{name}"' in html
