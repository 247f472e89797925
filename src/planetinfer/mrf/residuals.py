"""Bayesian studentized residuals of Ma & Ghosh (2021, Sec. 5.2) and the generalized-normal fit.

Classical (eq. 24): r_i = e_i / (sigma sqrt(1 - h_ii)), h_ii the leverage. Mass layer (eq. 25)
per posterior draw s [R]: region j of planet i from r_i^(s) and the knots (exact steps),
x_i = (1, f_i, r_i f_i), beta_j = (C_j, a_j, b_j) with a_{j+1} = a_j + (b_j - b_{j+1}) kappa_j
(continuity, eq. 16), e_i = m_i - x_i^T beta_j, h_ii from the design X_j of the planets in region
j, sigma = sigma_M,j of the draw (variant: the classical sigma-hat_j of the draw's residuals);
r-bar_i = mean over draws. |r-bar_i| > 3 flags an outlier.
Observation layer (eq. 26): r_i^Mob = (M_ob,i - M_i^(s)) / s_M,i, averaged over draws.
Generalized normal (footnote 2; Nadarajah 2005): GN(mu, alpha, beta), density
beta / (2 alpha Gamma(1/beta)) exp(-(|x - mu| / alpha)^beta), fitted by maximum likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

OUTLIER_THRESHOLD = 3.0  # |r_i| > 3 (Sec. 5.2)


def region_intercepts(knots, intercept, slopes):
    """a_j of gamma(r) = a_j + b_j r in every region from continuity (eq. 16); shape (K+1,)."""
    a = [intercept]
    for j, kappa in enumerate(knots):
        a.append(a[-1] + (slopes[j] - slopes[j + 1]) * kappa)
    return np.asarray(a)


def _leverage(x: np.ndarray) -> np.ndarray:
    """Diagonal of the hat matrix X (X^T X)^-1 X^T, shape (n,), via a thin QR."""
    q, _ = np.linalg.qr(x)
    return np.sum(q**2, axis=1)


def studentized_one_draw(m, r, f, knots, constants, intercept, slopes, precisions):
    """Studentized residuals of one draw (eq. 25): (with sigma_M of the draw, classical variant)."""
    region = np.searchsorted(np.asarray(knots), r)  # r <= kappa_1 -> 0, ...
    a = region_intercepts(knots, intercept, slopes)
    x = np.stack([np.ones_like(r), f, r * f], axis=1)
    beta = np.stack([constants, a, slopes], axis=1)[region]  # (n, 3)
    e = m - np.sum(x * beta, axis=1)
    h = np.zeros_like(r)
    sigma_hat = np.full_like(r, np.nan)
    for j in np.unique(region):
        members = region == j
        if members.sum() > 3:
            h[members] = _leverage(x[members])
            sigma_hat[members] = np.sqrt(np.sum(e[members] ** 2) / (members.sum() - 3))
    root = np.sqrt(np.clip(1.0 - h, 1e-12, None))
    sigma_model = 1.0 / np.sqrt(np.asarray(precisions)[region])
    return e / (sigma_model * root), e / (sigma_hat * root)


def mass_layer_residuals(draws: dict, max_draws: int = 1000) -> dict:
    """Posterior-mean studentized residuals r-bar_i of the mass layer, shape (n,) each.

    draws: flattened posterior arrays with a leading draw axis (S): log_mass, log_radius,
    log_flux (S, n), knots (S, K), mass_constant, mass_index_slope, mass_precision (S, K+1),
    mass_index_intercept (S,).
    """
    total = draws["log_mass"].shape[0]
    index = np.linspace(0, total - 1, min(total, max_draws)).astype(int)
    model_sigma, classical_sigma = [], []
    for s in index:
        rm, rc = studentized_one_draw(
            draws["log_mass"][s],
            draws["log_radius"][s],
            draws["log_flux"][s],
            draws["knots"][s],
            draws["mass_constant"][s],
            draws["mass_index_intercept"][s],
            draws["mass_index_slope"][s],
            draws["mass_precision"][s],
        )
        model_sigma.append(rm)
        classical_sigma.append(rc)
    return {
        "model_sigma": np.mean(model_sigma, axis=0),
        "classical_sigma": np.nanmean(classical_sigma, axis=0),
    }


def observation_residuals(log_true_draws: np.ndarray, observed, errors) -> np.ndarray:
    """r-bar_i = mean_s (X_ob,i - 10^x_i^(s)) / s_i (eq. 26); draws (S, n) -> shape (n,)."""
    return np.mean((np.asarray(observed) - 10.0**log_true_draws) / np.asarray(errors), axis=0)


def fit_generalized_normal(x) -> dict:
    """Maximum-likelihood GN(mu, alpha, beta) of x (scipy gennorm: beta, loc=mu, scale=alpha)."""
    beta, mu, alpha = stats.gennorm.fit(np.asarray(x, float))
    return {"mu": float(mu), "alpha": float(alpha), "beta": float(beta)}


def flagged(names, residuals, threshold: float = OUTLIER_THRESHOLD) -> list[dict]:
    """Planets with |r-bar| > threshold, largest first."""
    residuals = np.asarray(residuals)
    order = np.argsort(-np.abs(residuals))
    return [
        {"planet": names[i], "residual": float(residuals[i])}
        for i in order
        if abs(residuals[i]) > threshold
    ]
