"""Robust Hotelling procedure of Ma & Ghosh (2021, Sec. 5.1) for outlying planets.

Classical one-sample Hotelling T^2 (eq. 20) and its simultaneous intervals (eq. 21) with the mean
and covariance replaced by the reweighted MCD location t and scatter C (Rousseeuw & Van Driessen
1999; scikit-learn MinCovDet, 75 % support): T^2_R = n (t - mu0)^T C^-1 (t - mu0) ~ d F_{p,q}
(Willems, Pison, Rousseeuw & Van Aelst 2002, Metrika 55, 125), with d and q matching the first two
moments E and V of T^2_R under H0:

    q = (p + 2) / (p V / (2 E^2) - 1) + 4,   d = E (q - 2) / q,
    intervals  t_j +- sqrt(d F_{p,q}(alpha) C_jj / n).

E and V are estimated by Monte Carlo under N_p(0, I) at the actual n and p (affine equivariance
makes the identity covariance sufficient) and cached [P; the sheet allows this instead of the
fitted formulas of Willems et al.]. With n <= 500 draws scikit-learn's FastMCD runs on the full
set (faster); the default uses 500 posterior draws per planet [P].

Per planet (eqs. 22-23): the observed hypercube H_o = [M_ob +- s_M] x [R_ob +- s_R] x [F_ob +- s_F]
and the robust simultaneous 68 % hypercube H_p of the posterior draws of the true (M, R, F) in
linear units. contained: H_p inside H_o; disjoint: no overlap in some axis (an outlier);
otherwise overlapping.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import stats
from sklearn.covariance import MinCovDet

SUPPORT_FRACTION = 0.75  # MCD coverage used by the paper (Sec. 5.1)
ALPHA = 0.32  # simultaneous 68 % intervals (Sec. 5.1)


def _mcd(x: np.ndarray, seed: int = 0):
    """Reweighted MCD location (p,) and scatter (p, p) of x, shape (n, p)."""
    estimator = MinCovDet(support_fraction=SUPPORT_FRACTION, random_state=seed).fit(x)
    return estimator.location_, estimator.covariance_


@lru_cache(maxsize=32)
def t2_moments(n: int, p: int, replicates: int = 200, seed: int = 0) -> tuple[float, float]:
    """Monte Carlo mean and variance of T^2_R under N_p(0, I) for n points (cached)."""
    rng = np.random.default_rng(seed)
    values = np.empty(replicates)
    for i in range(replicates):
        x = rng.standard_normal((n, p))
        t, c = _mcd(x, seed=i)
        values[i] = n * t @ np.linalg.solve(c, t)
    return float(values.mean()), float(values.var(ddof=1))


def f_approximation(mean: float, variance: float, p: int, n: int) -> tuple[float, float]:
    """(d, q) of T^2_R ~ d F_{p,q} from its moments (Willems et al. 2002); q capped at n."""
    denominator = p * variance / (2.0 * mean**2) - 1.0
    q = (p + 2.0) / denominator + 4.0 if denominator > 0 else float(n)
    if not np.isfinite(q) or q <= 4.0 or q > n:
        q = float(n)
    return mean * (q - 2.0) / q, q


def robust_box(x: np.ndarray, alpha: float = ALPHA, moments=None, seed: int = 0):
    """Robust simultaneous 100(1-alpha) % box of draws x (n, p): (lower, upper), each (p,)."""
    n, p = x.shape
    t, c = _mcd(x, seed)
    mean, variance = moments if moments is not None else t2_moments(n, p)
    d, q = f_approximation(mean, variance, p, n)
    half = np.sqrt(d * stats.f.ppf(1.0 - alpha, p, q) * np.diag(c) / n)
    return t - half, t + half


def classify_box(lower_p, upper_p, lower_o, upper_o) -> str:
    """'contained' (H_p inside H_o), 'disjoint' (no overlap on some axis) or 'overlapping'."""
    if np.all(lower_p >= lower_o) and np.all(upper_p <= upper_o):
        return "contained"
    if np.any(upper_p < lower_o) or np.any(lower_p > upper_o):
        return "disjoint"
    return "overlapping"


def hotelling_check(
    true_draws: np.ndarray,
    observed: np.ndarray,
    errors: np.ndarray,
    alpha: float = ALPHA,
    seed: int = 0,
    replicates: int = 100,
) -> dict:
    """Classify every planet.

    true_draws: posterior draws of the true (M, R, F) in linear Earth units, shape (S, n, 3);
    observed, errors: shape (n, 3). Returns {"class": list of n labels, "lower", "upper": (n, 3)}.
    """
    n_draws, n_planets, p = true_draws.shape
    moments = t2_moments(n_draws, p, replicates, seed)
    lower = np.empty((n_planets, p))
    upper = np.empty((n_planets, p))
    labels = []
    for i in range(n_planets):
        lower[i], upper[i] = robust_box(true_draws[:, i, :], alpha, moments, seed)
        labels.append(
            classify_box(lower[i], upper[i], observed[i] - errors[i], observed[i] + errors[i])
        )
    return {"class": labels, "lower": lower, "upper": upper, "moments": moments}
