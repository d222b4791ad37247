"""House style: ruff over all our Python, and no prose copied from the
source chapter (when ../shared is beside the checkout)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.harness import ROOT
from tests.support import need_file

PY_PATHS = [
    p
    for p in ("snippets", "tests", "tools", "hooks", "bench")
    if (ROOT / p).is_dir()
]
OVERLAP = ROOT.parent / "shared" / "tools" / "overlap.py"


def _ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PY_PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_ruff_check():
    res = _ruff("check", "--no-cache")
    assert res.returncode == 0, res.stdout + res.stderr


def test_ruff_format():
    res = _ruff("format", "--check", "--no-cache")
    assert res.returncode == 0, res.stdout + res.stderr


def test_no_text_shared_with_the_source_chapter():
    need_file(
        OVERLAP,
        "the source-overlap checker",
        "../shared is beside the maintainers' checkout, not a reader's clone",
    )
    paths = [
        p
        for p in (
            "docs",
            "snippets",
            "study",
            "flashcards",
            "README.md",
            "CONTRIBUTING.md",
        )
        if (ROOT / p).exists()
    ]
    res = subprocess.run(
        [sys.executable, str(OVERLAP), *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    assert res.returncode == 0, res.stdout + res.stderr
