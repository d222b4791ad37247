# Causal softmax over equal scores: what each position attends to.
import numpy as np

T = 3
scores = np.zeros((T, T))  # (T, T), all keys equally likely
# M[t, s] = -inf where s > t, added before the softmax
scores[np.triu_indices(T, k=1)] = -np.inf
w = np.exp(scores - scores.max(axis=1, keepdims=True))
w /= w.sum(axis=1, keepdims=True)  # (T, T), rows sum to 1
print(np.round(w, 2))
