"""Reader checks: the printed PDF, a copy opened from disk, and print
from the browser. Every page on screen (light, dark, a phone's width,
axe-core, the strict CSP) is in test_every_page*.py.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from tests.browser import (
    ARTIFACTS,
    SiteServer,
    nav_pages,
    page_url,
)
from tests.harness import ROOT, mkdocs_config
from tests.support import (
    PAGE,
    build_site,
    cannot_run,
    mini_project,
    need_executable,
    need_module,
    pdf_text,
)

pytestmark = pytest.mark.browser

PAGES = [stem for _, stem in nav_pages()]
TITLES = [title for title, _ in nav_pages()]


def nav_sections() -> list[tuple[str, list[str]]]:
    """(part title, page stems) for each nav entry that groups pages."""
    return [
        (
            title,
            [value.rsplit(".", 1)[0] for e in items for value in e.values()],
        )
        for entry in mkdocs_config()["nav"]
        for title, items in entry.items()
        if isinstance(items, list)
    ]


def page_heading(site, stem: str) -> str:
    """The first h1 of a built page, as text."""
    page = (site / f"{stem}.html").read_text(errors="replace")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    text = re.sub(r"<[^>]+>", "", h1.group(1)) if h1 else stem
    return html.unescape(text).replace("\u00b6", "").strip()


# ------------------------------------------------------------------ PDF


@pytest.fixture(scope="session")
def poppler():
    """pdftotext and pdfinfo, checked before any site is built."""
    hint = "make deps-test installs Debian's poppler-utils"
    need_executable("pdfinfo", hint)
    # make_pdf nests the bookmarks with pikepdf; the tests read them back.
    need_module("pikepdf")
    return need_executable("pdftotext", hint)


@pytest.fixture(scope="module")
def pdf(poppler, site_pdf):
    from tools.make_pdf import page_count

    # The PDF `make site` puts in the site (conftest), printed once.
    out = site_pdf
    text = pdf_text(out)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / out.name)
    return out, page_count(out), text


def test_pdf_has_a_sane_page_count(pdf):
    _, pages, _ = pdf
    assert len(PAGES) + 2 <= pages <= 15 * len(PAGES), pages


def test_pdf_holds_every_page_title(pdf):
    _, _, text = pdf
    flat = " ".join(text.split())
    missing = [t for t in TITLES if " ".join(t.split()) not in flat]
    assert not missing, f"titles not in the PDF: {missing}"


def test_pdf_has_no_raw_math_or_diagram_source(pdf):
    _, _, text = pdf
    assert "$$" not in text
    assert not re.search(r"\\(frac|sum|mathrm|left|begin)\b", text)
    assert not re.search(
        r"^\s*(flowchart|graph|sequenceDiagram)\b", text, re.M
    )
    assert "-->" not in text


def test_pdf_shows_the_diagrams_committed_svgs(pdf):
    """The PDF draws the same SVGs as the pages: every word of each
    diagram's labels is in its text."""
    from tools.diagrams import OUT, find_diagrams

    _, _, text = pdf
    flat = " ".join(text.split())
    for d in find_diagrams():
        svg = (OUT / d.name).read_text(encoding="utf-8")
        words = re.findall(r'class="text-inner-tspan"[^>]*>\s*([^<]+)<', svg)
        assert words, d.name
        missing = [w for w in words if html.unescape(w.strip()) not in flat]
        assert not missing, f"{d.name}: {missing[:5]}"


def test_pdf_embeds_katex_fonts(pdf):
    out, _, _ = pdf
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "KaTeX_Main" in fonts


def test_pdf_outline_nests_every_page_under_its_part(pdf, built_site):
    """Bookmarks: each nav part, and under it each of its pages (by the
    heading the print shows, the page's h1)."""
    from tools.make_pdf import nav_parts, outline_titles

    out, _, _ = pdf
    site, _ = built_site
    rows = outline_titles(out)
    tops = [title for depth, title in rows if depth == 0]
    assert nav_parts() <= set(tops), f"parts missing: {tops}"
    for part, pages in nav_sections():
        at = rows.index((0, part))
        children = []
        for depth, title in rows[at + 1 :]:
            if depth == 0:
                break
            if depth == 1:
                children.append(title)
        want = [page_heading(site, stem) for stem in pages]
        assert children == want, f"{part}: {children} != {want}"


def test_pdf_internal_links_resolve(pdf):
    """Links inside the book (table of contents, cross references) are
    clickable and land on a destination the PDF defines."""
    import pikepdf

    out, _, _ = pdf
    with pikepdf.open(out) as doc:
        names = set()
        dests = doc.Root.get("/Dests")
        if dests is not None:
            names = {str(k) for k in dests.keys()}
        internal, dangling = 0, []
        for page in doc.pages:
            for annot in page.get("/Annots", []):
                if "/Dest" not in annot:
                    continue
                internal += 1
                dest = annot.Dest
                if isinstance(dest, pikepdf.Name):
                    key = str(dest)
                elif isinstance(dest, pikepdf.String):
                    key = "/" + str(dest)
                else:
                    continue
                if key not in names:
                    dangling.append(key)
    assert internal >= len(PAGES), f"only {internal} internal links"
    assert not dangling, dangling[:10]


def test_no_printed_page_ends_on_a_code_title(pdf, built_site):
    """A block's title ("snippets/x.py", "Output") stays with its code."""
    out, _, text = pdf
    site, _ = built_site
    page = (site / "print_page.html").read_text(errors="replace")
    titles = {
        html.unescape(t).strip()
        for t in re.findall(r'<span class="filename">([^<]*)', page)
    }
    assert titles, "no code titles in the print page"
    stranded = []
    for number, body in enumerate(text.split("\f"), 1):
        lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
        while lines and re.search(r"Page \d+$", lines[-1]):
            lines.pop()
        if lines and lines[-1] in titles:
            stranded.append(f"page {number}: {lines[-1]}")
    assert not stranded, stranded


def test_pdf_footer_uses_the_body_font(pdf):
    """The "Page N" footer is set in the body's sans, not a default serif:
    the book's only serif would be the footer's."""
    out, _, _ = pdf
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert not re.search(r"Serif|Times", fonts), fonts


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
