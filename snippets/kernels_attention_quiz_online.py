# Online softmax over two key blocks for one query row.
import numpy as np

blocks = [np.array([1.0, 3.0]), np.array([2.0])]  # scores S^(j)
m, ell = -np.inf, 0.0
for s in blocks:
    m_new = max(m, s.max())
    # ell <- e^(m - m_new) ell + rowsum(exp(S - m_new))
    ell = np.exp(m - m_new) * ell + np.exp(s - m_new).sum()
    m = m_new
    print(f"m = {m:.0f}, ell = {ell:.4f}")
full = np.concatenate(blocks)
print(f"direct: {np.exp(full - full.max()).sum():.4f}")
