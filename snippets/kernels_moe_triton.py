"""MoE expert FFNs as one grouped Triton kernel over expert-sorted blocks.

The host routes (softmax, top-k, renormalised gates), applies the capacity
and lays the kept (token, rank) pairs out expert by expert, each expert's
list padded to a multiple of BLOCK_M with a sentinel id, so that every
row block belongs to a single expert (the layout vLLM's fused MoE kernel
and MegaBlocks use). One launch of _grouped_ffn then computes a matmul for
every block at once: the first launch gathers token rows and applies GELU,
the second multiplies by w2 and the gate. Pair p = token * k + rank owns
row p of the output, so the combine is a sum over the k rows of a token.

moe_dispatch_triton(x, w_gate, w1, w2, k=2, capacity_factor=1.25) takes
torch tensors (float16, float32 or float64; accumulated in fp32) with the
contract of kernels_moe_numpy and returns (y, stats).
"""

import math
import os

import torch

if not torch.cuda.is_available():  # must be set before @triton.jit runs
    os.environ.setdefault("TRITON_INTERPRET", "1")

import triton  # noqa: E402
import triton.language as tl  # noqa: E402

TORCH_FLOATS = (torch.float16, torch.float32, torch.float64)


@triton.jit
def _grouped_ffn(
    A, W, C, pair_ids, block_expert, gates, n_pairs, K, N_OUT, top_k,
    GATHER_TOKENS: tl.constexpr, GELU: tl.constexpr,
    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
):  # fmt: skip
    pid_m = tl.program_id(0)  # which row block (one expert each)
    pid_n = tl.program_id(1)  # which block of output columns
    pairs = tl.load(pair_ids + pid_m * BLOCK_M + tl.arange(0, BLOCK_M))
    valid = pairs < n_pairs  # padding rows carry the sentinel n_pairs
    e = tl.load(block_expert + pid_m)
    # first launch reads token rows of x, the second rows of h per pair
    a_rows = pairs // top_k if GATHER_TOKENS else pairs  # (BLOCK_M,)
    cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)  # (BLOCK_N,)
    acc = tl.zeros([BLOCK_M, BLOCK_N], tl.float32)
    for k0 in range(0, K, BLOCK_K):
        kk = k0 + tl.arange(0, BLOCK_K)  # (BLOCK_K,)
        a = tl.load(
            A + a_rows[:, None] * K + kk[None, :],
            mask=valid[:, None] & (kk[None, :] < K), other=0.0,
        ).to(tl.float32)  # fmt: skip
        w = tl.load(
            W + e * K * N_OUT + kk[:, None] * N_OUT + cols[None, :],
            mask=(kk[:, None] < K) & (cols[None, :] < N_OUT), other=0.0,
        ).to(tl.float32)  # fmt: skip
        acc += tl.dot(a, w)  # (BLOCK_M, BLOCK_N)
    if GELU:
        # gelu(h) = h sigmoid(2u), u = sqrt(2/pi) (h + 0.044715 h^3);
        # same as 0.5 h (1 + tanh(u)), written without tl tanh
        u = 0.7978845608028654 * (acc + 0.044715 * acc * acc * acc)
        acc = acc / (1.0 + tl.exp(-2.0 * u))
    else:
        g = tl.load(gates + pairs, mask=valid, other=0.0).to(tl.float32)
        acc = acc * g[:, None]
    tl.store(
        C + pairs[:, None] * N_OUT + cols[None, :],
        acc.to(C.dtype.element_ty),
        mask=valid[:, None] & (cols[None, :] < N_OUT),
    )


def route_top_k_torch(x, w_gate, k):
    """Softmax router, top-k with ties to the lower expert index."""
    probs = torch.softmax(x @ w_gate, dim=1)  # (N, E), max-subtracted
    order = torch.sort(probs, dim=1, descending=True, stable=True).indices
    experts = order[:, :k]  # (N, k)
    top = torch.gather(probs, 1, experts)  # (N, k)
    return experts, top / top.sum(dim=1, keepdim=True), probs


def align_blocks(experts, E, C, block_m):
    """Kept pairs grouped by expert, each group padded to block_m rows.

    Returns pair_ids (n_blocks * block_m,) with sentinel N*k for padding,
    block_expert (n_blocks,) and kept-per-expert counts (E,).
    """
    N, k = experts.shape
    # priority order: rank-major, so every first choice comes first
    e_of = experts.T.reshape(-1)  # (k N,)
    order = torch.sort(e_of, stable=True).indices  # by expert, priority
    counts = torch.bincount(e_of, minlength=E)  # (E,)
    starts = torch.cumsum(counts, 0) - counts
    rank = torch.arange(
        k * N, device=experts.device
    ) - torch.repeat_interleave(
        starts, counts
    )  # position of each sorted pair in its expert's queue
    keep = rank < C
    kept = order[keep]  # (M,) priority ids r * N + t, grouped by expert
    kept_e, kept_rank = e_of[kept], rank[keep]
    pair = (kept % N) * k + kept // N  # storage id: token * k + rank
    n_kept = torch.clamp(counts, max=C)  # (E,)
    n_blocks = (n_kept + block_m - 1) // block_m  # (E,)
    block_start = (torch.cumsum(n_blocks, 0) - n_blocks) * block_m
    pair_ids = torch.full(
        (int(n_blocks.sum()) * block_m,), N * k, dtype=torch.int64,
        device=experts.device,
    )  # fmt: skip
    pair_ids[block_start[kept_e] + kept_rank] = pair
    block_expert = torch.repeat_interleave(
        torch.arange(E, device=experts.device), n_blocks
    )
    return pair_ids, block_expert, n_kept


def _check(x, w_gate, w1, w2, k, capacity_factor) -> None:
    named = (("x", x, 2), ("w_gate", w_gate, 2), ("w1", w1, 3), ("w2", w2, 3))
    for name, a, ndim in named:
        if not isinstance(a, torch.Tensor):
            raise ValueError(f"{name} must be a torch tensor, got {type(a)}")
        if a.dim() != ndim or a.dtype not in TORCH_FLOATS:
            raise ValueError(
                f"{name} must be a {ndim}-dim float tensor, got shape "
                f"{tuple(a.shape)} {a.dtype}"
            )
        if a.dtype != x.dtype or a.device != x.device:
            raise ValueError(f"{name} must match x in dtype and device")
    N, d = x.shape
    if N == 0 or d == 0:
        raise ValueError(
            f"x must have N >= 1 and d >= 1, got {tuple(x.shape)}"
        )
    E = w_gate.shape[1]
    if w_gate.shape[0] != d or E == 0:
        raise ValueError(f"w_gate must be (d={d}, E>=1), got {w_gate.shape}")
    d_ff = w1.shape[2]
    if w1.shape[:2] != (E, d) or d_ff == 0 or w2.shape != (E, d_ff, d):
        raise ValueError(
            f"w1 must be (E={E}, d={d}, d_ff) and w2 (E, d_ff, d), got "
            f"{tuple(w1.shape)} and {tuple(w2.shape)}"
        )
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= E:
        raise ValueError(f"k must be an int in 1..E={E}, got {k!r}")
    if capacity_factor is not None and not (
        isinstance(capacity_factor, int | float)
        and not isinstance(capacity_factor, bool)
        and math.isfinite(capacity_factor)
        and capacity_factor > 0
    ):
        raise ValueError(
            "capacity_factor must be a finite number > 0 or None, "
            f"got {capacity_factor!r}"
        )
    if x.device.type == "cpu" and os.environ.get("TRITON_INTERPRET") != "1":
        raise ValueError(
            "x is on the CPU: set TRITON_INTERPRET=1 before importing "
            "this module, or pass CUDA tensors"
        )
    for name, a, _ in named:
        if not torch.isfinite(a).all():
            raise ValueError(f"{name} must be finite (no nan or inf)")


def moe_dispatch_triton(
    x, w_gate, w1, w2, k=2, capacity_factor=1.25, alpha=0.01,
    block_m=16, block_n=32, block_k=32,
):  # fmt: skip
    """Top-k MoE layer: host routing, two grouped-GEMM launches, combine."""
    _check(x, w_gate, w1, w2, k, capacity_factor)
    N, d = x.shape
    E, d_ff = w1.shape[0], w1.shape[2]
    x, w1, w2 = x.contiguous(), w1.contiguous(), w2.contiguous()
    experts, gates, probs = route_top_k_torch(x, w_gate, k)
    C = k * N if capacity_factor is None else math.ceil(
        capacity_factor * k * N / E
    )  # fmt: skip
    pair_ids, block_expert, n_kept = align_blocks(experts, E, C, block_m)
    n_blocks = block_expert.numel()
    h = torch.empty((N * k, d_ff), dtype=torch.float32, device=x.device)
    out = torch.zeros((N * k, d), dtype=x.dtype, device=x.device)
    g = gates.reshape(-1).contiguous()  # (N k,) gate of pair t * k + r
    if n_blocks > 0:
        grid1 = (n_blocks, triton.cdiv(d_ff, block_n))
        _grouped_ffn[grid1](
            x, w1, h, pair_ids, block_expert, g, N * k, d, d_ff, k,
            GATHER_TOKENS=True, GELU=True,
            BLOCK_M=block_m, BLOCK_N=block_n, BLOCK_K=block_k,
        )  # fmt: skip
        grid2 = (n_blocks, triton.cdiv(d, block_n))
        _grouped_ffn[grid2](
            h, w2, out, pair_ids, block_expert, g, N * k, d_ff, d, k,
            GATHER_TOKENS=False, GELU=False,
            BLOCK_M=block_m, BLOCK_N=block_n, BLOCK_K=block_k,
        )  # fmt: skip
    # combine: the k rows of a token, each written once, summed
    y = out.view(N, k, d).sum(dim=1)  # (N, d)
    f = torch.bincount(experts[:, 0], minlength=E).to(probs.dtype) / N
    stats = {
        "tokens_per_expert": n_kept,
        "dropped": int(N * k - int(n_kept.sum())),
        "capacity": C,
        # Switch aux loss: alpha * E * sum_i f_i * P_i
        "aux_loss": float(alpha * E * torch.sum(f * probs.mean(dim=0))),
    }
    return y, stats


if __name__ == "__main__":
    import numpy as np
    from kernels_moe_numpy import moe_reference

    rng = np.random.default_rng(0)
    N, d, d_ff, E, k = 37, 32, 64, 4, 2
    x = rng.standard_normal((N, d))  # (N, d)
    w_gate = rng.standard_normal((d, E))  # (d, E)
    w1 = rng.standard_normal((E, d, d_ff)) / np.sqrt(d)  # (E, d, d_ff)
    w2 = rng.standard_normal((E, d_ff, d)) / np.sqrt(d_ff)  # (E, d_ff, d)
    args = [
        torch.from_numpy(a.astype(np.float32)) for a in (x, w_gate, w1, w2)
    ]
    for cf in (None, 0.5):
        y_ref, s_ref = moe_reference(x, w_gate, w1, w2, k, cf)
        y, s = moe_dispatch_triton(*args, k=k, capacity_factor=cf)
        err = np.abs(y.numpy() - y_ref).max()
        print(f"cf={cf}: kept per expert {s['tokens_per_expert'].tolist()}")
        print(f"  loop kept {s_ref['tokens_per_expert'].tolist()}, "
              f"max |triton - loop| < 1e-5: {err < 1e-5}")  # fmt: skip
