"""Causal attention forward pass as a Triton kernel (FlashAttention-2 order).

One program owns one query block of one head: grid (cdiv(T, BLOCK), H).
It keeps m (row max), l (row sum) and an unnormalised accumulator in fp32,
streams key blocks 0..its own diagonal block and never visits the blocks
above the diagonal. Plain pointers and masks only, so the same code runs
on Triton 3.6 and 3.9, natively on a GPU or on CPU under TRITON_INTERPRET=1.

causal_attention_triton(q, k, v, block_size=64) takes torch tensors of shape
(n_heads, T, d_head) in float16 or float32 on DEVICE and returns the output
in the same shape and dtype. The dots take the inputs as they are (fp16
runs on tensor cores) and accumulate in fp32; fp32 dots are exact fp32
("ieee"), not TF32, so a GPU gives the interpreter's digits to ~1e-6.
"""

import math

import torch
from kernels_contract import check_array, check_int, choose_device, fail

DEVICE = choose_device()  # before @triton.jit runs: it picks the backend

import triton  # noqa: E402
import triton.language as tl  # noqa: E402

TORCH_FLOATS = (torch.float16, torch.float32)


@triton.jit
def _attn_fwd(
    Q, K, V, Out, T, D, qk_scale, stride_h, stride_t,
    BLOCK: tl.constexpr, BLOCK_D: tl.constexpr,
):  # fmt: skip
    pid_m = tl.program_id(0)  # which query block
    head = tl.program_id(1)  # which head
    rows = pid_m * BLOCK + tl.arange(0, BLOCK)  # (BLOCK,) query positions
    dims = tl.arange(0, BLOCK_D)  # (BLOCK_D,)
    base = head * stride_h
    offs = base + rows[:, None] * stride_t + dims[None, :]  # (BLOCK, BLOCK_D)
    q_mask = (rows[:, None] < T) & (dims[None, :] < D)
    q = tl.load(Q + offs, mask=q_mask, other=0.0)  # input dtype
    m_i = tl.full([BLOCK], float("-inf"), tl.float32)  # running max
    l_i = tl.zeros([BLOCK], tl.float32)  # running sum
    acc = tl.zeros([BLOCK, BLOCK_D], tl.float32)  # unnormalised output
    # key blocks past this query block's last row are never loaded
    hi = tl.minimum((pid_m + 1) * BLOCK, T)
    for start in range(0, hi, BLOCK):
        cols = start + tl.arange(0, BLOCK)  # (BLOCK,) key positions
        kv_off = base + cols[:, None] * stride_t + dims[None, :]
        kv_mask = (cols[:, None] < T) & (dims[None, :] < D)
        k = tl.load(K + kv_off, mask=kv_mask, other=0.0)
        v = tl.load(V + kv_off, mask=kv_mask, other=0.0)
        # s = q k^T / sqrt(d) in base 2: exp(x) = exp2(x log2 e)
        s = tl.dot(q, tl.trans(k), input_precision="ieee") * qk_scale
        keep = (rows[:, None] >= cols[None, :]) & (cols[None, :] < T)
        s = tl.where(keep, s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, 1))
        p = tl.exp2(s - m_new[:, None])  # (BLOCK, BLOCK)
        alpha = tl.exp2(m_i - m_new)  # rescales the old sums
        l_i = l_i * alpha + tl.sum(p, 1)
        pv = tl.dot(p.to(v.dtype), v, input_precision="ieee")
        acc = acc * alpha[:, None] + pv
        m_i = m_new
    out = acc / l_i[:, None]
    tl.store(Out + offs, out.to(Out.dtype.element_ty), mask=q_mask)


def _check(q, k, v, block_size) -> None:
    """q, k, v: (n_heads, T, d_head) tensors on DEVICE, one float dtype."""
    check_array("q", q, (None, None, None), TORCH_FLOATS, device=DEVICE)
    for name, a in (("k", k), ("v", v)):
        check_array(
            name, a, tuple(q.shape), TORCH_FLOATS, like=("q", q), device=DEVICE
        )
    check_int("block_size", block_size, 16)
    if block_size & (block_size - 1):
        fail("block_size", "be a power of two >= 16", block_size)


def causal_attention_triton(q, k, v, block_size=64):
    """softmax(q k^T / sqrt(d_head) + causal mask) v, one launch."""
    _check(q, k, v, block_size)
    H, T, D = q.shape
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    o = torch.empty_like(q)  # (H, T, d_head)
    qk_scale = (1.0 / math.sqrt(D)) * 1.4426950408889634  # log2(e)
    grid = (triton.cdiv(T, block_size), H)
    _attn_fwd[grid](
        q, k, v, o, T, D, qk_scale, q.stride(0), q.stride(1),
        BLOCK=block_size, BLOCK_D=max(16, triton.next_power_of_2(D)),
    )  # fmt: skip
    return o


if __name__ == "__main__":
    import numpy as np
    from kernels_attention_numpy import causal_attention_reference

    rng = np.random.default_rng(0)
    H, T, d_head = 2, 77, 16  # T is not a multiple of the block
    qkv = rng.standard_normal((3, H, T, d_head)).astype(np.float32)
    ref = causal_attention_reference(*qkv.astype(np.float64))  # (H, T, d)
    q, k, v = torch.from_numpy(qkv).to(DEVICE)  # each (H, T, d), float32
    for B in (16, 32):
        o = causal_attention_triton(q, k, v, block_size=B)  # (H, T, d)
        err = np.abs(o.cpu().numpy() - ref).max()
        print(f"fp32, block {B}: max |triton - reference| < 1e-5: "
              f"{err < 1e-5}")  # fmt: skip
    o16 = causal_attention_triton(q.half(), k.half(), v.half(), 32)
    err16 = np.abs(o16.float().cpu().numpy() - ref).max()
    print(f"fp16, block 32: max |triton - reference| < 1e-2: {err16 < 1e-2}")
