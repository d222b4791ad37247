"""House style: ruff over all our Python, and no prose copied from the
source chapter (when ../shared is beside the checkout)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.harness import ROOT

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


@pytest.mark.skipif(
    not OVERLAP.is_file(),
    reason="../shared/tools/overlap.py is not beside this checkout "
    "(a reader's clone); CI runs it",
)
def test_no_text_shared_with_the_source_chapter():
    paths = [
        p for p in ("docs", "snippets", "README.md") if (ROOT / p).exists()
    ]
    res = subprocess.run(
        [sys.executable, str(OVERLAP), *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    assert res.returncode == 0, res.stdout + res.stderr
