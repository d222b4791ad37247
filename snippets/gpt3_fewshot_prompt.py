"""Zero-, one- and few-shot prompts, built the way GPT-3 evaluates them.

Brown et al. 2020, Sec. 2.4: for each test item, K demonstrations are
drawn at random from the task's training set, joined by newlines, and
followed by the test context; the model completes it with no gradient
step. K = 0 keeps only the task description (Figure 2.1). K is limited
by the 2048-token window, which typically fits 10 to 100 examples.
"""

import numpy as np

rng = np.random.default_rng(0)

task_description = "Translate English to French:"
# a small "training set" of (context, completion) pairs
train = [
    ("sea otter", "loutre de mer"),
    ("peppermint", "menthe poivrée"),
    ("bread", "pain"),
    ("apple", "pomme"),
    ("moon", "lune"),
    ("book", "livre"),
]
x_test = "cheese"


def build_prompt(K: int, rng: np.random.Generator) -> str:
    """Task description, K random demonstrations, then the test context."""
    idx = rng.choice(len(train), size=K, replace=False)  # (K,)
    lines = [task_description]
    lines += [f"{train[i][0]} => {train[i][1]}" for i in idx]
    lines.append(f"{x_test} =>")  # the model must write the completion
    return "\n".join(lines)


if __name__ == "__main__":
    for name, K in [("zero-shot", 0), ("one-shot", 1), ("few-shot", 3)]:
        prompt = build_prompt(K, rng)
        n_words = len(prompt.split())  # a rough stand-in for BPE tokens
        print(f"--- {name} (K={K}, {n_words} words) ---")
        print(prompt)
