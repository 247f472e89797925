"""The mass layer of the Ma & Ghosh (2021) model, p(m | r, f), for NumPy or JAX arrays.

m = log10(M/M_E), r = log10(R/R_E), f = log10(F/F_E). p(m | r, f) = N(C(r) + gamma(r) f,
sigma_M(r)) (eqs. 13-18): C and 1/sigma_M^2 are piecewise constant between the knots kappa_j,
gamma(r) is a continuous linear spline. The same functions serve the NumPyro model (xp =
jax.numpy, mrf/model.py) and the NumPy posterior predictive (xp = numpy, mrf/predict.py), so the
fitted relation and the predictions cannot drift apart.
"""

from __future__ import annotations

import numpy as np


def sigmoid(x, xp=np):
    """Logistic function, overflow-free: 1/(1 + e^-x) = (1 + tanh(x/2)) / 2."""
    return 0.5 * (1.0 + xp.tanh(0.5 * x))


def region_weights(r, knots, ramp_width: float = 0.0, xp=np):
    """Indicators I_j(r) of the regions kappa_{j-1} < r <= kappa_j (eq. 14), shape (..., K+1).

    r: log10 R, shape (...); knots: increasing, shape (..., K) broadcasting against (..., 1). With ramp_width > 0 each step is a
    logistic ramp 1/(1 + exp(-(r - kappa)/width)) [P]; the weights still sum to one.
    """
    r = xp.asarray(r)[..., None]
    if ramp_width > 0:
        above = sigmoid((r - knots) / ramp_width, xp)
    else:
        above = (r > knots).astype(r.dtype)
    ones = xp.ones_like(above[..., :1])
    return xp.concatenate([ones, above], -1) - xp.concatenate([above, 0 * ones], -1)


def flux_index(r, knots, index_intercept, index_slopes, xp=np):
    """Power-law index gamma(r) = a_1 + b_1 r + sum_j (b_{j+1} - b_j) max(0, r - kappa_j).

    The hinge form of the continuous piecewise-linear index (eqs. 15-16). Shapes: r (...),
    knots (..., K), index_intercept (...), index_slopes (..., K+1) -> (...); leading axes of the
    parameters broadcast against r (one set of parameters per posterior draw).
    """
    r = xp.asarray(r)
    hinges = xp.maximum(0.0, r[..., None] - knots)
    steps = xp.sum(hinges * xp.diff(index_slopes, axis=-1), axis=-1)
    return index_intercept + index_slopes[..., 0] * r + steps


def mass_location_scale(r, f, params: dict, ramp_width: float = 0.0, xp=np):
    """Mean C(r) + gamma(r) f and SD sigma_M(r) of m given (r, f) (eqs. 13-18), shapes (...).

    params: knots (..., K), mass_constant and mass_precision (..., K+1), mass_index_intercept
    (...), mass_index_slope (..., K+1); a leading draw axis of the parameters broadcasts against
    the leading axes of r and f.
    """
    knots = params["knots"]
    weights = region_weights(r, knots, ramp_width, xp)
    constant = xp.sum(weights * params["mass_constant"], axis=-1)
    precision = xp.sum(weights * params["mass_precision"], axis=-1)
    gamma = flux_index(r, knots, params["mass_index_intercept"], params["mass_index_slope"], xp)
    return constant + gamma * f, 1.0 / xp.sqrt(precision)
