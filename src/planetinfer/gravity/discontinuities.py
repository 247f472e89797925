"""Density discontinuities of WMH26 App. D: an exact O(N) detector and the paper's window method.

Input: increments d_k = rho_{k+1} - rho_k (outer to inner) and the criterion c_D in kg m^-3 per
level (default 100). Definitions D.1: an interval [a, b] of size k is a *jump* if sum d >= k c_D;
it is *maximally steep* if removing an end entry would strictly lower the mean or remove an entry
>= c_D; a *cluster* is the recursive union of intersecting jumps; a *discontinuity* is the union
of the maximally steep jumps of a cluster.

Exact form (derived from D.1, reference sheet Sect. 6.2): with e_j = d_j - c_D and prefix sums
E, [a, b] is a jump iff E_{b+1} >= E_a; index j is covered by a jump iff
max_{b>=j} E_{b+1} >= min_{a<=j} E_a; each maximal run of covered indices is one cluster, and its
discontinuity runs from its first to its last entry >= c_D.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

WINDOW = np.array([1 / 8, 1 / 6, 1 / 4, 1 / 2, 1.0, 1 / 3, 1 / 5, 1 / 7, 1 / 9])  # App. D.1


class Discontinuity(NamedTuple):
    start: int  # first increment index
    end: int  # last increment index (inclusive)
    height: float  # sum of the increments [kg m^-3]
    width_levels: int  # number of increments
    location: float  # mean r/R of the increments, increment k at r/R = 1 - (k + 1/2)/N


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2] - 1, strict=True))


def _make(d: np.ndarray, a: int, b: int, n_levels: int) -> Discontinuity:
    loc = float(np.mean(1.0 - (np.arange(a, b + 1) + 0.5) / n_levels))
    return Discontinuity(int(a), int(b), float(d[a : b + 1].sum()), int(b - a + 1), loc)


def detect(increments, c_d: float = 100.0, n_levels: int | None = None) -> list[Discontinuity]:
    """Exact discontinuities of D.1 for one profile's increments, shape (K,)."""
    d = np.asarray(increments, dtype=float)
    n_levels = n_levels or len(d) + 1
    e = np.concatenate([[0.0], np.cumsum(d - c_d)])  # E_0..E_K
    suffix_max = np.maximum.accumulate(e[1:][::-1])[::-1]  # max_{b>=j} E_{b+1}
    prefix_min = np.minimum.accumulate(e[:-1])  # min_{a<=j} E_a
    covered = suffix_max >= prefix_min
    out = []
    for lo, hi in _runs(covered):
        steep = np.flatnonzero(d[lo : hi + 1] >= c_d) + lo
        out.append(_make(d, steep[0], steep[-1], n_levels))
    return out


def detect_window(increments, c_d: float = 100.0, n_levels: int | None = None):
    """The paper's approximate detector (App. D.1): sliding window, then trimming.

    Candidates are the window supports at positions whose response sum_i w_i d_{j+i-4} >= c_D,
    merged where they overlap (the grouping is not specified in WMH26; this is our choice). Each
    group is cut at its ends while the shorter interval is steeper and the cut entry < c_D, and
    kept if its total height >= k c_D.
    """
    d = np.asarray(increments, dtype=float)
    n_levels = n_levels or len(d) + 1
    half = len(WINDOW) // 2
    response = np.convolve(d, WINDOW[::-1], mode="same")
    mask = np.zeros(len(d), bool)
    for j in np.flatnonzero(response >= c_d):
        mask[max(j - half, 0) : j + half + 1] = True
    out = []
    for a, b in _runs(mask):
        while b > a:
            mean = d[a : b + 1].mean()
            if d[a] < c_d and d[a + 1 : b + 1].mean() > mean:
                a += 1
            elif d[b] < c_d and d[a:b].mean() > mean:
                b -= 1
            else:
                break
        if d[a : b + 1].sum() >= (b - a + 1) * c_d:
            out.append(_make(d, a, b, n_levels))
    return out


def catalogue(rho: np.ndarray, c_d: float = 100.0):
    """Discontinuities of every profile of an ensemble, rho shape (R, N) outer to inner."""
    return [detect(np.diff(r), c_d, rho.shape[1]) for r in np.asarray(rho)]


def counts_versus_criterion(rho, weights, criteria=tuple(range(50, 1001, 50))):
    """Table D.1 / Fig. 11: weighted mean and upper 95th percentile of the count per profile."""
    from planetinfer.gravity.statistics import weighted_quantile

    rows = []
    for c in criteria:
        counts = np.array([len(x) for x in catalogue(rho, c)], dtype=float)
        rows.append(
            {
                "c_d": float(c),
                "mean": float(np.average(counts, weights=weights)),
                "p95": int(np.ceil(weighted_quantile(counts, weights, 0.95))),
            }
        )
    return rows


def intensity_profile(rho, weights, c_d: float = 100.0, bins: int = 64):
    """Fig. 9: the weighted average over all profiles of the discontinuity 'intensity' Δρ/Δr.

    WMH26 Sect. 3.3: each discontinuity contributes its slope height / width (kg m^-3 per level)
    at its mean r/R, and "profiles that have no [...] discontinuity at any given location also
    contribute to the averages with a discontinuity intensity value of zero", so the curve is the
    slope times how often a discontinuity sits there. The paper's locations are resolved per level;
    here they are collected in `bins` bins and divided by the bin width in levels, which keeps the
    paper's scale (Uranus ~0.5 at r/R = 0.5) while averaging out the noise of a few thousand
    profiles. rho: (R, N) outer to inner; weights: (R,).
    Returns (bin centres in r/R (bins,), intensity (bins,) in kg m^-3 per level, per level of r).
    """
    rho = np.asarray(rho)
    edges = np.linspace(0.0, 1.0, bins + 1)
    levels_per_bin = rho.shape[1] / bins
    total = np.zeros(bins)
    w = np.asarray(weights, float)
    for wi, found in zip(w, catalogue(rho, c_d), strict=True):
        for disc in found:
            i = min(int(disc.location * bins), bins - 1)
            total[i] += wi * disc.height / disc.width_levels
    return 0.5 * (edges[1:] + edges[:-1]), total / (w.sum() * levels_per_bin)
