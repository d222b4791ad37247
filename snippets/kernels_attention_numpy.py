"""Causal self-attention in numpy: a reference and a tiled kernel.

causal_attention_reference builds the whole (T, T) score matrix per head.
causal_attention_tiled is the FlashAttention forward pass (Dao et al. 2022;
loop order of FlashAttention-2, Dao 2023, Algorithm 1): query blocks outside,
key blocks inside, an online softmax with a running max m and sum l, and key
blocks above the diagonal skipped. Each worker thread holds one
(block, block) tile of scores at a time.

Both take q, k, v of shape (n_heads, T, d_head), float32 or float64, and
return the output in the same shape and dtype. Scale: 1 / sqrt(d_head).
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from kernels_contract import check_array, check_int
from threadpoolctl import ThreadpoolController

FLOAT_DTYPES = (np.float32, np.float64)
BLAS = ThreadpoolController()  # numpy's BLAS, to cap its threads


def _check_qkv(q, k, v) -> None:
    """q, k, v: (n_heads, T, d_head), one float dtype, all finite."""
    check_array("q", q, (None, None, None), FLOAT_DTYPES)
    for name, a in (("k", k), ("v", v)):
        check_array(name, a, q.shape, FLOAT_DTYPES, like=("q", q))


def causal_attention_reference(q, k, v):
    """softmax(q k^T / sqrt(d_head) + causal mask) v, all (T, T) at once."""
    _check_qkv(q, k, v)
    T, d_head = q.shape[1], q.shape[2]
    scale = q.dtype.type(1.0 / np.sqrt(d_head))
    # S = Q K^T / sqrt(d_head)
    S = (q * scale) @ k.transpose(0, 2, 1)  # (H, T, T)
    # position t sees keys 0..t: add -inf above the diagonal
    S += np.triu(np.full((T, T), -np.inf, dtype=q.dtype), k=1)  # (T, T)
    # P = softmax(S) row by row, shifted by the row max for safety
    S -= S.max(axis=-1, keepdims=True)
    P = np.exp(S, out=S)  # (H, T, T), reuses the memory of S
    P /= P.sum(axis=-1, keepdims=True)
    return P @ v  # (H, T, d_head)


def _flash_block(q, k, v, out, h, i0, B, future):
    """Query block i0 of head h: the work of one Triton program.

    The key blocks K_j, j <= i, stream past while three running
    quantities per query row are updated:
      m = max score so far, l (ell) = sum of exp(score - m),
      acc = sum of exp(score - m) * v   (unnormalised output).
    A block with a larger max rescales the old l and acc by exp(m - m_new).
    """
    T, d_head = q.shape[1], q.shape[2]
    i1 = min(i0 + B, T)
    q_i = q[h, i0:i1] * q.dtype.type(1.0 / np.sqrt(d_head))  # (Bq, d)
    m = np.full((i1 - i0, 1), -np.inf, dtype=q.dtype)  # (Bq, 1)
    ell = np.zeros((i1 - i0, 1), dtype=q.dtype)  # (Bq, 1)
    acc = np.zeros((i1 - i0, d_head), dtype=q.dtype)  # (Bq, d_head)
    # key blocks with j0 >= i1 lie wholly above the diagonal: skipped
    for j0 in range(0, i1, B):
        j1 = min(j0 + B, T)
        s = q_i @ k[h, j0:j1].T  # (Bq, Bk), the one live tile
        if j0 == i0:  # the diagonal tile (square): mask the future
            s += future[: i1 - i0, : i1 - i0]
        # m_new = max(m, rowmax(s))
        m_new = np.maximum(m, s.max(axis=1, keepdims=True))
        # p = exp(s - m_new), computed in place in the tile
        np.subtract(s, m_new, out=s)
        p = np.exp(s, out=s)  # (Bq, Bk)
        # alpha = exp(m - m_new) rescales what was summed before
        alpha = np.exp(m - m_new)  # (Bq, 1)
        # l = alpha * l + rowsum(p);  acc = alpha * acc + p v_j
        ell = alpha * ell + p.sum(axis=1, keepdims=True)
        acc *= alpha
        acc += p @ v[h, j0:j1]  # (Bq, d_head)
        m = m_new
    out[h, i0:i1] = acc / ell  # one division per row at the end


def causal_attention_tiled(q, k, v, block_size=256, n_threads=None):
    """FlashAttention forward pass in numpy; same contract as the reference.

    Like the Triton grid, the work is one job per (query block, head).
    n_threads workers (default: one per core) share the jobs; numpy
    releases the GIL inside its kernels, so they run in parallel. Each
    tile's matmuls are small, so BLAS runs one thread inside each worker
    instead of fighting the workers for the cores. The output does not
    depend on n_threads.
    """
    _check_qkv(q, k, v)
    check_int("block_size", block_size, 1)
    if n_threads is None:
        n_threads = os.cpu_count() or 1
    check_int("n_threads", n_threads, 1)
    (H, T, _), B = q.shape, int(block_size)
    out = np.empty_like(q)  # (H, T, d_head)
    # -inf above the diagonal of a (B, B) tile that straddles it
    future = np.triu(np.full((B, B), -np.inf, dtype=q.dtype), k=1)
    # the longest rows first, so that the last jobs to start are short
    jobs = [(h, i0) for i0 in reversed(range(0, T, B)) for h in range(H)]
    with BLAS.limit(limits=1, user_api="blas"):
        if n_threads == 1:
            for h, i0 in jobs:
                _flash_block(q, k, v, out, h, i0, B, future)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                done = [
                    pool.submit(_flash_block, q, k, v, out, h, i0, B, future)
                    for h, i0 in jobs
                ]
                for f in done:
                    f.result()  # re-raise any error from a worker
    return out


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    H, T, d_head = 2, 100, 16  # T is not a multiple of the block
    q, k, v = rng.standard_normal((3, H, T, d_head))  # each (H, T, d_head)
    ref = causal_attention_reference(q, k, v)  # (H, T, d_head)
    for B in (16, 64, 128):
        tiled = causal_attention_tiled(q, k, v, block_size=B)
        err = np.abs(tiled - ref).max()
        print(f"block {B:>3}: max |tiled - reference| < 1e-12: {err < 1e-12}")
    # row 0 can only see key 0, so its output is exactly v[:, 0]
    print("row 0 equals v[:, 0]:", np.allclose(ref[:, 0], v[:, 0]))
    one = causal_attention_tiled(q, k, v, block_size=64, n_threads=1)
    three = causal_attention_tiled(q, k, v, block_size=64, n_threads=3)
    print("1 or 3 threads, same bits:", np.array_equal(three, one))
    try:
        causal_attention_tiled(q[0], k[0], v[0])
    except ValueError as e:
        print("ValueError:", e)
