"""The hierarchical model (planetinfer.mrf.model): structure, continuity, Table 3 reading."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jax.scipy.special import logsumexp
from jax.scipy.stats import norm

from planetinfer.mrf.model import (
    ModelConfig,
    flux_distribution,
    flux_index,
    mass_location_scale,
    radius_distribution,
    region_weights,
)

KNOTS = jnp.array([0.89, 1.11])  # Ma & Ghosh 2021, knot posterior means


def table3_params():
    """Region-1 values implied by the paper's Table 3 (reference sheet Sec. 7 [R])."""
    return {
        "knots": KNOTS,
        "mass_constant": jnp.array([0.68, 1.2, 2.4]),
        "mass_precision": jnp.array([1 / 0.265**2, 1 / 0.4**2, 1 / 0.3**2]),
        "mass_index_intercept": jnp.array(-0.07),
        "mass_index_slope": jnp.array([0.49, 0.3, -0.2]),
    }


@given(st.floats(-0.5, 1.6), st.floats(0.0, 0.02))
@settings(max_examples=30, deadline=None)
def test_region_weights_sum_to_one(r, width):
    w = np.asarray(region_weights(jnp.asarray(r), KNOTS, width))
    assert w.sum() == pytest.approx(1.0)
    assert np.all(w >= -1e-12)


def test_exact_steps_select_one_region():
    w = np.asarray(region_weights(jnp.array([0.5, 1.0, 1.3]), KNOTS, 0.0))
    np.testing.assert_array_equal(w, np.eye(3))


@given(st.floats(-1.0, 1.0), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
@settings(max_examples=30, deadline=None)
def test_flux_index_is_continuous_at_knots(a1, slopes):
    # eq. (16): gamma continuous at each knot; linear with slope b_j inside region j
    b = jnp.asarray(slopes)
    for kappa in KNOTS:
        below = flux_index(kappa - 1e-9, KNOTS, a1, b)
        above = flux_index(kappa + 1e-9, KNOTS, a1, b)
        assert float(below) == pytest.approx(float(above), abs=1e-7)
    r = jnp.array([1.0, 1.05])
    g = flux_index(r, KNOTS, a1, b)
    assert float((g[1] - g[0]) / 0.05) == pytest.approx(float(b[1]), abs=1e-9)


def test_table3_hr858b_median_reproduced():
    # Table 3: HR 858 b (R = 2.085, F = 989.7) has median 8.72 M_earth; with the region-1 values
    # implied by Table 3 the mass mean is C_1 + (a_1 + b_1 r) f (sheet Sec. 3 evidence 5)
    loc, scale = mass_location_scale(math.log10(2.085), math.log10(989.7), table3_params())
    assert float(10**loc) == pytest.approx(8.72, rel=0.02)
    assert float(scale) == pytest.approx(0.265, abs=1e-9)


def test_mixtures_marginalise_labels_exactly():
    params = {
        "flux_weight": jnp.array([0.36, 0.64]),
        "flux_mean": jnp.array([2.0, 2.91]),
        "flux_precision": 1 / jnp.array([0.94, 0.39]) ** 2,
        "radius_weight": jnp.array([0.10, 0.24, 0.66]),
        "radius_intercept": jnp.array([0.29, 0.07, 0.85]),
        "radius_slope": jnp.array([0.0, 0.35, 0.10]),
        "radius_precision": 1 / jnp.array([0.15, 0.12, 0.12]) ** 2,
    }  # Tables 1-2 of Ma & Ghosh 2021
    f = jnp.array([0.5, 2.5, 3.5])
    r = jnp.array([0.3, 1.1, 1.2])
    manual_f = logsumexp(
        jnp.log(params["flux_weight"])
        + norm.logpdf(f[:, None], params["flux_mean"], 1 / jnp.sqrt(params["flux_precision"])),
        axis=1,
    )
    np.testing.assert_allclose(flux_distribution(params).log_prob(f), manual_f, rtol=1e-12)
    locs = params["radius_intercept"] + params["radius_slope"] * f[:, None]
    manual_r = logsumexp(
        jnp.log(params["radius_weight"])
        + norm.logpdf(r[:, None], locs, 1 / jnp.sqrt(params["radius_precision"])),
        axis=1,
    )
    np.testing.assert_allclose(radius_distribution(f, params).log_prob(r), manual_r, rtol=1e-12)


def test_config_validation():
    with pytest.raises(ValueError, match="increasing"):
        ModelConfig(knot_prior_means=(1.0, 0.5))
    with pytest.raises(ValueError, match="error_scale"):
        ModelConfig(error_scale="cubic")
    assert ModelConfig().n_regions == 3
    assert ModelConfig.from_dict(ModelConfig().to_dict()) == ModelConfig()


def test_log_density_and_gradient_finite_at_start(shared_data):
    from numpyro.infer.util import log_density

    from planetinfer.mrf.data import SelectionOptions, load_sample
    from planetinfer.mrf.fit import data_arrays
    from planetinfer.mrf.initial import initial_point
    from planetinfer.mrf.model import mrf_model

    sample = load_sample(
        shared_data / "exoplanet_archive/nasa_pscomppars_2024-10-15.csv",
        SelectionOptions(max_disc_year=2008),
    )
    data = data_arrays(sample)
    from planetinfer.mrf.initial import latent_coordinates

    for config in (
        ModelConfig(radius_ordering="precision", error_scale="log"),
        ModelConfig(radius_ordering="precision", latent_parameterisation="centred"),
    ):
        start = latent_coordinates(data, config, initial_point(data, config))
        point = {k: jnp.asarray(v) for k, v in start.items()}

        def f(p, config=config):
            return log_density(mrf_model, (data, config), {}, p)[0]

        value, grad = jax.value_and_grad(f)(point)
        assert np.isfinite(float(value))
        assert all(np.all(np.isfinite(np.asarray(g))) for g in grad.values())
