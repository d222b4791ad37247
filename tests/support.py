"""Helpers shared by several test modules, in one place.

A test module imports from here (or from harness.py and browser.py), never
another test module's private helpers.

- mini_project / build_site / run_cmd: a throw-away copy of the project
  with two pages, for guard tests that plant a fault and for reader tests
  that plant a page feature.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.harness import ROOT

# The page the throw-away copy keeps, and the snippets it needs.
PAGE = "docs/how-to-read.md"
SNIPPET_GLOB = "reading_*"
# A subprocess that builds or tests the copy; under pytest-timeout's 300 s.
SUBPROCESS_TIMEOUT_S = 240


def mini_project(dest: Path) -> Path:
    """A copy with two pages in nav and only their snippets."""
    dest.mkdir()
    for name in ("tests", "tools", "hooks", "flashcards", "study"):
        if not (ROOT / name).is_dir():
            continue
        # Quizzes name their pages; a copy adds the ones it needs.
        shutil.copytree(
            ROOT / name,
            dest / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "quizzes"),
        )
    shutil.copy(ROOT / "pyproject.toml", dest)
    cfg = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = (
        "nav:\n  - Home: index.md\n"
        "  - How to read these notes: how-to-read.md\n"
    )
    cfg, n = re.subn(r"(?ms)^nav:\n.*?(?=^\S)", nav, cfg)
    assert n == 1, "mkdocs.yml has no top-level nav block"
    (dest / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    (dest / "docs").mkdir()
    for rel in ("docs/assets",):
        shutil.copytree(ROOT / rel, dest / rel)
    shutil.copy(ROOT / PAGE, dest / PAGE)
    (dest / "docs/index.md").write_text(
        "# Home\n\nSee [how to read](how-to-read.md).\n", encoding="utf-8"
    )
    (dest / "snippets").mkdir()
    for f in (ROOT / "snippets").glob(SNIPPET_GLOB):
        shutil.copy(f, dest / "snippets" / f.name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def run_cmd(args, cwd, env: dict[str, str] | None = None):
    """(returncode, stdout + stderr) of a command run in cwd."""
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    full.pop("PYTEST_ADDOPTS", None)
    full.update(env or {})
    res = subprocess.run(
        args,
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    return res.returncode, res.stdout + res.stderr


def build_site(cwd):
    """`mkdocs build --strict` in cwd: (returncode, log)."""
    return run_cmd([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd)


# The review-mode tests' deck: fixed wording and size, whatever the real
# deck holds.
REVIEW_DECK = ROOT / "tests" / "fixtures" / "review-deck.yml"


def build_review_site(dest, deck=REVIEW_DECK):
    """The trimmed project with a fixture deck, built strict."""
    copy = mini_project(dest)
    shutil.copy(deck, copy / "flashcards" / "cards.yml")
    page = (ROOT / "docs" / "flashcards.md").read_text(encoding="utf-8")
    # The copy has no review plan; point that one link home.
    page = page.replace("(review-plan.md)", "(index.md)")
    (copy / "docs" / "flashcards.md").write_text(page, encoding="utf-8")
    cfg = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    line = "  - How to read these notes: how-to-read.md\n"
    assert line in cfg
    cfg = cfg.replace(line, line + "  - Flashcards: flashcards.md\n")
    (copy / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    rc, log = build_site(copy)
    assert rc == 0, log
    return copy
