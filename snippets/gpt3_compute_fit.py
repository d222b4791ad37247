"""GPT-3's own compute fit, Brown et al. 2020, Figure 3.1.

The dashed line in Figure 3.1 is L = 2.57 * C^(-0.048), with C in
petaflop/s-days and L the cross-entropy validation loss (nats per token)
on GPT-3's own training distribution. The caption says embedding
parameters are left out of both compute and parameter counts, so C here
is 6 * N_nonembedding * D. This is a different curve from Kaplan et al.'s
L(N): other axis (compute), other data, other constants.
"""

D = 300e9  # tokens, Table 2.1
PF_DAY = 1e15 * 24 * 3600  # FLOPs in one petaflop/s-day

SIZES = [
    ("125M", 12, 768),
    ("1.3B", 24, 2048),
    ("13B", 40, 5120),
    ("175B", 96, 12288),
]


def fig31_loss(C: float) -> float:
    # L(C) = 2.57 * C^(-0.048), C in PF-days
    return 2.57 * C**-0.048


if __name__ == "__main__":
    print(f"{'name':>5} {'C (PF-days)':>12} {'L(C) nats':>10}")
    for name, n_layer, d_model in SIZES:
        N = 12 * n_layer * d_model**2  # non-embedding parameters
        # C = 6 N D, converted from FLOPs to PF-days
        C = 6 * N * D / PF_DAY
        print(f"{name:>5} {C:>12.3g} {fig31_loss(C):>10.3f}")
    # a 10x larger budget multiplies the loss by 10^(-0.048)
    print(f"loss factor per 10x compute: {10**-0.048:.3f}")
