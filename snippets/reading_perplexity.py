"""Cross-entropy and perplexity of a tiny sequence.

Perplexity is exp of the mean negative log-likelihood per token: a model
that is uniform over V tokens has perplexity exactly V.
"""

import numpy as np

rng = np.random.default_rng(0)
V, T = 8, 5  # vocabulary size, sequence length
logits = rng.normal(size=(T, V))  # (T, V) one row per position
targets = rng.integers(0, V, size=T)  # (T,) the tokens that came next

# log softmax, stable: z - max - log(sum(exp(z - max)))
shifted = logits - logits.max(axis=1, keepdims=True)  # (T, V)
log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

# L = -(1/T) * sum_t log p(x_t | x_<t)
nll = -log_p[np.arange(T), targets].mean()
print(f"mean NLL (nats/token): {nll:.4f}")
print(f"perplexity exp(L):      {np.exp(nll):.4f}")

# A uniform model: every token has probability 1/V.
uniform = np.full((T, V), np.log(1.0 / V))  # (T, V)
nll_u = -uniform[np.arange(T), targets].mean()
print(f"uniform perplexity:     {np.exp(nll_u):.4f}  (V = {V})")
