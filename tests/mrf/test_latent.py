"""Sampler coordinates of the latents (planetinfer.mrf.latent): same model, other coordinates."""

from __future__ import annotations

from dataclasses import replace

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
import pytest
from numpyro.infer.util import log_density

from planetinfer.mrf.initial import initial_point, latent_coordinates
from planetinfer.mrf.latent import latent_shift_width, observed_log
from planetinfer.mrf.model import LATENT_SITES, ModelConfig, mass_location_scale, mrf_model


def _small_data(n: int = 12, seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    radius = 10 ** rng.uniform(0.1, 1.3, n)
    flux = 10 ** rng.uniform(0.0, 3.5, n)
    mass = 10 ** (0.6 + 1.5 * np.log10(radius) + rng.normal(0, 0.2, n))
    rel = rng.uniform(0.03, 0.3, n)
    return {
        "mass": jnp.asarray(mass),
        "mass_err": jnp.asarray(rel * mass),
        "radius": jnp.asarray(radius),
        "radius_err": jnp.asarray(0.05 * radius),
        "flux": jnp.asarray(flux),
        "flux_err": jnp.asarray(0.1 * flux),
    }


def test_observed_log_is_first_order_error():
    centre, width = observed_log(jnp.array([100.0]), jnp.array([10.0]))
    assert float(centre[0]) == pytest.approx(2.0)
    assert float(width[0]) == pytest.approx(0.1 / np.log(10.0), rel=1e-12)


def test_partial_weights_limits():
    # data much sharper than the population: centred (shift -> observed log); the reverse:
    # non-centred (shift -> population mean); width -> the smaller of the two SDs
    value, error = jnp.array([100.0, 100.0]), jnp.array([0.01, 1.0e4])
    prior = dist.Normal(jnp.array([3.0, 3.0]), jnp.array([0.3, 0.3]))
    shift, width = latent_shift_width(prior, value, error, "partial")
    assert float(shift[0]) == pytest.approx(2.0, abs=1e-4)
    assert float(shift[1]) == pytest.approx(3.0, abs=1e-3)
    assert float(width[0]) == pytest.approx(0.01 / (100 * np.log(10.0)), rel=1e-4)
    assert float(width[1]) == pytest.approx(0.3, rel=1e-3)


def _density(data, config, params):
    value, trace = log_density(mrf_model, (data, config), {}, params)
    return value, {site: trace[site]["value"] for site in LATENT_SITES}


@pytest.mark.parametrize("how", ["scaled", "partial"])
def test_reparameterised_density_equals_centred_plus_log_jacobian(how):
    # x = shift + width z: log p_z(z) = log p_x(x(z)) + sum log width (change of variables)
    data = _small_data()
    centred = ModelConfig(latent_parameterisation="centred")
    config = replace(centred, latent_parameterisation=how)
    point = initial_point(data, centred)
    rng = np.random.default_rng(0)
    for site in LATENT_SITES:
        point[site] = point[site] + rng.normal(0.0, 0.03, point[site].shape)
    values = {k: jnp.asarray(v) for k, v in point.items()}

    density = jax.jit(lambda params, config: _density(data, config, params), static_argnums=1)
    reference = density(values, centred)[0]
    coords = {k: jnp.asarray(v) for k, v in latent_coordinates(data, config, point).items()}
    assert not set(LATENT_SITES) & set(coords)
    value, latents = density(coords, config)
    for site in LATENT_SITES:  # the deterministic sites give back the latents
        np.testing.assert_allclose(latents[site], values[site], atol=1e-12)
    params = {k: values[k] for k in ("mass_constant", "mass_precision", "mass_index_intercept")}
    params["mass_index_slope"] = values["mass_index_slope"]
    params["knots"] = jnp.stack([values["knot_1"], values["knot_2"]])
    loc, scale = mass_location_scale(
        values["log_radius"], values["log_flux"], params, centred.ramp_width
    )
    log_jacobian = 0.0
    for key, prior in (("flux", None), ("radius", None), ("mass", dist.Normal(loc, scale))):
        log_jacobian += jnp.log(latent_shift_width(prior, data[key], data[key + "_err"], how)[1])
    assert float(value) == pytest.approx(float(reference + log_jacobian.sum()), abs=1e-8)


def test_config_accepts_old_headers_and_rejects_unknown_coordinates():
    old = ModelConfig().to_dict()
    del old["latent_parameterisation"]
    assert ModelConfig.from_dict(old).latent_parameterisation == "centred"
    with pytest.raises(ValueError, match="latent_parameterisation"):
        ModelConfig(latent_parameterisation="sideways")
