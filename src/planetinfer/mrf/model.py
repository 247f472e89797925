"""The Bayesian hierarchical mass-radius-flux model of Ma & Ghosh (2021, Sec. 3) in NumPyro.

Variables are the latent true logs m = log10(M/M_earth), r = log10(R/R_earth), f = log10(F/F_earth).
The joint density factorises as p(m, r, f) = p(f) p(r|f) p(m|r, f) (eq. 5):

* p(f): K_F-component normal mixture with ordered means mu_k = sum_{j<=k} delta_j, delta_j > 0 for
  j >= 2 (eqs. 6-8); weights ~ Dirichlet(5), delta_1 ~ N(0, 5), delta_k ~ N(0, 5) T(0, inf),
  precisions ~ Gamma(0.1, 0.1).
* p(r|f): K_R-component mixture of linear regressions on f, N(alpha_k + beta_k f, sigma_k) with
  ordered precisions 1/sigma_k^2 = sum_{j<=k} eta_j (eqs. 9-12); weights ~ Dirichlet(5),
  alpha_k, beta_k ~ N(0, 5), eta_k ~ Gamma(1, 1).
* p(m|r, f) = N(C(r) + gamma(r) f, sigma_M(r)) (eqs. 13-18, reading of the reference sheet [R]):
  C and 1/sigma_M^2 are piecewise constant between knots kappa_j; gamma(r) = a_1 + b_1 r +
  sum_j (b_{j+1} - b_j) max(0, r - kappa_j) is a continuous linear spline (continuity, eq. 16).
  kappa_j ~ N(log10 6, 0.2), N(log10 11, 0.2) T(kappa_{j-1}, inf); tau_j ~ Gamma(0.1, 0.1),
  C_j ~ N(0, 2), b_j ~ N(0, 1), a_1 ~ N(0, 2).
* Identifying the R|F components: the paper orders the precisions (eq. 12). Components 2 and 3
  have nearly equal precisions (Table 2: 0.12 and 0.12), so under NUTS they switch labels. The
  default radius_ordering='mean' [P] orders instead the component means at log10 F = 2.5,
  alpha_k + 2.5 beta_k (same labels as Table 2), keeps the paper's N(0, 5) priors on alpha_k and
  beta_k restricted to that order, and gives each precision its own Gamma(1, 1) prior.
  radius_ordering='precision' is the paper's eq. 12.
* Observations (eq. 19): M_ob ~ N(10^m, s_M) etc. in linear Earth units (default), or
  log10 M_ob ~ N(m, s_M / (M_ob ln 10)) with error_scale='log' [P].

NUTS samples the latents in the coordinates of latent.py (default 'partial': partial
non-centring of the mass latents, observed-scale standardisation of flux and radius) [P]; these
are affine changes of variables with their Jacobian, so the model is unchanged.

The discrete labels are marginalised (MixtureSameFamily gives the logsumexp over components) so
NUTS can run. The step indicators of C and sigma_M are replaced for NUTS by logistic ramps of width
`ramp_width` dex [P]; ramp_width = 0 gives the exact steps.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist

import planetinfer._jaxconfig  # noqa: F401  (float64)
from planetinfer.mrf import relation
from planetinfer.mrf.latent import sample_latent

DIRICHLET_CONCENTRATION = 5.0  # eqs. 7 and 10
VAGUE_PRECISION = (0.1, 0.1)  # Gamma(shape, rate) of flux and mass precisions, eqs. 8 and 18
RADIUS_PRECISION_INCREMENT = (1.0, 1.0)  # Gamma(1, 1) on eta_k, eq. 12
LATENT_PARAMETERISATIONS = ("centred", "scaled", "partial")


@dataclass(frozen=True)
class ModelConfig:
    """Structure of the model: numbers of components, knots and the observation scale.

    knot_prior_means: prior centres of the knots in log10 R (eq. 17: 6 and 11 R_earth).
    ramp_width: width in dex of the logistic ramps replacing the region indicators [P].
    error_scale: 'linear' (eq. 19 in Earth units) or 'log' [P].
    latent_parameterisation: sampler coordinates of the latents, 'partial', 'scaled' or
      'centred' (latent.py); the model and its posterior are the same for all three.
    """

    n_flux_components: int = 2
    n_radius_components: int = 3
    knot_prior_means: tuple[float, ...] = (math.log10(6.0), math.log10(11.0))
    knot_prior_sd: float = 0.2
    ramp_width: float = 0.005
    error_scale: str = "linear"
    radius_ordering: str = "mean"
    radius_pivot_log_flux: float = 2.5
    latent_parameterisation: str = "partial"

    def __post_init__(self):
        if self.n_flux_components < 1 or self.n_radius_components < 1:
            raise ValueError("n_flux_components and n_radius_components must be >= 1")
        if list(self.knot_prior_means) != sorted(self.knot_prior_means):
            raise ValueError(f"knot_prior_means = {self.knot_prior_means} must be increasing")
        if self.error_scale not in ("linear", "log"):
            raise ValueError(f"error_scale = {self.error_scale!r} must be 'linear' or 'log'")
        if self.radius_ordering not in ("precision", "mean"):
            raise ValueError(f"radius_ordering = {self.radius_ordering!r}: 'precision' or 'mean'")
        if self.latent_parameterisation not in LATENT_PARAMETERISATIONS:
            raise ValueError(
                f"latent_parameterisation = {self.latent_parameterisation!r}: one of "
                f"{LATENT_PARAMETERISATIONS}"
            )
        if self.ramp_width < 0:
            raise ValueError(f"ramp_width = {self.ramp_width} must be >= 0")

    @property
    def n_regions(self) -> int:
        return len(self.knot_prior_means) + 1

    def to_dict(self) -> dict:
        return {**asdict(self), "knot_prior_means": list(self.knot_prior_means)}

    @classmethod
    def from_dict(cls, values: dict) -> ModelConfig:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        known.setdefault("latent_parameterisation", "centred")  # headers written before it existed
        return cls(**{**known, "knot_prior_means": tuple(values["knot_prior_means"])})


def region_weights(r, knots, ramp_width: float = 0.0):
    """Region indicators of eq. 14 in JAX (mrf/relation.py)."""
    return relation.region_weights(r, knots, ramp_width, jnp)


def flux_index(r, knots, index_intercept, index_slopes):
    """Continuous piecewise-linear index gamma(r) of eqs. 15-16 in JAX (mrf/relation.py)."""
    return relation.flux_index(r, knots, index_intercept, index_slopes, jnp)


def mass_location_scale(r, f, params: dict, ramp_width: float = 0.0):
    """Mean and SD of m given (r, f) (eqs. 13-18) in JAX (mrf/relation.py)."""
    return relation.mass_location_scale(r, f, params, ramp_width, jnp)


def flux_distribution(params: dict):
    """p(f): normal mixture with weights pi_k, means mu_k and SDs sigma_F,k (eqs. 6-8)."""
    return dist.MixtureSameFamily(
        dist.Categorical(probs=params["flux_weight"]),
        dist.Normal(params["flux_mean"], 1.0 / jnp.sqrt(params["flux_precision"])),
    )


def radius_distribution(f, params: dict):
    """p(r|f): mixture of regressions alpha_k + beta_k f with SDs sigma_R,k (eqs. 9-12); f (n,)."""
    f = jnp.asarray(f)[..., None]
    weights = jnp.broadcast_to(
        params["radius_weight"], f.shape[:-1] + params["radius_weight"].shape
    )
    locs = params["radius_intercept"] + params["radius_slope"] * f
    return dist.MixtureSameFamily(
        dist.Categorical(probs=weights),
        dist.Normal(locs, 1.0 / jnp.sqrt(params["radius_precision"])),
    )


def population_log_density(m, r, f, params: dict, ramp_width: float = 0.0):
    """log p(m, r, f | theta) = log p(f) + log p(r|f) + log p(m|r, f) (eq. 5), shape of m."""
    loc, scale = mass_location_scale(r, f, params, ramp_width)
    return (
        flux_distribution(params).log_prob(f)
        + radius_distribution(f, params).log_prob(r)
        + dist.Normal(loc, scale).log_prob(m)
    )


def _sample_hyperparameters(config: ModelConfig) -> dict:
    """Global parameters with the paper's priors; returns the dict used by the density helpers."""
    kf, kr, k = config.n_flux_components, config.n_radius_components, config.n_regions
    p = {}
    p["flux_weight"] = numpyro.sample("flux_weight", dist.Dirichlet(jnp.full(kf, 5.0)))
    first = numpyro.sample("flux_mean_first", dist.Normal(0.0, 5.0))
    steps = [first[None]]
    if kf > 1:
        steps.append(numpyro.sample("flux_mean_increment", dist.HalfNormal(5.0).expand([kf - 1])))
    p["flux_mean"] = numpyro.deterministic("flux_mean", jnp.cumsum(jnp.concatenate(steps)))
    p["flux_precision"] = numpyro.sample(
        "flux_precision", dist.Gamma(*VAGUE_PRECISION).expand([kf])
    )
    p["radius_weight"] = numpyro.sample("radius_weight", dist.Dirichlet(jnp.full(kr, 5.0)))
    if config.radius_ordering == "precision":
        p["radius_intercept"] = numpyro.sample("radius_intercept", dist.Normal(0, 5).expand([kr]))
        p["radius_slope"] = numpyro.sample("radius_slope", dist.Normal(0.0, 5.0).expand([kr]))
        eta = numpyro.sample(
            "radius_precision_increment", dist.Gamma(*RADIUS_PRECISION_INCREMENT).expand([kr])
        )
        p["radius_precision"] = numpyro.deterministic("radius_precision", jnp.cumsum(eta))
    else:
        p["radius_slope"] = numpyro.sample("radius_slope", dist.Normal(0.0, 5.0).expand([kr]))
        pivot = numpyro.sample(
            "radius_mean_at_pivot",
            dist.ImproperUniform(dist.constraints.ordered_vector, (), (kr,)),
        )
        intercept = pivot - config.radius_pivot_log_flux * p["radius_slope"]
        # Jacobian of (pivot, beta) -> (alpha, beta) is 1: this is N(0, 5) on alpha, restricted.
        numpyro.factor("radius_intercept_prior", dist.Normal(0.0, 5.0).log_prob(intercept).sum())
        p["radius_intercept"] = numpyro.deterministic("radius_intercept", intercept)
        p["radius_precision"] = numpyro.sample(
            "radius_precision", dist.Gamma(*RADIUS_PRECISION_INCREMENT).expand([kr])
        )
    knots = []
    for j, centre in enumerate(config.knot_prior_means):
        prior = (
            dist.Normal(centre, config.knot_prior_sd)
            if j == 0
            else dist.TruncatedNormal(centre, config.knot_prior_sd, low=knots[-1])
        )
        knots.append(numpyro.sample(f"knot_{j + 1}", prior))
    p["knots"] = numpyro.deterministic("knots", jnp.stack(knots) if knots else jnp.zeros(0))
    p["mass_precision"] = numpyro.sample("mass_precision", dist.Gamma(*VAGUE_PRECISION).expand([k]))
    p["mass_constant"] = numpyro.sample("mass_constant", dist.Normal(0.0, 2.0).expand([k]))
    p["mass_index_intercept"] = numpyro.sample("mass_index_intercept", dist.Normal(0.0, 2.0))
    p["mass_index_slope"] = numpyro.sample("mass_index_slope", dist.Normal(0.0, 1.0).expand([k]))
    return p


def _observe(name: str, log_true, value, error, error_scale: str) -> None:
    """Measurement layer, eq. (19): observed value around 10^(true log) with known error."""
    if error_scale == "linear":
        numpyro.sample(name, dist.Normal(10.0**log_true, error), obs=value)
    else:
        numpyro.sample(
            name, dist.Normal(log_true, error / (value * math.log(10.0))), obs=jnp.log10(value)
        )


def mrf_model(data: dict, config: ModelConfig = ModelConfig()) -> None:
    """The full hierarchical model (eqs. 5-19); `data` holds arrays of shape (n,) in Earth units.

    Keys of `data`: mass, mass_err, radius, radius_err, flux, flux_err.
    Sites: the hyperparameters plus latents log_flux, log_radius, log_mass, shape (n,); with
    config.latent_parameterisation != 'centred' the latents are deterministic functions of the
    sampled standardised sites `<name>_std` (latent.py), the same model in other coordinates.
    """
    params = _sample_hyperparameters(config)
    n = data["mass"].shape[0]
    how = config.latent_parameterisation
    with numpyro.plate("planets", n):
        f = sample_latent(
            "log_flux", flux_distribution(params), data["flux"], data["flux_err"], how
        )
        r = sample_latent(
            "log_radius", radius_distribution(f, params), data["radius"], data["radius_err"], how
        )
        loc, scale = mass_location_scale(r, f, params, config.ramp_width)
        m = sample_latent("log_mass", dist.Normal(loc, scale), data["mass"], data["mass_err"], how)
        _observe("flux_obs", f, data["flux"], data["flux_err"], config.error_scale)
        _observe("radius_obs", r, data["radius"], data["radius_err"], config.error_scale)
        _observe("mass_obs", m, data["mass"], data["mass_err"], config.error_scale)


HYPERPARAMETER_SITES = (
    "flux_weight",
    "flux_mean_first",
    "flux_mean_increment",
    "flux_precision",
    "radius_weight",
    "radius_intercept",
    "radius_slope",
    "radius_precision_increment",
    "radius_mean_at_pivot",
    "radius_precision",
    "mass_precision",
    "mass_constant",
    "mass_index_intercept",
    "mass_index_slope",
)
LATENT_SITES = ("log_flux", "log_radius", "log_mass")


def params_from_draws(draws: dict) -> dict:
    """The density helpers' parameter dict from posterior draws (derived values recomputed)."""
    p = {key: jnp.asarray(draws[key]) for key in draws if key in HYPERPARAMETER_SITES}
    if "flux_mean" in draws:
        p["flux_mean"] = jnp.asarray(draws["flux_mean"])
    if "radius_precision" not in p:
        p["radius_precision"] = jnp.cumsum(p["radius_precision_increment"], -1)
    p["knots"] = jnp.asarray(draws["knots"])
    return p
