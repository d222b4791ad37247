"""Put each mermaid diagram's committed SVG in place of its fence.

The ```mermaid fences stay the source of truth in the pages; `make
diagrams` (tools/diagrams.py) draws each one with mermaid in Chromium into
docs/assets/diagrams/<page>-<hash>.svg, and the tests draw them again and
compare. This hook needs neither node nor a browser, so `mkdocs serve`
stays light: it finds the fence superfences left in the HTML, hashes its
source, and inlines the SVG of that hash in a `div.notes-diagram`. A fence
whose SVG is missing (a new or edited diagram) is logged as an error
naming the page, which fails the strict build, and the page shows the
source until `make diagrams` has run.

Why committed SVGs rather than drawing during the build: mermaid needs a
browser, and a build that starts Chromium would make every `mkdocs serve`
reload seconds slower and every contributor install it; the SVGs are
small (12-29 kB each), reviewable, and checked like the snippets' golden
outputs.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
# The committed SVGs; tools/diagrams.py writes them under these names.
OUT = ROOT / "docs" / "assets" / "diagrams"


def source_hash(source: str) -> str:
    """The key of a diagram: its source, stripped, hashed."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:12]


def page_slug(src_uri: str) -> str:
    """docs-relative page path to a file-name part: kernels/moe.md ->
    kernels-moe."""
    return src_uri.removesuffix(".md").replace("/", "-")


def svg_name(src_uri: str, source: str) -> str:
    return f"{page_slug(src_uri)}-{source_hash(source)}.svg"


log = logging.getLogger("mkdocs.hooks.diagrams")

# pymdownx.superfences' fence_code_format for the `mermaid` fence.
FENCE = re.compile(
    r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S
)
DIAGRAM_DIR = "assets/diagrams/"


def on_files(files, config):
    """The SVGs are inlined in the pages; they need no URL of their own."""
    for file in list(files):
        if file.src_uri.startswith(DIAGRAM_DIR):
            files.remove(file)
    return files


def inline_diagrams(text: str, src_uri: str) -> str:
    def replace(match: re.Match) -> str:
        source = html.unescape(match.group("source"))
        name = svg_name(src_uri, source)
        path = OUT / name
        if not path.is_file():
            first = source.strip().splitlines()[0] if source.strip() else ""
            log.error(
                "docs/%s: the mermaid diagram starting %r has no up-to-date "
                "SVG (%s); run `make diagrams`",
                src_uri,
                first,
                path.relative_to(ROOT),
            )
            return match.group(0)
        svg = path.read_text(encoding="utf-8")
        # Drawn text is the diagram's, not the page's: search skips it.
        return f'<div class="notes-diagram" data-search-exclude>{svg}</div>'

    return FENCE.sub(replace, text)


# Before print-site's on_page_content, which keeps the HTML for the print
# page as it is then.
@event_priority(50)
def on_page_content(html_text, page, config, files):
    if '<pre class="mermaid">' not in html_text:
        return html_text
    return inline_diagrams(html_text, page.file.src_uri)
