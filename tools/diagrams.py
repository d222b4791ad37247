"""Render every mermaid fence of the pages into a committed SVG.

    make diagrams          # (re)write docs/assets/diagrams/*.svg
    python -m tools.diagrams --check   # fail on a missing, stale or
                                       # orphan SVG (the tests run this)

Each ```mermaid fence in docs/**/*.md is drawn by the mermaid in
node_modules, in Debian's Chromium through Playwright, and saved as
docs/assets/diagrams/<page>-<hash>.svg, where <hash> is the start of the
sha256 of the fence's source. hooks/diagrams.py puts the SVG in place of
the fence while the site builds, so neither `mkdocs serve` nor a reader's
browser runs mermaid; a fence without its SVG fails the strict build.

What is kept of mermaid's SVG, and what is changed:
- every id starts with the diagram's own prefix (d-<page>-<hash>), so the
  print page, which joins all diagrams, has no duplicate id;
- mermaid's <style> element and its style="" attributes go: colours come
  from docs/assets/css/diagrams.css, which takes them from Material's
  --md-mermaid-* variables, so light and dark schemes both apply (and a
  strict Content-Security-Policy has no inline style to block);
- labels are SVG <text> (htmlLabels off): real text, selectable, in the
  PDF, with no foreignObject;
- a <title> and <desc> (mermaid's accTitle/accDescr, with aria-labelledby
  and aria-describedby): the page's title, and each arrow in words.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from hooks.diagrams import OUT, svg_name
from tools.lib import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    sync_playwright_or_exit,
)

DOCS = ROOT / "docs"
MERMAID = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```mermaid[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
# The font the site's text uses (Material with `font: false`): mermaid
# measures labels with it, so boxes fit the text the reader sees.
FONT = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"


def dedent(body: str, indent: str) -> str:
    return "\n".join(
        line[len(indent) :] if line.startswith(indent) else line
        for line in body.splitlines()
    )


@dataclass
class Diagram:
    page: str  # docs-relative, kernels/moe.md
    title: str  # the page's first heading
    number: int  # 1, 2, .. on its page
    count: int  # diagrams on the page
    source: str

    @property
    def name(self) -> str:
        return svg_name(self.page, self.source)

    @property
    def prefix(self) -> str:
        return "d-" + self.name.removesuffix(".svg")

    @property
    def label(self) -> str:
        if self.count == 1:
            return f"Diagram: {self.title}"
        return f"Diagram {self.number} of {self.count}: {self.title}"


def page_title(text: str, fallback: str) -> str:
    found = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    title = found.group(1) if found else fallback
    return re.sub(r"[`*_]|\\\(|\\\)", "", title).strip()


def find_diagrams() -> list[Diagram]:
    diagrams = []
    for md in sorted(DOCS.rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        page = md.relative_to(DOCS).as_posix()
        bodies = [
            dedent(m.group("body"), m.group("indent"))
            for m in FENCE.finditer(text)
        ]
        title = page_title(text, page)
        for n, body in enumerate(bodies, 1):
            diagrams.append(Diagram(page, title, n, len(bodies), body))
    return diagrams


# In the page: mermaid, then for each diagram its vertices and edges (for
# the description) and the SVG, drawn with accTitle/accDescr added.
SETUP = f"""() => {{
  mermaid.initialize({{
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'base',
    fontFamily: {FONT!r},
    themeVariables: {{fontFamily: {FONT!r}, fontSize: '16px'}},
    flowchart: {{htmlLabels: false, useMaxWidth: true}},
    htmlLabels: false,
    deterministicIds: true,
  }});
}}"""

GRAPH = """async source => {
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
  const db = diagram.db;
  const vertices = db.getVertices ? db.getVertices() : new Map();
  const label = id => {
    const v = vertices.get ? vertices.get(id) : vertices[id];
    return (v && v.text) || id;
  };
  const edges = (db.getEdges ? db.getEdges() : []).map(
    e => [label(e.start), label(e.end), e.text || '']);
  return edges;
}"""

RENDER = """async ([id, source]) => {
  const {svg} = await mermaid.render(id, source);
  return svg;
}"""


def description(edges: list[list[str]]) -> str:
    parts = []
    for start, end, text in edges:
        start, end = clean(start), clean(end)
        via = f" ({clean(text)})" if text else ""
        parts.append(f"{start} leads to {end}{via}.")
    return " ".join(parts) or "A diagram."


def clean(text: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(text.replace('"', "").split())


def with_accessibility(d: Diagram, desc: str) -> str:
    """The source with accTitle and accDescr after its first line."""
    first, _, rest = d.source.strip().partition("\n")
    extra = []
    if "accTitle" not in d.source:
        extra.append(f"accTitle: {one_line(d.label)}")
    if "accDescr" not in d.source:
        extra.append(f"accDescr: {one_line(desc)}")
    return "\n".join([first, *("  " + e for e in extra), rest])


def one_line(text: str) -> str:
    return " ".join(text.replace(";", ",").replace("#", "").split())


STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
STYLE_ATTR = re.compile(r'\s+style="[^"]*"')
DATA_POINTS = re.compile(r'\s+data-points="[^"]*"')


def tidy(svg: str, d: Diagram) -> str:
    """Mermaid's SVG as the pages carry it (see the module docstring)."""
    width = re.search(r'style="max-width:\s*([\d.]+)px;?"', svg)
    svg = STYLE_ELEMENT.sub("", svg)
    svg = STYLE_ATTR.sub("", svg)
    # Edge geometry mermaid keeps for its own scripts: a third of the
    # bytes, and nothing reads it.
    svg = DATA_POINTS.sub("", svg)
    # The width mermaid chose, as an attribute; CSS lets it shrink.
    if width:
        svg = svg.replace("<svg ", f'<svg width="{width.group(1)}" ', 1)
    svg = svg.replace(' width="100%"', "", 1)
    # Mermaid names edges L_<from>_<to>_<n> without the diagram's id:
    # give them the prefix too, and every reference to them.
    for old in set(re.findall(r'(?<![\w-])id="([^"]+)"', svg)):
        if not old.startswith(d.prefix):
            svg = re.sub(
                rf'(?<=["#\s]){re.escape(old)}(?=["\s)])',
                f"{d.prefix}-{old}",
                svg,
            )
    ids = set(re.findall(r'(?<![\w-])id="([^"]+)"', svg))
    stray = sorted(i for i in ids if not i.startswith(d.prefix))
    if stray:
        raise SystemExit(
            f"{d.page}: ids without the diagram's prefix: {stray[:5]}"
        )
    return svg.strip() + "\n"


def render_all(diagrams: list[Diagram]) -> dict[str, str]:
    if not MERMAID.is_file():
        raise SystemExit(
            f"{MERMAID.relative_to(ROOT)} is missing: make deps (npm ci)"
        )
    out = {}
    sync_playwright = sync_playwright_or_exit()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.set_content(
            f"<!doctype html><html><body style='font-family: {FONT}'>"
            "</body></html>"
        )
        page.add_script_tag(path=str(MERMAID))
        page.evaluate(SETUP)
        for d in diagrams:
            try:
                edges = page.evaluate(GRAPH, d.source)
                source = with_accessibility(d, description(edges))
                svg = page.evaluate(RENDER, [d.prefix, source])
            except Exception as err:
                raise SystemExit(
                    f"docs/{d.page}: mermaid rejects diagram {d.number}: {err}"
                ) from None
            out[d.name] = tidy(svg, d)
        browser.close()
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail on a missing, stale or orphan SVG",
    )
    args = parser.parse_args(argv)
    diagrams = find_diagrams()
    rendered = render_all(diagrams)
    committed = {p.name for p in OUT.glob("*.svg")} if OUT.is_dir() else set()
    orphans = sorted(committed - set(rendered))
    if args.check:
        problems = [f"orphan (no fence uses it): {n}" for n in orphans]
        for name, svg in rendered.items():
            path = OUT / name
            if not path.is_file():
                problems.append(f"missing: {name}")
            elif path.read_text(encoding="utf-8") != svg:
                problems.append(f"stale (renders differently): {name}")
        if problems:
            print(
                "diagrams differ from their fences; run `make diagrams`:\n  "
                + "\n  ".join(problems),
                file=sys.stderr,
            )
            return 1
        print(f"{len(rendered)} diagrams match their SVGs")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name in orphans:
        (OUT / name).unlink()
    for name, svg in rendered.items():
        (OUT / name).write_text(svg, encoding="utf-8")
    print(
        f"wrote {len(rendered)} SVGs to {OUT.relative_to(ROOT)}"
        + (f", removed {len(orphans)} orphans" if orphans else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
