"""Rule: prose never retypes a number that the page's own snippets print.

A number a snippet computes reaches the prose only as a reference,
`{{ out NAME | KEY }}`, which hooks/outputs.py resolves from the golden at
build time; a retyped copy would go stale silently after `make outputs`.

For each page, the numbers that count are those printed by the goldens the
page includes (comma-grouped, with a decimal point, or four digits and
more), less the ones typed in the snippet's own source: a constant that a
snippet only echoes (a paper's d_model, beta = 0.02) is an input, not a
result. What is left and still appears in the page's prose (outside code,
math and references) fails here, unless ALLOWED says why it is a different
quantity that happens to print the same.
"""

from __future__ import annotations

import re

import pytest

from tests.harness import ROOT, pages

NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+(?:e[+-]?\d+)?"
    r"|\d{4,})(?![\w,]*\d)"
)
SOURCE_NUMBER = re.compile(r"\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?")
INCLUDED_OUTPUT = re.compile(r'--8<--\s+"(snippets/[\w.-]+\.out)"')
NOT_PROSE = [
    re.compile(r"(?ms)^(\s*)(```|~~~).*?^\1\2\s*$"),  # fenced blocks
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"\$[^$\n]+\$"),  # inline math
    re.compile(r"\{\{\s*out\b[^}]*\}\}"),  # bound references
    re.compile(r"`[^`\n]+`"),  # inline code
]

# (page, number): why the prose may print it. Reviewed by hand; keep short.
ALLOWED = {
    (
        "gpt-2.md",
        "6.4",
    ): "ROUGE points lost without the TL;DR cue (GPT-2 Sec. 3.6, Table 4); "
    "not the count's +6.4% off the 117M label",
}


def _plain(number: str) -> str:
    return number.replace(",", "").replace("_", "")


def computed_numbers(page_text: str) -> dict[str, str]:
    """Number -> golden, for what the page's goldens print but their
    snippets do not type."""
    found: dict[str, str] = {}
    for rel in INCLUDED_OUTPUT.findall(page_text):
        golden = ROOT / rel
        source = golden.with_suffix(".py")
        typed = set()
        if source.is_file():
            typed = {
                _plain(n)
                for n in SOURCE_NUMBER.findall(source.read_text("utf-8"))
            }
        for number in NUMBER.findall(golden.read_text("utf-8")):
            if _plain(number) not in typed:
                found.setdefault(number, rel)
    return found


def prose_of(page_text: str) -> str:
    for pattern in NOT_PROSE:
        page_text = pattern.sub(" ", page_text)
    return page_text


def retyped(page_rel: str, page_text: str) -> list[str]:
    computed = computed_numbers(page_text)
    hits = []
    for number in NUMBER.findall(prose_of(page_text)):
        if number in computed and (page_rel, number) not in ALLOWED:
            hits.append(
                f"docs/{page_rel}: {number} is printed by "
                f"{computed[number]}; write {{{{ out NAME | KEY }}}}"
            )
    return hits


PAGES = [p.relative_to(ROOT / "docs").as_posix() for p in pages()]


@pytest.mark.parametrize("page", PAGES)
def test_prose_does_not_retype_snippet_output(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert not retyped(page, text)


def test_every_allowance_is_still_needed():
    """An allowance for a number the page no longer prints is stale."""
    stale = []
    for page, number in ALLOWED:
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        if number not in NUMBER.findall(prose_of(text)):
            stale.append((page, number))
    assert not stale


def test_the_rule_catches_a_retyped_count():
    """Plant: retype the mini-GPT count that the page binds."""
    page = "mini-gpt.md"
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert "{{ out minigpt_model" in text
    planted = re.sub(
        r"\{\{ out minigpt_model \| [^}]*\}\}", "124,439,808", text
    )
    assert retyped(page, planted)
    assert not retyped(page, text)
