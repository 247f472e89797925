"""Bayesian studentized residuals and the generalized normal (Ma & Ghosh 2021 Sec. 5.2)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from planetinfer.mrf.residuals import (
    fit_generalized_normal,
    flagged,
    mass_layer_residuals,
    region_intercepts,
    studentized_one_draw,
)


def test_region_intercepts_continuity():
    knots, a1, b = np.array([0.89, 1.11]), -0.07, np.array([0.49, 0.3, -0.2])
    a = region_intercepts(knots, a1, b)
    for j, kappa in enumerate(knots):
        assert a[j] + b[j] * kappa == pytest.approx(a[j + 1] + b[j + 1] * kappa)  # eq. (16)


def test_studentized_residuals_match_classical_formula_and_flag_outlier():
    rng = np.random.default_rng(0)
    n = 200
    r = rng.uniform(0.0, 0.8, n)  # one region (knots above)
    f = rng.uniform(0.0, 3.0, n)
    sigma = 0.2
    m = 0.7 + (-0.1 + 0.5 * r) * f + sigma * rng.standard_normal(n)
    m[5] += 6 * sigma
    with_model, classical = studentized_one_draw(
        m,
        r,
        f,
        np.array([0.9, 1.1]),
        np.array([0.7, 1.0, 2.0]),
        -0.1,
        np.array([0.5, 0.0, 0.0]),
        np.full(3, 1 / sigma**2),
    )
    x = np.stack([np.ones(n), f, r * f], 1)
    h = np.diag(x @ np.linalg.inv(x.T @ x) @ x.T)  # eq. (24) leverage
    e = m - x @ np.array([0.7, -0.1, 0.5])
    np.testing.assert_allclose(with_model, e / (sigma * np.sqrt(1 - h)), rtol=1e-10)
    top = flagged(list(range(n)), with_model)[0]
    assert top["planet"] == 5 and top["residual"] > 4.0  # planted 6-sigma shift on N(0, 1) noise
    assert np.isfinite(classical).all()


def test_mass_layer_residuals_average_draws():
    rng = np.random.default_rng(1)
    s, n = 5, 40
    draws = {
        "log_mass": rng.normal(1, 0.1, (s, n)),
        "log_radius": rng.uniform(0, 1.3, (s, n)),
        "log_flux": rng.uniform(0, 3, (s, n)),
        "knots": np.tile([0.89, 1.11], (s, 1)),
        "mass_constant": np.tile([0.7, 1.2, 2.4], (s, 1)),
        "mass_index_intercept": np.zeros(s),
        "mass_index_slope": np.zeros((s, 3)),
        "mass_precision": np.full((s, 3), 10.0),
    }
    out = mass_layer_residuals(draws)
    assert out["model_sigma"].shape == (n,)


def test_paper_generalized_normal_properties():
    # reference sheet Sec. 5.3: GN(-0.06, 0.06, 0.73) has SD 0.167 and 97.9 % within +-0.5
    gn = stats.gennorm(0.73, loc=-0.06, scale=0.06)
    assert gn.std() == pytest.approx(0.167, abs=0.001)
    assert gn.cdf(0.5) - gn.cdf(-0.5) == pytest.approx(0.979, abs=0.001)


def test_generalized_normal_fit_recovers_parameters():
    x = stats.gennorm.rvs(0.73, loc=-0.06, scale=0.06, size=4000, random_state=3)
    fit = fit_generalized_normal(x)
    assert fit["beta"] == pytest.approx(0.73, rel=0.1)
    assert fit["alpha"] == pytest.approx(0.06, rel=0.15)
    assert fit["mu"] == pytest.approx(-0.06, abs=0.01)
