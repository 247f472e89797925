"""Weighted statistics of an ensemble (WMH26 Sect. 3): percentiles, central density, NMoI, shape."""

from __future__ import annotations

import numpy as np


def weighted_quantile(values, weights, q):
    """Quantile(s) q in [0, 1] of `values` with non-negative `weights` (midpoint CDF rule)."""
    v = np.asarray(values, float)
    w = np.asarray(weights, float)
    order = np.argsort(v)
    v, w = v[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return np.interp(q, cdf, v)


def weighted_band(profiles, weights, qs=(0.025, 0.16, 0.5, 0.84, 0.975)):
    """Weighted quantiles at every level: shape (len(qs), N) from profiles (R, N)."""
    p = np.asarray(profiles, float)
    return np.stack([weighted_quantile(p[:, k], weights, qs) for k in range(p.shape[1])], axis=1)


def histogram_peak(values, weights, bins=60, value_range=None):
    """Location of the highest bin of the weighted histogram (the distribution's peak)."""
    hist, edges = np.histogram(values, bins=bins, weights=weights, range=value_range)
    i = int(np.argmax(hist))
    return 0.5 * (edges[i] + edges[i + 1])


def kde_mode(values, weights, grid_points=2001):
    """Mode of a weighted Gaussian kernel density estimate (Silverman's bandwidth with the
    effective sample size (sum w)^2 / sum w^2): a peak estimate that, unlike the highest
    histogram bin, does not jump between bins for a few hundred profiles."""
    x = np.asarray(values, float)
    w = np.asarray(weights, float) / np.sum(weights)
    n_eff = 1.0 / np.sum(w**2)
    sd = np.sqrt(np.sum(w * (x - np.sum(w * x)) ** 2))
    bandwidth = max(1.06 * sd * n_eff ** (-0.2), 1e-12)
    grid = np.linspace(x.min(), x.max(), grid_points)
    density = np.exp(-0.5 * ((grid[:, None] - x[None]) / bandwidth) ** 2) @ w
    return float(grid[np.argmax(density)])


def bump_location(rho, weights, n_levels, inner=0.25, outer=0.95):
    """r/R of the steepest rise of the weighted-median profile between `inner` and `outer`.

    The median's increments are averaged over a window of N/32 levels (1/32 of the radius) before
    the maximum is taken, so single-level steps of the median do not decide it. The central region
    (r/R < 0.25), where the median keeps steepening towards the centre (WMH26 Sect. 3.1), and the
    outer 5 % are excluded: WMH26's "bump" (~0.65 R Uranus, ~0.7 R Neptune) is a mid-mantle
    feature. Our operational definition; the paper reads it off its Figs 2-3 and 9.
    """
    median = weighted_band(rho, weights, qs=(0.5,))[0]
    window = max(1, n_levels // 32)
    inc = np.convolve(np.diff(median), np.ones(window) / window, mode="same")
    centres = 1.0 - (np.arange(len(inc)) + 0.5) / n_levels
    mask = (centres < outer) & (centres > inner)
    return float(centres[mask][np.argmax(inc[mask])])


def summary(data: dict) -> dict:
    """Headline numbers of an ensemble (dict from ensemble.load_ensemble)."""
    acc = data["accepted"]
    total = len(acc)
    out = {
        "runs": int(total),
        "accepted": int(acc.sum()),
        "rho_max_ok_fraction": float(np.mean(data["rho_max_ok"])) if total else float("nan"),
        "accepted_fraction": float(np.mean(acc)) if total else float("nan"),
        "converged_fraction": float(np.mean(data["converged"])) if total else float("nan"),
        "mean_epochs": float(np.mean(data["epochs"])) if total else float("nan"),
    }
    if acc.sum() == 0:
        return out
    w = data["weight"][acc]
    rho = data["rho_final"][acc]
    n = rho.shape[1]
    centre = rho[:, -1]
    out.update(
        {
            "weighted_mean_nmoi": float(np.average(data["nmoi"][acc], weights=w)),
            "weighted_mean_req_over_rmean": float(
                np.average(data["req_over_rmean"][acc], weights=w)
            ),
            "central_density_peak_kg_m3": float(
                histogram_peak(centre, w, bins=40, value_range=(0, 20000))
            ),
            "central_density_peak_kde_kg_m3": kde_mode(centre, w),
            "central_density_median_kg_m3": float(weighted_quantile(centre, w, 0.5)),
            "central_density_95_width_kg_m3": float(
                np.diff(weighted_quantile(centre, w, [0.025, 0.975]))[0]
            ),
            "median_bump_location_r_over_R": bump_location(rho, w, n),
            "weighted_mean_j2": float(np.average(data["j2n"][acc, 0], weights=w)),
            "weighted_mean_j4": float(np.average(data["j2n"][acc, 1], weights=w)),
        }
    )
    return out
