"""The checks bite: break a throw-away copy of the project on purpose and
watch the build or the page tests fail, naming what broke.

Each case starts from a small copy (the "How to read" page, its snippets,
the real mkdocs.yml, hooks and tests) that passes first, so the failure is
the planted fault and nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import PAGE, build_site, mini_project, run_cmd


def _pytest(cwd, *args):
    return run_cmd(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_pages.py",
            *args,
        ],
        cwd,
        # The copy's own run, judged by its census and rules; under
        # CI=true a planted skip would fail earlier, as a skip.
        env={"CI": ""},
    )


@pytest.fixture
def mini(tmp_path):
    return mini_project(tmp_path / "copy")


def _edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_is_clean(mini):
    rc, log = build_site(mini)
    assert rc == 0, log
    rc, log = _pytest(mini)
    assert rc == 0, log
    assert "page code blocks executed: 2 of 2" in log


def test_broken_link_fails_thebuild_site(mini):
    _edit(mini / PAGE, "## Formulas", "[gone](no-such-page.md)\n\n## Formulas")
    rc, log = build_site(mini)
    assert rc != 0
    assert "no-such-page.md" in log


def test_broken_anchor_fails_thebuild_site(mini):
    _edit(mini / PAGE, "## Formulas", "[gone](#no-such-anchor)\n\n## Formulas")
    rc, log = build_site(mini)
    assert rc != 0
    assert "no-such-anchor" in log


def test_missing_include_names_page_and_path(mini):
    _edit(
        mini / PAGE,
        '--8<-- "snippets/reading_perplexity.py"',
        '--8<-- "snippets/reading_missing.py"',
    )
    rc, log = build_site(mini)
    assert rc != 0
    assert "how-to-read.md" in log and "snippets/reading_missing.py" in log
    rc, log = _pytest(mini)
    assert rc != 0
    assert "docs/how-to-read.md" in log
    assert "snippets/reading_missing.py" in log


def test_stale_golden_shows_a_diff_and_names_make_outputs(mini):
    _edit(
        mini / "snippets/reading_temperature.out", "Paris=0.707", "Paris=0.9"
    )
    rc, log = _pytest(mini)
    assert rc != 0
    assert "make outputs" in log
    assert "-tau=1.0  Paris=0.9" in log and "+tau=1.0  Paris=0.707" in log
    assert "test_page_block[docs/how-to-read.md:" in log
    assert "test_golden_is_fresh[snippets/reading_temperature.py]" in log


def test_raising_snippet_shows_its_traceback(mini):
    _edit(
        mini / "snippets/reading_perplexity.py",
        "nll = -log_p",
        "nll = -log_p[0, V]  # out of range\nnll = -log_p",
    )
    rc, log = _pytest(mini, "-k", "page_block")
    assert rc != 0
    assert "IndexError" in log and "docs/how-to-read.md:" in log


def test_inline_python_fence_is_rejected(mini):
    _edit(
        mini / PAGE,
        "## Formulas",
        "```python\nprint('typed into the page')\n```\n\n## Formulas",
    )
    rc, log = _pytest(mini, "-k", "fences_are_includes")
    assert rc != 0
    assert "typed inline" in log


def test_unchecked_output_fence_is_rejected(mini):
    _edit(
        mini / PAGE,
        "<!--pytest-codeblocks:expected-output-->\n",
        "",
    )
    rc, log = _pytest(mini, "-k", "fences_are_includes")
    assert rc != 0
    assert "not after an expected-output marker" in log


def test_orphan_snippet_is_rejected(mini):
    (mini / "snippets/reading_orphan.py").write_text("print(1)\n")
    (mini / "snippets/reading_orphan.out").write_text("1\n")
    rc, log = _pytest(mini, "-k", "on_a_page")
    assert rc != 0
    assert "snippets/reading_orphan.py" in log


def test_skipped_block_fails_the_run(mini):
    _edit(
        mini / PAGE,
        '```python title="snippets/reading_perplexity.py"',
        "<!--pytest.mark.skip-->\n"
        '```python title="snippets/reading_perplexity.py"',
    )
    rc, log = _pytest(mini)
    assert rc != 0
    assert "page code blocks executed: 1 of 2" in log
    assert "blocks not run" in log


SET_ORDER = 'print(" ".join({"alpha", "beta", "gamma", "delta", "zeta"}))\n'


def test_output_that_hangs_on_the_hash_seed_fails_the_check(mini):
    """A snippet printing a set of strings passes once, with its golden
    written under PYTHONHASHSEED=0, but not the two-seed check that
    `make outputs-check` and test_golden_is_fresh run."""
    snippet = mini / "snippets/reading_set_order.py"
    snippet.write_text(SET_ORDER)
    rc, log = run_cmd(
        [sys.executable, "-m", "tools.regen_outputs", "reading_set_order"],
        mini,
    )
    assert rc == 0 and snippet.with_suffix(".out").is_file(), log
    rc, log = run_cmd(
        [sys.executable, "-m", "tools.regen_outputs", "--check", "set_order"],
        mini,
    )
    assert rc != 0
    assert "PYTHONHASHSEED=0 and 1" in log and "not deterministic" in log
    rc, log = _pytest(mini, "-k", "golden_is_fresh and set_order")
    assert rc != 0
    assert "test_golden_is_fresh[snippets/reading_set_order.py]" in log
    assert "not deterministic" in log
