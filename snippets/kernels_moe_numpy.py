"""Top-k mixture-of-experts layer in numpy: a token loop and a dispatch.

Contract shared by every version (numpy here, Triton next door):
  x (N, d), router w_gate (d, E), experts w1 (E, d, d_ff), w2 (E, d_ff, d);
  expert e maps a row to gelu_tanh(row @ w1[e]) @ w2[e].
Routing: softmax over experts, top-k (ties go to the lower expert index),
gates renormalised over the k chosen experts.
Capacity per expert: ceil(capacity_factor * k * N / E), None = unlimited.
Defaults (kernels_contract): k = 2, capacity_factor = None, alpha = 0.01.
Slots fill rank by rank (all first choices before any second choice) and,
within a rank, by token index. A dropped assignment adds zero and the kept
gates are not renormalised. Aux loss (Switch Transformer, Fedus et al. 2021,
eqs. 4-6): alpha * E * sum_i f_i * P_i.
"""

import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from kernels_contract import (
    ALPHA,
    CAPACITY_FACTOR,
    TOP_K,
    check_array,
    check_int,
    check_number,
)
from threadpoolctl import ThreadpoolController

FLOAT_DTYPES = (np.float32, np.float64)
INT_DTYPES = (np.int32, np.int64)
BLAS = ThreadpoolController()  # numpy's BLAS, to cap its threads
# most rows per dispatch job: an expert's slab is cut into near-equal
# parts of at most ROWS rows, so each part is one big matmul pair and
# the parts of all experts keep every worker busy
ROWS = 1024


def _gelu_tanh(h):
    """GELU, tanh form (Hendrycks and Gimpel 2016), computed in place.

    0.5 h (1 + tanh(u)) = h sigmoid(2u) = h / (1 + exp(-2u)), with
    u = sqrt(2/pi) (h + 0.044715 h^3); numpy's exp is much faster than
    its tanh. exp(-2u) may overflow to inf for h << 0: then h / inf = 0.
    """
    c = -2.0 * math.sqrt(2.0 / math.pi)
    t = h * h
    t *= h.dtype.type(0.044715 * c)
    t += h.dtype.type(c)
    t *= h  # t = -2u
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1
    h /= t
    return h


def _check_layer(x, w_gate, w1, w2, k, capacity_factor, alpha):
    """x (N, d), w_gate (d, E), w1 (E, d, d_ff), w2 (E, d_ff, d)."""
    check_array("x", x, (None, None), FLOAT_DTYPES)
    d = x.shape[1]
    check_array("w_gate", w_gate, (d, None), FLOAT_DTYPES, like=("x", x))
    E = w_gate.shape[1]
    check_array("w1", w1, (E, d, None), FLOAT_DTYPES, like=("x", x))
    d_ff = w1.shape[2]
    check_array("w2", w2, (E, d_ff, d), FLOAT_DTYPES, like=("x", x))
    check_int("k", k, 1, E)
    check_number("capacity_factor", capacity_factor, allow_none=True)
    check_number("alpha", alpha, allow_zero=True)


def capacity(N, E, k, capacity_factor=CAPACITY_FACTOR):
    """Slots per expert: ceil(capacity_factor * k * N / E); None = all."""
    check_int("N", N, 1)
    check_int("E", E, 1)
    check_int("k", k, 1, E)
    check_number("capacity_factor", capacity_factor, allow_none=True)
    if capacity_factor is None:
        return k * N
    return math.ceil(capacity_factor * k * N / E)


def _route(x, w_gate, k):
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


def route_top_k(x, w_gate, k=TOP_K):
    """Router: probs = softmax(x w_gate); top-k experts; renormalised gates.

    Returns experts (N, k) int64, gates (N, k) and probs (N, E).
    """
    check_array("x", x, (None, None), FLOAT_DTYPES)
    check_array(
        "w_gate", w_gate, (x.shape[1], None), FLOAT_DTYPES, like=("x", x)
    )
    check_int("k", k, 1, w_gate.shape[1])
    return _route(x, w_gate, k)


def aux_loss(experts, probs, alpha=ALPHA):
    """Switch load-balancing loss: alpha * E * sum_i f_i * P_i."""
    check_array("probs", probs, (None, None), FLOAT_DTYPES)
    N, E = probs.shape
    check_array("experts", experts, (N, None), INT_DTYPES)
    check_number("alpha", alpha, allow_zero=True)
    if experts.min() < 0 or experts.max() >= E:
        check_int("experts", int(experts.max()), 0, E - 1)
    # f_i: fraction of tokens whose first choice is expert i
    f = np.bincount(experts[:, 0], minlength=E) / N  # (E,)
    # P_i: mean router probability of expert i
    P = probs.mean(axis=0)  # (E,)
    return float(alpha * E * np.sum(f * P))


def moe_reference(
    x, w_gate, w1, w2, k=TOP_K, capacity_factor=CAPACITY_FACTOR, alpha=ALPHA
):
    """The definition: loop over ranks, then tokens, one FFN per pair."""
    _check_layer(x, w_gate, w1, w2, k, capacity_factor, alpha)
    N, E = x.shape[0], w_gate.shape[1]
    experts, gates, probs = _route(x, w_gate, k)
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
            h = _gelu_tanh(x[t] @ w1[e])  # (d_ff,)
            y[t] += gates[t, r] * (h @ w2[e])  # (d,)
    stats = {
        "tokens_per_expert": used,
        "dropped": dropped,
        "capacity": C,
        "aux_loss": aux_loss(experts, probs, alpha),
    }
    return y, stats


def _jobs(kept_per_expert):
    """(expert, first row, end row) of each dispatch job, biggest first.

    Expert e owns one contiguous slab of the sorted rows; each slab is cut
    into near-equal parts of at most ROWS rows (an idle expert gives one
    empty job).
    """
    sizes = kept_per_expert.tolist()  # (E,) rows per expert
    jobs, a = [], 0
    for e, n in enumerate(sizes):
        parts = max(1, -(-n // ROWS))  # ceil(n / ROWS), at least 1
        cuts = [a + n * i // parts for i in range(parts + 1)]
        jobs += [(e, b0, b1) for b0, b1 in zip(cuts, cuts[1:], strict=False)]
        a += n
    return sorted(jobs, key=lambda j: j[1] - j[2])  # even ends


def moe_dispatch(
    x, w_gate, w1, w2, k=TOP_K, capacity_factor=CAPACITY_FACTOR,
    alpha=ALPHA, n_threads=None,
):  # fmt: skip
    """Sort assignments by expert, matmuls per expert, combine.

    Each expert's rows are cut into near-equal jobs of at most ROWS rows:
    x_rows @ w1[e], GELU in place, @ w2[e], times the gate. n_threads
    workers (default: one per core) share the jobs with BLAS at one
    thread each, so the GELU runs on every core and the workers do not
    fight BLAS for them. The result does not depend on n_threads.
    """
    _check_layer(x, w_gate, w1, w2, k, capacity_factor, alpha)
    if n_threads is None:
        n_threads = os.cpu_count() or 1
    check_int("n_threads", n_threads, 1)
    N, d = x.shape
    E = w_gate.shape[1]
    experts, gates, probs = _route(x, w_gate, k)
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
    g = gates[t_of, r_of][:, None]  # (M, 1) gate of each kept pair
    # combine buffer: each (rank, token) slot is written once, then summed
    buf = np.zeros((k, N, d), dtype=x.dtype)  # (k, N, d)

    def job(e, a, b):  # rows a:b of the kept pairs, all on expert e
        h = _gelu_tanh(xs[a:b] @ w1[e])  # (rows, d_ff)
        y = h @ w2[e]  # (rows, d)
        y *= g[a:b]
        buf[r_of[a:b], t_of[a:b]] = y

    jobs = _jobs(kept_per_expert)
    with BLAS.limit(limits=1, user_api="blas"):
        if n_threads == 1:
            for e, a, b in jobs:
                job(e, a, b)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                for f in [pool.submit(job, *j) for j in jobs]:
                    f.result()  # re-raise any error from a worker
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
