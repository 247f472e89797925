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


def bump_location(rho, weights, n_levels):
    """r/R of the largest weighted-median density increase per level outside r/R = 0.95-1."""
    median = weighted_band(rho, weights, qs=(0.5,))[0]
    inc = np.diff(median)
    centres = 1.0 - (np.arange(len(inc)) + 0.5) / n_levels
    mask = (centres < 0.95) & (centres > 0.05)
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
            "weighted_mean_flattening_req_over_rmean": float(
                np.average(data["req_over_rmean"][acc], weights=w)
            ),
            "central_density_peak_kg_m3": float(
                histogram_peak(centre, w, bins=40, value_range=(0, 20000))
            ),
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
