"""Why RLHF keeps a KL penalty: the optimum with and without it.

For one prompt, maximising E_pi[r(y)] - beta KL(pi || pi_SFT) has the
closed-form optimum pi*(y) = pi_SFT(y) exp(r(y) / beta) / Z (used, e.g.,
by Rafailov et al. 2023, Eq. 4). As beta -> 0 it puts all its mass on the
reward model's favourite, whatever people think of that answer.
"""

import numpy as np

answers = ["helpful", "terse", "hedging", "off-topic", "flattery-spam"]
pi_sft = np.array([0.40, 0.25, 0.20, 0.10, 0.05])  # (Y,) SFT policy
r = np.array([1.0, 0.6, 0.4, -1.0, 2.5])  # (Y,) reward model score
q = np.array([1.0, 0.7, 0.5, 0.0, 0.1])  # (Y,) what raters would say


def optimum(beta):
    # pi*(y) = pi_SFT(y) exp(r(y)/beta) / Z, computed in log space
    logits = np.log(pi_sft) + r / beta  # (Y,)
    p = np.exp(logits - logits.max())
    return p / p.sum()


print(f"{'beta':>6} {'P(spam)':>8} {'E[r]':>6} {'E[quality]':>10} {'KL':>6}")
for beta in (10.0, 1.0, 0.3, 0.1, 0.01):
    pi = optimum(beta)  # (Y,)
    kl = np.sum(pi * np.log(pi / pi_sft))  # KL(pi || pi_SFT)
    row = f"{pi[-1]:8.3f} {pi @ r:6.2f} {pi @ q:10.2f} {kl:6.2f}"
    print(f"{beta:6.2f} {row}")
