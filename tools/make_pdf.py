"""Print the whole chapter to one PDF with headless Chromium.

    make pdf    # builds the site, then writes build/gpt-series-notes.pdf
    python -m tools.make_pdf [SITE [PDF]]    # the same, from the root

The PDF goes to build/, beside the flashcard exports, so the next
`mkdocs build` (which empties site/) does not delete it.

The print-site plugin gives one page of every page in nav order, with a
cover and a table of contents; Chromium prints it on A4 (page numbers in the
footer come from the plugin's @page CSS). Math and diagrams come typeset
in the HTML (hooks/typeset.py, hooks/diagrams.py), so nothing waits for
them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools.lib import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SiteServer,
    mkdocs_config,
    sync_playwright_or_exit,
)

PRINT_PAGE = "print_page.html"
# Top-level nav sections: in the PDF outline, the pages that follow one
# become its children, so the bookmarks read Part > page > section.
PDF_NAME = "gpt-series-notes.pdf"


def print_to_pdf(browser, site: Path, out: Path) -> None:
    """Print site/print_page.html to out with an open Playwright browser."""
    if not (site / PRINT_PAGE).is_file():
        raise SystemExit(f"{site / PRINT_PAGE} is missing: build the site")
    with SiteServer(site) as server:
        page = browser.new_page(color_scheme="light")
        # Math and diagrams are in the HTML (drawn at build time): the
        # page is ready once it and its fonts have loaded.
        page.goto(server.base + PRINT_PAGE, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        # What a reader's Print dialog triggers: details open, light theme.
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        # The print-site CSS sets A4 and a "Page N" footer in @page.
        page.pdf(
            path=str(out),
            print_background=True,
            prefer_css_page_size=True,
            # Bookmarks come from the headings; Chromium needs a tagged
            # PDF to write them.
            outline=True,
            tagged=True,
        )
        page.close()
    nest_outline(out, nav_parts())


def nav_parts() -> set[str]:
    """Titles of the nav entries that group pages (The chapter, Kernels)."""
    nav = mkdocs_config()["nav"]
    return {
        title
        for entry in nav
        for title, value in entry.items()
        if isinstance(value, list)
    }


def nest_outline(pdf: Path, parts: set[str]) -> None:
    """Put each page's bookmark under its nav part, in place.

    Chromium writes one outline level per heading level, and the print
    page gives parts and pages the same level: this moves the bookmarks
    that follow a part's bookmark under it, so they read Part > page >
    section.
    """
    import pikepdf

    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        with doc.open_outline() as outline:
            nested, part = [], None
            for item in outline.root:
                if item.title in parts:
                    part = item
                    nested.append(item)
                elif part is not None:
                    part.children.append(item)
                else:
                    nested.append(item)
            outline.root[:] = nested
        # Chromium writes each of the tagged PDF's 38k objects (35k are
        # structure elements) uncompressed; packed into compressed object
        # streams (PDF 1.5) the file is 3.0 MB instead of 7.4, in the
        # same save time.
        doc.save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def outline_titles(pdf: Path) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order."""
    import pikepdf

    def walk(items, depth: int) -> list[tuple[int, str]]:
        rows: list[tuple[int, str]] = []
        for item in items:
            rows.append((depth, item.title))
            rows.extend(walk(item.children, depth + 1))
        return rows

    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        return walk(outline.root, 0)


def make_pdf(site: Path, out: Path) -> None:
    sync_playwright = sync_playwright_or_exit()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        print_to_pdf(browser, site, out)
        browser.close()


def page_count(pdf: Path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return int(
        next(
            ln for ln in info.splitlines() if ln.startswith("Pages:")
        ).split()[1]
    )


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else Path("site")
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "build" / PDF_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    make_pdf(site, out)
    size = out.stat().st_size / 1024
    print(f"wrote {out}: {page_count(out)} pages, {size:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
