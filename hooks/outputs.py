"""Numbers in prose that come from a snippet's verified output.

A page never retypes a number that a snippet prints. It writes a reference
instead, and this hook replaces it with the value read from the golden
output `snippets/NAME.out` at build time:

    {{ out NAME | KEY }}          the last field of the one line holding KEY
    {{ out NAME | KEY | FIELD }}  field FIELD (0-based, negative from the end)

Fields are the line split on whitespace, with trailing `,;:` and
enclosing brackets trimmed. KEY
is plain text, not a pattern, and must occur on exactly one line of the
golden. A reference that does not resolve (no such output, KEY on no line
or on several, no such field) stops the strict build with a message that
names the page and the reference. The quiz data uses the same lookup, so a
quiz answer and the page prose read one value from one place.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
REF = re.compile(
    r"\{\{\s*out\s+(?P<name>[\w-]+)\s*\|\s*(?P<key>[^|}]+?)\s*"
    r"(?:\|\s*(?P<field>-?\d+)\s*)?\}\}"
)
TRIM = ",;:"
BRACKETS = "()[]"


class OutputRefError(ValueError):
    """A reference to a snippet output that does not resolve."""


def lookup(name: str, key: str, field: int = -1, root: Path = ROOT) -> str:
    """The value printed by snippets/NAME.py on its one line holding KEY."""
    golden = root / "snippets" / f"{name}.out"
    if not golden.is_file():
        raise OutputRefError(f"no golden output snippets/{name}.out")
    lines = golden.read_text(encoding="utf-8").splitlines()
    hits = [line for line in lines if key in line]
    if len(hits) != 1:
        where = "no line" if not hits else f"{len(hits)} lines"
        raise OutputRefError(
            f"{key!r} is on {where} of snippets/{name}.out; "
            "a key must name exactly one line"
        )
    fields = hits[0].split()
    try:
        value = fields[field]
    except IndexError:
        raise OutputRefError(
            f"line {hits[0].strip()!r} of snippets/{name}.out has no "
            f"field {field}"
        ) from None
    return value.rstrip(TRIM).strip(BRACKETS)


def expand(text: str, where: str, root: Path = ROOT) -> str:
    """`text` with every `{{ out ... }}` reference replaced by its value."""

    def one(match: re.Match) -> str:
        field = int(match["field"]) if match["field"] else -1
        try:
            return lookup(match["name"], match["key"], field, root)
        except OutputRefError as err:
            raise OutputRefError(f"{where}: {match[0]}: {err}") from None

    return REF.sub(one, text)


def on_page_markdown(markdown: str, page, config, files) -> str:
    from mkdocs.exceptions import PluginError

    try:
        return expand(markdown, f"docs/{page.file.src_path}")
    except OutputRefError as err:
        raise PluginError(str(err)) from None
