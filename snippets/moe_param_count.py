"""Total versus active parameters for a dense and an MoE decoder.

Dense: GPT-3 175B (Brown et al. 2020, Table 2.1). MoE: Mixtral 8x7B, whose
configuration is published (Jiang et al. 2024, Table 1): 8 SwiGLU experts
per layer, 2 chosen per token, grouped-query attention with 8 KV heads.
"""


def gpt3_dense(d=12288, L=96, vocab=50257, n_ctx=2048):
    # per layer: W_q, W_k, W_v, W_o (4 d^2 + 4 d), FFN d -> 4d -> d, 2 LNs
    attn = 4 * d * d + 4 * d
    ffn = d * 4 * d + 4 * d + 4 * d * d + d
    layer = attn + ffn + 2 * 2 * d
    total = L * layer + vocab * d + n_ctx * d + 2 * d  # + final LN
    return total, total  # dense: every weight touches every token


def moe_decoder(d, L, vocab, d_ff, n_heads, n_kv, N, k):
    """Mixtral-style layer: shared attention, N SwiGLU experts, top-k."""
    d_head = d // n_heads
    attn = 2 * d * d + 2 * d * n_kv * d_head  # W_q, W_o full; W_k, W_v GQA
    expert = 3 * d * d_ff  # SwiGLU: W_1, W_3 (d x d_ff) and W_2 (d_ff x d)
    shared = L * (attn + d * N + 2 * d) + 2 * vocab * d + d  # router, norms
    # total = shared + N experts per layer; active = shared + k of them
    total = shared + L * N * expert
    active = shared + L * k * expert
    return total, active, shared


if __name__ == "__main__":
    tot, act = gpt3_dense()
    row = "{:<20} total {:6.1f}B  active {:6.1f}B"
    print(row.format("GPT-3 175B (dense)", tot / 1e9, act / 1e9))
    tot, act, shared = moe_decoder(
        d=4096, L=32, vocab=32000, d_ff=14336, n_heads=32, n_kv=8, N=8, k=2
    )
    print(row.format("Mixtral 8x7B (MoE)", tot / 1e9, act / 1e9))
    print(
        f"  shared (attention, embeddings, norms, router) {shared / 1e9:.2f}B"
    )
    print(f"  k/N x total would give {2 / 8 * tot / 1e9:.2f}B: too low")
    print(f"  active fraction {act / tot:.3f} > k/N = {2 / 8:.3f}")

    # Hold total = 1.8T, N = 16, k = 2 fixed and move weight into shared
    # layers: active = S + (k/N) * (total - S) rises with S.
    total, N, k = 1800e9, 16, 2
    for S in (0, 55e9, 200e9):
        active = S + k / N * (total - S)
        print(f"shared {S / 1e9:5.0f}B -> active {active / 1e9:5.1f}B")
