"""Make the print page's in-page links and their targets agree.

The print-site plugin joins every page into print_page.html and, so that
two pages' anchors cannot clash, rewrites every `href="#x"` on page K to
`href="#K-x"`; but it renames only the ids of headings, footnotes and list
items. Every other target keeps its bare id: the code blocks' line anchors
(`<a id="__codelineno-0-1" href="#K-__codelineno-0-1">`), for instance,
point at ids that do not exist (2,179 of them before this hook).

After the plugin has written the page, this hook gives such a target the
page prefix its links already use: inside page K's section, `id="x"`
(and `name="x"`) becomes `K-x` when `#K-x` is linked, no element has that
id yet, and `x` is on that page. Nothing else changes; the pages
themselves are untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import event_priority

PRINT_PAGE = "print_page.html"
# A page's own section (nav sections use single quotes and "section-N").
SECTION = re.compile(r'<section class="print-page" id="([^"]+)"')
HREF = re.compile(r'href="#([^"]+)"')
ID_OR_NAME = re.compile(r'\b(id|name)="([^"]+)"')


def fix_print_anchors(html: str) -> tuple[str, int]:
    """(html with the print page's targets renamed, ids renamed)."""
    ids = {m.group(2) for m in ID_OR_NAME.finditer(html) if m[1] == "id"}
    wanted = {h for h in HREF.findall(html)} - ids
    starts = list(SECTION.finditer(html))
    if not starts or not wanted:
        return html, 0
    parts = [html[: starts[0].start()]]
    renamed = 0
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(html)
        chunk = html[match.start() : end]
        prefix = match[1] + "-"

        def rename(m: re.Match, prefix: str = prefix) -> str:
            nonlocal renamed
            new = prefix + m[2]
            if new in wanted and not m[2].startswith(prefix):
                renamed += m[1] == "id"
                return f'{m[1]}="{new}"'
            return m.group(0)

        parts.append(ID_OR_NAME.sub(rename, chunk))
    return "".join(parts), renamed


# After the print-site plugin's own post-build, which writes the page.
@event_priority(-100)
def on_post_build(config) -> None:
    path = Path(config["site_dir"]) / PRINT_PAGE
    if not path.is_file():
        return
    html = path.read_text(encoding="utf-8")
    fixed, _ = fix_print_anchors(html)
    if fixed != html:
        path.write_text(fixed, encoding="utf-8")
