"""The install routes hold: hashed locks that agree with each other and
with the ranges, small installs for small targets, clear messages where
a machine lacks something. No network: these read files and run make
with a planted PATH."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.harness import ROOT
from tests.support import need_executable

LOCKS = {
    "requirements.txt": "requirements.in",
    "requirements-test.txt": "requirements-test.in",
    "requirements-lint.txt": None,
    "requirements-anki.txt": None,
    "requirements-bench.txt": None,
}
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)(?:\s*;\s*([^\\]+?))?\s*\\?$")
NAME = re.compile(r"^([A-Za-z0-9_.-]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lock: str) -> dict[tuple[str, str], str]:
    """{(name, marker): version} of a lock; every pin carries hashes."""
    lines = (ROOT / lock).read_text().splitlines()
    pins = {}
    for i, line in enumerate(lines):
        if not line or line[0] in " #":
            continue
        m = PIN.match(line)
        assert m, f"{lock}: not an exact pin: {line}"
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        assert "--hash=sha256:" in nxt, f"{lock}: {m[1]} has no hash"
        pins[(_norm(m[1]), (m[3] or "").strip())] = m[2]
    return pins


def _names_in(req_in: str) -> set[str]:
    names = set()
    for line in (ROOT / req_in).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-") and (m := NAME.match(line)):
            names.add(_norm(m[1]))
    return names


@pytest.mark.parametrize("lock", LOCKS)
def test_locks_pin_every_package_with_hashes(lock):
    assert _pins(lock), f"{lock} pins nothing"


def test_locks_agree_with_the_test_lock_and_the_ranges():
    test = _pins("requirements-test.txt")
    for lock, source in LOCKS.items():
        pins = _pins(lock)
        for key, version in pins.items():
            assert test.get(key) == version, (
                f"{lock} pins {key[0]}=={version}, the test lock "
                f"{test.get(key)}: run `make lock`"
            )
        if source:
            have = {name for name, _ in pins}
            gone = _names_in(source) - have
            assert not gone, f"{source} names {gone}, not in {lock}"


def test_torch_is_outside_the_hashes_and_triton_is_linux_only():
    test = _pins("requirements-test.txt")
    assert not [k for k in test if k[0] == "torch"], (
        "torch must stay out of the hashed lock (README.md, Installs)"
    )
    triton = [marker for name, marker in test if name == "triton"]
    assert triton and all("linux" in m for m in triton), triton
    torch = (ROOT / "requirements-torch.txt").read_text()
    assert re.search(r"^torch==\d+\.\d+\.\d+$", torch, re.M), torch


def test_small_targets_install_small_locks():
    """make lint, anki and bench never pull torch, Triton or Playwright."""
    make = (ROOT / "Makefile").read_text()
    for target, lock in [
        ("lint", "lint"),
        ("anki", "anki"),
        ("bench", "bench"),
    ]:
        m = re.search(rf"^{target}:(.*)$", make, re.M)
        assert m, f"no {target} target"
        assert m[1].split() == [f"$(VENV)/.{lock}-ok"], m[0]
        names = {name for name, _ in _pins(f"requirements-{lock}.txt")}
        assert not names & {"torch", "triton", "playwright"}, (lock, names)


def test_node_is_pinned_in_engines():
    pkg = json.loads((ROOT / "package.json").read_text())
    assert re.fullmatch(r">=\d+(\.\d+)*", pkg["engines"]["node"])


# ------------------------------------- make, with a planted PATH


def _fake_path(tmp_path: Path, tools: dict[str, str]) -> str:
    """A PATH of the real make, bash and coreutils the recipes use, plus
    planted scripts `tools` (name: body), and nothing else."""
    bindir = tmp_path / "bin"
    bindir.mkdir(parents=True)
    for name in ("make", "bash", "sh", "sed", "sort", "head", "id", "env"):
        real = shutil.which(name)
        if real:
            (bindir / name).symlink_to(real)
    for name, body in tools.items():
        script = bindir / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    return str(bindir)


def _make(target: str, path: str, ci: bool) -> tuple[int, str]:
    need_executable("make", "apt-get install make")
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "CHROMIUM"}}
    env.update(PATH=path, MAKEFLAGS="")
    if ci:
        env["CI"] = "true"
    res = subprocess.run(
        [shutil.which("make"), "-s", "-C", str(ROOT), target],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return res.returncode, res.stdout + res.stderr


def test_off_debian_make_says_what_to_install(tmp_path):
    """No apt-get, no Chromium, no poppler: the message names each and
    the route to it; a local run goes on, CI=true stops."""
    path = _fake_path(tmp_path, {})
    rc, log = _make("browser-deps", path, ci=False)
    assert rc == 0, log
    assert "No apt-get here" in log and "apt-get install" not in log
    assert "Chromium" in log and "poppler" in log and "CHROMIUM=" in log
    rc, log = _make("browser-deps", path, ci=True)
    assert rc != 0, log


def test_old_node_is_named_before_npm_runs(tmp_path):
    path = _fake_path(tmp_path, {"node": "echo 18.19.0"})
    rc, log = _make("node-check", path, ci=False)
    assert rc != 0
    assert "node 18.19.0 is too old" in log and "engines" in log, log
    path = _fake_path(tmp_path / "ok", {"node": "echo 99.0.0"})
    rc, log = _make("node-check", path, ci=False)
    assert rc == 0, log
