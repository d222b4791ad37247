"""Helpers shared by several test modules, in one place.

A test module imports from here (or from harness.py and browser.py), never
another test module's private helpers.

The skip policy (the one place a test may skip):

- need_module, need_executable, need_file, probe_module and cannot_run
  are how a test says it needs something. When it is missing, a reader's
  local run skips with the reason; under CI=true the test fails, naming
  what is missing, because green must mean every check ran.
- Only a missing package counts as missing: ModuleNotFoundError for the
  package's own top-level name. Any other ImportError (a typo in a
  snippet's import, a broken install missing one of its dependencies)
  propagates and fails the test everywhere.

mini_project / build_site / run_cmd: a throw-away copy of the project with
two pages, for guard tests that plant a fault and for reader tests that
plant a page feature.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

from tests.harness import ROOT

# How a reader gets each optional piece; the fallback is `make deps-test`.
INSTALL_HINTS = {
    "torch": "make deps-test installs the CPU wheel",
    "triton": "make deps-test installs it on Linux",
    "playwright": "make deps-test installs it",
    "genanki": "make deps-test or make anki installs it",
    "hypothesis": "make deps-test installs it",
    "pikepdf": "make deps-test installs it",
    "fsrs": "make deps-test installs it",
}
# Packages that exist for some systems only, and the system they need.
ONLY_ON = {"triton": "Linux"}


def in_ci() -> bool:
    """True when CI=true (or 1/yes) is set, as .ci/run and CI services do."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def cannot_run(reason: str) -> NoReturn:
    """This check cannot run here: skip locally, fail under CI=true."""
    if in_ci():
        pytest.fail(
            f"CI=true, and this check cannot run: {reason}", pytrace=False
        )
    pytest.skip(reason, allow_module_level=True)


def missing_reason(package: str) -> str:
    """Why a test skips when `package` is not importable here."""
    system = ONLY_ON.get(package)
    if system and platform.system() != system:
        return (
            f"{package} is not installed: it ships {system} wheels only, "
            f'so requirements install it where platform_system == "{system}"'
        )
    hint = INSTALL_HINTS.get(package, "make deps-test installs it")
    return f"{package} is not installed ({hint})"


def probe_module(
    name: str, packages: tuple[str, ...] = ()
) -> tuple[ModuleType | None, str | None]:
    """Import `name`: (module, None), or (None, reason) when it, or one of
    `packages` it imports, is not installed. Any other ImportError
    propagates: a broken import is a failure, never a skip."""
    allowed = {name.partition(".")[0], *packages}
    try:
        return importlib.import_module(name), None
    except ModuleNotFoundError as err:
        if err.name not in allowed:
            raise
        return None, missing_reason(err.name)


def need_module(name: str, packages: tuple[str, ...] = ()) -> ModuleType:
    """The imported module, or cannot_run() naming the missing package."""
    module, reason = probe_module(name, packages)
    if module is None:
        cannot_run(reason)
    return module


def imported_packages(code: str) -> set[str]:
    """Top-level names a Python source imports (`import a.b` gives a)."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.update(a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add((node.module or "").partition(".")[0])
    return names


def need_packages_of(code: str) -> None:
    """Before running a snippet: cannot_run() if it imports an optional
    package (INSTALL_HINTS) that is not installed. Only absence counts;
    an installed package is left for the snippet itself to import, so a
    broken import fails the run."""
    for name in sorted(imported_packages(code) & INSTALL_HINTS.keys()):
        if importlib.util.find_spec(name) is None:
            cannot_run(missing_reason(name))


def need_executable(name: str, hint: str) -> str:
    """The path of a program on PATH, or cannot_run() naming it."""
    path = shutil.which(name)
    if path is None:
        cannot_run(f"{name} is not on PATH ({hint})")
    return path


def pdf_text(pdf: Path) -> str:
    """A PDF's text laid out as printed (poppler's pdftotext -layout),
    pages split by form feeds; cannot_run() when poppler is missing."""
    tool = need_executable(
        "pdftotext", "make deps-test installs Debian's poppler-utils"
    )
    return subprocess.run(
        [tool, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def need_file(path: Path, what: str, hint: str) -> Path:
    """A file the check reads, or cannot_run() naming it."""
    if not Path(path).is_file():
        cannot_run(f"{what} is missing at {path} ({hint})")
    return Path(path)


def needs(reason: str | None) -> pytest.MarkDecorator:
    """A mark for tests that need what a collection-time probe_module()
    found missing (reason) or present (None); conftest.py applies it
    with cannot_run() before each marked test."""
    return pytest.mark.needs(reason=reason)


# The page the throw-away copy keeps, and the snippets it needs.
PAGE = "docs/how-to-read.md"
SNIPPET_GLOB = "reading_*"
# A subprocess that builds or tests the copy; under pytest-timeout's 300 s.
SUBPROCESS_TIMEOUT_S = 240


def mini_project(dest: Path, snippets: tuple[str, ...] = ()) -> Path:
    """A copy with two pages in nav and only their snippets (plus any
    snippet files matching the globs in `snippets`)."""
    dest.mkdir()
    copied = ("tests", "tools", "hooks", "overrides", "flashcards", "study")
    for name in copied:
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
    # No notebook in the copy, so no notebook plugin: importing
    # mkdocs-jupyter (nbconvert) is about 0.9 s of each copy's build.
    cfg, n = re.subn(r"(?m)^  - mkdocs-jupyter:\n(?:      .*\n)+", "", cfg)
    assert n == 1, "mkdocs.yml has no mkdocs-jupyter plugin block"
    (dest / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    (dest / "docs").mkdir()
    for rel in ("docs/assets",):
        shutil.copytree(ROOT / rel, dest / rel)
    shutil.copy(ROOT / PAGE, dest / PAGE)
    (dest / "docs/index.md").write_text(
        "# Home\n\nSee [how to read](how-to-read.md).\n", encoding="utf-8"
    )
    (dest / "snippets").mkdir()
    for glob in (SNIPPET_GLOB, *snippets):
        for f in (ROOT / "snippets").glob(glob):
            shutil.copy(f, dest / "snippets" / f.name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def clean_env() -> dict[str, str]:
    """os.environ without what this pytest run set for itself (options,
    xdist worker ids), for a pytest or build started as a subprocess."""
    return {
        k: v
        for k, v in os.environ.items()
        if k != "PYTEST_ADDOPTS" and not k.startswith("PYTEST_XDIST")
    }


def run_cmd(args, cwd, env: dict[str, str] | None = None):
    """(returncode, stdout + stderr) of a command run in cwd."""
    full = clean_env()
    full["NO_MKDOCS_2_WARNING"] = "1"
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
