# Total and active parameters of an MoE, in billions.
S = 55  # shared: attention, embeddings, norms, router
X = 111  # one expert slot, summed over the MoE layers
N, k = 16, 2  # experts, experts per token
# P_total = S + N X;  P_active = S + k X
print(f"total  {S + N * X}B")
print(f"active {S + k * X}B")
