"""Every page, opened in a real Chromium, renders completely and offline.

Fails on any request to another host, any console error, a KaTeX error,
math left as TeX, or a mermaid diagram that did not become an SVG.
A screenshot of one page lands in artifacts/ (ignored by git).
"""

from __future__ import annotations

import re

import pytest

from tests.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    OPEN_SHADOW_ROOTS,
    SiteServer,
    is_foreign,
    nav_pages,
    page_url,
    sync_playwright_or_skip,
)
from tests.harness import TEX_SOURCE

pytestmark = pytest.mark.browser

SCREENSHOT_PAGE = "how-to-read"

PAGE_STATE = """() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  const diagrams = [...document.querySelectorAll('div.mermaid')];
  return {
    title: document.title,
    math: math.length,
    unrendered: math.filter(m => !m.querySelector('.katex')).length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    mermaidFences: document.querySelectorAll('pre.mermaid').length,
    diagrams: diagrams.length,
    drawn: diagrams.filter(d => {
      const svg = d.shadowRoot && d.shadowRoot.querySelector('svg');
      return svg && svg.getBoundingClientRect().height > 0;
    }).length,
  };
}"""


@pytest.fixture(scope="module")
def browser_page(built_site):
    """(server, site, context): one Chromium for the module."""
    sync_playwright = sync_playwright_or_skip()
    site, _ = built_site
    with SiteServer(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(OPEN_SHADOW_ROOTS)
        yield server, site, context
        context.close()
        browser.close()


@pytest.mark.parametrize("path", [stem for _, stem in nav_pages()], ids=str)
def test_page_renders_offline(browser_page, path):
    server, site, context = browser_page
    page = context.new_page()
    foreign, errors, missing = [], [], []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if is_foreign(r.url, server.base) else 0
        ),
    )
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            missing.append(f"{r.status} {r.url}") if r.status >= 400 else None
        ),
    )
    page.goto(server.base + page_url(site, path), wait_until="networkidle")
    # Mermaid renders asynchronously after load.
    page.wait_for_function(
        "() => !document.querySelector('pre.mermaid')", timeout=15000
    )
    state = page.evaluate(PAGE_STATE)
    if path == SCREENSHOT_PAGE:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "how-to-read.png", full_page=True)
    page.close()
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert missing == [], f"failed loads on the site: {missing}"
    assert errors == [], f"console errors: {errors}"
    assert state["katexErrors"] == 0, state
    assert state["unrendered"] == 0, f"math left as TeX: {state}"
    assert state["mermaidFences"] == 0, f"diagram not drawn: {state}"
    assert state["drawn"] == state["diagrams"], f"empty diagram: {state}"


def test_reading_page_has_math_and_a_diagram(browser_page):
    """The conventions page exercises both renderers, so a silent break
    of either shows up here even if other pages have none."""
    server, site, context = browser_page
    page = context.new_page()
    url = server.base + page_url(site, SCREENSHOT_PAGE)
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(
        "() => !document.querySelector('pre.mermaid')", timeout=15000
    )
    state = page.evaluate(PAGE_STATE)
    page.close()
    assert state["math"] >= 3 and state["unrendered"] == 0, state
    assert state["diagrams"] >= 1 and state["drawn"] == state["diagrams"]


BOX_STATE = """() => ['answer', 'trap', 'reject', 'company'].map(type => {
  const title = document.querySelector(
    `.admonition.${type} > .admonition-title`);
  if (!title) return [type, null, null];
  const icon = getComputedStyle(title, '::before');
  return [type, icon.maskImage || icon.webkitMaskImage,
          getComputedStyle(title.parentElement).borderLeftColor];
})"""


def test_chapter_boxes_have_their_own_icon_and_colour(browser_page):
    """60-Second Answer, Common Trap, Instant Rejection, Company
    Variation: each draws its own icon (a CSS mask) and border colour."""
    server, site, context = browser_page
    page = context.new_page()
    page.goto(server.base + page_url(site, SCREENSHOT_PAGE))
    boxes = page.evaluate(BOX_STATE)
    page.close()
    for box_type, icon, _ in boxes:
        assert icon and icon.startswith('url("data:image/svg'), box_type
    assert len({icon for _, icon, _ in boxes}) == 4, "icons must differ"
    assert len({colour for _, _, colour in boxes}) == 4, "colours must differ"


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


@pytest.mark.parametrize("path", [stem for _, stem in nav_pages()], ids=str)
def test_nav_and_toc_show_no_tex(browser_page, path):
    """Heading math is typeset only in the article; the navigation and the
    table of contents would show its TeX source, as GPT-3's TOC once
    showed `Kaplan et al.'s \\(L(N)\\)`."""
    server, site, context = browser_page
    page = context.new_page()
    page.goto(server.base + page_url(site, path))
    state = page.evaluate(NAV_TEXT)
    page.close()
    titles = [title for title, _ in nav_pages()]
    assert set(titles) <= set(state["nav"]), "nav titles missing"
    assert len(state["toc"]) >= state["h2"], f"TOC entries missing: {state}"
    bad = [t for t in state["nav"] + state["toc"] if TEX_SOURCE.search(t)]
    assert not bad, f"TeX source in the nav or the TOC of {path}: {bad}"


RESULT_TITLES = """() => [...document.querySelectorAll(
  '.md-search-result__article h1, .md-search-result__article h2')]
  .map(h => h.innerText.trim())"""

RESULT_STATE = """() => {
  const list = document.querySelector('.md-search-result__list');
  list.querySelectorAll('details').forEach(d => { d.open = true; });
  return {
    text: list.innerText,
    katex: list.querySelectorAll('.katex').length,
    errors: list.querySelectorAll('.katex-error').length,
  };
}"""

# In body text a dollar is a price (\$4.6M), so teasers are checked for
# TeX delimiters and commands only.
TEX_IN_TEXT = re.compile(r"\\[()\[\]]|\\[A-Za-z]+")


def test_search_results_show_no_tex(browser_page):
    """Type a query as a reader would and read the results: the section
    that once had math in its heading comes back under a plain title, and
    the formulas its text repeats are typeset, not shown as source."""
    server, site, context = browser_page
    page = context.new_page()
    page.goto(server.base + page_url(site, "gpt-3"), wait_until="networkidle")
    page.keyboard.press("/")  # Material's shortcut to the search box
    search = page.get_by_role("textbox", name="Search")
    assert search.evaluate("el => el === document.activeElement")
    page.keyboard.type("Kaplan")
    page.wait_for_function(f"({RESULT_TITLES})().length > 0", timeout=15000)
    titles = page.evaluate(RESULT_TITLES)
    state = page.evaluate(RESULT_STATE)
    page.close()
    assert "Kaplan et al.'s L(N)" in titles, titles
    bad = [t for t in titles if TEX_SOURCE.search(t)]
    assert not bad, f"TeX source in search result titles: {bad}"
    assert state["katex"] > 0 and state["errors"] == 0, state
    left = TEX_IN_TEXT.findall(state["text"])
    assert not left, f"TeX source in search result text: {left[:10]}"
