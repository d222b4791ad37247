"""The torch versions our kernels are timed against, in one place.

Both benches (`make bench` on the CPU, `make bench-gpu` on CUDA) and the
test that checks the peers compute our layers import them from here.
torch is None when it is not installed; the CPU bench then leaves the
peer rows out and says so.
"""

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the CPU bench runs without torch, without peers
    torch = F = None


def sdpa_causal(q, k, v):
    """torch's causal attention on (..., T, d) tensors; on CUDA its flash
    backend, which is what FlashAttention-style kernels are held to."""
    if q.device.type == "cuda":
        from torch.nn.attention import SDPBackend, sdpa_kernel

        with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)


def torch_moe(x, w_gate, w1, w2, k):
    """A Mixtral-style torch loop over experts (the shape of Hugging Face's
    sparse MoE block): softmax, top-k, renormalise, per-expert gather,
    tanh GELU, index_add_. Dropless, like the kernels' defaults."""
    E = w_gate.shape[1]
    probs = torch.softmax(x.float() @ w_gate.float(), dim=1)  # (N, E)
    top, experts = torch.topk(probs, k, dim=1)  # (N, k)
    top = top / top.sum(dim=1, keepdim=True)
    y = torch.zeros_like(x)
    mask = F.one_hot(experts, E).permute(2, 1, 0)  # (E, k, N)
    for e in range(E):
        rank, tok = torch.where(mask[e])
        h = F.gelu(x[tok] @ w1[e], approximate="tanh")
        y.index_add_(0, tok, ((h @ w2[e]) * top[tok, rank, None]).to(y.dtype))
    return y
