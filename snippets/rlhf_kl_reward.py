"""The KL-shaped reward PPO maximises in InstructGPT (Ouyang et al. 2022).

Each sampled token pays -beta * log(pi_RL(y_t) / pi_SFT(y_t)); the reward
model's score r_theta(x, y) arrives once, at the last token. A toy reward
model that just counts the word "great" shows why the penalty is needed.
"""

import numpy as np

vocab = ["the", "cat", "sat", "great", "mat", "."]
V, T = len(vocab), 5
rng = np.random.default_rng(0)


def log_softmax(z: np.ndarray) -> np.ndarray:
    # log p_i = z_i - max z - log sum_j exp(z_j - max z)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def toy_rm(y: np.ndarray) -> float:
    # A flawed reward model: one point per "great", nothing else counts.
    return float((y == vocab.index("great")).sum())


def shaped_rewards(y, logp_rl, logp_sft, beta):
    """Per-token rewards r_t and their sum for one sampled response y."""
    t = np.arange(len(y))
    # log ratio_t = log pi_RL(y_t | x, y_<t) - log pi_SFT(y_t | x, y_<t)
    log_ratio = logp_rl[t, y] - logp_sft[t, y]  # (T,)
    r = -beta * log_ratio  # (T,) KL penalty at every token
    r[-1] += toy_rm(y)  # RM score only at the end of the episode
    return r, log_ratio


if __name__ == "__main__":
    z_sft = rng.normal(size=(T, V))  # (T, V) logits of the SFT reference
    logp_sft = log_softmax(z_sft)  # (T, V)
    hack = np.zeros((T, V))
    hack[:, vocab.index("great")] = 8.0  # a policy that spams "great"
    policies = {
        "pi_RL = pi_SFT": logp_sft,
        "spams 'great'": log_softmax(z_sft + hack),
    }
    # One sampled response per policy, scored under two KL coefficients.
    samples = {
        name: np.array([rng.choice(V, p=np.exp(row)) for row in logp])
        for name, logp in policies.items()
    }  # each (T,)
    for name, y in samples.items():
        print(f"{name:<15} y = {' '.join(vocab[i] for i in y)}")
    for beta in (0.02, 2.0):  # 0.02 is InstructGPT's beta (App. C.4)
        print(f"beta = {beta}")
        for name, y in samples.items():
            r, log_ratio = shaped_rewards(y, policies[name], logp_sft, beta)
            print(
                f"  {name:<15} RM = {toy_rm(y):.0f}, sum log ratio = "
                f"{log_ratio.sum():5.2f}, return = {r.sum():6.2f}"
            )
