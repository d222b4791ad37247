"""The divisor in attention must match the length of the dot product.

Scores q.k over n channels with unit-variance entries have variance n, so
dividing by sqrt(n) brings them back to variance 1. True multi-head
attention takes dot products over d_head channels; a single wide head
takes them over d_model channels.
"""

import numpy as np

rng = np.random.default_rng(0)
d_model, H, T = 768, 12, 256  # GPT-2 small's width and head count
d_head = d_model // H  # 64
q = rng.standard_normal((T, d_model))  # (T, d_model)
k = rng.standard_normal((T, d_model))  # (T, d_model)

# one wide head: a dot product over all d_model channels
wide = q @ k.T  # (T, T)
# H heads: split the channels, one dot product over d_head per head
q_h = q.reshape(T, H, d_head).transpose(1, 0, 2)  # (H, T, d_head)
k_h = k.reshape(T, H, d_head).transpose(1, 0, 2)  # (H, T, d_head)
per_head = q_h @ k_h.transpose(0, 2, 1)  # (H, T, T)


def peak(S):
    # mean over queries of the largest softmax weight in the row
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    return (A.max(axis=-1) / A.sum(axis=-1)).mean()


cases = [
    ("one wide head / sqrt(d_head)", wide / np.sqrt(d_head)),
    ("one wide head / sqrt(d_model)", wide / np.sqrt(d_model)),
    ("H heads, each / sqrt(d_head)", per_head / np.sqrt(d_head)),
]
print(f"{'scores':31} {'std':>5}  {'mean top weight':>15}")
for name, S in cases:
    print(f"{name:31} {S.std():5.2f}  {peak(S):15.3f}")
