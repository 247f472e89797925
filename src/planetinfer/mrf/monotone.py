"""planetinfer's predictive mass-radius-flux relation ("monotone"): p(m | r, f) only.

m = log10(M/M_E), r = log10(R/R_E), f = log10(F/F_E). Designed against the time-split
evaluation (mrf/evaluate.py) to keep what the Ma & Ghosh (2021) relation does well (the sharp
giant-planet relation) and to fix what it does not:

* **Monotone in radius.** The location is a continuous piecewise-linear function of r with knots
  at 1.5, 2.5, 4, 8 and 12 R_E and non-negative slopes, so at fixed flux a larger planet is never
  predicted lighter (the paper's relation gives Earth's radius and flux 4.2 M_E, and a 4 R_E
  planet at 0.3 S_E less mass than a 1 R_E one).
* **Anchored on rock where data are thin.** Few planets below 1.5 R_E have measured masses. The
  priors of the location at 1 R_E and of the slope below 1.5 R_E are centred on the Earth-like
  (32.5 % iron) curve: log10 M = 0.000 at 1 R_E and d log10 M / d log10 R = 3.58 between 1 and
  2 M_E (Zeng et al. 2019, PNAS 116, 9723; the same curve as our structure model's within 1 %,
  docs/structure.md), with widths 0.15 dex and 0.5 that the data can overrule.
* **Flux where it is measured.** One flux index for giants (r above 8 R_E, a logistic step
  0.1 dex wide) and one for smaller planets, each a N(0, 0.3) prior that shrinks towards no
  effect: the data must show a flux dependence for it to be used.
* **Heavy tails.** Student-t scatter with its degrees of freedom fitted (Gamma(2, 0.1) prior,
  Juarez & Steel 2010); the log scale is piecewise linear in r on the same knots.
* **Measurement errors** enter by convolution in the linear approximation: the scale of
  planet i is sqrt(sigma(r_i)^2 + e_m^2 + (dmu/dr e_r)^2 + (dmu/df e_f)^2), with e the 1-sigma
  errors in dex (s/(x ln 10)).

The same functions serve the NumPyro model (xp = jax.numpy) and the NumPy predictive.
"""

from __future__ import annotations

import math

import numpy as np

KNOTS_R_EARTH = (1.5, 2.5, 4.0, 8.0, 12.0)
KNOTS = tuple(math.log10(k) for k in KNOTS_R_EARTH)
GIANT_STEP = (math.log10(8.0), 0.1)  # centre and width [dex] of the giant flux step
FLUX_PIVOT = 2.0  # log10 F about which the flux indices act (100 F_E)
EARTH_LIKE_LOG_MASS_AT_1RE = 0.0  # Zeng et al. 2019 Earth-like curve: 1.000 R_E at 1 M_E
EARTH_LIKE_SLOPE = 3.58  # d log10 M / d log10 R, Zeng 2019 Earth-like, 1 -> 2 M_E
SITES = ("location_at_1re", "slopes", "log_scales", "flux_index_small", "flux_index_giant",
         "student_df")  # fmt: skip


def _sigmoid(x, xp=np):
    return 0.5 * (1.0 + xp.tanh(0.5 * x))


def location(r, f, params: dict, xp=np):
    """mu(r, f) and its derivatives (dmu/dr, dmu/df); r, f broadcast against the parameters'
    leading axes (slopes (..., 6))."""
    slopes = params["slopes"]
    r = xp.asarray(r)
    # hinge form: slope_0 r + sum_k (slope_{k+1} - slope_k) max(0, r - knot_k), one knot at a
    # time (no (draws, planets, knots) temporaries)
    mu = params["location_at_1re"] + slopes[..., 0] * r
    dmu_dr = slopes[..., 0] + 0.0 * r
    for k, knot in enumerate(KNOTS):
        change = slopes[..., k + 1] - slopes[..., k]
        mu = mu + change * xp.maximum(0.0, r - knot)
        dmu_dr = dmu_dr + change * (r > knot)
    giant = _sigmoid((xp.asarray(r) - GIANT_STEP[0]) / GIANT_STEP[1], xp)
    index = params["flux_index_small"] + (params["flux_index_giant"]
                                          - params["flux_index_small"]) * giant  # fmt: skip
    df = xp.asarray(f) - FLUX_PIVOT
    step_slope = giant * (1.0 - giant) / GIANT_STEP[1]
    mu = mu + index * df
    dmu_dr = dmu_dr + (params["flux_index_giant"] - params["flux_index_small"]) * step_slope * df
    return mu, dmu_dr, index


def scale(r, params: dict, xp=np):
    """sigma(r) [dex]: log sigma linear between the knots, constant outside them."""
    log_scales = params["log_scales"]
    r = xp.asarray(r)
    # piecewise-linear interpolation as a sum of clipped ramps (works on any leading axes)
    log_sigma = log_scales[..., 0] + 0.0 * r
    for k in range(len(KNOTS) - 1):
        ramp = xp.clip((r - KNOTS[k]) / (KNOTS[k + 1] - KNOTS[k]), 0.0, 1.0)
        log_sigma = log_sigma + (log_scales[..., k + 1] - log_scales[..., k]) * ramp
    return xp.exp(log_sigma)


def model(r, f, m, e_r, e_f, e_m):
    """NumPyro model: observed log10 M (m) given observed log10 R, log10 F and their errors in
    dex (arrays of shape (n,))."""
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist

    location_at_1re = numpyro.sample("location_at_1re",
                                     dist.Normal(EARTH_LIKE_LOG_MASS_AT_1RE, 0.15))  # fmt: skip
    first = numpyro.sample("first_slope", dist.TruncatedNormal(EARTH_LIKE_SLOPE, 0.5, low=0.0))
    rest = numpyro.sample("other_slopes", dist.HalfNormal(3.0).expand([len(KNOTS)]).to_event(1))
    slopes = numpyro.deterministic("slopes", jnp.concatenate([first[None], rest]))
    log_scales = numpyro.sample("log_scales", dist.Normal(math.log(0.15), 0.7)
                                .expand([len(KNOTS)]).to_event(1))  # fmt: skip
    params = {"location_at_1re": location_at_1re, "slopes": slopes, "log_scales": log_scales,
              "flux_index_small": numpyro.sample("flux_index_small", dist.Normal(0.0, 0.3)),
              "flux_index_giant": numpyro.sample("flux_index_giant", dist.Normal(0.0, 0.3))}  # fmt: skip
    nu = numpyro.sample("student_df", dist.Gamma(2.0, 0.1))
    mu, dmu_dr, index = location(r, f, params, jnp)
    total = jnp.sqrt(scale(r, params, jnp) ** 2 + e_m**2 + (dmu_dr * e_r) ** 2 + (index * e_f) ** 2)
    numpyro.sample("log_mass", dist.StudentT(nu, mu, total), obs=m)


def data_in_dex(sample) -> dict:
    """The model's arrays from an MRFSample: log10 values and 1-sigma errors in dex."""
    ln10 = math.log(10.0)
    return {"r": np.log10(sample.radius), "f": np.log10(sample.flux),
            "m": np.log10(sample.mass), "e_r": sample.radius_err / (sample.radius * ln10),
            "e_f": sample.flux_err / (sample.flux * ln10),
            "e_m": sample.mass_err / (sample.mass * ln10)}  # fmt: skip


def predictive_log_mass(params: dict, log_r, log_f, normal, chi2):
    """Predictive log10 M for drawn inputs: mu + sigma t_nu, t = z / sqrt(chi2_nu / nu).

    params: draws with a leading axis S broadcasting against log_r, log_f (S, n); normal, chi2:
    (S, n) standard normal and chi-square(nu) numbers.
    """
    mu, _, _ = location(log_r, log_f, params)
    nu = params["student_df"]
    return mu + scale(log_r, params) * normal / np.sqrt(chi2 / nu)
