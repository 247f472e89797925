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


@given(st.integers(0, 10_000), st.sampled_from(T.ENVELOPE_COORDINATES))
@settings(max_examples=25, deadline=None)
def test_patterns_round_trip_and_exact_zeros(seed, envelope):
    m, d, pattern = _fractions(seed)
    targets = T.encode_patterns(m, d, envelope)
    assert np.array_equal(targets[:, 0].astype(int), pattern)
    m2, d2 = T.decode_patterns(targets, envelope)
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
    z = T.encode_patterns(m, d, "core")[0, 1:]
    np.testing.assert_allclose(z[:3], np.log([0.3 / 0.4, 0.2 / 0.4, 0.1 / 0.4]), rtol=1e-14)
    np.testing.assert_allclose(z[3:], np.log([0.3 / 0.5, 0.1 / 0.5, 0.1 / 0.5]), rtol=1e-14)


def test_condensed_envelope_coordinate_is_the_envelope_logit():
    m = np.array([[0.4, 0.3, 0.2, 0.1], [0.5, 0.2, 0.0, 0.3]])
    d = np.array([[0.5, 0.3, 0.1, 0.1], [0.3, 0.3, 0.0, 0.4]])
    z = T.encode_patterns(m, d, "condensed")
    np.testing.assert_allclose(z[0, 1:7], np.log([0.3 / 0.4, 0.2 / 0.4, 0.1 / 0.9,
                                                  0.3 / 0.5, 0.1 / 0.5, 0.1 / 0.9]), rtol=1e-13)  # fmt: skip
    np.testing.assert_allclose(z[1, 1:5], np.log([0.2 / 0.5, 0.3 / 0.7, 0.3 / 0.3, 0.4 / 0.6]),
                               rtol=1e-13, atol=1e-15)  # fmt: skip


@given(st.integers(0, 10_000), st.sampled_from([0, 1]))
@settings(max_examples=20, deadline=None)
def test_condensed_shear_has_unit_jacobian(seed, pattern):
    """u = core_to_condensed(y) is volume preserving, so NLLs agree in both coordinates."""
    present = T.PATTERNS[pattern]
    k = int(present.sum()) - 1
    y = np.random.default_rng(seed).normal(0.0, 3.0, (1, k))
    h = 1e-6
    jac = np.stack([(T.core_to_condensed(y + h * e, present) - T.core_to_condensed(y - h * e, present))[0]
                    / (2 * h) for e in np.eye(k)], axis=1)  # fmt: skip
    assert np.linalg.det(jac) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(T.condensed_to_core(T.core_to_condensed(y, present), present), y,
                               atol=1e-12)  # fmt: skip


def test_unknown_envelope_coordinate_is_rejected():
    with pytest.raises(ValueError, match="envelope"):
        T.encode_patterns(np.array([[0.5, 0.5, 0.0, 0.0]]), np.array([[0.5, 0.5, 0.0, 0.0]]), "x")


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
