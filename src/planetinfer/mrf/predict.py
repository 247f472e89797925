"""Posterior predictive mass given radius and flux (Ma & Ghosh 2021, Sec. 6.2, eq. 27).

p(m~ | r~, f~, D) = integral of p(m~ | r~, f~, theta) p(theta | D) d theta. Per posterior draw s
(the paper follows Chen & Kipping's handling of inputs [R]): draw R~ ~ N(R_ob, s_R) and
F~ ~ N(F_ob, s_F), truncated to positive values, then m~ ~ N(C(log R~) + gamma(log R~) log F~,
sigma_M(log R~)) (eqs. 13-18), and report quantiles of 10^m~. Table 3 of the paper reports the
median and the 16th/84th percentiles; its "95 % upper limit" is the 97.5th percentile [R].
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.errors import check_range
from planetinfer.mrf.model import mass_location_scale

QUANTILES = (0.025, 0.16, 0.5, 0.84, 0.975)
QUANTILE_NAMES = ("p2.5", "p16", "p50", "p84", "p97.5")
MASS_SITES = (
    "knots",
    "mass_constant",
    "mass_precision",
    "mass_index_intercept",
    "mass_index_slope",
)


@dataclass(frozen=True)
class MassPosterior:
    """Draws of the mass-layer parameters, leading axis = draw (S), plus the fitted domain."""

    draws: dict
    ramp_width: float
    domain: dict  # {"log10_radius": [lo, hi], "log10_flux": [lo, hi]}
    source: str = ""

    @property
    def n_draws(self) -> int:
        return int(self.draws["mass_constant"].shape[0])


def mass_posterior_from_idata(
    idata, header: dict | None = None, max_draws: int = 4000, source: str = ""
) -> MassPosterior:
    """Flatten (chain, draw) of an mrf posterior into S <= max_draws draws (evenly thinned)."""
    import json

    post = idata.posterior
    draws = {}
    for name in MASS_SITES:
        values = np.asarray(post[name].values)
        draws[name] = values.reshape((-1, *values.shape[2:]))
    total = draws["mass_constant"].shape[0]
    step = max(1, total // max_draws)
    # float32 is ample for quantiles of log10 M and halves the work of batch prediction
    draws = {k: jnp.asarray(v[::step], dtype=jnp.float32) for k, v in draws.items()}
    if header is None:
        config = json.loads(post.attrs.get("model_config", "{}"))
        domain = _domain_from_idata(idata)
    else:
        config, domain = header.get("model_config", {}), header.get("domain", {})
    return MassPosterior(draws, float(config.get("ramp_width", 0.0)), domain, source)


def _domain_from_idata(idata) -> dict:
    if "constant_data" not in idata.groups():
        return {}
    data = idata.constant_data
    log_r, log_f = np.log10(data["radius"].values), np.log10(data["flux"].values)
    return {
        "log10_radius": [float(log_r.min()), float(log_r.max())],
        "log10_flux": [float(log_f.min()), float(log_f.max())],
    }


def load_mass_posterior(path=None, max_draws: int = 4000) -> MassPosterior:
    """The shipped posterior (path None) or a posterior NetCDF written by `mrf fit`."""
    if path is None:
        from planetinfer.mrf.shipped import load_shipped, shipped_dir

        idata, header = load_shipped()
        return mass_posterior_from_idata(idata, header, max_draws, str(shipped_dir()))
    from planetinfer.mrf.fit import load_posterior

    return mass_posterior_from_idata(load_posterior(path), None, max_draws, str(path))


def _positive_normal(key, value, error, shape):
    """N(value, error) truncated to (0, inf); `error` = 0 returns `value`. Shapes broadcast.

    Plain normal draws; only when some draw is <= 0 are truncated draws computed (lax.cond), as
    inverse-CDF truncated sampling is several times slower.
    """
    k_plain, k_trunc = jax.random.split(key)
    plain = value + error * jax.random.normal(k_plain, shape, dtype=value.dtype)

    def truncated(_):
        safe = jnp.where(error > 0, error, 1.0)
        z = jax.random.truncated_normal(k_trunc, -value / safe, jnp.inf, shape, value.dtype)
        return jnp.where(plain > 0, plain, value + safe * z)

    return jax.lax.cond(jnp.any(plain <= 0), truncated, lambda _: plain, None)


@partial(jax.jit, static_argnames=("ramp_width", "repeats"))
def _log_mass_draws(key, draws, radius, radius_err, flux, flux_err, ramp_width, repeats=1):
    """Predictive draws of log10 M, shape (S * repeats, n), for inputs of shape (n,) [Earth units].

    Each posterior draw is used `repeats` times with fresh (R~, F~, m~) to lower Monte Carlo noise.
    """
    draws = jax.tree_util.tree_map(lambda x: jnp.repeat(x, repeats, axis=0), draws)
    n_draws = draws["mass_constant"].shape[0]
    k_r, k_f, k_m = jax.random.split(key, 3)
    shape = (n_draws, radius.shape[0])
    log_r = jnp.log10(_positive_normal(k_r, radius, radius_err, shape))
    log_f = jnp.log10(_positive_normal(k_f, flux, flux_err, shape))
    loc, scale = jax.vmap(lambda p, r, f: mass_location_scale(r, f, p, ramp_width))(
        draws, log_r, log_f
    )
    return loc + scale * jax.random.normal(k_m, shape, dtype=loc.dtype)


def validate_inputs(radius, radius_err, flux, flux_err):
    """Arrays of shape (n,); InputError naming the field for non-finite or out-of-range values."""
    arrays = [
        np.atleast_1d(np.asarray(x, dtype=float)) for x in (radius, radius_err, flux, flux_err)
    ]
    check_range("radius", arrays[0], 0.0, None, low_inclusive=False, unit="R_earth")
    check_range("radius_err", arrays[1], 0.0, None, unit="R_earth")
    check_range("flux", arrays[2], 0.0, None, low_inclusive=False, unit="F_earth")
    check_range("flux_err", arrays[3], 0.0, None, unit="F_earth")
    return np.broadcast_arrays(*arrays)


def in_domain(posterior: MassPosterior, radius, flux) -> np.ndarray:
    """True where (log10 R, log10 F) lies inside the fitted sample's ranges; shape (n,)."""
    if not posterior.domain:
        return np.ones(np.shape(radius), bool)
    r_lo, r_hi = posterior.domain["log10_radius"]
    f_lo, f_hi = posterior.domain["log10_flux"]
    log_r, log_f = np.log10(radius), np.log10(flux)
    return (log_r >= r_lo) & (log_r <= r_hi) & (log_f >= f_lo) & (log_f <= f_hi)


def predict_mass(
    posterior: MassPosterior,
    radius,
    radius_err,
    flux,
    flux_err,
    seed: int = 0,
    chunk: int = 1024,
    min_samples: int = 1000,
) -> dict:
    """Quantiles of the predictive mass [M_earth] for n planets.

    radius, radius_err [R_earth], flux, flux_err [F_earth]: scalars or arrays of shape (n,).
    Returns {"mass_earth": {"p2.5": (n,), ..., "p97.5": (n,)}, "in_domain": (n,) bool}.
    At least `min_samples` predictive samples per planet are drawn (posterior draws reused).
    Out-of-domain inputs give a warning, never an error.
    """
    radius, radius_err, flux, flux_err = validate_inputs(radius, radius_err, flux, flux_err)
    inside = in_domain(posterior, radius, flux)
    if not inside.all():
        warnings.warn(
            f"{int((~inside).sum())} of {inside.size} inputs lie outside the fitted (R, F) range "
            f"{posterior.domain}; their masses are extrapolated (in_domain = false)",
            stacklevel=2,
        )
    key = jax.random.PRNGKey(seed)
    repeats = max(1, -(-min_samples // posterior.n_draws))
    parts = []
    for start in range(0, radius.size, chunk):
        sl = slice(start, start + chunk)
        key, sub = jax.random.split(key)
        n = radius[sl].size
        pad = chunk - n if radius.size > chunk else 0  # fixed shapes: one compilation
        args = [
            jnp.asarray(np.pad(x[sl], (0, pad), constant_values=1.0), dtype=jnp.float32)
            for x in (radius, radius_err, flux, flux_err)
        ]
        log_m = _log_mass_draws(sub, posterior.draws, *args, posterior.ramp_width, repeats)
        parts.append(np.asarray(jnp.quantile(log_m, jnp.asarray(QUANTILES), axis=0))[:, :n])
    log_q = np.concatenate(parts, axis=1).astype(float)
    return {
        "mass_earth": {name: 10.0 ** log_q[i] for i, name in enumerate(QUANTILE_NAMES)},
        "in_domain": inside,
    }
