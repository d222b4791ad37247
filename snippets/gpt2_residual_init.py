"""Why GPT-2 scales residual weights by 1/sqrt(N) at initialisation.

Radford et al. 2019, Sec. 2.3: LayerNorm moves to the input of each
sub-block (pre-norm), a final LayerNorm follows the last block, and the
weights of residual layers are scaled by 1/sqrt(N) at init, N being the
number of residual layers. Here each sub-block is a random linear map of
LN(x) (std 0.02, as in GPT-1/2), added to the residual stream x.
"""

import numpy as np

rng = np.random.default_rng(0)
T, d_model, sigma = 16, 256, 0.02


def layer_norm(x: np.ndarray) -> np.ndarray:
    # LN(x) = (x - mean) / std over the feature axis (gain 1, bias 0)
    mu = x.mean(-1, keepdims=True)  # (T, 1)
    return (x - mu) / x.std(-1, keepdims=True)  # (T, d_model)


def residual_stream_std(n_block: int, scaled: bool) -> float:
    N = 2 * n_block  # residual layers: attention + MLP per block
    std = sigma / np.sqrt(N) if scaled else sigma
    x = rng.normal(0, 1, (T, d_model))  # (T, d_model) embeddings
    for _ in range(N):
        W = rng.normal(0, std, (d_model, d_model))  # (d_model, d_model)
        # pre-norm residual update: x <- x + LN(x) W
        x = x + layer_norm(x) @ W  # (T, d_model)
    return float(x.std())


print(f"{'blocks':>6} {'std, plain init':>16} {'std, 1/sqrt(N)':>15}")
for n_block in (12, 24, 48):
    plain = residual_stream_std(n_block, scaled=False)
    scaled = residual_stream_std(n_block, scaled=True)
    print(f"{n_block:>6} {plain:>16.3f} {scaled:>15.3f}")
