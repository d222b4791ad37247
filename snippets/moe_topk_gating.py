"""Top-k gating for a Mixture-of-Experts layer, the numerically safe way.

Router logits h = x W_g pick k of E experts per token; the output is the
gate-weighted sum of those k experts. Renormalising the top-k softmax
probabilities equals a softmax over the top-k logits alone (Shazeer et
al. 2017 apply softmax after KeepTopK).
"""

import numpy as np


def softmax_naive(h: np.ndarray) -> np.ndarray:
    e = np.exp(h)  # overflows to inf once a logit passes ~709
    return e / e.sum(axis=-1, keepdims=True)


def softmax(h: np.ndarray) -> np.ndarray:
    # softmax(h) = softmax(h - max h): same value, largest exponent is 0
    e = np.exp(h - h.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def top_k_gates(h: np.ndarray, k: int):
    """Indices (T, k) of the chosen experts and gates (T, k) summing to 1."""
    idx = np.argsort(-h, axis=-1, kind="stable")[:, :k]  # (T, k) best first
    p = softmax(h)  # (T, E)
    g = np.take_along_axis(p, idx, axis=-1)  # (T, k)
    # g_i = p_i / sum_{j in top-k} p_j  (renormalise over the chosen k)
    return idx, g / g.sum(axis=-1, keepdims=True)


def moe_layer(x, W_g, experts, k):
    """y_t = sum over chosen i of g_{t,i} * E_i(x_t)."""
    idx, g = top_k_gates(x @ W_g, k)  # (T, k), (T, k)
    y = np.zeros_like(x)  # (T, d)
    for t in range(x.shape[0]):
        for i, gate in zip(idx[t], g[t], strict=True):
            y[t] += gate * experts[i](x[t])
    return y, idx, g


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    T, d, E, k = 4, 8, 8, 2
    x = rng.normal(size=(T, d))  # (T, d) token vectors
    W_g = rng.normal(size=(d, E))  # (d, E) router weights
    Ws = rng.normal(size=(E, d, d)) / np.sqrt(d)  # one linear map per expert
    experts = [lambda v, W=W: np.tanh(v @ W) for W in Ws]

    y, idx, g = moe_layer(x, W_g, experts, k)
    for t in range(T):
        pick = ", ".join(
            f"E{i}:{w:.3f}" for i, w in zip(idx[t], g[t], strict=True)
        )
        print(f"token {t}: {pick}")

    h = x @ W_g  # (T, E)
    top_logits = np.take_along_axis(h, idx, axis=-1)  # (T, k)
    same = np.allclose(g, softmax(top_logits))
    print("renormalised top-k == softmax over top-k logits:", same)
    print("y shape:", y.shape, "| gates sum to 1:", np.allclose(g.sum(1), 1))

    big = 1000.0 * h[:1]  # (1, E) a router with very confident logits
    with np.errstate(over="ignore", invalid="ignore"):
        print("naive softmax :", np.round(softmax_naive(big), 3)[0])
    print("max-subtracted:", np.round(softmax(big), 3)[0])
