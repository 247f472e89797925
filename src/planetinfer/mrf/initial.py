"""Starting points for NUTS [P]: latents at the observed logs, knots at their prior means, then
the global parameters moved to the nearest posterior mode with the latents held fixed (Adam).

Each chain starts from that point perturbed by its own seeded jitter, so that split R-hat can
reveal chains that settle in different modes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpyro.infer.initialization import init_to_value
from numpyro.infer.util import unconstrain_fn

from planetinfer.mrf.latent import standardised_value
from planetinfer.mrf.model import LATENT_SITES, ModelConfig, mass_location_scale, mrf_model

MASS_LAYER_SITES = ("mass_constant", "mass_precision", "mass_index_intercept", "mass_index_slope")


def initial_point(data: dict, config: ModelConfig) -> dict:
    """Constrained values of every sample site, built from the observed sample."""
    f, r, m = (np.log10(np.asarray(data[key])) for key in ("flux", "radius", "mass"))
    kf, kr, k = config.n_flux_components, config.n_radius_components, config.n_regions
    flux_means = np.quantile(f, (np.arange(kf) + 0.5) / kf)
    knots = np.asarray(config.knot_prior_means, float)
    region = np.searchsorted(knots, r)
    constants = np.array(
        [np.median(m[region == j]) if np.any(region == j) else np.median(m) for j in range(k)]
    )
    values = {
        "flux_weight": np.full(kf, 1.0 / kf),
        "flux_mean_first": flux_means[0],
        "flux_precision": np.full(kf, 1.0 / max(np.var(f) / kf, 0.05)),
        "radius_weight": np.full(kr, 1.0 / kr),
        "radius_slope": np.zeros(kr),
        "mass_precision": np.full(k, 10.0),
        "mass_constant": constants,
        "mass_index_intercept": 0.0,
        "mass_index_slope": np.zeros(k),
        "log_flux": f,
        "log_radius": r,
        "log_mass": m,
    }
    radius_means = np.quantile(r, (np.arange(kr) + 0.5) / kr)
    if config.radius_ordering == "precision":
        values["radius_intercept"] = radius_means
        values["radius_precision_increment"] = np.concatenate([[25.0], np.full(kr - 1, 5.0)])
    else:
        values["radius_mean_at_pivot"] = radius_means + 1e-3 * np.arange(kr)
        values["radius_precision"] = np.full(kr, 40.0)
    if kf > 1:
        values["flux_mean_increment"] = np.maximum(np.diff(flux_means), 0.05)
    for j, centre in enumerate(knots):
        values[f"knot_{j + 1}"] = centre
    return values


def optimise_globals(data: dict, config: ModelConfig, point: dict, steps: int = 400) -> dict:
    """Move the global parameters of `point` uphill (Adam on the log posterior, latents fixed)."""
    import jax
    import jax.numpy as jnp
    import optax
    from numpyro.handlers import condition
    from numpyro.infer.util import constrain_fn, initialize_model

    latents = {k: jnp.asarray(point[k]) for k in LATENT_SITES}
    model = condition(mrf_model, data=latents)
    values = {k: jnp.asarray(v) for k, v in point.items() if k not in LATENT_SITES}
    info = initialize_model(
        jax.random.PRNGKey(0),
        model,
        model_args=(data, config),
        init_strategy=init_to_value(values=values),
    )
    optimiser = optax.adam(0.02)

    def step(carry, _):
        z, state = carry
        loss, grad = jax.value_and_grad(info.potential_fn)(z)
        updates, state = optimiser.update(grad, state, z)
        return (optax.apply_updates(z, updates), state), loss

    z0 = info.param_info.z
    (z, _), losses = jax.lax.scan(step, (z0, optimiser.init(z0)), None, length=steps)
    if not bool(jnp.isfinite(losses[-1])):
        return dict(point)
    constrained = constrain_fn(model, (data, config), {}, z)
    return {**point, **{k: np.asarray(v) for k, v in constrained.items() if k in point}}


def jittered_points(data: dict, config: ModelConfig, n_chains: int, seed: int) -> list[dict]:
    """`n_chains` starting points: global parameters jittered, latents at the observed logs."""
    centred = replace(config, latent_parameterisation="centred")
    base = optimise_globals(data, centred, initial_point(data, centred))
    rng = np.random.default_rng(seed)
    points = []
    for _ in range(n_chains):
        point = dict(base)
        for key in ("flux_mean_first", "radius_intercept", "mass_constant", "mass_index_intercept"):
            if key in base:
                point[key] = base[key] + rng.normal(0.0, 0.02, np.shape(base[key]))
        if "radius_mean_at_pivot" in base:
            point["radius_mean_at_pivot"] = np.sort(
                base["radius_mean_at_pivot"]
                + rng.normal(0.0, 0.01, np.shape(base["radius_mean_at_pivot"]))
            )
        for key in ("radius_slope", "mass_index_slope"):
            point[key] = base[key] + rng.normal(0.0, 0.01, np.shape(base[key]))
        for key in (
            "flux_precision",
            "radius_precision_increment",
            "radius_precision",
            "mass_precision",
        ):
            if key in base:
                point[key] = base[key] * np.exp(rng.normal(0.0, 0.1, np.shape(base[key])))
        for key in ("flux_weight", "radius_weight"):
            point[key] = rng.dirichlet(500.0 * base[key])
        shift = rng.normal(0.0, 0.005)
        for j in range(len(config.knot_prior_means)):
            point[f"knot_{j + 1}"] = base[f"knot_{j + 1}"] + shift
        points.append(point)
    return points


def latent_coordinates(data: dict, config: ModelConfig, point: dict) -> dict:
    """`point` with the latents replaced by the sampled coordinates of config (latent.py)."""
    import jax.numpy as jnp
    import numpyro.distributions as dist

    how = config.latent_parameterisation
    if how == "centred":
        return dict(point)
    out = {k: v for k, v in point.items() if k not in LATENT_SITES}
    for site, key in (("log_flux", "flux"), ("log_radius", "radius")):
        out[site + "_std"] = standardised_value(
            None, jnp.asarray(point[site]), data[key], data[key + "_err"], how
        )
    params = {k: jnp.asarray(point[k]) for k in MASS_LAYER_SITES}
    params["knots"] = (
        jnp.stack(
            [jnp.asarray(point[f"knot_{j + 1}"]) for j in range(len(config.knot_prior_means))]
        )
        if config.knot_prior_means
        else jnp.zeros(0)
    )
    loc, scale = mass_location_scale(
        jnp.asarray(point["log_radius"]), jnp.asarray(point["log_flux"]), params, config.ramp_width
    )
    out["log_mass_std"] = standardised_value(
        dist.Normal(loc, scale), jnp.asarray(point["log_mass"]), data["mass"], data["mass_err"], how
    )
    return out


def unconstrained_inits(data: dict, config: ModelConfig, points: list[dict]) -> dict:
    """Stack starting points into NUTS init_params (unconstrained, leading chain axis)."""
    import jax.numpy as jnp

    converted = [
        unconstrain_fn(
            mrf_model,
            (data, config),
            {},
            {k: jnp.asarray(v) for k, v in latent_coordinates(data, config, p).items()},
        )
        for p in points
    ]
    return {key: jnp.stack([c[key] for c in converted]) for key in converted[0]}
