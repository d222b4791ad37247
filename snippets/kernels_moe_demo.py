"""Three router details that are easy to get wrong, checked numerically."""

import warnings

import numpy as np
from kernels_moe_numpy import aux_loss, capacity, route_top_k

# 1. softmax must subtract the max: exp(800) overflows float64
z = np.array([[800.0, 795.0, 0.0, -3.0]])  # (N=1, E=4) router logits
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    unshifted = np.exp(z) / np.exp(z).sum()  # inf / inf
print("softmax without the shift:", unshifted.round(4).tolist())
x, w_gate = np.ones((1, 1)), z  # (N, d=1), (d, E): x @ w_gate = z
experts, gates, probs = route_top_k(x, w_gate, k=2)
print("softmax with the shift:   ", probs.round(4).tolist())

# 2. ties and order: an ascending argsort tail lists the runner-up first
#    and breaks ties towards the higher index
p = np.array([0.3, 0.3, 0.1, 0.3])  # three experts tie
print("argsort(p)[-2:]:          ", np.argsort(p)[-2:].tolist())
print("stable argsort(-p)[:2]:   ", np.argsort(-p, kind="stable")[:2].tolist())

# 3. Switch aux loss alpha * E * sum_i f_i P_i: alpha when balanced,
#    alpha * E when every token picks one expert with probability 1
E, N = 8, 64
uniform = np.full((N, E), 1 / E)  # (N, E) router probabilities
spread = (np.arange(N) % E)[:, None]  # (N, 1) first choices, balanced
print(f"aux, balanced:  {aux_loss(spread, uniform):.4f}")
collapsed = np.zeros((N, E))
collapsed[:, 3] = 1.0
print(f"aux, collapsed: {aux_loss(np.full((N, 1), 3), collapsed):.4f}")

# capacity of the benchmark layer: ceil(1.25 * 2 * 4096 / 8)
print("C for N=4096, E=8, k=2, cf=1.25:", capacity(4096, 8, 2, 1.25))
# one expert of the benchmark layer: w1 (d, d_ff) and w2 (d_ff, d) in fp32
d, d_ff = 512, 2048
mib = 2 * d * d_ff * 4 / 2**20  # MiB: 2**20 bytes
print(f"one expert's w1 and w2 at d=512, d_ff=2048, fp32: {mib:.0f} MiB")
