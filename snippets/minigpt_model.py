# %% [markdown]
# # The mini-GPT as a notebook
#
# A GPT-2-style decoder written with numpy alone: token and position
# embeddings, pre-norm blocks (LayerNorm with gain and bias, multi-head
# causal self-attention, GELU MLP), a final LayerNorm and an unembedding
# tied to the token embedding. Every cell below is generated from
# `snippets/minigpt_model.py` when the site is built, and the build runs it.
# Shapes: `T` tokens, `d_model` channels, `H` heads of `d_head` channels,
# vocabulary `V`.

# %%
# --8<-- [start:config]
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Config:
    V: int = 64  # vocabulary size
    n_ctx: int = 16  # longest context the position table covers
    d_model: int = 32  # width of the residual stream
    H: int = 4  # attention heads
    n_layer: int = 2  # decoder blocks

    @property
    def d_head(self) -> int:
        return self.d_model // self.H


def init_params(cfg: Config, rng: np.random.Generator) -> dict:
    """GPT-2 layout; weights drawn from N(0, 0.02^2)."""
    d, std = cfg.d_model, 0.02
    # GPT-2 (Sec. 2.3): residual output weights scaled by 1/sqrt(N),
    # N = number of residual layers = 2 per block.
    std_res = std / np.sqrt(2 * cfg.n_layer)

    def normal(*shape, s=std):
        return rng.normal(0.0, s, size=shape)

    def block() -> dict:
        return {
            "ln_1_g": np.ones(d),  # (d_model,)
            "ln_1_b": np.zeros(d),  # (d_model,)
            "W_qkv": normal(d, 3 * d),  # (d_model, 3 d_model)
            "b_qkv": np.zeros(3 * d),  # (3 d_model,)
            "W_o": normal(d, d, s=std_res),  # (d_model, d_model)
            "b_o": np.zeros(d),  # (d_model,)
            "ln_2_g": np.ones(d),  # (d_model,)
            "ln_2_b": np.zeros(d),  # (d_model,)
            "W_fc": normal(d, 4 * d),  # (d_model, 4 d_model)
            "b_fc": np.zeros(4 * d),  # (4 d_model,)
            "W_proj": normal(4 * d, d, s=std_res),  # (4 d_model, d_model)
            "b_proj": np.zeros(d),  # (d_model,)
        }

    return {
        "W_e": normal(cfg.V, d),  # (V, d_model) token embedding
        "W_p": normal(cfg.n_ctx, d, s=0.01),  # (n_ctx, d_model) positions
        "blocks": [block() for _ in range(cfg.n_layer)],
        "ln_f_g": np.ones(d),  # (d_model,)
        "ln_f_b": np.zeros(d),  # (d_model,)
    }


# --8<-- [end:config]

# %% [markdown]
# ## Building blocks: LayerNorm, GELU, softmax


# %%
# --8<-- [start:layers]
def layer_norm(x, g, b, eps=1e-5):
    # LN(x) = g * (x - mean) / sqrt(var + eps) + b, over the channels
    mu = x.mean(axis=-1, keepdims=True)  # (T, 1)
    var = x.var(axis=-1, keepdims=True)  # (T, 1)
    return g * (x - mu) / np.sqrt(var + eps) + b  # (T, d_model)


def gelu(x):
    # GELU(x) ~ 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    c = np.sqrt(2.0 / np.pi)
    return 0.5 * x * (1.0 + np.tanh(c * (x + 0.044715 * x**3)))


def softmax(z, axis=-1):
    # softmax(z)_i = exp(z_i - max z) / sum_j exp(z_j - max z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# --8<-- [end:layers]

# %% [markdown]
# ## Multi-head causal self-attention
#
# Each head attends over `d_head` channels and is scaled by
# `1/sqrt(d_head)`; the heads are concatenated and projected by `W_o`.


# %%
# --8<-- [start:attention]
def attention(x, p, H):
    T, d_model = x.shape
    d_head = d_model // H
    qkv = x @ p["W_qkv"] + p["b_qkv"]  # (T, 3 d_model)
    Q, K, V = np.split(qkv, 3, axis=-1)  # each (T, d_model)

    def split_heads(M):
        # (T, d_model) -> (T, H, d_head) -> (H, T, d_head)
        return M.reshape(T, H, d_head).transpose(1, 0, 2)

    Q, K, V = split_heads(Q), split_heads(K), split_heads(V)
    # S = Q K^T / sqrt(d_head), one (T, T) score table per head
    S = Q @ K.transpose(0, 2, 1) / np.sqrt(d_head)  # (H, T, T)
    # causal mask: query t may look at keys s <= t only
    future = np.triu(np.ones((T, T), dtype=bool), k=1)  # (T, T)
    S = np.where(future, -np.inf, S)  # (H, T, T)
    A = softmax(S, axis=-1)  # (H, T, T), rows sum to 1
    heads = A @ V  # (H, T, d_head)
    # concat: (H, T, d_head) -> (T, H, d_head) -> (T, d_model)
    concat = heads.transpose(1, 0, 2).reshape(T, d_model)
    return concat @ p["W_o"] + p["b_o"]  # (T, d_model)


# --8<-- [end:attention]

# %% [markdown]
# ## The pre-norm block and the whole forward pass


# %%
# --8<-- [start:forward]
def mlp(x, p):
    h = gelu(x @ p["W_fc"] + p["b_fc"])  # (T, 4 d_model)
    return h @ p["W_proj"] + p["b_proj"]  # (T, d_model)


def block(x, p, H):
    # pre-norm: x + Attn(LN(x)), then x + MLP(LN(x))
    x = x + attention(layer_norm(x, p["ln_1_g"], p["ln_1_b"]), p, H)
    x = x + mlp(layer_norm(x, p["ln_2_g"], p["ln_2_b"]), p)
    return x  # (T, d_model)


def forward(params, cfg, ids):
    T = len(ids)
    assert T <= cfg.n_ctx, "context longer than the position table"
    # h_0 = W_e[ids] + W_p[0..T-1]
    x = params["W_e"][ids] + params["W_p"][:T]  # (T, d_model)
    for p in params["blocks"]:
        x = block(x, p, cfg.H)  # (T, d_model)
    x = layer_norm(x, params["ln_f_g"], params["ln_f_b"])  # (T, d_model)
    # tied unembedding: logits = h W_e^T
    return x @ params["W_e"].T  # (T, V)


# --8<-- [end:forward]

# %% [markdown]
# ## Greedy generation and the parameter count


# %%
# --8<-- [start:generate]
def generate(params, cfg, ids, n_new):
    ids = list(ids)
    for _ in range(n_new):
        logits = forward(params, cfg, ids[-cfg.n_ctx :])  # (T, V)
        ids.append(int(np.argmax(logits[-1])))  # greedy: top token
    return ids


def count_params(params) -> int:
    blocks = sum(a.size for p in params["blocks"] for a in p.values())
    rest = sum(a.size for k, a in params.items() if k != "blocks")
    return blocks + rest


def gpt2_formula(V, n_ctx, d, L):
    # per block: 4d^2 + 4d (attention) + 8d^2 + 5d (MLP) + 4d (two LNs)
    # total: (V + n_ctx) d + L (12 d^2 + 13 d) + 2d (final LN)
    return (V + n_ctx) * d + L * (12 * d * d + 13 * d) + 2 * d


# --8<-- [end:generate]

# %%
# --8<-- [start:demo]
if __name__ == "__main__":
    cfg = Config()
    params = init_params(cfg, np.random.default_rng(0))
    ids = [3, 14, 15, 9, 26]
    logits = forward(params, cfg, ids)  # (T, V)
    print(f"{cfg}, d_head={cfg.d_head}")
    print("ids", ids, "-> logits", logits.shape)
    print("last-position logits[:4]:", np.round(logits[-1, :4], 4))
    print("greedy continuation:", generate(params, cfg, ids, 8)[len(ids) :])
    n = count_params(params)
    f = gpt2_formula(cfg.V, cfg.n_ctx, cfg.d_model, cfg.n_layer)
    print(f"parameters counted: {n:,}; formula: {f:,}; equal: {n == f}")
    small = gpt2_formula(V=50257, n_ctx=1024, d=768, L=12)
    print(f"same formula at GPT-2 small's shape: {small:,}")
# --8<-- [end:demo]
