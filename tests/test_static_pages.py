"""Pages arrive finished: math typeset and diagrams drawn at build time.

- The committed diagram SVGs are what the fences draw now (drawn again
  and compared, like the snippets' golden outputs).
- A formula KaTeX rejects, or a fence without its SVG, fails the strict
  build, naming the page and the formula or the diagram.
- With JavaScript off, every page shows its text, math and diagrams: no
  TeX delimiters or diagram source on screen, an SVG in every diagram.
- Diagram text is legible against what lies under it, light and dark.
- Each chapter page stays within its byte budget, cold, as a plain
  server sends it (tools/page_weight.py measures; timings are not
  tested).
- No external script stops the parser: all are deferred.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.browser import CSP, SiteServer, nav_pages, page_url
from tests.harness import ROOT
from tests.support import (
    PAGE,
    SUBPROCESS_TIMEOUT_S,
    build_site,
    mini_project,
)
from tools.diagrams import OUT, find_diagrams

pytestmark = pytest.mark.browser

PAGES = [stem for _, stem in nav_pages()]


def test_committed_diagrams_match_their_fences(playwright):
    """`make diagrams` output is up to date: each fence has its SVG, drawn
    the same today, and no SVG is left over."""
    res = subprocess.run(
        [sys.executable, "-m", "tools.diagrams", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_diagram_has_a_name_and_unique_ids():
    """An accessible name and description, real text, and ids that stay
    unique when the print page joins every diagram."""
    diagrams = find_diagrams()
    assert len(diagrams) >= 13, len(diagrams)
    seen: dict[str, str] = {}
    for d in diagrams:
        svg = (OUT / d.name).read_text(encoding="utf-8")
        label = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert label and f'<title id="{label.group(1)}">' in svg, d.name
        assert re.search(r"<desc id=[^>]+>[^<]{20,}</desc>", svg), d.name
        assert "<text" in svg and "<foreignObject" not in svg, d.name
        assert "<style" not in svg and " style=" not in svg, d.name
        for id_ in re.findall(r'(?<![\w-])id="([^"]+)"', svg):
            assert id_ not in seen, f"{id_} in {d.name} and {seen[id_]}"
            seen[id_] = d.name


BAD_TEX = r"\(\frac{1}{\)"


def test_bad_formula_or_stale_diagram_fails_the_build(tmp_path):
    """Both faults planted in one copy, and both named in the log."""
    copy = mini_project(tmp_path / "copy")
    page = copy / PAGE
    text = page.read_text(encoding="utf-8")
    assert "flowchart TB" in text
    text = text.replace("flowchart TB", "flowchart LR", 1)
    text += f"\nA formula KaTeX rejects: {BAD_TEX}.\n"
    page.write_text(text, encoding="utf-8")
    rc, log = build_site(copy)
    assert rc != 0, log
    assert "docs/how-to-read.md: KaTeX rejects the formula" in log, log
    assert r"\\frac{1}{" in log, log
    assert "docs/how-to-read.md: the mermaid diagram starting " in log, log
    assert "make diagrams" in log, log


# What a reader sees with JavaScript off: the article's visible text,
# whether any diagram is left as source, and each diagram's drawn size.
JS_OFF_STATE = """() => {
  const article = document.querySelector('article');
  const diagrams = [...document.querySelectorAll('.notes-diagram')];
  return {
    text: article ? article.innerText : '',
    fences: document.querySelectorAll('pre.mermaid, .mermaid').length,
    diagrams: diagrams.length,
    drawn: diagrams.filter(d => {
      const svg = d.querySelector(':scope > svg');
      return svg && svg.getBoundingClientRect().height > 20;
    }).length,
    math: document.querySelectorAll('.arithmatex').length,
    typeset: document.querySelectorAll('.arithmatex .katex').length,
  };
}"""
DIAGRAM_SOURCE = re.compile(
    r"^\s*(flowchart|graph|sequenceDiagram)\b|-->|\]\s*---", re.M
)


@pytest.fixture(scope="module")
def js_off(chromium, built_site):
    """(page, base, site): one tab with JavaScript disabled, on the strict
    CSP server, that goes from page to page as a reader's would (nothing
    runs, so nothing carries over; a new tab per page cost more)."""
    site, _ = built_site
    with SiteServer(site, {"Content-Security-Policy": CSP}) as server:
        context = chromium.new_context(java_script_enabled=False)
        yield context.new_page(), server.base, site
        context.close()


def fence_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in find_diagrams():
        stem = d.page.removesuffix(".md")
        counts[stem] = counts.get(stem, 0) + 1
    return counts


@pytest.mark.parametrize("stem", PAGES)
def test_page_reads_with_javascript_off(js_off, stem):
    page, base, site = js_off
    page.goto(base + page_url(site, stem), wait_until="load")
    state = page.evaluate(JS_OFF_STATE)
    text = state["text"]
    assert text.strip(), "no article text"
    for delimiter in ("\\(", "\\[", "$$"):
        assert delimiter not in text, f"visible {delimiter} on {stem}"
    found = DIAGRAM_SOURCE.search(text)
    assert not found, f"diagram source on {stem}: {found.group(0)!r}"
    assert state["fences"] == 0, state
    assert state["diagrams"] == fence_counts().get(stem, 0), state
    assert state["drawn"] == state["diagrams"], f"diagram without SVG {state}"
    assert state["typeset"] == state["math"], f"math left as TeX: {state}"


# Every text of every diagram with the colours it is drawn in and the
# fills painted under its centre (in paint order), read from the
# computed style, as [text, colour, [fill, fill-opacity]..., page bg].
DIAGRAM_COLOURS = """() => {
  const bg = getComputedStyle(document.body).backgroundColor;
  const rows = [];
  for (const svg of document.querySelectorAll('.notes-diagram svg')) {
    const shapes = [...svg.querySelectorAll(
      '.node rect, .node polygon, .node circle, .node ellipse, .node path,'
      + ' .cluster rect, .edgeLabel rect')];
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const box = text.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const under = shapes.filter(s => {
        const r = s.getBoundingClientRect();
        return r.width && r.left <= x && x <= r.right
          && r.top <= y && y <= r.bottom;
      }).map(s => {
        const st = getComputedStyle(s);
        return [st.fill, parseFloat(st.fillOpacity)];
      });
      rows.push([text.textContent.trim(), getComputedStyle(text).fill,
                 under, bg]);
    }
  }
  return rows;
}"""


def parse_rgb(value: str) -> tuple[float, float, float, float]:
    nums = [float(n) for n in re.findall(r"[\d.]+", value)]
    if value.startswith("rgba") or len(nums) == 4:
        return nums[0], nums[1], nums[2], nums[3]
    return nums[0], nums[1], nums[2], 1.0


def over(top, bottom):
    r, g, b, a = top
    return tuple(
        a * c + (1 - a) * d for c, d in zip((r, g, b), bottom, strict=True)
    )


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_diagram_text_contrast(js_off, scheme):
    """Every label of the 13 diagrams (all on the print page) against
    the shapes painted under it, at least 4.5:1, in both schemes."""
    page, base, _ = js_off
    # One load serves both schemes: the attribute is all that changes.
    if not page.url.endswith("/print_page.html"):
        page.goto(base + "print_page.html", wait_until="load")
    page.evaluate(
        f"document.body.setAttribute('data-md-color-scheme', '{scheme}')"
    )
    rows = page.evaluate(DIAGRAM_COLOURS)
    assert len(rows) > 50, f"only {len(rows)} diagram labels found"
    low = []
    for label, fill, under, bg in rows:
        ground = parse_rgb(bg)[:3]
        for colour, opacity in under:
            if colour == "none":
                continue
            r, g, b, a = parse_rgb(colour)
            ground = over((r, g, b, a * opacity), ground)
        ink = over(parse_rgb(fill), ground)
        ratio = contrast(ink, ground)
        if ratio < 4.5:
            low.append(f"{label!r}: {ratio:.2f}")
    assert not low, f"{scheme}: {low[:10]}"


SCRIPT_TAG = re.compile(r"<script\b[^>]*>")


def test_no_external_script_stops_the_parser(built_site):
    """Every page's external scripts are deferred (hooks/page_scripts.py):
    the reader's text, math and diagrams are parsed and shown before any
    script runs. An empty src (the notebook's) loads nothing."""
    site, _ = built_site
    blocking = []
    for page in sorted(site.rglob("*.html")):
        for tag in SCRIPT_TAG.findall(page.read_text(encoding="utf-8")):
            if not re.search(r'\ssrc="[^"]', tag):
                continue
            if not re.search(r"\s(defer|async)\b|type=\"module\"", tag):
                blocking.append(f"{page.relative_to(site)}: {tag}")
    assert not blocking, blocking[:10]


def test_chapter_pages_fit_the_byte_budget(chromium, built_site):
    """Cold cache, every request the page and its workers make (search
    index included): at most 1.2 MB and 350 KB of JavaScript per
    chapter page."""
    from tools.page_weight import (
        BUDGET_BYTES,
        BUDGET_JS_BYTES,
        CHAPTER_PAGES,
        measure,
    )

    site, _ = built_site
    over_budget = []
    with SiteServer(site) as server:
        for stem in CHAPTER_PAGES:
            m = measure(chromium, server.base + page_url(site, stem))
            assert any(
                u.endswith("search_index.json") for u, _, _ in m["urls"]
            )
            if m["bytes"] > BUDGET_BYTES or m["js_bytes"] > BUDGET_JS_BYTES:
                over_budget.append(
                    f"{stem}: {m['bytes']:,} B, {m['js_bytes']:,} B of JS"
                )
    assert not over_budget, over_budget


def test_notebook_markdown_math_is_typeset():
    """Notebook cells keep $..$ and $$..$$ (mkdocs-jupyter); the build
    typesets them as it does arithmatex's, code and prices aside."""
    from hooks.typeset import typeset

    cell = (
        '<div class="jp-Cell"><div class="jp-RenderedMarkdown" x="1">'
        "<p>Loss $L(N)$ falls, and $$\\frac{a}{b}$$ holds;"
        " <code>$HOME</code> stays.</p></div></div>"
    )
    out = typeset(cell, "docs/nb.ipynb")
    assert out.count('class="katex"') == 2, out
    assert 'class="katex-display"' in out, out
    assert "<code>$HOME</code>" in out
    assert "$L(N)$" not in out and "$$" not in out
