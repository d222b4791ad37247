# Training compute of GPT-3 175B by the 6ND rule (Brown et al. 2020).
N = 175e9  # parameters
D = 300e9  # training tokens
# C = 6 N D: 2 FLOPs per parameter per token forward, 4 backward
C = 6 * N * D
pf_day = 1e15 * 86_400  # FLOPs in one petaflop/s-day
print(f"{C:.3g} FLOPs")
print(f"{C / pf_day:,.0f} PF-days")
