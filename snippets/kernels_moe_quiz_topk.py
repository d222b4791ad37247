# Top-2 of four router probabilities, two ways.
import numpy as np

p = np.array([0.5, 0.1, 0.3, 0.1])  # (E,) one token's probabilities
print(np.argsort(p)[-2:].tolist())
print(np.argsort(-p, kind="stable")[:2].tolist())
