"""Check the arithmetic of GPT-4 size rumours. OpenAI disclosed none of it.

Each rumour is kept with its own source; none is confirmed. An MoE with N
experts, k of them per token, expert weights X and shared weights S has
total = S + N X and active = S + k X >= (k / N) * total.
"""


def moe_counts(S: float, X: float, N: int, k: int):
    return S + N * X, S + k * X  # (total, active)


if __name__ == "__main__":
    # The source chapter: "~1.8T total, 8 experts, top-2, ~220B active".
    total, N, k = 1800e9, 8, 2
    floor = k / N * total  # active can only exceed this when S > 0
    print(f"8 experts, top-2, 1.8T total: active >= {floor / 1e9:.0f}B")
    print(
        f"  so ~220B active is impossible; it needs N >= "
        f"{k * total / 220e9:.1f} experts at k = 2"
    )

    # SemiAnalysis (Patel and Wong, July 2023): 16 experts of ~111B,
    # 2 routed per token, ~55B shared attention weights.
    tot, act = moe_counts(S=55e9, X=111e9, N=16, k=2)
    print(
        f"SemiAnalysis rumour: total {tot / 1e9:.0f}B, "
        f"active {act / 1e9:.0f}B (they say ~1.8T, ~280B)"
    )

    # George Hotz (Latent Space podcast, June 2023): eight 220B models.
    # He stated no total; the product below is our (and the press's) sum.
    print(
        f"Hotz rumour: 8 x 220B = {8 * 220e9 / 1e9:.0f}B, a derived sum; "
        f"no routing, so no active count"
    )
