"""Causal self-attention in numpy: a reference and a tiled kernel.

causal_attention_reference builds the whole (T, T) score matrix per head.
causal_attention_tiled is the FlashAttention forward pass (Dao et al. 2022;
loop order of FlashAttention-2, Dao 2023, Algorithm 1): query blocks outside,
key blocks inside, an online softmax with a running max m and sum l, and key
blocks above the diagonal skipped. Each worker thread holds one
(query block, key block) tile of scores at a time.

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
LOG2E = 1.4426950408889634  # log2(e): exp(x) = 2 ** (x * log2(e))


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


def _flash_rows(q, k, v, out, h, i0, Bq, Bk, future):
    """Query rows i0:i0+Bq of head h: the work of one Triton program.

    Key blocks stream past while three running quantities per query row
    are updated, in base 2 (scores carry a factor log2(e), so
    exp(score) = exp2(scaled score), and numpy's exp2 is the faster ufunc):
      m = max score so far, l (ell) = sum of 2^(score - m),
      acc = sum of 2^(score - m) * v   (unnormalised output).
    A block with a larger max rescales the old l and acc by 2^(m - m_new).
    The diagonal tile goes first: every row sees its own key there, so m
    is finite from the start. Then key blocks of Bk walk back to key 0.
    """
    T, d_head = q.shape[1], q.shape[2]
    i1 = min(i0 + Bq, T)
    n = i1 - i0  # rows in this block
    # q_i / sqrt(d_head) * log2(e): one scale, folded into the queries
    c = q.dtype.type(LOG2E / np.sqrt(d_head))
    q_i = q[h, i0:i1] * c  # (n, d)
    # diagonal tile (n, n): mask the future, start m, l and acc from it
    s = q_i @ k[h, i0:i1].T  # (n, n)
    s += future[:n, :n]
    m = s.max(axis=1, keepdims=True)  # (n, 1)
    p = np.exp2(np.subtract(s, m, out=s), out=s)  # (n, n) in place
    ell = p.sum(axis=1, keepdims=True)  # (n, 1)
    acc = p @ v[h, i0:i1]  # (n, d_head)
    tile = np.empty(n * Bk, dtype=q.dtype)  # one buffer for every tile
    # key blocks j0:j1 left of the diagonal, nearest first; those right
    # of it (j0 >= i1) are never visited
    for j1 in range(i0, 0, -Bk):
        j0 = max(j1 - Bk, 0)
        # a contiguous (n, j1 - j0) view, so matmul writes it via BLAS
        s = tile[: n * (j1 - j0)].reshape(n, j1 - j0)
        np.matmul(q_i, k[h, j0:j1].T, out=s)  # (n, Bk) scores, base 2
        # m_new = max(m, rowmax(s)); p = 2^(s - m_new) in place
        m_new = np.maximum(m, s.max(axis=1, keepdims=True))  # (n, 1)
        p = np.exp2(np.subtract(s, m_new, out=s), out=s)  # (n, Bk)
        # alpha = 2^(m - m_new) rescales what was summed before
        alpha = np.exp2(m - m_new)  # (n, 1)
        # l = alpha * l + rowsum(p);  acc = alpha * acc + p v_j
        ell *= alpha
        ell += p.sum(axis=1, keepdims=True)
        acc *= alpha
        acc += p @ v[h, j0:j1]  # (n, d_head)
        m = m_new
    out[h, i0:i1] = acc / ell  # one division per row at the end


def causal_attention_tiled(
    q, k, v, block_size=256, n_threads=None, key_block_size=512
):
    """FlashAttention forward pass in numpy; same contract as the reference.

    block_size query rows per job; key_block_size keys per tile. A tile
    wider than tall means fewer numpy calls and rescales per score, and
    a (256, 512) float32 tile, 512 KiB, still fits in a core's L2 cache.
    Like the Triton grid, the work is one job per (query block, head).
    n_threads workers (default: one per core) share the jobs; numpy
    releases the GIL inside its kernels, so they run in parallel. Each
    tile's matmuls are small, so BLAS runs one thread inside each worker
    instead of fighting the workers for the cores. The output does not
    depend on n_threads.
    """
    _check_qkv(q, k, v)
    check_int("block_size", block_size, 1)
    check_int("key_block_size", key_block_size, 1)
    if n_threads is None:
        n_threads = os.cpu_count() or 1
    check_int("n_threads", n_threads, 1)
    (H, T, _), Bq, Bk = q.shape, int(block_size), int(key_block_size)
    out = np.empty_like(q)  # (H, T, d_head)
    # -inf above the diagonal of the (Bq, Bq) tile that straddles it
    future = np.triu(np.full((Bq, Bq), -np.inf, dtype=q.dtype), k=1)
    # the longest rows first, so that the last jobs to start are short
    jobs = [(h, i0) for i0 in reversed(range(0, T, Bq)) for h in range(H)]
    args = (q, k, v, out)
    with BLAS.limit(limits=1, user_api="blas"):
        if n_threads == 1:
            for h, i0 in jobs:
                _flash_rows(*args, h, i0, Bq, Bk, future)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                done = [
                    pool.submit(_flash_rows, *args, h, i0, Bq, Bk, future)
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
