# Comparison pairs from one labeler ranking of K answers.
from math import comb

for K in (4, 9):
    # every pair of the K ranked answers: K choose 2
    print(f"K = {K}: {comb(K, 2)} pairs")
