"""Causal self-attention in numpy: a reference and a tiled kernel.

causal_attention_reference builds the whole (T, T) score matrix per head.
causal_attention_tiled is the FlashAttention forward pass (Dao et al. 2022;
loop order of FlashAttention-2, Dao 2023, Algorithm 1): query blocks outside,
key blocks inside, an online softmax with a shift m (a row max) and a sum l,
and key blocks above the diagonal skipped. Each worker thread holds one
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
LIMIT = 2.0**16  # a row's weights past this in one tile move its shift m


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


def _flash_head(q, k, v, out, h, Bq, Bk, future):
    """Head h, query block after query block: the Triton programs of one
    head, run in turn. Extends k and v by a column of ones, once."""
    T, d_head = q.shape[1], q.shape[2]
    k1 = np.ones((T, d_head + 1), dtype=q.dtype)  # (T, d + 1): [k, 1]
    k1[:, :d_head] = k[h]
    v1 = np.ones((T, d_head + 1), dtype=q.dtype)  # (T, d + 1): [v, 1]
    v1[:, :d_head] = v[h]
    tile = np.empty(Bq * Bk, dtype=q.dtype)  # one buffer for every tile
    # overflow in exp2 and inf * 0 in a matmul are caught by the check
    with np.errstate(over="ignore", invalid="ignore"):
        for i0 in reversed(range(0, T, Bq)):
            q_i = q[h, i0 : i0 + Bq]  # (n, d_head), n <= Bq
            out[h, i0 : i0 + Bq] = _flash_block(
                q_i, i0, k1, v1, tile, Bk, future
            )


def _flash_block(q_i, i0, k1, v1, tile, Bk, future):
    """Query rows i0:i0+n (q_i, shape (n, d)): one Triton program.

    Key blocks stream past while per query row
      m = the shift (a max of the row's scores, base 2), l (ell) = sum
      of 2^(score - m), acc = sum of 2^(score - m) * v  (unnormalised)
    are kept. Scores carry a factor log2(e), so exp(score) becomes
    exp2(scaled score), and numpy's exp2 is the faster ufunc.

    k1 = [k, 1] and v1 = [v, 1], and the query block gets a column -m:
      [q_i, -m] @ [k_j, 1]^T = s - m,   2^(s - m) @ [v_j, 1] = [p v_j, l_j]
    so the shift and the row sum ride along in the two matmuls instead
    of costing a pass over the tile each. m is exact after the diagonal
    tile, which goes first (every row sees its own key there), and then
    moves only for rows whose weights in a tile grow past LIMIT: those
    rows (rare) get the tile's max as their new shift, and the tile is
    redone; every other row's arithmetic stays as it was, bit for bit.
    """
    (n, d_head), dt = q_i.shape, q_i.dtype
    i1 = i0 + n
    qm = np.empty((n, d_head + 1), dtype=dt)  # (n, d + 1): [q_i c, -m]
    # c = log2(e) / sqrt(d_head): the scale and the base change at once
    np.multiply(q_i, dt.type(LOG2E / np.sqrt(d_head)), out=qm[:, :d_head])
    qm[:, d_head] = 0
    # diagonal tile (n, n): mask the future, take the exact row max
    s = qm @ k1[i0:i1].T  # (n, n) scores, base 2
    s += future[:n, :n]
    m = s.max(axis=1)  # (n,)
    s -= m[:, None]
    np.exp2(s, out=s)  # p = 2^(s - m)
    acc = s @ v1[i0:i1]  # (n, d + 1): [p v, l]
    qm[:, d_head] = -m
    # key blocks j0:j1 left of the diagonal, nearest first; those right
    # of it are never visited
    for j1 in range(i0, 0, -Bk):
        j0 = max(j1 - Bk, 0)
        # a contiguous (n, j1 - j0) view, so matmul writes it via BLAS
        s = tile[: n * (j1 - j0)].reshape(n, j1 - j0)
        np.matmul(qm, k1[j0:j1].T, out=s)  # s - m, base 2
        np.exp2(s, out=s)  # p = 2^(s - m); may overflow: checked next
        pv = s @ v1[j0:j1]  # (n, d + 1): [p v_j, rowsum p]
        grew = ~(pv[:, d_head] <= LIMIT)  # (n,) True also for inf, nan
        if grew.any():  # rare: move m up for those rows, redo the tile
            np.matmul(qm, k1[j0:j1].T, out=s)
            # delta: the tile's row max above m, for those rows only
            delta = np.where(grew, np.maximum(s.max(axis=1), 0), 0)
            delta = delta.astype(dt)  # (n,)
            s -= delta[:, None]
            np.exp2(s, out=s)
            qm[:, d_head] -= delta  # m += delta
            acc *= np.exp2(-delta)[:, None]  # rescale what was summed
            pv = s @ v1[j0:j1]
        acc += pv  # acc and l in one add
    # one division per row at the end: acc / l
    return acc[:, :d_head] / acc[:, d_head:]


def causal_attention_tiled(
    q, k, v, block_size=256, n_threads=None, key_block_size=512
):
    """FlashAttention forward pass in numpy; same contract as the reference.

    block_size query rows per block; key_block_size keys per tile. A
    tile wider than tall means fewer numpy calls per score, and a
    (256, 512) float32 tile, 512 KiB, still fits in a core's L2 cache.
    The work is one job per head, which walks its query blocks (the
    Triton grid's programs of that head, in turn) and extends its k and
    v by a column of ones once. n_threads workers (default: one per
    core) share the jobs; numpy releases the GIL inside its kernels, so
    they run in parallel. Each tile's matmuls are small, so BLAS runs
    one thread inside each worker instead of fighting the workers for
    the cores. The output does not depend on n_threads.
    """
    _check_qkv(q, k, v)
    check_int("block_size", block_size, 1)
    check_int("key_block_size", key_block_size, 1)
    if n_threads is None:
        n_threads = os.cpu_count() or 1
    check_int("n_threads", n_threads, 1)
    H, Bq, Bk = q.shape[0], int(block_size), int(key_block_size)
    out = np.empty_like(q)  # (H, T, d_head)
    # -inf above the diagonal of the (Bq, Bq) tile that straddles it
    future = np.triu(np.full((Bq, Bq), -np.inf, dtype=q.dtype), k=1)
    args = (q, k, v, out)
    with BLAS.limit(limits=1, user_api="blas"):
        if n_threads == 1:
            for h in range(H):
                _flash_head(*args, h, Bq, Bk, future)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                done = [
                    pool.submit(_flash_head, *args, h, Bq, Bk, future)
                    for h in range(H)
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
