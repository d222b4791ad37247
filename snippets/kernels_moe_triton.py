"""MoE expert FFNs as one grouped Triton kernel over expert-sorted blocks.

The host routes (softmax, top-k, renormalised gates), applies the capacity
and lays the kept (token, rank) pairs out expert by expert, each expert's
list padded to a multiple of BLOCK_M with a sentinel id, so that every
row block belongs to a single expert (the layout vLLM's fused MoE kernel
and MegaBlocks use). One launch of _grouped_ffn then computes a matmul for
every block at once: the first launch gathers token rows and applies GELU,
the second multiplies by w2 and the gate. Pair p = token * k + rank owns
row p of the output, so the combine is a sum over the k rows of a token.

moe_dispatch_triton(x, w_gate, w1, w2) takes torch tensors on DEVICE
(float16 or float32; dots accumulate in fp32, fp32 dots without TF32) with
the contract and defaults of kernels_moe_numpy and returns (y, stats).
"""

import math

import torch
from kernels_contract import (
    ALPHA,
    CAPACITY_FACTOR,
    TOP_K,
    check_array,
    check_int,
    check_number,
    choose_device,
    fail,
)

DEVICE = choose_device()  # before @triton.jit runs: it picks the backend

import triton  # noqa: E402
import triton.language as tl  # noqa: E402

TORCH_FLOATS = (torch.float16, torch.float32)
TORCH_INTS = (torch.int32, torch.int64)


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
        )  # fmt: skip
        w = tl.load(
            W + e * K * N_OUT + kk[:, None] * N_OUT + cols[None, :],
            mask=(kk[:, None] < K) & (cols[None, :] < N_OUT), other=0.0,
        )  # fmt: skip
        acc += tl.dot(a, w, input_precision="ieee")  # (BLOCK_M, BLOCK_N)
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


def route_top_k_torch(x, w_gate, k=TOP_K):
    """Softmax router, top-k with ties to the lower expert index."""
    check_array("x", x, (None, None), TORCH_FLOATS, device=DEVICE)
    check_array(
        "w_gate", w_gate, (x.shape[1], None), TORCH_FLOATS, like=("x", x),
        device=DEVICE,
    )  # fmt: skip
    check_int("k", k, 1, w_gate.shape[1])
    return _route(x, w_gate, k)


def _route(x, w_gate, k):
    # the router runs in fp32 even for fp16 layers (Switch, sec. 2.4)
    probs = torch.softmax(x.float() @ w_gate.float(), dim=1)  # (N, E)
    order = torch.sort(probs, dim=1, descending=True, stable=True).indices
    experts = order[:, :k]  # (N, k)
    top = torch.gather(probs, 1, experts)  # (N, k)
    return experts, top / top.sum(dim=1, keepdim=True), probs


def align_blocks(experts, E, C, block_m):
    """Kept pairs grouped by expert, each group padded to block_m rows.

    Returns pair_ids (n_blocks * block_m,) with sentinel N*k for padding,
    block_expert (n_blocks,) and kept-per-expert counts (E,).
    """
    check_array("experts", experts, (None, None), TORCH_INTS, device=DEVICE)
    check_int("E", E, 1)
    if int(experts.min()) < 0 or int(experts.max()) >= E:
        check_int("experts", int(experts.max()), 0, E - 1)
    check_int("C", C, 0)
    check_int("block_m", block_m, 1)
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


def _check_layer(x, w_gate, w1, w2, k, capacity_factor, alpha) -> None:
    """x (N, d), w_gate (d, E), w1 (E, d, d_ff), w2 (E, d_ff, d)."""
    check_array("x", x, (None, None), TORCH_FLOATS, device=DEVICE)
    N, d = x.shape
    like = {"like": ("x", x), "device": DEVICE}
    check_array("w_gate", w_gate, (d, None), TORCH_FLOATS, **like)
    E = w_gate.shape[1]
    check_array("w1", w1, (E, d, None), TORCH_FLOATS, **like)
    check_array("w2", w2, (E, w1.shape[2], d), TORCH_FLOATS, **like)
    check_int("k", k, 1, E)
    check_number("capacity_factor", capacity_factor, allow_none=True)
    check_number("alpha", alpha, allow_zero=True)


def moe_dispatch_triton(
    x, w_gate, w1, w2, k=TOP_K, capacity_factor=CAPACITY_FACTOR, alpha=ALPHA,
    block_m=16, block_n=32, block_k=32,
):  # fmt: skip
    """Top-k MoE layer: host routing, two grouped-GEMM launches, combine."""
    _check_layer(x, w_gate, w1, w2, k, capacity_factor, alpha)
    for name, b in (("block_m", block_m), ("block_n", block_n),
                    ("block_k", block_k)):  # fmt: skip
        check_int(name, b, 16)
        if b & (b - 1):
            fail(name, "be a power of two >= 16", b)
    N, d = x.shape
    E, d_ff = w1.shape[0], w1.shape[2]
    x, w1, w2 = x.contiguous(), w1.contiguous(), w2.contiguous()
    experts, gates, probs = _route(x, w_gate, k)
    C = k * N if capacity_factor is None else math.ceil(
        capacity_factor * k * N / E
    )  # fmt: skip
    pair_ids, block_expert, n_kept = align_blocks(experts, E, C, block_m)
    n_blocks = block_expert.numel()
    h = torch.empty((N * k, d_ff), dtype=x.dtype, device=x.device)
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
        torch.from_numpy(a.astype(np.float32)).to(DEVICE)
        for a in (x, w_gate, w1, w2)
    ]
    for cf in (None, 0.5):
        y_ref, s_ref = moe_reference(x, w_gate, w1, w2, k, cf)
        y, s = moe_dispatch_triton(*args, k=k, capacity_factor=cf)
        err = np.abs(y.cpu().numpy() - y_ref).max()
        print(f"cf={cf}: kept per expert {s['tokens_per_expert'].tolist()}")
        print(f"  loop kept {s_ref['tokens_per_expert'].tolist()}, "
              f"max |triton - loop| < 1e-5: {err < 1e-5}")  # fmt: skip
