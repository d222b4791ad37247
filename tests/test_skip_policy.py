"""Green means it ran: the skip policy of tests/support.py holds.

A reader's local run may skip a check whose package, program or file is
missing, with the reason shown; under CI=true the same test fails naming
what is missing. Only absence skips: a broken import fails everywhere.
Each case is planted (a module hidden through sys.modules, a bare PATH, a
snippet with a bad import) and the outcome checked both ways.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests import support
from tests.harness import BLOCK_TIMEOUT_S, ROOT, SNIPPETS
from tests.support import (
    SUBPROCESS_TIMEOUT_S,
    clean_env,
    imported_packages,
    missing_reason,
    need_executable,
    need_file,
    need_module,
    need_packages_of,
    probe_module,
)
from tests.triton_env import load_kernels

SKIPPED = pytest.skip.Exception
FAILED = pytest.fail.Exception
# Raw skip calls; written so that this file does not match itself.
RAW_SKIP = re.compile(
    r"importorskip\(|pytest\.skip\(|skipif\(|mark\.skip\(|@pytest\.mark\.skip"
    r"|unittest\.skip"
)


# ----------------------------------------------------------------- rules


def test_only_the_helper_skips():
    """Every test goes through tests/support.py to skip, so none can skip
    under CI=true or turn a broken import into a skip."""
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        if path.name != "support.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if RAW_SKIP.search(line)
    ]
    assert not found, (
        "skip through tests/support.py (need_module, need_executable, "
        "need_file, cannot_run), not directly:\n" + "\n".join(found)
    )


def test_subprocess_timeouts_end_before_pytest_timeout():
    """A hung build or snippet fails with its own message, not with
    pytest-timeout killing the test around it."""
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())
    limit = cfg["tool"]["pytest"]["ini_options"]["timeout"]
    assert BLOCK_TIMEOUT_S < SUBPROCESS_TIMEOUT_S < limit
    literal = re.compile(r"\btimeout=(\d+)\b(?!\s*\*)")
    for path in sorted((ROOT / "tests").glob("*.py")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for m in literal.finditer(line):
                # Playwright counts milliseconds (15000); subprocess seconds.
                value = int(m[1])
                assert value >= 1000 or value < limit, (
                    f"{path.name}:{n}: timeout={value} s is not under "
                    f"pytest-timeout's {limit} s"
                )


# ------------------------------------------------- the helpers, in-process


@pytest.fixture(params=["local", "ci"])
def mode(request, monkeypatch):
    if request.param == "ci":
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    return request.param


def _expect_missing(mode, call, *words):
    """Locally a skip, under CI=true a failure; both name what's missing."""
    kind = FAILED if mode == "ci" else SKIPPED
    with pytest.raises(kind) as info:
        call()
    text = str(info.value)
    for word in words:
        assert word in text, text
    assert ("CI=true" in text) == (mode == "ci"), text


def test_missing_package(mode, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)
    _expect_missing(
        mode, lambda: need_module("genanki"), "genanki is not installed"
    )


class _Absent:
    """A finder that makes `names` look uninstalled."""

    def __init__(self, *names):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def test_missing_package_of_a_submodule(mode, monkeypatch):
    for name in [
        m for m in sys.modules if m.partition(".")[0] == "playwright"
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(
        sys, "meta_path", [_Absent("playwright"), *sys.meta_path]
    )
    _expect_missing(
        mode,
        lambda: need_module("playwright.sync_api"),
        "playwright is not installed",
    )


def test_missing_package_a_snippet_imports(mode, monkeypatch):
    monkeypatch.setitem(sys.modules, "triton", None)
    code = "import torch\nimport triton.language as tl\n"
    assert {"torch", "triton"} <= imported_packages(code)
    _expect_missing(
        mode, lambda: need_packages_of(code), "triton is not installed"
    )


def test_missing_program(mode, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    _expect_missing(
        mode,
        lambda: need_executable("pdftotext", "apt-get install poppler"),
        "pdftotext is not on PATH",
    )


def test_missing_file(mode, tmp_path):
    axe = tmp_path / "node_modules" / "axe-core" / "axe.min.js"
    _expect_missing(
        mode, lambda: need_file(axe, "axe-core", "npm ci"), "axe-core"
    )


def test_triton_off_linux_says_why(mode, monkeypatch):
    monkeypatch.setattr(support.platform, "system", lambda: "Darwin")
    monkeypatch.setitem(sys.modules, "triton", None)
    assert 'platform_system == "Linux"' in missing_reason("triton")
    _expect_missing(mode, lambda: need_module("triton"), "Linux wheels only")


class _BrokenInstall:
    """A finder for `genanki` whose import fails inside the package, the
    way an install missing one of its own dependencies does."""

    def find_spec(self, name, path=None, target=None):
        if name == "genanki":
            raise ModuleNotFoundError(
                "No module named 'chevron'", name="chevron"
            )
        return None


def test_broken_package_fails_everywhere(mode, monkeypatch):
    monkeypatch.delitem(sys.modules, "genanki", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenInstall(), *sys.meta_path])
    with pytest.raises(ModuleNotFoundError, match="chevron"):
        try:
            need_module("genanki")
        except (SKIPPED, FAILED) as err:
            msg = f"a broken install did not fail: {err}"
            raise AssertionError(msg) from None


def _planted_triton_snippet(tmp_path: Path, name: str) -> str:
    """kernels_attention_triton.py with a bad name imported from triton."""
    need_module("triton")
    src = (SNIPPETS / "kernels_attention_triton.py").read_text()
    anchor = "import triton.language as tl  # noqa: E402\n"
    assert anchor in src
    bad = "from triton.language import no_such_name  # noqa: E402\n"
    (tmp_path / f"{name}.py").write_text(src.replace(anchor, anchor + bad))
    return name


def test_broken_snippet_import_fails_everywhere(mode, monkeypatch, tmp_path):
    name = _planted_triton_snippet(tmp_path, f"planted_triton_{mode}")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match="no_such_name"):
        probe_module(name, packages=("torch", "triton"))


# ------------------------------------------- the real tests, end to end

# Hides packages, and applies the CI=true skip rule of tests/conftest.py
# to the planted test outside tests/ as well.
HIDE = """
import sys
for name in {hidden!r}:
    sys.modules[name] = None
from tests.conftest import pytest_runtest_makereport  # noqa: E402, F401
"""
RAW_SKIP_TEST = "import pytest\n\ndef test_planted():\n    pytest.{}('x')\n"
HIDDEN_CASES = {
    # node id: what its failure under CI=true must name
    "tests/test_minigpt.py": "torch is not installed",
    "tests/test_flashcards.py::test_csv_holds_every_card": (
        "genanki is not installed"
    ),
    "tests/test_kernels_attention.py::test_triton_causality_and_determinism": (
        "torch is not installed"
    ),
    "tests/test_publish.py::test_pdf_has_a_sane_page_count": (
        "is not on PATH (make deps-test installs Debian's poppler-utils)"
    ),
    "tests/test_reader.py::test_print_shows_every_tab_with_its_label": (
        "Chromium is missing"
    ),
}


def _start(args, tmp_path, env):
    base = clean_env()
    base.pop("CI", None)
    base["PYTHONPATH"] = str(tmp_path)
    base.update(env)
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    return subprocess.Popen(
        [*cmd, "-rA", "-q", *args],
        cwd=ROOT,
        env=base,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(proc) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=SUBPROCESS_TIMEOUT_S)
    return proc.returncode, out


def test_missing_pieces_skip_locally_and_fail_in_ci(tmp_path):
    """torch and genanki hidden, no pdftotext on PATH, no Chromium, and a
    raw skip in a planted test: a local run passes with each reason shown;
    CI=true fails each test, naming what is missing."""
    (tmp_path / "hide_plugin.py").write_text(
        HIDE.format(hidden=["torch", "genanki"])
    )
    planted = tmp_path / "test_planted_skip.py"
    planted.write_text(RAW_SKIP_TEST.format("skip"))
    args = [
        "-p",
        "hide_plugin",
        "--continue-on-collection-errors",
        *HIDDEN_CASES,
        str(planted),
    ]
    env = {
        "PATH": str(Path(sys.executable).parent),
        "CHROMIUM": str(tmp_path / "no-chromium"),
    }
    local = _start(args, tmp_path, env)
    ci = _start(args, tmp_path, dict(env, CI="true"))
    (rc_local, log_local), (rc_ci, log_ci) = _finish(local), _finish(ci)

    assert rc_local == 0, log_local
    assert not re.search(r"\d+ (failed|error)", log_local), log_local
    for reason in HIDDEN_CASES.values():
        assert re.search(rf"SKIPPED .*{re.escape(reason)}", log_local), (
            reason,
            log_local,
        )
    assert rc_ci != 0, log_ci
    assert not re.search(r"\d+ (passed|skipped)", log_ci), log_ci
    for node, reason in HIDDEN_CASES.items():
        assert re.search(rf"(FAILED|ERROR) {re.escape(node)}", log_ci), (
            node,
            log_ci,
        )
        assert reason in log_ci, (reason, log_ci)
    assert "CI=true, and this test skipped: x" in log_ci, log_ci


def test_broken_snippet_import_fails_the_triton_tests(monkeypatch, tmp_path):
    """What the Triton tests call at collection: a planted
    `from triton.language import no_such_name` raises there, without
    CI=true too, instead of becoming a skip mark."""
    monkeypatch.delenv("CI", raising=False)
    name = _planted_triton_snippet(tmp_path, "planted_kernels_triton")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match="no_such_name"):
        load_kernels(name)
