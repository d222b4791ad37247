"""Properties a reader of the RLHF, MoE and BERT pages relies on."""

import numpy as np
import pytest
from bert_masks import attend, bidirectional_mask, causal_mask
from bert_param_count import bert_params
from gpt4_rumour_arithmetic import moe_counts
from moe_param_count import gpt3_dense, moe_decoder
from moe_topk_gating import softmax, top_k_gates
from rlhf_kl_reward import log_softmax, shaped_rewards
from rlhf_reward_loss import loss_naive, loss_stable, rm_loss_one_prompt


def test_stable_reward_loss_matches_naive_where_naive_works():
    gaps = np.linspace(-30, 30, 61)
    assert np.allclose(loss_stable(gaps), loss_naive(gaps))


def test_stable_reward_loss_is_finite_at_extreme_gaps():
    gaps = np.array([-1e4, -800.0, 800.0, 1e4])
    out = loss_stable(gaps)
    assert np.all(np.isfinite(out))
    # -log sigmoid(g) ~ -g for very negative g, ~ 0 for very positive g
    assert out[0] == pytest.approx(1e4) and out[-1] == 0.0


def test_reward_loss_prefers_the_labelers_ranking():
    r = np.array([0.3, -1.2, 1.9, 0.1])
    rank = [2, 0, 3, 1]
    assert rm_loss_one_prompt(r, rank) < rm_loss_one_prompt(r, rank[::-1])


def test_kl_penalty_vanishes_when_policy_equals_reference():
    logp = log_softmax(np.random.default_rng(1).normal(size=(5, 6)))
    y = np.array([0, 1, 2, 3, 4])
    r, log_ratio = shaped_rewards(y, logp, logp, beta=0.02)
    assert np.allclose(log_ratio, 0.0)
    assert r[:-1] == pytest.approx(np.zeros(4))


def test_gates_sum_to_one_and_match_softmax_of_kept_logits():
    h = np.random.default_rng(2).normal(size=(16, 8)) * 50.0
    idx, g = top_k_gates(h, k=2)
    assert np.allclose(g.sum(axis=1), 1.0)
    assert np.allclose(g, softmax(np.take_along_axis(h, idx, axis=1)))
    assert np.all(idx[:, 0] == h.argmax(axis=1))


def test_softmax_survives_huge_logits():
    p = softmax(np.array([[1000.0, 999.0, -1000.0]]))
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)


def test_bert_counts():
    assert sum(bert_params(12, 768).values()) == 109_482_240
    assert sum(bert_params(24, 1024).values()) == 335_141_888


def test_gpt3_and_mixtral_counts_match_their_papers():
    total, active = gpt3_dense()
    assert total == active and round(total / 1e9) == 175
    total, active, _ = moe_decoder(4096, 32, 32000, 14336, 32, 8, 8, 2)
    assert round(total / 1e9) == 47 and round(active / 1e9) == 13


@pytest.mark.parametrize("S", [1.0, 55e9, 5e11])
def test_shared_weights_push_active_share_above_k_over_n(S):
    total, active = moe_counts(S=S, X=111e9, N=16, k=2)
    assert active / total > 2 / 16


def test_causal_mask_hides_the_future_and_bert_does_not():
    T = 6
    assert np.array_equal(causal_mask(T), np.tril(np.ones((T, T))))
    x = np.random.default_rng(3).normal(size=(T, 4))
    x2 = x.copy()
    x2[-1] += 1.0
    gpt_diff = np.abs(attend(x2, causal_mask(T)) - attend(x, causal_mask(T)))
    bert_diff = np.abs(
        attend(x2, bidirectional_mask(T)) - attend(x, bidirectional_mask(T))
    )
    assert np.allclose(gpt_diff[:-1], 0.0)
    assert np.all(bert_diff.max(axis=1) > 0)
