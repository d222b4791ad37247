"""How temperature reshapes a next-token distribution.

A language model emits one logit z_i per vocabulary entry; sampling at
temperature tau draws token i with probability softmax(z / tau)_i.
"""

import numpy as np

tokens = ["Paris", "Lyon", "France", "the", "banana"]
z = np.array([4.0, 2.5, 2.0, 1.0, -1.0])  # (V,) logits for one position


def softmax(z: np.ndarray) -> np.ndarray:
    # softmax(z)_i = exp(z_i - max z) / sum_j exp(z_j - max z)
    e = np.exp(z - z.max())  # (V,) subtracting the max avoids overflow
    return e / e.sum()


for tau in (0.5, 1.0, 2.0):
    p = softmax(z / tau)  # (V,)
    row = "  ".join(f"{t}={q:.3f}" for t, q in zip(tokens, p, strict=True))
    print(f"tau={tau:<3}  {row}")

# tau -> 0 approaches greedy decoding: all mass on the argmax token.
print("greedy pick:", tokens[int(np.argmax(z))])
