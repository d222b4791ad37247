"""Kaplan et al.'s L(N) law evaluated at the GPT-3 sizes.

Kaplan et al. 2020, Eq. 1.1: L(N) = (N_c / N)^alpha_N with
alpha_N ~ 0.076 and N_c ~ 8.8e13. N counts NON-embedding parameters, and
L is the test cross-entropy in nats per token on WebText2 for a model
trained to convergence on enough data. The constants come from Kaplan et
al. (not from the GPT-3 paper), were fitted on models of up to 1.5B
non-embedding parameters, and depend on the tokenizer. The law predicts
a loss on one data set; it says nothing direct about task accuracy.
"""

import math

alpha_N = 0.076
N_c = 8.8e13  # non-embedding parameters

# (Table 2.1 name, n_layer, d_model); 13B uses 5120 (see gpt3_compute.py)
SIZES = [
    ("125M", 12, 768),
    ("350M", 24, 1024),
    ("760M", 24, 1536),
    ("1.3B", 24, 2048),
    ("2.7B", 32, 2560),
    ("6.7B", 32, 4096),
    ("13B", 40, 5120),
    ("175B", 96, 12288),
]


def non_embedding_params(n_layer: int, d_model: int) -> float:
    # Kaplan et al. Eq. 2.1 with d_attn = d_model, d_ff = 4 d_model:
    # N ~ 2 d_model n_layer (2 d_attn + d_ff) = 12 n_layer d_model^2
    return 12 * n_layer * d_model**2


def kaplan_loss(N: float) -> float:
    # L(N) = (N_c / N)^alpha_N, nats per token
    return (N_c / N) ** alpha_N


if __name__ == "__main__":
    print("L(N): converged WebText2 test loss, N = non-embedding params")
    print(f"{'name':>5} {'N':>9} {'L nats':>7} {'ppl':>6}  note")
    for name, n_layer, d_model in SIZES:
        N = non_embedding_params(n_layer, d_model)
        L = kaplan_loss(N)
        note = "extrapolated" if N > 1.5e9 else "inside fit range"
        print(f"{name:>5} {N:>9.3g} {L:>7.3f} {math.exp(L):>6.2f}  {note}")
    # each doubling of N multiplies the loss by 2^(-alpha_N)
    print(f"loss factor per doubling of N: {2**-alpha_N:.4f}")
