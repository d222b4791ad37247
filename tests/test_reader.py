"""Reader checks: a copy opened from disk, and print from the browser.
Every page on screen (light, dark, a phone's width, axe-core, the strict
CSP) is in test_every_page.py; the printed PDF is in test_publish.py.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import SiteServer, page_url
from tests.harness import ROOT
from tests.support import (
    PAGE,
    build_site,
    cannot_run,
    mini_project,
)

pytestmark = pytest.mark.browser


# ------------------------------------------------------- from disk


def test_site_opened_from_disk_renders_and_searches(chromium, built_site):
    site, _ = built_site
    context = chromium.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "how-to-read.html").as_uri(), wait_until="load")
    # Typeset and drawn at build time; the KaTeX fonts load from disk too.
    state = page.evaluate(
        """async () => {
      await document.fonts.ready;
      return {
        katex: document.querySelectorAll('.arithmatex .katex').length,
        svg: document.querySelectorAll('.notes-diagram > svg').length,
        fonts: [...document.fonts].filter(f => f.family.startsWith('KaTeX')
          && f.status === 'loaded').length,
      };
    }"""
    )
    assert state["katex"] >= 3 and state["svg"] >= 1, state
    assert state["fonts"] >= 1, state
    page.click("label.md-search__icon[for=__search], .md-search__input")
    # Material searches on key events, so type as a person would.
    page.locator("input.md-search__input").press_sequentially(
        "perplexity", delay=30
    )
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    hits = page.locator(".md-search-result__item").count()
    context.close()
    assert hits > 0
    assert not errors, errors


# ------------------------------------------------------------- print


def _first_page_with(pattern: str) -> str | None:
    for md in sorted((ROOT / "docs").rglob("*.md")):
        if re.search(pattern, md.read_text(encoding="utf-8"), re.M):
            return str(md.relative_to(ROOT / "docs"))[: -len(".md")]
    return None


SETTLE_SCHEME = """() => new Promise(done => {
  const start = Date.now();
  (function poll() {
    const light = document.body.dataset.mdColorScheme === 'default';
    if (light || Date.now() - start > 5000) done();
    else setTimeout(poll, 50);
  })();
})"""
PRINT_STATE = """() => ({
  closed: [...document.querySelectorAll('article details')]
    .filter(d => [...d.children].some(c => c.tagName !== 'SUMMARY'
      && c.textContent.trim() && c.getBoundingClientRect().height === 0))
    .length,
  details: document.querySelectorAll('article details').length,
  hiddenTabs: [...document.querySelectorAll('.tabbed-block')]
    .filter(b => b.getBoundingClientRect().height === 0).length,
  unlabelled: [...document.querySelectorAll('.tabbed-block')]
    .filter(b => !b.dataset.notesTab).length,
  tabs: document.querySelectorAll('.tabbed-block').length,
  nav: [...document.querySelectorAll('.md-header, .md-sidebar, .md-footer')]
    .filter(e => e.getBoundingClientRect().height > 0).length,
  scheme: document.body.dataset.mdColorScheme,
})"""


def _print_state(chromium, base: str, url: str) -> dict:
    context = chromium.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(base + url, wait_until="networkidle")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    # Up to 5 s for the scheme to settle; the assertion names a failure.
    page.evaluate(SETTLE_SCHEME)
    state = page.evaluate(PRINT_STATE)
    context.close()
    assert state["scheme"] == "default", "print must use the light scheme"
    assert state["nav"] == 0, state
    return state


def test_print_opens_every_collapsible_block(chromium, csp_server):
    stem = _first_page_with(r"^\?\?\?\+? ")
    if stem is None:
        cannot_run("no page has a collapsible block to check")
    server, site = csp_server
    state = _print_state(chromium, server.base, page_url(site, stem))
    assert state["details"] > 0 and state["closed"] == 0, state


TABS = """
=== "First view"

    Text only the first tab shows on screen.

=== "Second view"

    Text only the second tab shows on screen.
"""


def test_print_shows_every_tab_with_its_label(chromium, tmp_path):
    """Checked on a throw-away copy with a tab set planted, so the print
    rule holds before any chapter page uses tabs."""
    copy = mini_project(tmp_path / "copy")
    page_md = copy / PAGE
    page_md.write_text(page_md.read_text() + TABS, encoding="utf-8")
    rc, log = build_site(copy)
    assert rc == 0, log
    site = copy / "site"
    with SiteServer(site) as server:
        state = _print_state(
            chromium, server.base, page_url(site, "how-to-read")
        )
    assert state["tabs"] == 2, state
    assert state["hiddenTabs"] == 0 and state["unlabelled"] == 0, state


def test_cheat_sheet_prints_on_two_a4_sides(
    poppler, chromium, csp_server, tmp_path
):
    """The cheat sheet's promise: the whole chapter on two printed pages."""
    from tools.make_pdf import page_count

    server, site = csp_server
    page = chromium.new_page(color_scheme="light")
    page.goto(server.base + page_url(site, "cheat-sheet"))
    page.emulate_media(media="print")
    out = tmp_path / "cheat-sheet.pdf"
    page.pdf(path=str(out), format="A4", print_background=True)
    page.close()
    pages = page_count(out)
    assert pages <= 2, f"cheat sheet prints on {pages} A4 pages"
