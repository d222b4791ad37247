"""How many parameters a top-k mixture of experts activates per token.

Only the feed-forward weights are split into experts; attention, the
embeddings and the norms run for every token. So with E experts and top-k
routing the active share is above k/E.
"""

# --- Check the counting on a published model: Mixtral 8x7B ---
# Jiang et al. 2024, Table 1: dim 4096, 32 layers, head_dim 128,
# 32 query heads, 8 key/value heads, SwiGLU hidden 14336, vocab 32000.
d, L, d_ff, V, E, k = 4096, 32, 14336, 32_000, 8, 2
attn = 2 * d * d + 2 * d * (8 * 128)  # W_q, W_o full; W_k, W_v grouped
expert = 3 * d * d_ff  # SwiGLU: gate, up and down matrices
shared = L * (attn + d * E + 2 * d) + 2 * V * d + d  # + router, norms
total = shared + L * E * expert
active = shared + L * k * expert
print(f"Mixtral 8x7B: total {total / 1e9:.1f}B, active {active / 1e9:.1f}B")
print(f"  active share {active / total:.3f} vs k/E = {k / E:.3f}")

# --- The practice problem: a 1T MoE, 8 experts, top-2, GPT-style blocks
# Per layer, attention holds 4 d^2 and each expert MLP 8 d^2, so
# total ~ L d^2 (4 + 8E) and active ~ L d^2 (4 + 8k); embeddings ignored.
share = (4 + 8 * k) / (4 + 8 * E)
print(f"GPT-style block, E=8, k=2: active share {share:.3f}")
print(f"1T total -> about {1000 * share:.0f}B active (never 200B)")
print(f"200B active -> about {200 / share:.0f}B total")
print(f"memory, 1T MoE vs dense of equal active size: {1 / share:.1f}x")
print(f"floor if every weight were an expert: {1000 * k / E:.0f}B active")
