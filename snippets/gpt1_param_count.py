"""Count GPT-1's parameters from its hyper-parameters.

Radford et al. 2018, Sec. 4.1: 12 decoder blocks, d_model = 768, 12 heads,
feed-forward width 3072, learned positions over n_ctx = 512 tokens. The
released vocabulary (40,000 BPE merges) has 40,478 entries. GPT-1 is
post-norm (LayerNorm after each residual add), so it has no final
LayerNorm, and the output layer reuses the token embedding W_e.
"""

# GPT-1 states no count; "117M" is the name GPT-2's Table 2 gives the
# smallest GPT-2, which it calls equivalent to the original GPT.
LABEL = 117e6


def block_params(d_model: int, d_ff: int) -> int:
    """Weights and biases of one decoder block."""
    # W_qkv: d x 3d plus a 3d bias; W_o: d x d plus a d bias
    attn = d_model * 3 * d_model + 3 * d_model + d_model**2 + d_model
    # W_1: d x d_ff plus bias; W_2: d_ff x d plus bias
    mlp = d_model * d_ff + d_ff + d_ff * d_model + d_model
    # two LayerNorms, each with a gain and a bias of size d
    norms = 2 * 2 * d_model
    return attn + mlp + norms


def gpt1_params(
    n_layer: int = 12,
    d_model: int = 768,
    n_vocab: int = 40478,
    n_ctx: int = 512,
) -> dict[str, int]:
    """Parameter count of GPT-1 by part (output head tied to W_e)."""
    d_ff = 4 * d_model
    parts = {
        "token embedding W_e": n_vocab * d_model,
        "position embedding W_p": n_ctx * d_model,
        "12 decoder blocks": n_layer * block_params(d_model, d_ff),
    }
    parts["total"] = sum(parts.values())
    return parts


if __name__ == "__main__":
    parts = gpt1_params()
    for name, count in parts.items():
        print(f"{name:<24}{count:>13,}")
    total = parts["total"]
    print(
        f"label 117M vs count: {total / 1e6:.1f}M "
        f"({(total - LABEL) / LABEL:+.1%})"
    )
    # Fine-tuning adds only W_y (no bias) and the embeddings of the new
    # start, delimiter and extract tokens (Sec. 3).
    n_special, n_classes = 3, 2
    extra = n_special * 768 + 768 * n_classes
    print(f"added for a 2-class fine-tune: {extra:,} parameters")
