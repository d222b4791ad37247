"""Typeset every formula while the site builds, so pages ship no KaTeX
JavaScript and read the same with JavaScript off.

pymdownx.arithmatex (generic mode) leaves TeX in the HTML as
`<span class="arithmatex">\\(..\\)</span>` and
`<div class="arithmatex">\\[..\\]</div>`; notebook pages (mkdocs-jupyter)
keep `$..$` and `$$..$$` in their Markdown cells. This hook replaces the
TeX inside those elements with KaTeX's HTML and MathML, rendered by ONE
node process per build (hooks/katex_render.js, fed a JSON line per page),
and keeps the `arithmatex` wrapper. The pages then need KaTeX's CSS and
fonts only (hooks/vendor.py serves them).

A formula KaTeX rejects is logged as an error naming the page and the
formula, which fails `mkdocs build --strict`; without --strict the page
shows the TeX in red, as KaTeX's own error rendering does.

Search: KaTeX draws each formula twice, as MathML for screen readers and
as positioned HTML for the eye (aria-hidden), and the MathML keeps the
TeX as an annotation. Material's index keeps an element's text unless it
carries `data-search-exclude`, which the annotation gets; the drawn copy
(nested spans, which Material's parser cannot skip) is taken out of the
HTML the search plugin reads, and put back before the page is written.
The index then holds the MathML's text: `L(N)`, `QK⊤`, `dk`, readable,
never `\\(L(N)\\)`.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

log = logging.getLogger("mkdocs.hooks.typeset")

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).with_name("katex_render.js")
KATEX = ROOT / "node_modules" / "katex" / "dist" / "katex.js"

# arithmatex's generic output: the TeX, HTML-escaped, with its delimiters.
INLINE = re.compile(r'(<span class="arithmatex">)\\\((.*?)\\\)(</span>)', re.S)
DISPLAY = re.compile(
    r'(<div class="arithmatex">)\s*\\\[(.*?)\\\]\s*(</div>)', re.S
)
# A notebook's rendered Markdown cell; math sits in its text as $..$.
NOTEBOOK_CELL = re.compile(
    r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)'
    r'(?=<div class="[^"]*\bjp-Cell\b|\Z)',
    re.S,
)
NOTEBOOK_MATH = re.compile(
    r"(?<![\\$])\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)",
    re.S,
)
TAG = re.compile(r"(<[^>]+>)")


class KatexProcess:
    """node hooks/katex_render.js, started on first use and kept for
    the build: one request and one answer per page."""

    def __init__(self):
        self.proc: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise PluginError(
                    "typeset hook: node is missing; install Node.js "
                    "(see README.md) to typeset the math"
                )
            if not KATEX.is_file():
                raise PluginError(
                    f"typeset hook: {KATEX.relative_to(ROOT)} is missing; "
                    "run `npm ci --ignore-scripts` (or `make deps`) first"
                )
            self.proc = subprocess.Popen(
                [node, str(RENDERER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        return self.proc

    def render(self, items: list[tuple[str, bool]]) -> list:
        """[(html or None, error or None)] for [(tex, display)]."""
        if not items:
            return []
        proc = self.start()
        request = {
            "tex": [tex for tex, _ in items],
            "display": [display for _, display in items],
        }
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise PluginError(
                f"typeset hook: {RENDERER.name} stopped (exit "
                f"{proc.poll()}) without an answer"
            )
        answer = json.loads(line)
        return list(zip(answer["html"], answer["errors"], strict=True))

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.stdin:
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


KATEX_PROCESS = KatexProcess()


def searchable(rendered: str) -> str:
    """KaTeX's HTML with the TeX annotation left out of the search index
    (the drawn copy goes in without_drawn_math)."""
    return rendered.replace(
        '<annotation encoding="application/x-tex"',
        '<annotation encoding="application/x-tex" data-search-exclude',
        1,
    )


def error_html(tex: str, message: str) -> str:
    return (
        f'<span class="katex-error" title="{html.escape(message)}">'
        f"{html.escape(tex)}</span>"
    )


class Typesetter:
    """Collects a page's formulas, renders them in one request, and puts
    each result back where its TeX was."""

    def __init__(self, where: str):
        self.where = where
        self.items: list[tuple[str, bool]] = []

    def slot(self, tex: str, display: bool) -> str:
        self.items.append((tex, display))
        return f"\x00math{len(self.items) - 1}\x00"

    def fill(self, text: str) -> str:
        results = KATEX_PROCESS.render(self.items)
        out = []
        for (tex, _), (rendered, error) in zip(
            self.items, results, strict=True
        ):
            if error is not None:
                log.error(
                    "%s: KaTeX rejects the formula %r: %s",
                    self.where,
                    tex.strip(),
                    error,
                )
                out.append(error_html(tex, error))
            else:
                out.append(searchable(rendered))
        return re.sub(
            r"\x00math(\d+)\x00", lambda m: out[int(m.group(1))], text
        )


def notebook_math(cell: str, setter: Typesetter) -> str:
    """$..$ and $$..$$ in a notebook cell's text, outside code."""
    parts = TAG.split(cell)
    code = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*(\w+)", part)
            if name and name.group(1).lower() in {"code", "pre"}:
                code += -1 if part.startswith("</") else 1
            continue
        if code > 0 or "$" not in part:
            continue
        parts[i] = NOTEBOOK_MATH.sub(
            lambda m: (
                setter.slot(html.unescape(m.group(1)), True)
                if m.group(1) is not None
                else setter.slot(html.unescape(m.group(2)), False)
            ),
            part,
        )
    return "".join(parts)


def typeset(text: str, where: str) -> str:
    """Every formula in a page's HTML, typeset."""
    setter = Typesetter(where)
    for pattern, display in ((DISPLAY, True), (INLINE, False)):
        text = pattern.sub(
            lambda m, display=display: (
                m.group(1)
                + setter.slot(html.unescape(m.group(2)), display)
                + m.group(3)
            ),
            text,
        )
    if "jp-RenderedMarkdown" in text:
        text = NOTEBOOK_CELL.sub(
            lambda m: m.group(1) + notebook_math(m.group(2), setter), text
        )
    if not setter.items:
        return text
    return setter.fill(text)


DRAWN = '<span class="katex-html" aria-hidden="true">'
SPAN = re.compile(r"<span\b|</span>")


def without_drawn_math(text: str) -> str:
    """The HTML without KaTeX's aria-hidden drawing of each formula."""
    out, at = [], 0
    while (start := text.find(DRAWN, at)) >= 0:
        out.append(text[at:start])
        depth, pos = 0, start
        for tag in SPAN.finditer(text, start):
            depth += -1 if tag.group(0) == "</span>" else 1
            if depth == 0:
                pos = tag.end()
                break
        else:
            pos = len(text)
        at = pos
    out.append(text[at:])
    return "".join(out)


# Before the plugins' on_page_content: print-site keeps each page's HTML
# for the print page as it has it then.
@event_priority(50)
def on_page_content(html_text, page, config, files):
    return typeset(html_text, f"docs/{page.file.src_uri}")


# Material's search indexes page.content in on_page_context: around it,
# the page's HTML without the drawn math, then the whole HTML again.
@event_priority(100)
def _hide_drawn_math(context, page, config, nav):
    if page.content and DRAWN in page.content:
        page.notes_full_content = page.content
        page.content = without_drawn_math(page.content)
    return context


@event_priority(-100)
def _restore_drawn_math(context, page, config, nav):
    full = getattr(page, "notes_full_content", None)
    if full is not None:
        page.content = full
        del page.notes_full_content
    return context


on_page_context = CombinedEvent(_hide_drawn_math, _restore_drawn_math)


def on_post_build(config):
    KATEX_PROCESS.stop()


def on_build_error(error):
    KATEX_PROCESS.stop()
