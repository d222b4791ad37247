"""Top-k mixture-of-experts layer in numpy: a token loop and a dispatch.

Contract shared by every version (numpy here, Triton next door):
  x (N, d), router w_gate (d, E), experts w1 (E, d, d_ff), w2 (E, d_ff, d);
  expert e maps a row to gelu_tanh(row @ w1[e]) @ w2[e].
Routing: softmax over experts, top-k (ties go to the lower expert index),
gates renormalised over the k chosen experts.
Capacity per expert: ceil(capacity_factor * k * N / E), None = unlimited.
Slots fill rank by rank (all first choices before any second choice) and,
within a rank, by token index. A dropped assignment adds zero and the kept
gates are not renormalised. Aux loss (Switch Transformer, Fedus et al. 2021,
eqs. 4-6): alpha * E * sum_i f_i * P_i.
"""

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def gelu_tanh(h):
    """GELU, tanh form (Hendrycks and Gimpel 2016), computed in place."""
    # gelu(h) = 0.5 h (1 + tanh(sqrt(2/pi) (h + 0.044715 h^3)))
    c = h.dtype.type(math.sqrt(2.0 / math.pi))
    u = h * h
    u *= h.dtype.type(0.044715) * c
    u += c
    u *= h  # u = c (h + 0.044715 h^3)
    np.tanh(u, out=u)
    u += 1
    u *= 0.5
    h *= u
    return h


def _check_moe(x, w_gate, w1, w2, k, capacity_factor, alpha) -> None:
    """Raise ValueError naming the argument that breaks the contract."""
    arrays = (("x", x, 2), ("w_gate", w_gate, 2), ("w1", w1, 3))
    for name, a, ndim in arrays + (("w2", w2, 3),):
        if not isinstance(a, np.ndarray):
            raise ValueError(f"{name} must be a numpy array, got {type(a)}")
        if a.ndim != ndim:
            raise ValueError(
                f"{name} must have {ndim} dims, got shape {a.shape}"
            )
        if a.dtype not in FLOAT_DTYPES:
            raise ValueError(
                f"{name} must be float32 or float64, got {a.dtype}"
            )
        if a.dtype != x.dtype:
            raise ValueError(
                f"{name} must have the dtype of x ({x.dtype}), got {a.dtype}"
            )
    N, d = x.shape
    if N == 0 or d == 0:
        raise ValueError(f"x must have N >= 1 and d >= 1, got {x.shape}")
    if w_gate.shape[0] != d or w_gate.shape[1] == 0:
        raise ValueError(
            f"w_gate must have shape (d={d}, E>=1), got {w_gate.shape}"
        )
    E = w_gate.shape[1]
    if w1.shape[:2] != (E, d) or w1.shape[2] == 0:
        raise ValueError(
            f"w1 must have shape (E={E}, d={d}, d_ff>=1), got {w1.shape}"
        )
    d_ff = w1.shape[2]
    if w2.shape != (E, d_ff, d):
        raise ValueError(
            f"w2 must have shape (E={E}, d_ff={d_ff}, d={d}), got {w2.shape}"
        )
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ValueError(f"k must be an int, got {k!r}")
    if not 1 <= k <= E:
        raise ValueError(f"k must be in 1..E={E}, got {k}")
    if capacity_factor is not None and not (
        isinstance(capacity_factor, int | float | np.floating)
        and not isinstance(capacity_factor, bool)
        and math.isfinite(capacity_factor)
        and capacity_factor > 0
    ):
        raise ValueError(
            "capacity_factor must be a finite number > 0 or None, "
            f"got {capacity_factor!r}"
        )
    if not (isinstance(alpha, int | float) and math.isfinite(alpha)):
        raise ValueError(f"alpha must be a finite number, got {alpha!r}")
    for name, a, _ in arrays + (("w2", w2, 3),):
        if not np.isfinite(a).all():
            raise ValueError(f"{name} must be finite (no nan or inf)")


def capacity(N, E, k, capacity_factor):
    """Slots per expert: ceil(capacity_factor * k * N / E); None = all."""
    if capacity_factor is None:
        return k * N
    return math.ceil(capacity_factor * k * N / E)


def route_top_k(x, w_gate, k):
    """Router: probs = softmax(x w_gate); top-k experts; renormalised gates.

    Returns experts (N, k) int64, gates (N, k) and probs (N, E).
    """
    if not isinstance(x, np.ndarray) or not isinstance(w_gate, np.ndarray):
        raise ValueError("x and w_gate must be numpy arrays")
    if x.ndim != 2 or w_gate.ndim != 2 or w_gate.shape[0] != x.shape[1]:
        raise ValueError(
            f"x must be (N, d) and w_gate (d, E), got {x.shape} and "
            f"{w_gate.shape}"
        )
    E = w_gate.shape[1]
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ValueError(f"k must be an int, got {k!r}")
    if not 1 <= k <= E:
        raise ValueError(f"k must be in 1..E={E}, got {k}")
    logits = x @ w_gate  # (N, E)
    # probs = exp(z - max z) / sum exp(z - max z): no overflow for big z
    z = logits - logits.max(axis=1, keepdims=True)  # (N, E)
    probs = np.exp(z)
    probs /= probs.sum(axis=1, keepdims=True)  # (N, E)
    # a stable sort of -probs puts the lower expert index first on ties
    experts = np.argsort(-probs, axis=1, kind="stable")[:, :k]  # (N, k)
    top = np.take_along_axis(probs, experts, axis=1)  # (N, k)
    gates = top / top.sum(axis=1, keepdims=True)  # (N, k)
    return experts.astype(np.int64), gates, probs


def aux_loss(experts, probs, alpha=0.01):
    """Switch load-balancing loss: alpha * E * sum_i f_i * P_i."""
    N, E = probs.shape
    # f_i: fraction of tokens whose first choice is expert i
    f = np.bincount(experts[:, 0], minlength=E) / N  # (E,)
    # P_i: mean router probability of expert i
    P = probs.mean(axis=0)  # (E,)
    return float(alpha * E * np.sum(f * P))


def moe_reference(x, w_gate, w1, w2, k=2, capacity_factor=None, alpha=0.01):
    """The definition: loop over ranks, then tokens, one FFN per pair."""
    _check_moe(x, w_gate, w1, w2, k, capacity_factor, alpha)
    N, E = x.shape[0], w_gate.shape[1]
    experts, gates, probs = route_top_k(x, w_gate, k)
    C = capacity(N, E, k, capacity_factor)
    used = np.zeros(E, dtype=np.int64)  # slots taken so far per expert
    y = np.zeros_like(x)  # (N, d)
    dropped = 0
    for r in range(k):  # every first choice before any second choice
        for t in range(N):
            e = experts[t, r]
            if used[e] >= C:
                dropped += 1  # overflow: this pair adds nothing
                continue
            used[e] += 1
            h = gelu_tanh(x[t] @ w1[e])  # (d_ff,)
            y[t] += gates[t, r] * (h @ w2[e])  # (d,)
    stats = {
        "tokens_per_expert": used,
        "dropped": dropped,
        "capacity": C,
        "aux_loss": aux_loss(experts, probs, alpha),
    }
    return y, stats


def moe_dispatch(
    x, w_gate, w1, w2, k=2, capacity_factor=1.25, alpha=0.01, n_threads=1
):
    """Sort assignments by expert, one matmul pair per expert, combine.

    numpy runs elementwise work on one core while its matmuls use all of
    them; n_threads > 1 shares each expert's GELU row chunks among that
    many threads. The result does not depend on n_threads.
    """
    _check_moe(x, w_gate, w1, w2, k, capacity_factor, alpha)
    if isinstance(n_threads, bool) or not isinstance(n_threads, int):
        raise ValueError(f"n_threads must be an int, got {n_threads!r}")
    if n_threads < 1:
        raise ValueError(f"n_threads must be >= 1, got {n_threads}")
    N, d = x.shape
    E = w_gate.shape[1]
    experts, gates, probs = route_top_k(x, w_gate, k)
    C = capacity(N, E, k, capacity_factor)
    # assignment a = r * N + t lists the pairs in priority order
    e_of = experts.T.reshape(-1)  # (k N,)
    order = np.argsort(e_of, kind="stable")  # by expert, then priority
    counts = np.bincount(e_of, minlength=E)  # (E,)
    starts = np.cumsum(counts) - counts  # (E,) first position per expert
    # rank of each pair inside its expert's queue: position - start
    rank = np.arange(k * N) - np.repeat(starts, counts)  # (k N,) sorted
    kept = order[rank < C]  # (M,) still grouped by expert
    kept_per_expert = np.minimum(counts, C)  # (E,)
    t_of, r_of = kept % N, kept // N  # token and rank of each kept pair
    xs = x[t_of]  # (M, d) gather: each expert's rows are contiguous
    ys = np.empty_like(xs)  # (M, d)
    pool = ThreadPoolExecutor(n_threads) if n_threads > 1 else None
    lo = 0
    for e in range(E):  # one grouped matmul pair per expert
        hi = lo + int(kept_per_expert[e])
        if hi > lo:
            h = xs[lo:hi] @ w1[e]  # (n_e, d_ff)
            # GELU in row chunks small enough to stay in cache across its
            # passes; chunks are independent, so threads may share them
            chunks = [h[i : i + 64] for i in range(0, hi - lo, 64)]
            if pool is None:
                for c in chunks:
                    gelu_tanh(c)
            else:
                list(pool.map(gelu_tanh, chunks))
            np.matmul(h, w2[e], out=ys[lo:hi])  # (n_e, d)
        lo = hi
    if pool is not None:
        pool.shutdown()
    ys *= gates[t_of, r_of][:, None]  # (M, d) scale by the gate
    # combine: each (rank, token) slot is written once, then summed
    buf = np.zeros((k, N, d), dtype=x.dtype)  # (k, N, d)
    buf[r_of, t_of] = ys
    y = buf.sum(axis=0)  # (N, d)
    stats = {
        "tokens_per_expert": kept_per_expert,
        "dropped": int(k * N - kept.size),
        "capacity": C,
        "aux_loss": aux_loss(experts, probs, alpha),
    }
    return y, stats


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    N, d, d_ff, E, k = 12, 8, 32, 4, 2
    x = rng.standard_normal((N, d))  # (N, d)
    w_gate = rng.standard_normal((d, E))  # (d, E)
    w1 = rng.standard_normal((E, d, d_ff)) / np.sqrt(d)  # (E, d, d_ff)
    w2 = rng.standard_normal((E, d_ff, d)) / np.sqrt(d_ff)  # (E, d_ff, d)
    experts, gates, probs = route_top_k(x, w_gate, k)
    print("first choices:", experts[:, 0].tolist())
    for cf in (None, 1.0, 0.5):
        y_ref, s_ref = moe_reference(x, w_gate, w1, w2, k, cf)
        y, s = moe_dispatch(x, w_gate, w1, w2, k, cf)
        same = np.allclose(y, y_ref, rtol=1e-12, atol=1e-12)
        print(
            f"cf={cf}: C={s['capacity']:>2} kept per expert "
            f"{s['tokens_per_expert'].tolist()} dropped {s['dropped']:>2} "
            f"matches loop: {same}"
        )
    print(f"aux loss: {s['aux_loss']:.4f} (uniform routing gives 0.0100)")
