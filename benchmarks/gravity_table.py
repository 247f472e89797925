"""The numbers of the results table in docs/gravity.md from ensemble stores (prints JSON).

`planetinfer gravity analyze` writes the headline statistics and the figures; this adds the rows
of the docs' table that it does not: the standard error of the weighted mean NMoI (from the
effective sample size (sum w)^2 / sum w^2), a bootstrap interval of the central density's KDE
mode, weighted central-density quantiles, where the Fig. 9 intensity is within 20 % of its
maximum, where it peaks above r/R = 0.55, its values either side of r/R = 0.5, and the
discontinuity counts of the window detector (WMH26 App. D.1) beside the exact one.

    python benchmarks/gravity_table.py uranus-wmh26.zarr uranus-wmh26-seed2.zarr [--bootstrap 200]
"""

from __future__ import annotations

import argparse
import json

import numpy as np


def _counts(rho, detector, c_d: float) -> np.ndarray:
    n_levels = rho.shape[1]
    return np.array([len(detector(np.diff(r), c_d, n_levels)) for r in rho], float)


def table(stores, bootstrap: int = 200, seed: int = 0) -> dict:
    """The docs' table rows for the pooled stores (same planet and sampler)."""
    from planetinfer.gravity import discontinuities as disc
    from planetinfer.gravity.ensemble import load_ensembles
    from planetinfer.gravity.statistics import kde_mode, summary, weighted_quantile

    data = load_ensembles(stores)
    acc = data["accepted"]
    w = data["weight"][acc]
    rho = data["rho_final"][acc]
    nmoi = data["nmoi"][acc]
    centre = rho[:, -1]
    n_eff = w.sum() ** 2 / np.sum(w**2)
    mean = np.average(nmoi, weights=w)
    sd = np.sqrt(np.average((nmoi - mean) ** 2, weights=w))
    rng = np.random.default_rng(seed)
    modes = []
    for _ in range(bootstrap):
        pick = rng.integers(0, len(centre), len(centre))
        modes.append(kde_mode(centre[pick], w[pick]))
    centres, intensity = disc.intensity_profile(rho, w)
    inside = (centres > 0.2) & (centres < 0.95)
    peak = intensity[inside].max()
    near_peak = centres[inside][intensity[inside] >= 0.8 * peak]
    outer = (centres > 0.55) & (centres < 0.95)
    below, above = np.searchsorted(centres, 0.5) - 1, np.searchsorted(centres, 0.5)
    out = {"planet": data["manifest"]["planet"]["name"], "stores": [str(s) for s in stores],
           **summary(data), "effective_samples": float(n_eff),
           "nmoi_weighted_sd": float(sd), "nmoi_standard_error": float(sd / np.sqrt(n_eff)),
           "central_density_kde_mode_bootstrap95_kg_m3": np.percentile(modes, [2.5, 97.5]).tolist(),
           "central_density_quantiles_g_cm3": {
               str(q): float(weighted_quantile(centre, w, q) / 1e3)
               for q in (0.025, 0.16, 0.5, 0.84, 0.975)},
           "intensity_max_r_over_R": float(centres[inside][np.argmax(intensity[inside])]),
           "intensity_max": float(peak),
           "intensity_outer_max_r_over_R": float(centres[outer][np.argmax(intensity[outer])]),
           "intensity_within_20pct_r_over_R": [float(near_peak.min()), float(near_peak.max())],
           "intensity_either_side_of_half": {f"{centres[below]:.3f}": float(intensity[below]),
                                             f"{centres[above]:.3f}": float(intensity[above])}}  # fmt: skip
    for c_d in (100.0, 550.0):
        for name, detector in (("exact", disc.detect), ("window", disc.detect_window)):
            counts = _counts(rho, detector, c_d)
            out[f"discontinuities_c_d_{c_d:g}_{name}"] = {
                "mean": float(np.average(counts, weights=w)),
                "p95": int(np.ceil(weighted_quantile(counts, w, 0.95)))}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(table(args.stores, args.bootstrap, args.seed), indent=1))


if __name__ == "__main__":
    main()
