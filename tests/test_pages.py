"""Every code block on every page runs, and prints what the page shows.

Blocks are collected from the pages as the build renders them (includes
expanded by pymdownx itself); the test id is the page and the line of the
fence as written. Rule tests keep code in snippets/ and outputs honest.
"""

from __future__ import annotations

import difflib
import re

import pytest

from tests.harness import (
    DIAGRAM_SYNTAX,
    INCLUDE,
    OUTPUT_SYNTAX,
    PYTHON_SYNTAX,
    ROOT,
    SNIPPETS,
    count_python_fences,
    page_blocks,
    pages,
    run_python,
    scan_fences,
    syntax_word,
)
from tests.support import need_module, need_packages_of
from tools.regen_outputs import check_snippet


def _python_blocks():
    params = []
    for page in pages():
        for block in page_blocks(page):
            if syntax_word(block.raw.syntax) in PYTHON_SYNTAX:
                marks = [eval(m, {"pytest": pytest}) for m in block.raw.marks]
                params.append(
                    pytest.param(block, id=block.test_id, marks=marks)
                )
    return params


def _diff(expected: str, got: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            got.splitlines(keepends=True),
            f"{name} (expected, as on the page)",
            f"{name} (printed now)",
        )
    )


@pytest.mark.parametrize("block", _python_blocks())
def test_page_block(block, tmp_path, block_counter):
    """Run the block as a script and compare stdout with the page."""
    if block.raw.importorskip:
        need_module(block.raw.importorskip)
    need_packages_of(block.expanded.code)
    name = re.sub(r"[^\w.-]", "_", block.test_id) + ".py"
    script = tmp_path / name
    script.write_text(block.expanded.code, encoding="utf-8")
    res = run_python(script)
    block_counter.append(block.test_id)
    if res.returncode != 0:
        pytest.fail(
            f"{block.test_id} ({', '.join(block.includes)}) raised:\n"
            f"{res.stderr}",
            pytrace=False,
        )
    expected = block.expanded.expected_output
    if expected is None:
        return
    if block.expanded.expected_output_ignore_whitespace:
        ok = expected.split() == res.stdout.split()
    else:
        # An included file's final newline reaches the fence as one more
        # blank line, which the rendered page drops; compare the rest.
        ok = expected.rstrip("\n") == res.stdout.rstrip("\n")
    if not ok:
        pytest.fail(
            f"{block.test_id}: the output differs from the page. If the "
            "new output is right, run `make outputs` and review "
            "`git diff snippets/`.\n"
            + _diff(expected, res.stdout, ", ".join(block.includes)),
            pytrace=False,
        )


# ---------------------------------------------------------------- rules


def _all_fences():
    return [f for page in pages() for f in scan_fences(page)]


def test_fences_are_includes():
    """A fence holds only includes: code lives in snippets/, outputs in
    goldens. Mermaid diagrams are the one exception."""
    bad = []
    for f in _all_fences():
        word = syntax_word(f.info)
        where = f"{f.page}:{f.lineno}"
        if word in DIAGRAM_SYNTAX:
            continue
        if word not in PYTHON_SYNTAX | OUTPUT_SYNTAX:
            bad.append(f"{where}: fence `{f.info.strip()}` is not allowed")
            continue
        lines = [ln for ln in f.body if ln.strip()]
        targets = [m["target"] for ln in lines if (m := INCLUDE.match(ln))]
        if len(targets) != len(lines) or not lines:
            bad.append(f"{where}: `{word}` fence typed inline, not included")
            continue
        if word in PYTHON_SYNTAX:
            if not all(t.split(":")[0].endswith(".py") for t in targets):
                bad.append(f"{where}: python fence must include .py files")
        elif f.after_marker not in (
            "expected-output",
            "expected-output-ignore-whitespace",
        ):
            bad.append(
                f"{where}: output fence not after an expected-output "
                "marker, so nothing checks it"
            )
        elif not all(t.endswith(".out") for t in targets):
            bad.append(f"{where}: output fence must include .out goldens")
    assert not bad, "\n".join(bad)


def _included_targets() -> set[str]:
    targets = set()
    for page in pages():
        for line in page.read_text(encoding="utf-8").splitlines():
            if m := INCLUDE.match(line):
                targets.add(m["target"].split(":")[0])
    return targets


def _quiz_targets() -> set[str]:
    """Snippets and goldens that a "predict the output" question shows
    (study/quizzes/*.yml); test_golden_is_fresh runs them like any other,
    and tests/test_quiz.py checks each question's answer is its golden."""
    from hooks.quiz import snippet_targets

    return snippet_targets(ROOT)


def test_every_snippet_is_on_a_page():
    """A snippet no page or quiz shows is dead code; a golden none shows
    is an output nobody checks."""
    used = _included_targets() | _quiz_targets()
    orphans = [
        str(p.relative_to(ROOT))
        for p in sorted(SNIPPETS.iterdir())
        if p.suffix in {".py", ".out"} and str(p.relative_to(ROOT)) not in used
    ]
    assert not orphans, "included by no page or quiz: " + ", ".join(orphans)


def test_every_snippet_has_a_golden():
    missing = [
        p.name
        for p in sorted(SNIPPETS.glob("*.py"))
        if not p.with_suffix(".out").exists()
    ]
    stray = [
        p.name
        for p in sorted(SNIPPETS.glob("*.out"))
        if not p.with_suffix(".py").exists()
    ]
    assert not missing, f"no golden .out (run `make outputs`): {missing}"
    assert not stray, f"golden without a snippet: {stray}"


@pytest.mark.parametrize(
    "snippet",
    sorted(SNIPPETS.glob("*.py")),
    ids=lambda p: f"snippets/{p.name}",
)
def test_golden_is_fresh(snippet):
    """`python snippets/x.py` prints exactly snippets/x.out, under two
    PYTHONHASHSEEDs (`make outputs-check` for one snippet)."""
    need_packages_of(snippet.read_text(encoding="utf-8"))
    problems = check_snippet(snippet)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_goldens_fit_the_printed_page():
    """Output lines stay under 80 columns, like code, so print shows them
    whole."""
    long = [
        f"{p.name}:{i}: {len(line)} columns"
        for p in sorted(SNIPPETS.glob("*.out"))
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if len(line) > 79
    ]
    assert not long, "\n".join(long)


def test_block_count_matches_the_pages():
    """The harness collects exactly the Python fences the pages have (a
    `cont` fence joins the block before it), so none slips past it."""
    assert len(_python_blocks()) == count_python_fences()
