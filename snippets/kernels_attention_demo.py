"""Peak memory of the two numpy attention kernels, measured by tracemalloc.

numpy reports its array allocations to tracemalloc, so the peak below is
the most memory the call had allocated at once (inputs excluded).
"""

import tracemalloc

import numpy as np
from kernels_attention_numpy import (
    causal_attention_reference,
    causal_attention_tiled,
)


def peak_mb(f, *args):
    tracemalloc.start()
    out = f(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak / 2**20


rng = np.random.default_rng(0)
H, T, d_head = 12, 1024, 64  # GPT-2 small: 12 heads of 64
q, k, v = rng.standard_normal((3, H, T, d_head), dtype=np.float32)
# scores for all heads: H * T * T fp32 values of 4 bytes
scores_mb = H * T * T * 4 / 2**20
out_mb = H * T * d_head * 4 / 2**20
print(f"H x T x T scores alone: {scores_mb:.0f} MB")
print(f"output alone:           {out_mb:.0f} MB")
ref, mb_ref = peak_mb(causal_attention_reference, q, k, v)
# peaks move a little between numpy releases: print bounds, not digits
print("reference peak >= scores + output:", mb_ref >= scores_mb + out_mb)
for B in (64, 256):
    # one worker thread, so that the peak does not depend on the cores
    out, mb = peak_mb(causal_attention_tiled, q, k, v, B, 1)
    same = np.abs(out - ref).max() < 1e-5
    print(f"tiled, block {B:>3}: peak < output + 2 MB: {mb < out_mb + 2}")
    print(f"  >= 10x below the reference: {mb_ref >= 10 * mb}, same: {same}")
