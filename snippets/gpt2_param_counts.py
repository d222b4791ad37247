"""Exact parameter counts of the four GPT-2 sizes.

Radford et al. 2019, Table 2 gives n_layer and d_model; Sec. 2.3 gives the
vocabulary (50,257) and context (1,024). GPT-2 is pre-norm and adds one
final LayerNorm; the output head is tied to the token embedding.
"""

# (paper label, n_layer, d_model) from Radford et al. 2019, Table 2
SIZES = [
    ("117M", 12, 768),
    ("345M", 24, 1024),
    ("762M", 36, 1280),
    ("1542M", 48, 1600),
]


def gpt2_params(
    n_layer: int, d_model: int, n_vocab: int = 50257, n_ctx: int = 1024
) -> tuple[int, int]:
    """Return (total, non_embedding) trainable parameters."""
    # per block: 12 d^2 weights (4 d^2 attention + 8 d^2 MLP)
    # plus 13 d biases and LayerNorm gains/biases
    per_block = 12 * d_model**2 + 13 * d_model
    # non-embedding: the blocks plus the final LayerNorm (2 d)
    non_embedding = n_layer * per_block + 2 * d_model
    # embeddings: tokens (V x d) and learned positions (n_ctx x d)
    embedding = n_vocab * d_model + n_ctx * d_model
    return non_embedding + embedding, non_embedding


if __name__ == "__main__":
    print(
        f"{'label':>6} {'n_layer':>7} {'d_model':>7} "
        f"{'total':>14} {'non-emb':>14} {'off by':>7}"
    )
    for label, n_layer, d_model in SIZES:
        total, non_emb = gpt2_params(n_layer, d_model)
        named = float(label[:-1]) * 1e6
        print(
            f"{label:>6} {n_layer:>7} {d_model:>7} {total:>14,} "
            f"{non_emb:>14,} {(total - named) / named:>+7.1%}"
        )
