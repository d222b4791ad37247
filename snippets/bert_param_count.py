"""BERT-Base and BERT-Large parameters, counted from the architecture.

Devlin et al. 2018, Sec. 3: L layers, hidden H, A heads, feed-forward 4H.
The released checkpoints use a 30,522-entry WordPiece vocabulary, 512
learned positions and 2 segment (token-type) embeddings.
"""


def bert_params(L: int, H: int, vocab=30522, n_pos=512, n_seg=2):
    emb = (vocab + n_pos + n_seg) * H + 2 * H  # three tables + LayerNorm
    attn = 4 * (H * H + H)  # W_q, W_k, W_v, W_o with biases
    ffn = H * 4 * H + 4 * H + 4 * H * H + H  # H -> 4H -> H with biases
    layer = attn + ffn + 2 * 2 * H  # + two LayerNorms (gain, bias)
    pooler = H * H + H  # dense + tanh on the [CLS] vector
    return {"embeddings": emb, "layers": L * layer, "pooler": pooler}


# name, L, H, A, and the size the paper states (Devlin et al. 2018, Sec. 3)
CONFIGS = [("Base", 12, 768, 12, "110M"), ("Large", 24, 1024, 16, "340M")]

if __name__ == "__main__":
    for name, L, H, A, label in CONFIGS:
        parts = bert_params(L, H)  # A splits H into heads; adds no weights
        total = sum(parts.values())
        print(f"BERT-{name}: L={L}, H={H}, A={A}, paper says {label}")
        for part, n in parts.items():
            print(f"  {part:<11}{n:>13,}")
        print(f"  {'total':<11}{total:>13,}  ({total / 1e6:.1f}M)")
