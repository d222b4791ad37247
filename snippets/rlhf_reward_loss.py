"""Reward-model loss of InstructGPT (Ouyang et al. 2022, Eq. 1).

For a prompt x and two completions where labelers preferred y_w to y_l,
the loss is -log sigmoid(r_w - r_l): a Bradley-Terry model whose log odds
of "y_w wins" is the reward gap. Written naively it overflows for large
gaps; written as a softplus it never does.
"""

from itertools import combinations

import numpy as np


def loss_naive(gap: np.ndarray) -> np.ndarray:
    # -log(1 / (1 + exp(-gap))): exp overflows when gap is very negative
    return -np.log(1.0 / (1.0 + np.exp(-gap)))


def loss_naive_ratio(gap: np.ndarray) -> np.ndarray:
    # sigmoid as exp(g) / (1 + exp(g)): inf / inf when gap is very positive
    return -np.log(np.exp(gap) / (1.0 + np.exp(gap)))


def loss_stable(gap: np.ndarray) -> np.ndarray:
    # -log sigmoid(g) = softplus(-g) = log(exp(0) + exp(-g)), via logaddexp
    return np.logaddexp(0.0, -gap)


def rm_loss_one_prompt(r: np.ndarray, rank: list[int]) -> float:
    """Mean pairwise loss over all C(K, 2) pairs of one labeled prompt.

    r: (K,) rewards of the K completions; rank: their indices, best first.
    """
    pairs = list(combinations(rank, 2))  # (w, lo): w ranked above lo
    gaps = np.array([r[w] - r[lo] for w, lo in pairs])  # (C(K,2),)
    # loss = -1/C(K,2) * sum over pairs of log sigmoid(r_w - r_l)
    return float(loss_stable(gaps).mean())


if __name__ == "__main__":
    gaps = np.array([-1000.0, -40.0, -2.0, 0.0, 2.0, 40.0, 1000.0])  # (7,)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        a, b = loss_naive(gaps), loss_naive_ratio(gaps)
    c = loss_stable(gaps)
    print(f"{'r_w - r_l':>10} {'naive':>10} {'ratio':>10} {'stable':>10}")
    for g, x, y, z in zip(gaps, a, b, c, strict=True):
        # + 0.0 prints IEEE -0.0 (from -log(1.0)) as 0
        print(f"{g:>10.1f} {x + 0.0:>10.4g} {y + 0.0:>10.4g} {z:>10.4g}")

    # One prompt, K = 4 completions ranked C > A > D > B by a labeler.
    r = np.array([0.3, -1.2, 1.9, 0.1])  # (K,) reward-model scores
    rank = [2, 0, 3, 1]
    print(f"pairs from K=4: {len(list(combinations(rank, 2)))}")
    agree = rm_loss_one_prompt(r, rank)
    reverse = rm_loss_one_prompt(r, rank[::-1])
    print(f"loss when the RM agrees with the labeler: {agree:.4f}")
    print(f"loss when the ranking is reversed:        {reverse:.4f}")
