"""Causal self-attention in numpy: a reference and a tiled kernel.

causal_attention_reference builds the whole (T, T) score matrix per head.
causal_attention_tiled is the FlashAttention forward pass (Dao et al. 2022;
loop order of FlashAttention-2, Dao 2023, Algorithm 1): query blocks outside,
key blocks inside, an online softmax with a running max m and sum l, and key
blocks above the diagonal skipped. Only one (block, block) tile of scores
per head is alive at a time.

Both take q, k, v of shape (n_heads, T, d_head), float32 or float64, and
return the output in the same shape and dtype. Scale: 1 / sqrt(d_head).
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def _check_qkv(q, k, v) -> None:
    """Raise ValueError naming the argument that breaks the contract."""
    for name, a in (("q", q), ("k", k), ("v", v)):
        if not isinstance(a, np.ndarray):
            raise ValueError(f"{name} must be a numpy array, got {type(a)}")
        if a.ndim != 3:
            raise ValueError(
                f"{name} must have 3 dims (n_heads, T, d_head), "
                f"got shape {a.shape}"
            )
        if a.dtype not in FLOAT_DTYPES:
            raise ValueError(
                f"{name} must be float32 or float64, got {a.dtype}"
            )
    for name, a in (("k", k), ("v", v)):
        if a.shape != q.shape:
            raise ValueError(
                f"{name} must have the shape of q {q.shape}, got {a.shape}"
            )
        if a.dtype != q.dtype:
            raise ValueError(
                f"{name} must have the dtype of q ({q.dtype}), got {a.dtype}"
            )
    if q.shape[1] == 0:
        raise ValueError("q must have T >= 1 positions, got T = 0")
    if q.shape[2] == 0:
        raise ValueError("q must have d_head >= 1, got d_head = 0")
    for name, a in (("q", q), ("k", k), ("v", v)):
        if not np.isfinite(a).all():
            raise ValueError(f"{name} must be finite (no nan or inf)")


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


def _flash_heads(q, k, v, out, B):
    """The tiled loop for a group of heads, writing into out (a view).

    For each query block Q_i the key blocks K_j, j <= i, stream past while
    three running quantities per query row are updated:
      m = max score so far, l (ell) = sum of exp(score - m),
      acc = sum of exp(score - m) * v   (unnormalised output).
    A block with a larger max rescales the old l and acc by exp(m - m_new).
    """
    H, T, d_head = q.shape
    scale = q.dtype.type(1.0 / np.sqrt(d_head))
    kT = k.transpose(0, 2, 1)  # (H, d_head, T), a view
    # -inf above the diagonal of a (B, B) tile that straddles it
    future = np.triu(np.full((B, B), -np.inf, dtype=q.dtype), k=1)
    for i0 in range(0, T, B):
        i1 = min(i0 + B, T)
        q_i = q[:, i0:i1] * scale  # (H, Bq, d_head)
        m = np.full((H, i1 - i0, 1), -np.inf, dtype=q.dtype)  # (H, Bq, 1)
        ell = np.zeros((H, i1 - i0, 1), dtype=q.dtype)  # (H, Bq, 1)
        acc = np.zeros((H, i1 - i0, d_head), dtype=q.dtype)  # (H, Bq, d)
        # key blocks with j0 >= i1 lie wholly above the diagonal: skipped
        for j0 in range(0, i1, B):
            j1 = min(j0 + B, T)
            s = q_i @ kT[:, :, j0:j1]  # (H, Bq, Bk), the one live tile
            if j0 == i0:  # the diagonal tile (square): mask the future
                s += future[: i1 - i0, : i1 - i0]
            # m_new = max(m, rowmax(s))
            m_new = np.maximum(m, s.max(axis=-1, keepdims=True))
            # p = exp(s - m_new), computed in place in the tile
            np.subtract(s, m_new, out=s)
            p = np.exp(s, out=s)  # (H, Bq, Bk)
            # alpha = exp(m - m_new) rescales what was summed before
            alpha = np.exp(m - m_new)  # (H, Bq, 1)
            # l = alpha * l + rowsum(p);  acc = alpha * acc + p v_j
            ell = alpha * ell + p.sum(axis=-1, keepdims=True)
            acc *= alpha
            acc += p @ v[:, j0:j1]  # (H, Bq, d_head)
            m = m_new
        out[:, i0:i1] = acc / ell  # one division per row at the end


def causal_attention_tiled(q, k, v, block_size=64, n_threads=1):
    """FlashAttention forward pass in numpy; same contract as the reference.

    n_threads > 1 splits the heads into that many groups, each run by its
    own thread (numpy releases the GIL inside its kernels); every head
    still has a single live tile, and the result does not depend on it.
    """
    _check_qkv(q, k, v)
    for name, val in (("block_size", block_size), ("n_threads", n_threads)):
        if isinstance(val, bool) or not isinstance(val, int | np.integer):
            raise ValueError(f"{name} must be an int, got {val!r}")
        if val < 1:
            raise ValueError(f"{name} must be >= 1, got {val}")
    H, B = q.shape[0], int(block_size)
    out = np.empty_like(q)  # (H, T, d_head)
    groups = np.array_split(np.arange(H), min(int(n_threads), H))
    jobs = [slice(g[0], g[-1] + 1) for g in groups]
    if len(jobs) == 1:
        _flash_heads(q, k, v, out, B)
        return out
    with ThreadPoolExecutor(len(jobs)) as pool:
        done = [
            pool.submit(_flash_heads, q[h], k[h], v[h], out[h], B)
            for h in jobs
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
    one = causal_attention_tiled(q, k, v, block_size=64)
    two = causal_attention_tiled(q, k, v, block_size=64, n_threads=2)
    print("2 threads give the same bits:", np.array_equal(two, one))
    try:
        causal_attention_tiled(q[0], k[0], v[0])
    except ValueError as e:
        print("ValueError:", e)
