"""Model checks of Ma & Ghosh (2021, Sec. 5) on a fitted posterior: robust Hotelling procedure
(Sec. 5.1, hotelling.py) and Bayesian studentized residuals with a generalized-normal fit
(Sec. 5.2, residuals.py). Needs a posterior with the latent true values (written by `mrf fit`).
"""

from __future__ import annotations

import numpy as np

from planetinfer.errors import InputError
from planetinfer.mrf.hotelling import hotelling_check
from planetinfer.mrf.residuals import (
    fit_generalized_normal,
    flagged,
    mass_layer_residuals,
    observation_residuals,
)

PAPER_FLAGGED = ("HATS-61 b", "Kepler-87 b", "WASP-140 b", "WTS-1 b", "TRAPPIST-1 f")  # Sec. 5
PAPER_GN = {"mu": -0.06, "alpha": 0.06, "beta": 0.73}  # Sec. 5.2, footnote 2


def flat_draws(idata, names, max_draws: int | None = None) -> dict:
    """Posterior arrays with (chain, draw) merged into one leading axis, evenly thinned."""
    post = idata.posterior
    out = {}
    for name in names:
        values = np.asarray(post[name].values)
        out[name] = values.reshape((-1, *values.shape[2:]))
    if max_draws is not None:
        total = next(iter(out.values())).shape[0]
        index = np.linspace(0, total - 1, min(total, max_draws)).astype(int)
        out = {k: v[index] for k, v in out.items()}
    return out


def run_checks(
    idata,
    max_draws: int = 1000,
    hotelling_draws: int = 500,
    seed: int = 0,
    planets: list[str] | None = None,
    replicates: int = 100,
) -> dict:
    """Both checks on the fitted sample; `planets` restricts the Hotelling step (it is slow).

    Returns JSON-ready results plus arrays (keys ending in _array) for the figures.
    """
    if "log_mass" not in idata.posterior or "constant_data" not in idata.groups():
        raise InputError("posterior lacks the latent true values; use a file written by `mrf fit`")
    names = [str(n) for n in idata.constant_data["planet"].values]
    data = {
        k: np.asarray(idata.constant_data[k].values)
        for k in ("mass", "mass_err", "radius", "radius_err", "flux", "flux_err")
    }
    sites = (
        "log_mass",
        "log_radius",
        "log_flux",
        "knots",
        "mass_constant",
        "mass_index_intercept",
        "mass_index_slope",
        "mass_precision",
    )
    draws = flat_draws(idata, sites, max_draws)
    mass_res = mass_layer_residuals(draws)
    obs_res = observation_residuals(draws["log_mass"], data["mass"], data["mass_err"])
    gn = fit_generalized_normal(obs_res)
    relative_error = data["mass_err"] / data["mass"]
    s_m_q90 = float(np.quantile(relative_error, 0.9))

    select = np.arange(len(names))
    if planets is not None:
        lookup = {n: i for i, n in enumerate(names)}
        unknown = [p for p in planets if p not in lookup]
        if unknown:
            raise InputError(f"planet = {unknown[0]!r} is not in the fitted sample")
        select = np.array([lookup[p] for p in planets], int)
    hot = flat_draws(idata, ("log_mass", "log_radius", "log_flux"), hotelling_draws)
    true = 10.0 ** np.stack([hot["log_mass"], hot["log_radius"], hot["log_flux"]], -1)[:, select]
    observed = np.stack([data["mass"], data["radius"], data["flux"]], -1)[select]
    errors = np.stack([data["mass_err"], data["radius_err"], data["flux_err"]], -1)[select]
    hotelling = hotelling_check(true, observed, errors, seed=seed, replicates=replicates)
    classes = hotelling["class"]
    selected_names = [names[i] for i in select]
    return {
        "n_planets": len(names),
        "hotelling": {
            "n_checked": len(select),
            "draws_used": int(true.shape[0]),
            "counts": {c: classes.count(c) for c in ("contained", "overlapping", "disjoint")},
            "disjoint": [
                n for n, c in zip(selected_names, classes, strict=True) if c == "disjoint"
            ],
            "t2_moments_mc": list(hotelling["moments"]),
            "paper": {
                "contained": 310,
                "overlapping": 5,
                "disjoint": 4,
                "disjoint_planets": ["HATS-61 b", "Kepler-87 b", "WASP-140 b", "WTS-1 b"],
            },
        },
        "studentized": {
            "draws_used": int(draws["log_mass"].shape[0]),
            "flagged_model_sigma": flagged(names, mass_res["model_sigma"]),
            "flagged_classical_sigma": flagged(names, mass_res["classical_sigma"]),
            "fraction_within_3": float(np.mean(np.abs(mass_res["model_sigma"]) < 3)),
            "paper_flagged": ["TRAPPIST-1 f"],
        },
        "observation_layer": {
            "fraction_abs_below_0.5": float(np.mean(np.abs(obs_res) < 0.5)),
            "generalized_normal": gn,
            "paper_generalized_normal": PAPER_GN,
            "s_M_quantile_90": s_m_q90,
            "paper_s_M_quantile_90": 0.207,
        },
        "paper_flagged_in_sample": [p for p in PAPER_FLAGGED if p in names],
        "names": names,
        "hotelling_names_array": selected_names,
        "hotelling_class_array": classes,
        "mass_residual_array": mass_res["model_sigma"],
        "observation_residual_array": obs_res,
        "radius_array": data["radius"],
        "relative_mass_error_array": relative_error,
        "mass_array": data["mass"],
        "flux_array": data["flux"],
    }


def json_summary(result: dict) -> dict:
    """The JSON-serialisable part of run_checks' result (drops the *_array entries)."""
    return {k: v for k, v in result.items() if not k.endswith("_array") and k != "names"}
