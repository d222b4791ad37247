"""Every page in the nav, opened once in Chromium and served with the
strict Content-Security-Policy, as a reader at a desk sees it, then in
dark, then at a phone's width.

One visit per page gathers what the tests below check: the page renders
completely and offline (no request to another host, no console error, no
failed load, math typeset and diagrams drawn, both at build time); its
nav and table of contents show no TeX; no CSP violation; its quiz has
every question; axe-core finds nothing serious with the quiz answered
and its feedback showing;
switched to dark with the header's toggle, the colour rules pass too
(the DOM is the same, so the other rules cannot change); narrowed to
375 px, nothing in the article scrolls the page sideways.

The visits share one browser context with a profile on disk, so the
scripts every page loads (Material and the study scripts) are compiled
once, as in a reader's browser, instead of once per check (conftest.py
warm_context). Pages carry their math and diagrams in the HTML, so a
visit waits for the load event only.
"""

from __future__ import annotations

import json
import re

import pytest

from hooks.quiz import load_quizzes
from tests.browser import (
    ANSWER_EVERY_QUESTION,
    ARTIFACTS,
    AXE,
    COLOUR_RULES,
    PageVisits,
    Watch,
    axe_serious,
    clear_site_data,
    nav_pages,
    need_axe,
    page_url,
)
from tests.harness import TEX_SOURCE

pytestmark = pytest.mark.browser

PAGES = [stem for _, stem in nav_pages()]
TITLES = [title for title, _ in nav_pages()]
QUESTIONS = {
    page[: -len(".md")]: len(questions)
    for page, questions in load_quizzes().items()
}
SCREENSHOT_PAGE = "how-to-read"

# Math typeset and diagrams inlined by the build (hooks/typeset.py,
# hooks/diagrams.py): what a visit finds in the page as served.
PAGE_STATE = """() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  const diagrams = [...document.querySelectorAll('.notes-diagram')];
  return {
    math: math.length,
    unrendered: math.filter(m => !m.querySelector('.katex')).length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    mermaidFences: document.querySelectorAll('pre.mermaid').length,
    diagrams: diagrams.length,
    drawn: diagrams.filter(d => {
      const svg = d.querySelector(':scope > svg');
      return svg && svg.getBoundingClientRect().height > 0;
    }).length,
  };
}"""

# The sidebar navigation and the page's table of contents as a reader sees
# them (innerText), plus how many h2 headings the article's Markdown has
# (a panel a script builds, like the flashcards' Review, is not in it).
NAV_TEXT = """() => {
  const text = sel => [...document.querySelectorAll(sel)]
    .map(a => a.innerText.trim()).filter(Boolean);
  return {
    nav: text('nav.md-nav--primary .md-nav__link'),
    toc: text('.md-sidebar--secondary nav.md-nav--secondary .md-nav__link'),
    h2: document.querySelectorAll('article h2[id]:has(> a.headerlink)').length,
  };
}"""

BOX_STATE = """() => ['answer', 'trap', 'reject', 'company'].map(type => {
  const title = document.querySelector(
    `.admonition.${type} > .admonition-title`);
  if (!title) return [type, null, null];
  const icon = getComputedStyle(title, '::before');
  return [type, icon.maskImage || icon.webkitMaskImage,
          getComputedStyle(title.parentElement).borderLeftColor];
})"""


# Elements of the article wider than the screen. Code, tables, display
# math and diagrams scroll inside their own box; the navigation drawers and
# the search sit off-screen by design.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const allowed = 'pre, code, table, .md-typeset__scrollwrap, .katex-display,'
    + ' .arithmatex, .notes-diagram, .highlight, .jupyter-wrapper,'
    + ' .md-sidebar, .md-search, .md-nav';
  const bad = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    if (el.closest(allowed)) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1) {
      bad.push(el.tagName.toLowerCase() + '.' + el.className + ' right='
        + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, bad};
}"""

PHONE = {"width": 375, "height": 800}
DARK = "() => document.body.dataset.mdColorScheme === 'slate'"
# Two frames, so layout and resize handlers have run.
TWO_FRAMES = (
    "() => new Promise(r => requestAnimationFrame("
    "() => requestAnimationFrame(r)))"
)


def visit(context, base: str, site, stem: str) -> dict:
    # A first-time reader on every page: no palette (the toggle below
    # stores one) and no answers kept from an earlier visit or module.
    clear_site_data(context, base)
    page = context.new_page()
    watch = Watch(page, base)
    try:
        page.goto(base + page_url(site, stem))
        seen = {
            "scheme": page.evaluate("document.body.dataset.mdColorScheme"),
            "state": page.evaluate(PAGE_STATE),
            "nav": page.evaluate(NAV_TEXT),
        }
        if stem == SCREENSHOT_PAGE:
            seen["boxes"] = page.evaluate(BOX_STATE)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "how-to-read.png", full_page=True)
        # A chapter's quiz is checked as a reader leaves it: answered,
        # with its feedback (verdict, explanation, links) showing.
        seen["forms"], seen["answered"] = page.evaluate(ANSWER_EVERY_QUESTION)
        # Without axe-core, only the axe test skips (or fails in CI).
        seen["axe"] = axe_serious(page) if AXE.is_file() else None
        # Dark, as the reader's toggle in the header sets it: the same
        # DOM, so the colour rules are all that can change.
        page.get_by_title("Switch to dark mode").click()
        page.wait_for_function(DARK, timeout=5000)
        if AXE.is_file():
            seen["dark_axe"] = axe_serious(page, COLOUR_RULES)
        # Then as narrow as a phone, as a window or a turned tablet gets.
        page.set_viewport_size(PHONE)
        page.evaluate(TWO_FRAMES)
        seen["overflow"] = page.evaluate(OVERFLOW)
        seen["csp"] = watch.csp()
    finally:
        page.close()
    seen["errors"] = watch.errors
    seen["foreign"] = watch.foreign
    seen["missing"] = watch.missing
    return seen


@pytest.fixture(scope="module")
def desk(warm_context, csp_server):
    """(context, base, site): light, 1280 px wide, on the CSP server."""
    server, site = csp_server
    with warm_context(
        color_scheme="light", viewport={"width": 1280, "height": 900}
    ) as context:
        yield context, server.base, site


@pytest.fixture(scope="module")
def visits(desk):
    return PageVisits(lambda stem: visit(*desk, stem))


@pytest.mark.parametrize("stem", PAGES)
def test_page_renders_offline(visits, stem):
    seen = visits[stem]
    state = seen["state"]
    assert seen["scheme"] == "default", seen["scheme"]
    for problem in ("foreign", "missing", "errors"):
        assert seen[problem] == [], f"{problem}: {seen[problem]}"
    assert state["katexErrors"] == 0, state
    assert state["unrendered"] == 0, f"math left as TeX: {state}"
    assert state["mermaidFences"] == 0, f"diagram not drawn: {state}"
    assert state["drawn"] == state["diagrams"], f"empty diagram: {state}"


def test_reading_page_has_math_and_a_diagram(visits):
    """The conventions page exercises both build-time renderers, so a
    silent break of either shows up here even if other pages have none."""
    state = visits[SCREENSHOT_PAGE]["state"]
    assert state["math"] >= 3 and state["unrendered"] == 0, state
    assert state["diagrams"] >= 1 and state["drawn"] == state["diagrams"]


def test_chapter_boxes_have_their_own_icon_and_colour(visits):
    """60-Second Answer, Common Trap, Instant Rejection, Company
    Variation: each draws its own icon (a CSS mask) and border colour."""
    boxes = visits[SCREENSHOT_PAGE]["boxes"]
    for box_type, icon, _ in boxes:
        assert icon and icon.startswith('url("data:image/svg'), box_type
    assert len({icon for _, icon, _ in boxes}) == 4, "icons must differ"
    assert len({colour for _, _, colour in boxes}) == 4, "colours must differ"


@pytest.mark.parametrize("stem", PAGES)
def test_nav_and_toc_show_no_tex(visits, stem):
    """Heading math is typeset only in the article; the navigation and the
    table of contents would show its TeX source, as GPT-3's TOC once
    showed `Kaplan et al.'s \\(L(N)\\)`."""
    nav = visits[stem]["nav"]
    assert set(TITLES) <= set(nav["nav"]), "nav titles missing"
    assert len(nav["toc"]) >= nav["h2"], f"TOC entries missing: {nav}"
    bad = [t for t in nav["nav"] + nav["toc"] if TEX_SOURCE.search(t)]
    assert not bad, f"TeX source in the nav or the TOC of {stem}: {bad}"


@pytest.mark.parametrize("stem", PAGES)
def test_no_csp_violation(visits, stem):
    seen = visits[stem]
    logged = [e for e in seen["errors"] if "Content Security Policy" in e]
    assert not seen["csp"] and not logged, seen["csp"] + logged


@pytest.mark.parametrize("stem", PAGES)
def test_quiz_has_every_question_and_answers(visits, stem):
    """A chapter's "Check yourself" shows all its questions (none on the
    other pages), and each gives feedback when checked."""
    seen = visits[stem]
    assert seen["forms"] == QUESTIONS.get(stem, 0), seen["forms"]
    assert seen["answered"] == seen["forms"], (
        f"{seen['answered']} of {seen['forms']} quiz answers shown"
    )


@pytest.mark.parametrize("stem", PAGES)
def test_axe_finds_no_serious_issue(visits, stem):
    need_axe()
    serious = visits[stem]["axe"]
    assert not serious, json.dumps(serious, indent=1)


RESULT_TITLES = """() => [...document.querySelectorAll(
  '.md-search-result__article h1, .md-search-result__article h2')]
  .map(h => h.innerText.trim())"""

RESULT_STATE = """() => {
  const list = document.querySelector('.md-search-result__list');
  list.querySelectorAll('details').forEach(d => { d.open = true; });
  return {text: list.innerText};
}"""

# In body text a dollar is a price (\$4.6M), so teasers are checked for
# TeX delimiters and commands only.
TEX_IN_TEXT = re.compile(r"\\[()\[\]]|\\[A-Za-z]+")


def test_search_results_show_no_tex(desk):
    """Type a query as a reader would and read the results: the section
    that once had math in its heading comes back under a plain title, and
    the formulas its text repeats read as text (the index holds KaTeX's
    MathML text, hooks/typeset.py), not as TeX source."""
    context, base, site = desk
    page = context.new_page()
    page.goto(base + page_url(site, "gpt-3"))
    page.keyboard.press("/")  # Material's shortcut to the search box
    search = page.get_by_role("textbox", name="Search")
    assert search.evaluate("el => el === document.activeElement")
    page.keyboard.type("Kaplan")
    page.wait_for_function(
        f"() => ({RESULT_TITLES})().length > 0", timeout=15000
    )
    titles = page.evaluate(RESULT_TITLES)
    state = page.evaluate(RESULT_STATE)
    page.close()
    assert "Kaplan et al.'s L(N)" in titles, titles
    bad = [t for t in titles if TEX_SOURCE.search(t)]
    assert not bad, f"TeX source in search result titles: {bad}"
    # Kaplan's law, L(N) = (N_c / N)^alpha_N, as its MathML text.
    assert "L(N)=(NcN)αN" in state["text"].replace(" ", ""), state
    left = TEX_IN_TEXT.findall(state["text"])
    assert not left, f"TeX source in search result text: {left[:10]}"


@pytest.mark.parametrize("stem", PAGES)
def test_axe_finds_no_serious_colour_issue_in_dark(visits, stem):
    need_axe()
    serious = visits[stem]["dark_axe"]
    assert not serious, json.dumps(serious, indent=1)


@pytest.mark.parametrize("stem", PAGES)
def test_no_horizontal_overflow_at_375px(visits, stem):
    state = visits[stem]["overflow"]
    assert state["scroll"] <= state["width"], state
    assert not state["bad"], state["bad"][:10]
