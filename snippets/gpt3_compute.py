"""GPT-3 parameter counts and training compute from Table 2.1.

Brown et al. 2020: every model has n_ctx = 2048, d_ff = 4 d_model, the
GPT-2 vocabulary of 50,257 tokens, and was trained on D = 300B tokens
(Table 2.1). Appendix D counts training compute as 6 N D, ignoring
attention, and Table D.1 prints the result for each model.
"""

D = 300e9  # training tokens, same for all eight models
PF_DAY = 1e15 * 24 * 3600  # one petaflop/s sustained for a day, in FLOPs

# (name, n_layer, d_model, Table D.1 params in millions, Table D.1 FLOPs).
# Table 2.1 prints d_model = 5140 for 13B, but 40 heads x 128 = 5120,
# and only 5120 reproduces Table D.1's 12,850M, so 5120 is used here.
MODELS = [
    ("Small", 12, 768, 125, 2.25e20),
    ("Medium", 24, 1024, 356, 6.41e20),
    ("Large", 24, 1536, 760, 1.37e21),
    ("XL", 24, 2048, 1320, 2.38e21),
    ("2.7B", 32, 2560, 2650, 4.77e21),
    ("6.7B", 32, 4096, 6660, 1.20e22),
    ("13B", 40, 5120, 12850, 2.31e22),
    ("175B", 96, 12288, 174600, 3.14e23),
]


def gpt3_params(
    n_layer: int, d_model: int, n_vocab: int = 50257, n_ctx: int = 2048
) -> int:
    """Total trainable parameters of a GPT-2-style decoder."""
    # blocks: 12 d^2 weights + 13 d biases/norms each; final LayerNorm 2 d
    blocks = n_layer * (12 * d_model**2 + 13 * d_model) + 2 * d_model
    # token and position embeddings (output head is tied)
    return blocks + (n_vocab + n_ctx) * d_model


def train_flops(N: float, D: float = D) -> float:
    # C = 6 N D: 2 N FLOPs per token forward, 4 N backward
    return 6 * N * D


if __name__ == "__main__":
    print(
        f"{'model':>6} {'N (ours)':>10} {'N (D.1)':>9} "
        f"{'6ND FLOPs':>10} {'D.1 FLOPs':>10} {'PF-days':>8}"
    )
    for name, n_layer, d_model, n_paper, c_paper in MODELS:
        N = gpt3_params(n_layer, d_model)
        C = train_flops(N)
        print(
            f"{name:>6} {N / 1e6:>9,.0f}M {n_paper:>8,}M "
            f"{C:>10.3g} {c_paper:>10.3g} {C / PF_DAY:>8.3g}"
        )
    N = gpt3_params(96, 12288)
    ratio = train_flops(N) / 3.14e23
    print(f"175B: 6ND / Table D.1 = {ratio:.4f}")
