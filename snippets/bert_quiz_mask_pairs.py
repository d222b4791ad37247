# How many (query, key) pairs each mask lets attention use.
import numpy as np

T = 4
causal = np.tril(np.ones((T, T), dtype=int))  # (T, T), GPT
full = np.ones((T, T), dtype=int)  # (T, T), BERT
print("GPT :", causal.sum())
print("BERT:", full.sum())
