"""The print-site plugin's id renaming, in linear time.

mkdocs-print-site-plugin 2.x renames the ids of headings, footnotes and
list items on each page it joins (`urls.update_anchor_ids`) with the
pattern `<([^\\s]+).*?id="([^"]*?)".*?>`, tried at every `<` of the page.
Where a line holds no `id="`, each try scans to the end of the line and
fails, so a line of n tags costs n times its length. Math typeset at
build time puts thousands of tags on such lines: the plugin's pass took
31 of a 43 s build.

No match of that pattern spans a line (`.` and `[^\\s]` stop at a
newline), so only the lines that hold `id="` can match, and no match
ends after the first `>` that follows the closing quote of a line's last
`id="` (the end of the last match possible). Each try past that point
fails only after scanning to the end of the line: the mock interview's
data, one line of 130 kB after `id="interview-data"`, cost 12 s that
way. This version runs the same pattern over those lines alone, each cut
after its last possible match (a prefix: the pattern finds the same
matches in it), in order, and applies the same
replacements to the whole page in the same order as the plugin does: its
output is the plugin's, byte for byte (tests/test_build.py checks it
against the original on the built pages).
"""

from __future__ import annotations

import re

from mkdocs_print_site_plugin import urls

ID_TAG = re.compile(r"<([^\s]+).*?id=\"([^\"]*?)\".*?>", flags=re.IGNORECASE)
CHANGE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "sup", "li")
ID_ATTR = re.compile(r"id=\"", flags=re.IGNORECASE)
ORIGINAL = urls.update_anchor_ids


def searchable(line: str) -> str:
    """The line up to the end of its last possible match of ID_TAG: the
    first `>` after the quote that closes its last complete `id="..."`
    (or "" when it has none)."""
    for k in reversed([m.end() for m in ID_ATTR.finditer(line)]):
        quote = line.find('"', k)
        end = line.find(">", quote + 1) if quote >= 0 else -1
        if end >= 0:
            return line[: end + 1]
    return ""


def update_anchor_ids(page_html: str, page_key: str) -> str:
    """The plugin's update_anchor_ids, over each line's searchable part."""
    found = []
    for line in page_html.split("\n"):
        for m in ID_TAG.finditer(searchable(line)):
            if m.group(1) in CHANGE_TAGS:
                found.append((m.group(), m.group(2)))
    for match_text, id_text in found:
        new_text = match_text.replace(id_text, page_key + "-" + id_text)
        page_html = page_html.replace(match_text, new_text)
    return page_html


def on_config(config):
    urls.update_anchor_ids = update_anchor_ids
    return config
