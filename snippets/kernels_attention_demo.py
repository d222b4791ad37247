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


def peak_mib(f, *args):
    tracemalloc.start()
    out = f(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak / 2**20  # MiB: 2**20 bytes


rng = np.random.default_rng(0)
H, T, d_head = 12, 1024, 64  # GPT-2 small: 12 heads of 64
q, k, v = rng.standard_normal((3, H, T, d_head), dtype=np.float32)
# scores for all heads: H * T * T fp32 values of 4 bytes, in MiB (2**20 B)
scores_mib = H * T * T * 4 / 2**20
out_mib = H * T * d_head * 4 / 2**20
print(f"H x T x T scores alone: {scores_mib:.0f} MiB")
print(f"output alone:           {out_mib:.0f} MiB")
ref, mib_ref = peak_mib(causal_attention_reference, q, k, v)
# peaks move a little between numpy releases: print bounds, not digits
print("reference peak >= scores + output:", mib_ref >= scores_mib + out_mib)
for B in (64, 256):
    # one worker thread, so that the peak does not depend on the cores
    out, mib = peak_mib(causal_attention_tiled, q, k, v, B, 1)
    same = np.abs(out - ref).max() < 1e-5
    small = mib < out_mib + 2
    print(f"tiled, block {B:>3}: peak < output + 2 MiB: {small}")
    print(f"  >= 10x below the reference: {mib_ref >= 10 * mib}, same: {same}")
