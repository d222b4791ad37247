"""One contract for every kernel: input errors, device choice, the test
tables on the kernel pages, and the benchmark scripts kept runnable."""

import ast
import inspect
import os
import re
import subprocess
import sys
import tomllib

import kernels_attention_numpy
import kernels_contract
import kernels_moe_numpy
import numpy as np
import pytest

from tests.harness import ROOT, SNIPPETS, child_env
from tests.support import SUBPROCESS_TIMEOUT_S, need_module
from tests.triton_env import DEVICE, load_kernels, torch

_attn_triton, needs_triton = load_kernels("kernels_attention_triton")
_moe_triton, _ = load_kernels("kernels_moe_triton")

ONE_WORDING = re.compile(r"^(?P<name>\w+) must (?P<rule>.+), got (?P<got>.+)$")


def _numpy_layer():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 4))
    w_gate = rng.standard_normal((4, 3))
    w1 = rng.standard_normal((3, 4, 8))
    w2 = rng.standard_normal((3, 8, 4))
    return x, w_gate, w1, w2


def _bad_calls():
    """Per kernel module: each public function and one call that breaks
    its contract, with the argument the error must name."""
    q = np.zeros((2, 8, 16))
    x, w_gate, w1, w2 = _numpy_layer()
    experts = np.zeros((6, 2), dtype=np.int64)
    probs = np.full((6, 3), 1 / 3)
    m = kernels_moe_numpy
    calls = {
        kernels_attention_numpy: {
            "causal_attention_reference": (
                lambda: kernels_attention_numpy.causal_attention_reference(
                    q, q[:, :4], q
                ),
                "k",
            ),
            "causal_attention_tiled": (
                lambda: kernels_attention_numpy.causal_attention_tiled(
                    q, q, q, block_size=0
                ),
                "block_size",
            ),
        },
        m: {
            "capacity": (lambda: m.capacity(8, 0, 1), "E"),
            "route_top_k": (lambda: m.route_top_k(x > 0, w_gate, 2), "x"),
            "aux_loss": (lambda: m.aux_loss(experts, probs, -1.0), "alpha"),
            "moe_reference": (
                lambda: m.moe_reference(x, w_gate, w1, w2[:, :3]),
                "w2",
            ),
            "moe_dispatch": (
                lambda: m.moe_dispatch(x, w_gate, w1, w2, n_threads=0),
                "n_threads",
            ),
        },
    }
    if _attn_triton is not None:
        t = torch.zeros((1, 4, 16), device=DEVICE)
        a = _attn_triton
        calls[a] = {
            "causal_attention_triton": (
                lambda: a.causal_attention_triton(t, t, t, block_size=24),
                "block_size",
            ),
        }
        tx, tg, t1, t2 = (
            torch.from_numpy(a.astype(np.float32)).to(DEVICE)
            for a in (x, w_gate, w1, w2)
        )
        b = _moe_triton
        calls[b] = {
            "route_top_k_torch": (
                lambda: b.route_top_k_torch(tx, tg.half(), 2),
                "w_gate",
            ),
            "align_blocks": (
                lambda: b.align_blocks(
                    torch.from_numpy(experts).to(DEVICE), 3, -1, 16
                ),
                "C",
            ),
            "moe_dispatch_triton": (
                lambda: b.moe_dispatch_triton(tx, tg, t1, t2, k=0),
                "k",
            ),
        }
    return calls


def _public(module):
    return {
        name
        for name, f in inspect.getmembers(module, inspect.isfunction)
        if f.__module__ == module.__name__ and not name.startswith("_")
    }


def test_every_public_kernel_function_checks_its_input():
    """Every public function of every kernel module is listed here with a
    bad call, and each raises ValueError in the one wording, naming the
    argument at fault."""
    calls = _bad_calls()
    for module, cases in calls.items():
        assert set(cases) == _public(module), module.__name__
        for fname, (call, arg) in cases.items():
            with pytest.raises(ValueError) as err:
                call()
            m = ONE_WORDING.match(str(err.value))
            assert m, f"{fname}: {err.value}"
            assert m["name"] == arg, f"{fname}: {err.value}"


def test_only_the_contract_raises_input_errors():
    """Kernel modules raise ValueError only through kernels_contract.fail,
    so one helper owns the wording."""
    for path in sorted(SNIPPETS.glob("kernels_*.py")):
        if path.stem in ("kernels_contract",):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = (
                    node.exc.func
                    if isinstance(node.exc, ast.Call)
                    else node.exc
                )
                assert getattr(exc, "id", None) != "ValueError", (
                    f"{path.name}:{node.lineno} raises ValueError itself"
                )


# ---------------------------------------------------------- device choice
@pytest.fixture
def fake_torch(monkeypatch):
    """A torch whose cuda.is_available the test decides."""
    need_module("torch")
    monkeypatch.delenv("TRITON_INTERPRET", raising=False)
    return monkeypatch


def test_device_is_cuda_when_a_gpu_is_there(fake_torch):
    fake_torch.setattr(torch.cuda, "is_available", lambda: True)
    assert kernels_contract.choose_device() == "cuda"
    assert "TRITON_INTERPRET" not in os.environ


def test_device_is_cpu_under_the_interpreter_without_a_gpu(fake_torch):
    fake_torch.setattr(torch.cuda, "is_available", lambda: False)
    assert kernels_contract.choose_device() == "cpu"
    assert os.environ["TRITON_INTERPRET"] == "1"


def test_interpreter_variable_forces_the_cpu(fake_torch):
    fake_torch.setattr(torch.cuda, "is_available", lambda: True)
    fake_torch.setenv("TRITON_INTERPRET", "1")
    assert kernels_contract.choose_device() == "cpu"


def test_snippets_and_tests_share_the_device():
    need_module("torch")
    need_module("triton")
    assert _attn_triton.DEVICE == _moe_triton.DEVICE == DEVICE


# ------------------------------------------------ test tables on the pages
PAGES = {
    "docs/kernels/attention.md": (
        "tests/test_kernels_attention.py",
        "tests/test_kernels_contract.py",
    ),
    "docs/kernels/moe.md": ("tests/test_kernels_moe.py",),
}


def _test_names(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    }


def _table_names(page):
    """Test names in the last column of the page's "Tests" table."""
    text = (ROOT / page).read_text(encoding="utf-8")
    section = text.split("## Tests against the reference", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("|")]
    names = set()
    for row in rows[2:]:
        names |= set(re.findall(r"`(test_\w+)`", row.rsplit("|", 2)[-2]))
    return names


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_test_table_names_every_test(page):
    """The table on the page is checked against the test files: every test
    is in a row, and every name in a row is a test."""
    tests = set().union(*(_test_names(f) for f in PAGES[page]))
    listed = _table_names(page)
    assert listed - tests == set(), f"{page} names missing tests"
    assert tests - listed == set(), f"{page} leaves out tests"


# ------------------------------------------------------------ benchmarks
def test_torch_peer_computes_our_layer():
    """The benches' torch peers (bench/torch_peers.py, their one home)
    compute the same layers as our kernels."""
    need_module("torch")
    from bench.torch_peers import sdpa_causal, torch_moe

    args = [a.astype(np.float32) for a in _numpy_layer()]
    y, _ = kernels_moe_numpy.moe_dispatch(*args)
    peer = torch_moe(*(torch.from_numpy(a) for a in args), 2)
    np.testing.assert_allclose(peer.numpy(), y, atol=1e-5)
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((3, 2, 70, 16), dtype=np.float32)
    ours = kernels_attention_numpy.causal_attention_tiled(q, k, v, 16)
    theirs = sdpa_causal(*(torch.from_numpy(a) for a in (q, k, v)))
    np.testing.assert_allclose(theirs.numpy(), ours, atol=1e-5)


def _run_module(module, *args):
    """python -m module args, from the repository root with snippets/ on
    PYTHONPATH, as `make bench` and `make bench-gpu` run them."""
    env = child_env()
    if DEVICE == "cpu":
        env["TRITON_INTERPRET"] = "1"
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )


def test_cpu_bench_runs_tiny(tmp_path):
    """`make bench`'s script in --tiny mode: it runs end to end, writes
    both tables, and gives every target of bench/targets.toml a verdict,
    marked not trustworthy."""
    need_module("torch")
    res = _run_module("bench.kernels_bench", "--tiny", "--out-dir", tmp_path)
    assert res.returncode == 0, res.stderr
    tables = {
        name: (tmp_path / name).read_text(encoding="utf-8")
        for name in ("results_attention.md", "results_moe.md")
    }
    targets = tomllib.loads((ROOT / "bench/targets.toml").read_text())
    for t in targets["target"]:
        page = (
            "results_moe.md"
            if t["metric"].startswith("moe")
            else ("results_attention.md")
        )
        row = [ln for ln in tables[page].splitlines() if t["what"] in ln]
        assert len(row) == 1, t["what"]
        assert "not trustworthy: tiny shapes" in row[0]
    for text in tables.values():
        assert "these numbers mean nothing" in text
        assert "OPENBLAS_CORETYPE" in text and "core type" in text
        assert "load average" in text


def test_bench_verdicts_follow_the_targets_and_the_load():
    """A verdict compares the measured value with the table's bound, and
    says "not trustworthy" when the run was not trusted."""
    need_module("torch")
    from bench import kernels_bench

    targets = kernels_bench.load_targets()
    bounds = {t["metric"]: t for t in targets["target"]}
    t = bounds["attention_over_sdpa_T4096"]
    for value, verdict in (
        (t["at_most"], "met"),
        (t["at_most"] + 0.01, "**not met**"),
    ):
        rows = kernels_bench.verdict_rows(
            targets, {t["metric"]: value}, t["metric"], True, ""
        )
        assert rows[-1].endswith(f"| {verdict} |"), rows
        rows = kernels_bench.verdict_rows(
            targets, {t["metric"]: value}, t["metric"], False, "load 3 > 1"
        )
        assert rows[-1].endswith(
            f"| {verdict} (not trustworthy: load 3 > 1) |"
        ), rows
    assert targets["max_load"] == 1


@needs_triton
def test_gpu_bench_runs_at_tiny_sizes(tmp_path):
    """`make bench-gpu`'s script, on tiny shapes under the interpreter."""
    out = tmp_path / "results_gpu.md"
    res = _run_module("bench.kernels_bench_gpu", "--tiny", "--out", out)
    assert res.returncode == 0, res.stderr
    table = out.read_text(encoding="utf-8")
    assert "these timings mean nothing" in table
    rows = [ln for ln in table.splitlines() if ln.startswith("| attention")]
    assert len(rows) == 2 and table.count("| MoE,") == 1


def test_gpu_results_file_is_there_for_the_pages():
    """The pages include bench/results_gpu.md: a placeholder until a GPU
    run replaces it, so the strict build never misses it."""
    text = (ROOT / "bench/results_gpu.md").read_text(encoding="utf-8")
    assert "make bench-gpu" in text
    for page in PAGES:
        assert '--8<-- "bench/results_gpu.md"' in (ROOT / page).read_text()
