"""GPT-1's task-specific input transformations (Radford et al. 2018, Fig. 1).

Every task becomes one or more token sequences for the same pre-trained
decoder. Three new tokens are learned during fine-tuning: a start token,
a delimiter and an extract token; the final hidden state at the extract
token feeds the new linear layer W_y.
"""

START, DELIM, EXTRACT = "<s>", "$", "<e>"


def classification(text: list[str]) -> list[list[str]]:
    return [[START, *text, EXTRACT]]


def entailment(premise: list[str], hypothesis: list[str]) -> list[list[str]]:
    return [[START, *premise, DELIM, *hypothesis, EXTRACT]]


def similarity(a: list[str], b: list[str]) -> list[list[str]]:
    # no natural order: run both orders, add the two final states
    return [[START, *a, DELIM, *b, EXTRACT], [START, *b, DELIM, *a, EXTRACT]]


def multiple_choice(
    context: list[str], answers: list[list[str]]
) -> list[list[str]]:
    # one sequence per answer; scores are softmax-normalised across them
    return [[START, *context, DELIM, *ans, EXTRACT] for ans in answers]


if __name__ == "__main__":
    cases = {
        "classification": classification("a gripping read".split()),
        "entailment": entailment("it rained".split(), "ground wet".split()),
        "similarity": similarity("how old".split(), "what age".split()),
        "multiple choice": multiple_choice(
            "sky colour ?".split(), [["blue"], ["green"]]
        ),
    }
    for task, seqs in cases.items():
        print(f"{task}: {len(seqs)} sequence(s) through the decoder")
        for seq in seqs:
            print("   ", " ".join(seq))
