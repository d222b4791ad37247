"""GPT's causal mask next to BERT's bidirectional one.

mask[i, j] = 1 means position i may attend to position j. GPT (Radford et
al. 2018) lets token i see j <= i; BERT (Devlin et al. 2018) lets every
token see every other, which is why it is trained by filling in masks
rather than by predicting the next token.
"""

import numpy as np


def causal_mask(T: int) -> np.ndarray:
    return np.tril(np.ones((T, T), dtype=int))  # (T, T) lower triangle


def bidirectional_mask(T: int) -> np.ndarray:
    return np.ones((T, T), dtype=int)  # (T, T) all ones (padding aside)


def attend(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """One head, no projections: softmax(x x^T / sqrt(d) + log mask) x."""
    s = x @ x.T / np.sqrt(x.shape[1])  # (T, T) scores
    s = np.where(mask == 1, s, -np.inf)  # blocked pairs get weight 0
    w = np.exp(s - s.max(axis=1, keepdims=True))  # (T, T)
    w /= w.sum(axis=1, keepdims=True)
    return w @ x  # (T, d)


if __name__ == "__main__":
    tokens = ["the", "cat", "sat", "on", "mats"]
    T = len(tokens)
    gpt, bert = causal_mask(T), bidirectional_mask(T)
    print(f"{'':>5}  GPT (causal)   BERT (bidirectional)")
    for i, tok in enumerate(tokens):
        a = " ".join(map(str, gpt[i]))
        b = " ".join(map(str, bert[i]))
        print(f"{tok:>5}  {a}      {b}")

    # Change only the last token and see which outputs move.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(T, 4))  # (T, d) token vectors
    x2 = x.copy()
    x2[-1] += 1.0  # edit "mats"
    for name, m in (("GPT", gpt), ("BERT", bert)):
        moved = np.abs(attend(x2, m) - attend(x, m)).max(axis=1) > 1e-12
        changed = [tokens[i] for i in np.where(moved)[0]]
        print(f"{name:>4}: outputs changed at {changed}")
