"""MoE dispatch: the sorted, grouped version and Triton against the loop."""

import inspect
import math

import numpy as np
import pytest

from tests.support import need_module

need_module("hypothesis")  # skips this module locally, fails under CI

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kernels_moe_numpy import (
    aux_loss,
    capacity,
    moe_dispatch,
    moe_reference,
    route_top_k,
)

from tests.triton_env import DEVICE, TRITON_TOL, load_kernels, torch

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def layer(seed, N, d, d_ff, E, dtype=np.float64, gate_scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, d))
    w_gate = gate_scale * rng.standard_normal((d, E))
    w1 = rng.standard_normal((E, d, d_ff)) / np.sqrt(d)
    w2 = rng.standard_normal((E, d_ff, d)) / np.sqrt(d_ff)
    return [a.astype(dtype) for a in (x, w_gate, w1, w2)]


def dense_mixture(x, w_gate, w1, w2, k):
    """sum_e gate_e(x) FFN_e(x), every expert on every token, no capacity."""
    experts, gates, _ = route_top_k(x, w_gate, k)
    y = np.zeros_like(x)
    for e in range(w1.shape[0]):
        u = x @ w1[e]
        h = 0.5 * u * (1 + np.tanh(np.sqrt(2 / np.pi) * (u + 0.044715 * u**3)))
        g = (gates * (experts == e)).sum(axis=1, keepdims=True)
        y += g * (h @ w2[e])
    return y


def slots(cf, k, N, E):
    """The capacity rule, written here from its definition (Switch eq. 3
    with k slots per token): ceil(cf * k * N / E), None = no limit."""
    return k * N if cf is None else math.ceil(cf * k * N / E)


def skewed(seed, N, d, E, favourite=2):
    """A layer whose router sends every token first to one expert."""
    x, w_gate, w1, w2 = layer(seed, N, d, 8, E)
    x = np.abs(x) + 0.1
    w_gate[:] = 0.0
    w_gate[:, favourite] = 5.0
    return x, w_gate, w1, w2


def same_stats(a, b):
    assert np.array_equal(a["tokens_per_expert"], b["tokens_per_expert"])
    assert a["dropped"] == b["dropped"] and a["capacity"] == b["capacity"]
    assert math.isclose(a["aux_loss"], b["aux_loss"], rel_tol=1e-12)


@SETTINGS
@given(
    seed=st.integers(0, 2**16),
    N=st.integers(1, 60),
    d=st.integers(1, 24),
    E=st.integers(1, 8),
    k=st.integers(1, 3),
    cf=st.sampled_from([None, 0.25, 0.5, 1.0, 1.25, 2.0, 100.0]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_dispatch_matches_loop(seed, N, d, E, k, cf, dtype):
    k = min(k, E)
    args = layer(seed, N, d, 2 * d + 1, E, dtype)
    y_ref, s_ref = moe_reference(*args, k=k, capacity_factor=cf)
    y, s = moe_dispatch(*args, k=k, capacity_factor=cf)
    assert y.shape == args[0].shape and y.dtype == dtype
    assert y_ref.dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(y, y_ref, rtol=tol, atol=tol)
    same_stats(s, s_ref)
    C = slots(cf, k, N, E)
    assert s["capacity"] == C
    assert (s["tokens_per_expert"] <= C).all()
    assert s["tokens_per_expert"].sum() + s["dropped"] == k * N


@SETTINGS
@given(seed=st.integers(0, 2**16), N=st.integers(1, 40), k=st.integers(1, 2))
def test_unlimited_capacity_is_dense_mixture(seed, N, k):
    args = layer(seed, N, 6, 10, 4)
    y, s = moe_dispatch(*args, k=k, capacity_factor=None)
    assert s["dropped"] == 0
    np.testing.assert_allclose(y, dense_mixture(*args, k), atol=1e-12)


def test_every_token_to_one_expert():
    """Router prefers expert 2 for every token: only C of them are served."""
    N, d, E, k = 20, 4, 4, 2
    x, w_gate, w1, w2 = layer(0, N, d, 8, E)
    x = np.abs(x) + 0.1
    w_gate[:] = 0.0
    w_gate[:, 2] = 5.0  # expert 2 wins by a wide margin for every token
    y, s = moe_dispatch(x, w_gate, w1, w2, k=1, capacity_factor=1.0)
    C = math.ceil(1.0 * 1 * N / E)
    assert s["tokens_per_expert"].tolist() == [0, 0, C, 0]
    assert s["dropped"] == N - C
    assert np.abs(y[:C]).sum() > 0 and np.array_equal(y[C:], 0 * y[C:])
    # all first choices on one expert with P_2 -> 1: aux -> alpha * E
    assert s["aux_loss"] == pytest.approx(0.01 * E, rel=1e-3)
    y_ref, s_ref = moe_reference(x, w_gate, w1, w2, k=1, capacity_factor=1.0)
    np.testing.assert_allclose(y, y_ref, atol=1e-12)
    # with k=2 the second choices queue behind every first choice
    y2, s2 = moe_dispatch(x, w_gate, w1, w2, k=k, capacity_factor=1.0)
    C2 = math.ceil(k * N / E)
    assert s2["tokens_per_expert"][2] == C2


@pytest.mark.parametrize(
    "N, E, k, cf",
    # cf * k * N / E is not a whole number in any of these: floor and
    # round would both serve a different count than ceil
    [(20, 4, 1, 0.9), (21, 4, 1, 1.0), (13, 3, 2, 0.5), (50, 8, 2, 1.25)],
)
def test_capacity_rule_from_definition(N, E, k, cf):
    """The favourite expert serves exactly ceil(cf k N / E) assignments."""
    C = math.ceil(cf * k * N / E)
    assert C != math.floor(cf * k * N / E)
    args = skewed(10, N, 4, E)
    assert capacity(N, E, k, cf) == C
    for f in (moe_reference, moe_dispatch):
        _, s = f(*args, k=k, capacity_factor=cf)
        assert s["capacity"] == C
        assert s["tokens_per_expert"][2] == C
        assert s["dropped"] == k * N - s["tokens_per_expert"].sum()


def test_defaults_are_one_contract():
    """The loop, the dispatch and the Triton kernel share their defaults,
    so a call with defaults means one layer: even a skewed router drops
    the same assignments (none) in every version."""
    names = ("k", "capacity_factor", "alpha")
    fns = [moe_reference, moe_dispatch]
    if moe_dispatch_triton is not None:
        fns.append(moe_dispatch_triton)
    defaults = [
        {n: inspect.signature(f).parameters[n].default for n in names}
        for f in fns
    ]
    assert all(d == defaults[0] for d in defaults), defaults
    args = skewed(11, 40, 4, 4)
    y_ref, s_ref = moe_reference(*args)
    y, s = moe_dispatch(*args)
    same_stats(s, s_ref)
    np.testing.assert_allclose(y, y_ref, atol=1e-12)


def test_rank_priority_beats_token_order():
    """A later token's first choice is served before an earlier second."""
    x, w_gate, w1, w2 = layer(1, 4, 3, 5, 2)
    experts, _, _ = route_top_k(x, w_gate, 2)
    C = slots(0.5, 2, 4, 2)  # 2 slots per expert, 8 pairs
    y, s = moe_dispatch(x, w_gate, w1, w2, k=2, capacity_factor=0.5)
    first = np.bincount(experts[:, 0], minlength=2)
    assert (
        s["tokens_per_expert"].tolist()
        == np.minimum(np.bincount(experts.ravel(), minlength=2), C).tolist()
    )
    # with 2 slots, second choices are served only where first choices
    # left room
    for e in range(2):
        if first[e] >= C:
            assert s["tokens_per_expert"][e] == C
    y_ref, _ = moe_reference(x, w_gate, w1, w2, k=2, capacity_factor=0.5)
    np.testing.assert_allclose(y, y_ref, atol=1e-12)


def test_uniform_router_ties_and_aux():
    """Equal logits: ties go to the lowest ids; aux loss is alpha."""
    x, w_gate, w1, w2 = layer(2, 16, 4, 8, 4)
    w_gate[:] = 0.0
    experts, gates, probs = route_top_k(x, w_gate, 2)
    assert (experts == [0, 1]).all()
    np.testing.assert_allclose(gates, 0.5)
    np.testing.assert_allclose(probs, 0.25)
    _, s = moe_dispatch(x, w_gate, w1, w2, k=2, capacity_factor=None)
    assert s["aux_loss"] == pytest.approx(0.01 * 4 * 0.25, rel=1e-12)
    # balanced routing (first choices spread evenly) gives exactly alpha
    f_spread = np.repeat(np.arange(4), 4)
    assert aux_loss(f_spread[:, None], probs) == pytest.approx(0.01)


def test_single_expert_and_k_equals_E():
    args = layer(3, 9, 5, 7, 1)
    y, s = moe_dispatch(*args, k=1, capacity_factor=None)
    assert s["tokens_per_expert"].tolist() == [9]
    np.testing.assert_allclose(y, dense_mixture(*args, 1), atol=1e-12)
    args = layer(4, 9, 5, 7, 3)
    y, s = moe_dispatch(*args, k=3, capacity_factor=None)
    np.testing.assert_allclose(y, dense_mixture(*args, 3), atol=1e-12)


def test_large_logits_router_is_stable():
    args = layer(5, 10, 6, 8, 4, gate_scale=400.0)
    experts, gates, probs = route_top_k(args[0], args[1], 2)
    assert np.isfinite(probs).all() and np.isfinite(gates).all()
    y, _ = moe_dispatch(*args, k=2, capacity_factor=None)
    assert np.isfinite(y).all()


def test_permutation_equivariant_without_drops_only():
    args = layer(6, 24, 6, 8, 4)
    perm = np.random.default_rng(0).permutation(24)
    y, _ = moe_dispatch(*args, k=2, capacity_factor=None)
    yp, _ = moe_dispatch(args[0][perm], *args[1:], k=2, capacity_factor=None)
    np.testing.assert_allclose(yp, y[perm], atol=1e-12)
    y, s = moe_dispatch(*args, k=2, capacity_factor=0.5)
    yp, _ = moe_dispatch(args[0][perm], *args[1:], k=2, capacity_factor=0.5)
    assert s["dropped"] > 0
    assert not np.allclose(yp, y[perm])  # who is dropped depends on order


def test_deterministic():
    args = layer(7, 300, 16, 32, 8, np.float32)
    a, _ = moe_dispatch(*args, k=2, capacity_factor=1.0)
    b, _ = moe_dispatch(*args, k=2, capacity_factor=1.0)
    assert np.array_equal(a, b)
    for n in (2, 3):  # threads split the GELU rows: same bits
        c, _ = moe_dispatch(*args, k=2, capacity_factor=1.0, n_threads=n)
        assert np.array_equal(a, c)


def _bad(i, value):
    args = layer(0, 6, 4, 8, 3)
    args[i] = value(args[i])
    return args


BAD = [
    (_bad(0, lambda a: a[0]), {}, "x must have shape"),
    (_bad(1, lambda a: a[:3]), {}, r"w_gate must have shape \(4, \*\)"),
    (_bad(2, lambda a: a[:, :, :0]), {}, r"w1 must have shape \(3, 4, \*\)"),
    (_bad(3, lambda a: a[:, :5]), {}, r"w2 must have shape \(3, 8, 4\)"),
    (_bad(3, lambda a: a.astype(np.float32)), {}, "w2 must have the dtype"),
    (_bad(0, lambda a: a.astype(np.int32)), {}, "x must have a dtype in"),
    (_bad(0, lambda a: a[:0]), {}, r"x must have shape .*got \(0, 4\)"),
    (_bad(0, lambda a: np.where(a > 1, np.nan, a)), {}, "x must be finite"),
    (_bad(2, lambda a: a * np.inf), {}, "w1 must be finite"),
    (layer(0, 6, 4, 8, 3), {"k": 0}, "k must be in 1..3"),
    (layer(0, 6, 4, 8, 3), {"k": 4}, "k must be in 1..3"),
    (layer(0, 6, 4, 8, 3), {"k": 1.0}, "k must be an int"),
    (layer(0, 6, 4, 8, 3), {"capacity_factor": 0}, "capacity_factor must"),
    (layer(0, 6, 4, 8, 3), {"capacity_factor": -1.0}, "capacity_factor"),
    (layer(0, 6, 4, 8, 3), {"capacity_factor": "1"}, "capacity_factor"),
    (layer(0, 6, 4, 8, 3), {"alpha": np.nan}, "alpha must be a finite"),
]


@pytest.mark.parametrize("args, kwargs, msg", BAD)
def test_bad_input(args, kwargs, msg):
    for f in (moe_reference, moe_dispatch):
        with pytest.raises(ValueError, match=msg):
            f(*args, **kwargs)


@pytest.mark.parametrize("n", [0, 1.5, True])
def test_bad_thread_count(n):
    with pytest.raises(ValueError, match="n_threads must be"):
        moe_dispatch(*layer(0, 6, 4, 8, 3), n_threads=n)


X, W_GATE = layer(0, 6, 4, 8, 3)[:2]
ROUTER_BAD = [
    ((X.astype(np.int64), W_GATE), {}, "x must have a dtype in"),
    ((X > 0, W_GATE), {}, "x must have a dtype in"),
    ((X, W_GATE.astype(np.float32)), {}, "w_gate must have the dtype of x"),
    ((X, W_GATE[:2]), {}, r"w_gate must have shape \(4, \*\)"),
    ((X, W_GATE), {"k": True}, "k must be an int"),
    ((X, W_GATE), {"k": 4}, "k must be in 1..3"),
]


@pytest.mark.parametrize("args, kwargs, msg", ROUTER_BAD)
def test_router_rejects_bad_input(args, kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        route_top_k(*args, **kwargs)


def test_aux_loss_and_capacity_reject_bad_input():
    experts, _, probs = route_top_k(X, W_GATE, 2)
    with pytest.raises(ValueError, match="experts must have a dtype in"):
        aux_loss(experts.astype(np.float64), probs)
    with pytest.raises(ValueError, match="experts must be in 0..2"):
        aux_loss(experts + 3, probs)
    with pytest.raises(ValueError, match="probs must have a dtype in"):
        aux_loss(experts, probs > 0)
    with pytest.raises(ValueError, match="alpha must be a finite"):
        aux_loss(experts, probs, alpha=float("inf"))
    with pytest.raises(ValueError, match="N must be >= 1"):
        capacity(0, 4, 2, 1.0)
    with pytest.raises(ValueError, match="capacity_factor must"):
        capacity(8, 4, 2, 0.0)


# ---------------------------------------------------------------- Triton
# Setup (interpreter on CPU, skip reason) lives in tests/triton_env.py.
_triton_kernels, needs_triton = load_kernels("kernels_moe_triton")
align_blocks = getattr(_triton_kernels, "align_blocks", None)
moe_dispatch_triton = getattr(_triton_kernels, "moe_dispatch_triton", None)
route_top_k_torch = getattr(_triton_kernels, "route_top_k_torch", None)


def to_torch(args):
    return [torch.from_numpy(a.astype(np.float32)).to(DEVICE) for a in args]


@needs_triton
@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 2**16),
    N=st.integers(1, 40),
    E=st.integers(1, 5),
    k=st.integers(1, 2),
    cf=st.sampled_from([None, 0.5, 1.25]),
)
def test_triton_matches_loop(seed, N, E, k, cf):
    k = min(k, E)
    args = layer(seed, N, 20, 40, E)
    y_ref, s_ref = moe_reference(*args, k=k, capacity_factor=cf)
    y, s = moe_dispatch_triton(*to_torch(args), k=k, capacity_factor=cf)
    assert y.shape == (N, 20) and y.dtype == torch.float32
    np.testing.assert_allclose(
        y.cpu().numpy(), y_ref, rtol=TRITON_TOL, atol=TRITON_TOL
    )
    assert (
        s["tokens_per_expert"].tolist() == s_ref["tokens_per_expert"].tolist()
    )
    assert s["dropped"] == s_ref["dropped"]
    assert s["aux_loss"] == pytest.approx(s_ref["aux_loss"], rel=1e-5)


@needs_triton
def test_triton_one_expert_overflow_and_determinism():
    x, w_gate, w1, w2 = layer(8, 30, 16, 32, 4)
    w_gate[:] = 0.0
    w_gate[:, 1] = 5.0
    x = np.abs(x) + 0.1
    t = to_torch([x, w_gate, w1, w2])
    y, s = moe_dispatch_triton(*t, k=1, capacity_factor=1.0)
    y2, _ = moe_dispatch_triton(*t, k=1, capacity_factor=1.0)
    assert torch.equal(y, y2)
    y_ref, s_ref = moe_reference(x, w_gate, w1, w2, k=1, capacity_factor=1.0)
    assert s["tokens_per_expert"].tolist() == [0, 8, 0, 0]
    assert s["dropped"] == 22 == s_ref["dropped"]
    np.testing.assert_allclose(y.cpu().numpy(), y_ref, atol=TRITON_TOL)


@needs_triton
def test_align_blocks_layout():
    # tokens 0..3 choose experts (2, 0), (0, 2), (2, 1), (2, 0); C = 3
    experts = torch.tensor([[2, 0], [0, 2], [2, 1], [2, 0]])
    pair_ids, block_expert, n_kept = align_blocks(experts, 3, 3, 4)
    sentinel = 8
    assert n_kept.tolist() == [3, 1, 3]
    assert block_expert.tolist() == [0, 1, 2]
    # expert 0: token 1 first (rank 0), then tokens 0 and 3 (rank 1)
    assert pair_ids[:4].tolist() == [2, 1, 7, sentinel]
    assert pair_ids[4:8].tolist() == [5, sentinel, sentinel, sentinel]
    # expert 2: first choices of tokens 0, 2, 3; token 1's second is dropped
    assert pair_ids[8:].tolist() == [0, 4, 6, sentinel]


@needs_triton
def test_triton_fp16_and_bad_input():
    args = to_torch(layer(9, 12, 16, 32, 4))
    y32, _ = moe_dispatch_triton(*args, k=2, capacity_factor=None)
    y16, _ = moe_dispatch_triton(*[a.half() for a in args], k=2)
    assert y16.dtype == torch.float16
    np.testing.assert_allclose(
        y16.float().cpu().numpy(), y32.cpu().numpy(), atol=2e-2
    )
    x, w_gate, w1, w2 = args
    with pytest.raises(ValueError, match="k must be in 1..4"):
        moe_dispatch_triton(x, w_gate, w1, w2, k=5)
    with pytest.raises(ValueError, match="capacity_factor must"):
        moe_dispatch_triton(x, w_gate, w1, w2, capacity_factor=0.0)
    with pytest.raises(ValueError, match="w1 must have shape"):
        moe_dispatch_triton(x, w_gate, w1[:, :3], w2)
    with pytest.raises(ValueError, match="x must have a dtype in"):
        moe_dispatch_triton(x.long(), w_gate, w1, w2)
    with pytest.raises(ValueError, match="w_gate must have the dtype of x"):
        moe_dispatch_triton(x, w_gate.half(), w1, w2)
    with pytest.raises(ValueError, match="x must be finite"):
        moe_dispatch_triton(x * float("inf"), w_gate, w1, w2)
    with pytest.raises(ValueError, match="block_n must be a power of two"):
        moe_dispatch_triton(x, w_gate, w1, w2, block_n=48)
    with pytest.raises(ValueError, match="x must have a dtype in"):
        route_top_k_torch(x.long(), w_gate, 2)
    with pytest.raises(ValueError, match="experts must have a dtype in"):
        align_blocks(torch.zeros((3, 2)), 4, 3, 16)
