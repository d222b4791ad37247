"""Numbers the GPT-1/2/3 pages derive, checked against the papers.

Each test names the paper location its expected value comes from.
"""

import numpy as np
import pytest
from gpt1_param_count import gpt1_params
from gpt2_param_counts import SIZES, gpt2_params
from gpt3_compute import MODELS, PF_DAY, gpt3_params, train_flops
from gpt3_compute_fit import fig31_loss
from gpt3_fewshot_prompt import build_prompt
from gpt3_kaplan_law import kaplan_loss, non_embedding_params


def test_gpt1_count_is_near_the_117m_label():
    # "117M": GPT-2 report, Table 2 (the GPT-1-sized model)
    total = gpt1_params()["total"]
    assert total == 116_534_784
    assert abs(total - 117e6) / 117e6 < 0.01


def test_gpt2_counts_match_the_corrected_sizes():
    # openai/gpt-2 README: the real sizes are 124M, 355M, 774M, 1558M
    expected = [124_439_808, 354_823_168, 774_030_080, 1_557_611_200]
    got = [gpt2_params(n_layer, d_model)[0] for _, n_layer, d_model in SIZES]
    assert got == expected


@pytest.mark.parametrize("name, n_layer, d_model, n_paper, c_paper", MODELS)
def test_gpt3_counts_and_flops_match_table_d1(
    name, n_layer, d_model, n_paper, c_paper
):
    # Brown et al. 2020, Table D.1: params (millions) and total FLOPs
    N = gpt3_params(n_layer, d_model)
    assert abs(N / 1e6 - n_paper) / n_paper < 0.005
    assert abs(train_flops(N) - c_paper) / c_paper < 0.01


def test_gpt3_175b_compute_in_pf_days():
    # Table D.1: 3.64E+03 PF-days, 3.14E+23 FLOPs
    C = train_flops(gpt3_params(96, 12288))
    assert C / PF_DAY == pytest.approx(3640, rel=0.005)


def test_kaplan_law_doubling_factor():
    # Kaplan et al. 2020, Sec. 1.2: doubling N scales the loss by 0.95
    N = non_embedding_params(96, 12288)
    assert kaplan_loss(2 * N) / kaplan_loss(N) == pytest.approx(0.95, 1e-2)


def test_fig31_fit_is_monotone_in_compute():
    C = np.logspace(-3, 4, 8)
    L = np.array([fig31_loss(c) for c in C])
    assert np.all(np.diff(L) < 0)


@pytest.mark.parametrize("K", [0, 1, 3])
def test_prompt_has_description_k_demos_and_query(K):
    lines = build_prompt(K, np.random.default_rng(0)).split("\n")
    assert len(lines) == K + 2
    assert lines[0].endswith(":") and lines[-1].endswith("=>")
