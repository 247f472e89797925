"""interior/transforms.py: round trips, exact zeros, the published representations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planetinfer.interior import transforms as T


def _fractions(seed, n=200):
    rng = np.random.default_rng(seed)
    m = rng.dirichlet(np.ones(4), n)
    d = rng.dirichlet(np.ones(4), n)
    pattern = rng.integers(0, 4, n)
    absent = ~T.PATTERNS[pattern]
    m[absent] = 0.0
    d[absent] = 0.0
    return m / m.sum(1, keepdims=True), d / d.sum(1, keepdims=True), pattern


@given(st.integers(0, 10_000))
@settings(max_examples=25, deadline=None)
def test_patterns_round_trip_and_exact_zeros(seed):
    m, d, pattern = _fractions(seed)
    targets = T.encode_patterns(m, d)
    assert np.array_equal(targets[:, 0].astype(int), pattern)
    m2, d2 = T.decode_patterns(targets)
    np.testing.assert_allclose(m2, m, atol=1e-12)
    np.testing.assert_allclose(d2, d, atol=1e-12)
    assert np.all(m2[~T.PATTERNS[pattern]] == 0.0)  # absent layers come back as exact zeros
    assert np.all(d2[~T.PATTERNS[pattern]] == 0.0)


def test_pattern_dimensions_and_padding():
    m, d, pattern = _fractions(1)
    targets = T.encode_patterns(m, d)
    assert T.PATTERN_DIMS == (6, 4, 4, 2)
    for k, dim in enumerate(T.PATTERN_DIMS):
        assert np.all(targets[pattern == k, 1 + dim :] == 0.0)


def test_alr_values_match_definition():
    m = np.array([[0.4, 0.3, 0.2, 0.1]])
    d = np.array([[0.5, 0.3, 0.1, 0.1]])
    z = T.encode_patterns(m, d)[0, 1:]
    np.testing.assert_allclose(z[:3], np.log([0.3 / 0.4, 0.2 / 0.4, 0.1 / 0.4]), rtol=1e-14)
    np.testing.assert_allclose(z[3:], np.log([0.3 / 0.5, 0.1 / 0.5, 0.1 / 0.5]), rtol=1e-14)


def test_exomdn_drops_rows_with_absent_layers_and_round_trips():
    m, d, pattern = _fractions(2)
    z, keep = T.encode_exomdn(m, d)
    assert np.array_equal(keep, pattern == 0)
    m2, d2 = T.decode_exomdn(z[keep])
    np.testing.assert_allclose(m2, m[keep], atol=1e-12)
    np.testing.assert_allclose(d2, d[keep], atol=1e-12)


def test_inverse_alr_is_stable_for_large_ratios():
    out = T.inverse_alr(np.array([[800.0, -800.0, 0.0]]), np.ones(4, bool))
    assert np.all(np.isfinite(out)) and out.sum() == pytest.approx(1.0)


def test_core_or_mantle_absent_is_rejected():
    with pytest.raises(ValueError, match="core and mantle"):
        T.pattern_index(np.array([[0.0, 0.5, 0.5, 0.0]]))
