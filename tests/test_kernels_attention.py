"""Causal attention kernels: numpy tiled and Triton against the reference."""

import numpy as np
import pytest

from tests.support import need_module

need_module("hypothesis")  # skips this module locally, fails under CI

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kernels_attention_numpy import (
    causal_attention_reference,
    causal_attention_tiled,
)

from tests.triton_env import DEVICE, TRITON_TOL, load_kernels, torch

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def qkv(seed, H, T, d, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((3, H, T, d)).astype(dtype)


def naive64(q, k, v):
    """An independent float64 oracle: one row at a time."""
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    H, T, d = q.shape
    out = np.empty_like(q)
    for h in range(H):
        for t in range(T):
            s = k[h, : t + 1] @ q[h, t] / np.sqrt(d)
            w = np.exp(s - s.max())
            out[h, t] = (w / w.sum()) @ v[h, : t + 1]
    return out


@SETTINGS
@given(
    seed=st.integers(0, 2**16),
    H=st.integers(1, 3),
    T=st.integers(1, 150),
    d=st.integers(16, 128),
    block=st.sampled_from([1, 7, 16, 32, 64]),
    key_block=st.sampled_from([1, 5, 16, 40, 512]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_tiled_matches_reference(seed, H, T, d, block, key_block, dtype):
    q, k, v = qkv(seed, H, T, d, dtype)
    ref = causal_attention_reference(q, k, v)
    out = causal_attention_tiled(
        q, k, v, block_size=block, key_block_size=key_block
    )
    assert out.shape == q.shape and out.dtype == q.dtype
    assert ref.shape == q.shape and ref.dtype == q.dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    oracle = naive64(q, k, v)
    np.testing.assert_allclose(out, oracle, rtol=tol, atol=tol)
    np.testing.assert_allclose(ref, oracle, rtol=tol, atol=tol)


@pytest.mark.parametrize("T", [1, 2, 63, 64, 65, 127, 128, 129])
def test_block_edges(T):
    q, k, v = qkv(T, 2, T, 16)
    np.testing.assert_allclose(
        causal_attention_tiled(q, k, v, 64), naive64(q, k, v), atol=1e-12
    )


def test_first_row_is_first_value_and_t1():
    q, k, v = qkv(1, 2, 40, 16)
    out = causal_attention_tiled(q, k, v, 16)
    np.testing.assert_allclose(out[:, 0], v[:, 0], atol=1e-14)
    one = causal_attention_tiled(q[:, :1], k[:, :1], v[:, :1])
    np.testing.assert_allclose(one, v[:, :1], atol=1e-14)


def test_large_logits_stay_finite():
    # logits in the hundreds: a softmax without the max shift overflows
    q, k, v = qkv(2, 2, 90, 32, np.float32)
    q, k = 12 * q, 12 * k
    assert np.abs(q @ k.transpose(0, 2, 1)).max() > 500
    for key_block in (16, 512):  # many rescales, or one wide tile
        out = causal_attention_tiled(q, k, v, 32, key_block_size=key_block)
        assert np.isfinite(out).all()
        np.testing.assert_allclose(out, naive64(q, k, v), atol=1e-3)


@SETTINGS
@given(
    seed=st.integers(0, 2**16),
    T=st.integers(2, 130),
    cut=st.integers(1, 129),
    block=st.sampled_from([16, 64]),
)
def test_causality(seed, T, cut, block):
    """Changing keys and values at positions >= cut leaves rows < cut."""
    cut = min(cut, T - 1)
    q, k, v = qkv(seed, 2, T, 16)
    k2, v2 = k.copy(), v.copy()
    k2[:, cut:] += 5.0
    v2[:, cut:] -= 3.0
    for f in (causal_attention_reference, causal_attention_tiled):
        a = (
            f(q, k, v)
            if f is causal_attention_reference
            else f(q, k, v, block)
        )
        b = (
            f(q, k2, v2)
            if f is causal_attention_reference
            else f(q, k2, v2, block)
        )
        assert np.array_equal(a[:, :cut], b[:, :cut])
        assert not np.array_equal(a[:, cut:], b[:, cut:])


def test_deterministic_and_thread_count_free():
    q, k, v = qkv(3, 3, 200, 64, np.float32)
    a = causal_attention_tiled(q, k, v, 64, n_threads=1)
    b = causal_attention_tiled(q, k, v, 64, n_threads=1)
    assert np.array_equal(a, b)
    for n in (None, 2, 3, 16):  # None: one per core; 16 > jobs
        c = causal_attention_tiled(q, k, v, 64, n_threads=n)
        assert np.array_equal(a, c)


BAD = [
    (lambda q: (q[0], q, q), {}, r"q must have shape \(\*, \*, \*\)"),
    (lambda q: (q, q[:, :5], q), {}, r"k must have shape \(2, 8, 16\), got"),
    (lambda q: (q, q, q.astype(np.float32)), {}, "v must have the dtype of q"),
    (lambda q: (q.astype(np.int64),) * 3, {}, "q must have a dtype in"),
    (lambda q: (q[:, :0],) * 3, {}, r"q must have shape .*got \(2, 0, 16\)"),
    (lambda q: (q, q, q), {"block_size": 0}, "block_size must be >= 1"),
    (lambda q: (q, q, q), {"block_size": 2.5}, "block_size must be an int"),
    (lambda q: (q, q, q), {"n_threads": 0}, "n_threads must be >= 1"),
    (
        lambda q: (q, q, q),
        {"key_block_size": 0},
        "key_block_size must be >= 1",
    ),
    (lambda q: (q, q, q), {"n_threads": True}, "n_threads must be an int"),
    (lambda q: (q.tolist(), q, q), {}, "q must be a numpy.ndarray"),
]


@pytest.mark.parametrize("make, kwargs, msg", BAD)
def test_bad_input(make, kwargs, msg):
    q = qkv(0, 2, 8, 16)[0]
    with pytest.raises(ValueError, match=msg):
        causal_attention_tiled(*make(q), **kwargs)
    if not kwargs:
        with pytest.raises(ValueError, match=msg):
            causal_attention_reference(*make(q))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("which", [0, 1, 2])
def test_non_finite(bad, which):
    args = list(qkv(0, 1, 8, 16))
    args[which][0, 3, 2] = bad
    name = "qkv"[which]
    for f in (causal_attention_reference, causal_attention_tiled):
        with pytest.raises(ValueError, match=f"{name} must be finite"):
            f(*args)


# ---------------------------------------------------------------- Triton
# Setup (interpreter on CPU, skip reason) lives in tests/triton_env.py.
_triton_kernels, needs_triton = load_kernels("kernels_attention_triton")
causal_attention_triton = getattr(
    _triton_kernels, "causal_attention_triton", None
)


@needs_triton
@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 2**16),
    H=st.integers(1, 2),
    T=st.integers(1, 100),
    d=st.sampled_from([16, 24, 32, 64, 128]),
    block=st.sampled_from([16, 32, 64]),
)
def test_triton_matches_reference(seed, H, T, d, block):
    q, k, v = qkv(seed, H, T, d, np.float32)
    ref = naive64(q, k, v)
    t = [torch.from_numpy(a).to(DEVICE) for a in (q, k, v)]
    out = causal_attention_triton(*t, block_size=block)
    assert out.shape == t[0].shape and out.dtype == torch.float32
    np.testing.assert_allclose(
        out.cpu().numpy(), ref, rtol=TRITON_TOL, atol=TRITON_TOL
    )


@needs_triton
@pytest.mark.parametrize("T", [1, 37, 129])
def test_triton_ragged_and_fp16(T):
    q, k, v = qkv(T, 1, T, 32, np.float32)
    t = [torch.from_numpy(a).to(DEVICE) for a in (q, k, v)]
    out = causal_attention_triton(*[a.half() for a in t], block_size=32)
    assert out.dtype == torch.float16
    np.testing.assert_allclose(
        out.float().cpu().numpy(), naive64(q, k, v), atol=2e-2
    )


@needs_triton
def test_triton_causality_and_determinism():
    q, k, v = qkv(5, 1, 70, 16, np.float32)
    t = [torch.from_numpy(a).to(DEVICE) for a in (q, k, v)]
    a = causal_attention_triton(*t, block_size=32)
    b = causal_attention_triton(*t, block_size=32)
    assert torch.equal(a, b)
    t[1][:, 40:] += 4.0
    t[2][:, 40:] -= 2.0
    c = causal_attention_triton(*t, block_size=32)
    assert torch.equal(a[:, :40], c[:, :40])


@needs_triton
@pytest.mark.parametrize(
    "kwargs, msg",
    [
        ({"block_size": 8}, "block_size must be >= 16"),
        ({"block_size": 48}, "power of two >= 16"),
    ],
)
def test_triton_bad_block(kwargs, msg):
    t = torch.zeros((1, 4, 16), device=DEVICE)
    with pytest.raises(ValueError, match=msg):
        causal_attention_triton(t, t, t, **kwargs)


@needs_triton
def test_triton_bad_tensors():
    t = torch.zeros((1, 4, 16), device=DEVICE)
    with pytest.raises(ValueError, match="q must have shape"):
        causal_attention_triton(t[0], t, t)
    with pytest.raises(ValueError, match="k must have shape"):
        causal_attention_triton(t, t[:, :2], t)
    with pytest.raises(ValueError, match="q must have a dtype in"):
        causal_attention_triton(t.long(), t.long(), t.long())
    with pytest.raises(ValueError, match="k must have the dtype of q"):
        causal_attention_triton(t, t.half(), t)
    with pytest.raises(ValueError, match=r"got \(1, 0, 16\)"):
        causal_attention_triton(t[:, :0], t[:, :0], t[:, :0])
    elsewhere = torch.zeros((1, 4, 16), device="meta")
    with pytest.raises(ValueError, match=f"v must be on the {DEVICE} device"):
        causal_attention_triton(t, t, elsewhere)
    bad = t.clone()
    bad[0, 1, 1] = float("nan")
    with pytest.raises(ValueError, match="v must be finite"):
        causal_attention_triton(t, t, bad)
