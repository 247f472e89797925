"""Robust Hotelling procedure (Ma & Ghosh 2021 Sec. 5.1; Willems et al. 2002)."""

from __future__ import annotations

import numpy as np
import pytest

from planetinfer.mrf.hotelling import (
    classify_box,
    f_approximation,
    hotelling_check,
    robust_box,
    t2_moments,
)


def test_f_approximation_matches_moments():
    # d F_{p,q} has mean d q/(q-2) and V/E^2 = 2(p+q-2)/(p(q-4)) (Willems et al. 2002)
    p, n = 3, 500
    d, q = f_approximation(3.6, 12.0, p, n)
    assert d * q / (q - 2) == pytest.approx(3.6)
    assert 2 * (p + q - 2) / (p * (q - 4)) == pytest.approx(12.0 / 3.6**2)


def test_mcd_t2_mean_exceeds_classical():
    # the MCD location is less efficient than the mean: E[T^2_R] > p = E[T^2] as n -> inf
    mean, variance = t2_moments(200, 3, replicates=30, seed=0)
    assert 3.0 < mean < 6.0
    assert variance > 0


def test_robust_box_ignores_outliers():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, 3))
    x[:30] += 20.0  # 10 % gross outliers
    lower, upper = robust_box(x, moments=(3.5, 9.0))
    assert np.all(lower < 0.3) and np.all(upper > -0.3)
    assert np.all(upper < 1.0)  # the classical mean (~2) would lie outside


def test_classification():
    o_lo, o_hi = np.zeros(3), np.ones(3)
    assert classify_box(np.full(3, 0.2), np.full(3, 0.8), o_lo, o_hi) == "contained"
    assert classify_box(np.full(3, 0.5), np.full(3, 1.5), o_lo, o_hi) == "overlapping"
    assert classify_box(np.array([2, 0.2, 0.2]), np.array([3, 0.8, 0.8]), o_lo, o_hi) == "disjoint"


def test_hotelling_check_flags_a_shifted_planet():
    rng = np.random.default_rng(2)
    observed = np.array([[10.0, 2.0, 100.0], [10.0, 2.0, 100.0]])
    errors = np.array([[2.0, 0.1, 10.0], [2.0, 0.1, 10.0]])
    draws = observed + 0.3 * errors * rng.standard_normal((200, 2, 3))
    draws[:, 1, 0] += 3.0 * errors[1, 0]  # posterior of planet 2 far from its observed mass
    result = hotelling_check(draws, observed, errors, replicates=20)
    assert result["class"] == ["contained", "disjoint"]
