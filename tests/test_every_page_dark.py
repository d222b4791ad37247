"""Every page in the nav in the dark scheme, then at a phone's width,
served with the strict Content-Security-Policy.

Both schemes share one DOM, so the dark pass runs the axe-core rules that
depend on colour (tests/browser.py COLOUR_RULES); every other rule ran in
the light pass (test_every_page.py), with each quiz answered. Then the
same page narrows to 375 px, as a window or a turned tablet does, and must
not scroll sideways.

As in test_every_page.py, the visits share one browser context with a
profile on disk, so the scripts every page loads are compiled once.
"""

from __future__ import annotations

import json

import pytest

from tests.browser import (
    ANSWER_EVERY_QUESTION,
    AXE,
    COLOUR_RULES,
    RENDERED,
    PageVisits,
    axe_serious,
    clear_site_data,
    nav_pages,
    need_axe,
    page_url,
)

pytestmark = pytest.mark.browser

PAGES = [stem for _, stem in nav_pages()]
PHONE = {"width": 375, "height": 800}

# Elements of the article wider than the screen. Code, tables, display
# math and diagrams scroll inside their own box; the navigation drawers and
# the search sit off-screen by design.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const allowed = 'pre, code, table, .md-typeset__scrollwrap, .katex-display,'
    + ' .arithmatex, .mermaid, .highlight, .jupyter-wrapper, .md-sidebar,'
    + ' .md-search, .md-nav';
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


def visit(context, base: str, site, stem: str) -> dict:
    page = context.new_page()
    try:
        page.goto(base + page_url(site, stem))
        page.wait_for_function(RENDERED, timeout=15000)
        seen = {"scheme": page.evaluate("document.body.dataset.mdColorScheme")}
        # Each quiz answered, so its feedback is checked in dark too.
        page.evaluate(ANSWER_EVERY_QUESTION)
        if AXE.is_file():
            seen["axe"] = axe_serious(page, COLOUR_RULES)
        page.set_viewport_size(PHONE)
        # Two frames, so layout and resize handlers have run.
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame("
            "() => requestAnimationFrame(r)))"
        )
        seen["overflow"] = page.evaluate(OVERFLOW)
    finally:
        page.close()
    return seen


@pytest.fixture(scope="module")
def visits(warm_context, csp_server):
    server, site = csp_server
    with warm_context(
        color_scheme="dark", viewport={"width": 1280, "height": 900}
    ) as context:
        # A first-time reader: no palette or study data kept from the
        # modules that used this profile before.
        clear_site_data(context, server.base)
        yield PageVisits(lambda stem: visit(context, server.base, site, stem))


@pytest.mark.parametrize("stem", PAGES)
def test_axe_finds_no_serious_colour_issue_in_dark(visits, stem):
    need_axe()
    seen = visits[stem]
    assert seen["scheme"] == "slate", seen["scheme"]
    assert not seen["axe"], json.dumps(seen["axe"], indent=1)


@pytest.mark.parametrize("stem", PAGES)
def test_no_horizontal_overflow_at_375px(visits, stem):
    state = visits[stem]["overflow"]
    assert state["scroll"] <= state["width"], state
    assert not state["bad"], state["bad"][:10]
