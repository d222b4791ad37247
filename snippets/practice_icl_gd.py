"""In-context regression: one gradient step equals one linear attention.

Context: pairs (x_i, y_i) with y_i = w . x_i, and a query x_q. Start from
w_0 = 0 and take one gradient step with rate eta on the squared loss
L(w) = 1/2 sum_i (w . x_i - y_i)^2. The prediction for x_q is the same
number a linear attention head computes with keys x_i, values y_i and
query x_q (von Oswald et al. 2022, Sec. 2).
"""

import numpy as np

rng = np.random.default_rng(0)
n, d, eta = 8, 4, 0.1  # context pairs, input size, step size
w = rng.standard_normal(d)  # (d,) the task, never shown to the model
X = rng.standard_normal((n, d))  # (n, d) in-context inputs x_i
y = X @ w  # (n,) in-context labels y_i
x_q = rng.standard_normal(d)  # (d,) the query

# gradient descent: w_1 = w_0 - eta * grad L(w_0) = eta * sum_i y_i x_i
w_1 = eta * (y @ X)  # (d,)
pred_gd = w_1 @ x_q

# linear attention: sum_i (x_q . x_i) y_i, scaled by eta, no softmax
scores = X @ x_q  # (n,) query-key dot products
pred_attn = eta * (scores @ y)

print(f"one GD step on the context: {pred_gd:+.6f}")
print(f"linear attention readout:   {pred_attn:+.6f}")
print(f"true label w . x_q:         {w @ x_q:+.6f}")
print("weights updated: none (w_1 lives only inside the forward pass)")
