"""Model comparison: the paper's DIC (JAGS style) and WAIC / PSIS-LOO on per-planet marginals.

* DIC (Spiegelhalter et al. 2002; as JAGS reports it, Plummer 2003): deviance of the observed
  nodes given the latent true values, D = -2 sum_i log p(obs_i | M_i, R_i, F_i) (eq. 19). For
  Gaussian nodes with known s the penalty of Plummer (2008), the expected symmetrised KL distance
  between predictions from two independent posterior draws, is exactly sum_i Var(mu_i)/s_i^2
  with mu_i = 10^x_i; DIC = mean(D) + pD. Spiegelhalter's pD = mean(D) - D(10^mean(x)) is also
  given (the plug-in at the posterior mean of the latent logs).
  The paper chose K_F = 2, K_R = 3 by DIC; it is reported here for reproduction only.
* WAIC (Watanabe 2013) and PSIS-LOO (Vehtari, Gelman & Gabry 2017) on the per-planet marginal
  likelihood with the latents integrated out [P]: p(obs_i | theta) = integral N(obs_i | x, S_i)
  p_lin(x | theta) dx ~ (1/L) sum_l p_lin(x_l | theta), x_l ~ N(obs_i, S_i), where
  p_lin(M, R, F) = p(m, r, f) / (M R F (ln 10)^3) and p_lin = 0 for x <= 0 (linear error scale).
"""

from __future__ import annotations

import math

import arviz as az
import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import logsumexp

from planetinfer.mrf.model import ModelConfig, params_from_draws, population_log_density

LN10 = math.log(10.0)
OBS_KEYS = (("mass", "log_mass"), ("radius", "log_radius"), ("flux", "log_flux"))


def dic(idata) -> dict:
    """JAGS-style DIC of the observation layer (linear Earth units).

    Returns {'dic', 'pd', 'pd_spiegelhalter', 'mean_deviance'}.
    """
    data = idata.constant_data
    deviance = 0.0
    penalty = 0.0
    at_mean = 0.0
    for obs_key, site in OBS_KEYS:
        y = np.asarray(data[obs_key].values)
        s = np.asarray(data[f"{obs_key}_err"].values)
        mu = 10.0 ** np.asarray(idata.posterior[site].values)  # (chain, draw, n)
        log_norm = np.log(s * math.sqrt(2.0 * math.pi))
        deviance = deviance + 2.0 * np.sum(0.5 * ((y - mu) / s) ** 2 + log_norm, axis=-1)
        penalty += float(np.sum(mu.reshape(-1, y.size).var(axis=0) / s**2))
        mean_mu = 10.0 ** np.asarray(idata.posterior[site].values).reshape(-1, y.size).mean(0)
        at_mean += float(2.0 * np.sum(0.5 * ((y - mean_mu) / s) ** 2 + log_norm))
    mean_deviance = float(np.mean(deviance))
    return {
        "dic": mean_deviance + penalty,
        "pd": penalty,
        "mean_deviance": mean_deviance,
        "pd_spiegelhalter": mean_deviance - at_mean,
    }


def marginal_log_likelihood(
    idata, config: ModelConfig, n_error_draws: int = 64, max_draws: int = 400, seed: int = 0
) -> np.ndarray:
    """log p(obs_i | theta_s) with the latents integrated out; shape (chain, draw', n)."""
    data = idata.constant_data
    obs = np.stack([np.asarray(data[k].values) for k, _ in OBS_KEYS], -1)  # (n, 3) M, R, F
    err = np.stack([np.asarray(data[f"{k}_err"].values) for k, _ in OBS_KEYS], -1)
    rng = np.random.default_rng(seed)
    x = obs[:, None, :] + err[:, None, :] * rng.standard_normal((obs.shape[0], n_error_draws, 3))
    positive = np.all(x > 0, axis=-1)
    logs = np.log10(np.where(x > 0, x, 1.0))
    jacobian = -np.sum(np.log(np.where(x > 0, x, 1.0)), -1) - 3 * math.log(LN10)
    post = idata.posterior
    chains, draws = post.sizes["chain"], post.sizes["draw"]
    step = max(1, chains * draws // max_draws)
    names = [n for n in post.data_vars if n not in ("log_mass", "log_radius", "log_flux")]
    flat = {
        n: np.asarray(post[n].values)[:, ::step].reshape((-1, *post[n].shape[2:])) for n in names
    }
    m, r, f = (jnp.asarray(logs[..., i]) for i in range(3))

    def one(p):
        log_p = population_log_density(m, r, f, params_from_draws(p), config.ramp_width)
        log_p = jnp.where(positive, log_p + jacobian, -jnp.inf)
        return logsumexp(log_p, axis=-1) - math.log(n_error_draws)

    values = jax.lax.map(one, {k: jnp.asarray(v) for k, v in flat.items()})
    return np.asarray(values).reshape(chains, -1, obs.shape[0])


def information_criteria(
    idata, config: ModelConfig, n_error_draws: int = 64, max_draws: int = 400, seed: int = 0
) -> dict:
    """WAIC and PSIS-LOO (ArviZ, log scale: higher is better) of the marginal likelihood, + DIC."""
    log_lik = marginal_log_likelihood(idata, config, n_error_draws, max_draws, seed)
    ll = az.from_dict(log_likelihood={"obs": log_lik})
    ll.add_groups({"posterior": ll.log_likelihood})
    waic = az.waic(ll)
    loo = az.loo(ll)
    return {
        "elpd_waic": float(waic.elpd_waic),
        "p_waic": float(waic.p_waic),
        "elpd_loo": float(loo.elpd_loo),
        "p_loo": float(loo.p_loo),
        "pareto_k_above_0.7": int(np.sum(np.asarray(loo.pareto_k) > 0.7)),
        "error_draws_per_planet": n_error_draws,
        **dic(idata),
    }
