"""Speed of the mrf capability; prints JSON.

* Prediction: latency for one planet (after compilation) and time for 10,000 planets with each
  shipped posterior, the default "monotone" relation and the paper's "ma2021" (targets:
  <= 50 ms per planet, 10,000 planets <= 5 s).
* Fit of the monotone relation: from its shipped header, and with --fit a fresh fit of the same
  catalog (4 x (1000 + 2000) NUTS iterations).
* Fit: the shipped fit's wall and CPU time, load average, worst R-hat and ESS over all
  parameters (globals and the 3n latents), divergences and ESS per second, from its JSON header
  (the fit is made by `planetinfer mrf fit`; pass --fit to time a fresh fit of the 2024-10-15
  snapshot with the same settings, 4 x (500 + 7000) iterations: ~660 CPU s, so about 6 minutes
  on an idle 2-core CPU; measured: whole command 6 min 29.5 s wall on a quiet machine, 1062 s
  of sampling at load average ~9.5). The paper's JAGS run:
  4 chains x 400,000 iterations (Ma & Ghosh 2021, Sec. 4); see benchmarks/mrf_jags.py.

Usage: python benchmarks/mrf_speed.py [--fit CATALOG] [--planets 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

os.environ.setdefault("JAX_PLATFORMS", "cpu")


def prediction_speed(n_planets: int, model: str) -> dict:
    from planetinfer.mrf.predict import load_mass_posterior, predict_mass

    posterior = load_mass_posterior(model=model)
    rng = np.random.default_rng(0)
    radius = 10 ** rng.uniform(0.0, 1.3, n_planets)
    flux = 10 ** rng.uniform(0.0, 3.5, n_planets)
    args = (radius, 0.05 * radius, flux, 0.1 * flux)
    start = time.perf_counter()
    predict_mass(posterior, 2.0, 0.1, 100.0, 10.0)
    first_call = time.perf_counter() - start
    single = []
    for i in range(5):
        start = time.perf_counter()
        predict_mass(posterior, 2.0, 0.1, 100.0, 10.0, seed=i)
        single.append(time.perf_counter() - start)
    predict_mass(posterior, *(a[:1024] for a in args))  # compile the batch shape
    start, cpu_start = time.perf_counter(), time.process_time()
    predict_mass(posterior, *args)
    batch = time.perf_counter() - start
    batch_cpu = time.process_time() - cpu_start
    return {
        "posterior_draws": posterior.n_draws,
        "first_call_s_including_compile": first_call,
        "single_planet_s_median": float(np.median(single)),
        "batch_planets": n_planets,
        "batch_s": batch,
        "batch_cpu_s_all_threads": batch_cpu,
        "batch_ms_per_planet": 1e3 * batch / n_planets,
        "target_single_s": 0.05,
        "target_10000_s": 5.0,
    }


def fit_figures(meta: dict) -> dict:
    """Wall and CPU time, load, draws, worst diagnostics and ESS per second of one fit."""
    diag = meta["diagnostics"]
    groups = [diag[g] for g in ("global", "latent") if g in diag]
    min_ess = min(min(g["min_ess_bulk"], g["min_ess_tail"]) for g in groups)
    seconds = meta["fit_seconds"]
    return {
        "command": meta.get("command"),
        "n_planets": meta.get("n_planets"),
        "settings": meta.get("settings"),
        "fit_wall_s": seconds,
        "fit_cpu_s": meta.get("cpu_seconds"),
        "load_average_at_end": meta.get("load_average"),
        "min_ess_bulk_or_tail_all_parameters": min_ess,
        "min_ess_per_wall_second": min_ess / seconds,
        "min_ess_per_cpu_second": min_ess / meta["cpu_seconds"]
        if meta.get("cpu_seconds")
        else None,
        "max_rhat": max(g["max_rhat"] for g in groups),
        "divergences": diag["divergences"],
        "converged": diag["converged"],
        "diagnostics": diag,
        "target_fit_s": 600.0,
        "paper_jags": "4 chains x 400,000 iterations (Ma & Ghosh 2021 Sec. 4); see mrf_jags.py",
    }


def monotone_fit_figures(header: dict) -> dict:
    """Wall time, worst diagnostics and ESS per second of a fit of the monotone relation."""
    diag = header["diagnostics"]
    seconds = header["fit_seconds"]
    return {"command": header.get("command"), "n_planets": header.get("n_planets"),
            "settings": header.get("settings"), "fit_wall_s": seconds,
            "min_ess_bulk_or_tail_all_parameters": min(diag["min_ess_bulk"], diag["min_ess_tail"]),
            "min_ess_per_wall_second": min(diag["min_ess_bulk"], diag["min_ess_tail"]) / seconds,
            "max_rhat": diag["max_rhat"], "divergences": diag["divergences"],
            "converged": diag["converged"], "target_fit_s": 900.0}  # fmt: skip


def shipped_monotone_fit() -> dict:
    from planetinfer.mrf.shipped import shipped_dir, verified_header

    return monotone_fit_figures(verified_header(shipped_dir(), "mrf_monotone"))


def fresh_monotone_fit(catalog: str) -> dict:
    import json as _json

    from planetinfer.mrf import monotone_fit
    from planetinfer.mrf.data import load_sample

    sample = load_sample(catalog)
    idata = monotone_fit.fit(sample, 4, 1000, 2000, seed=1)
    attrs = idata.posterior.attrs
    return monotone_fit_figures({"fit_seconds": attrs["fit_seconds"], "n_planets": len(sample),
                                 "diagnostics": _json.loads(attrs["diagnostics"]),
                                 "settings": {"chain_method": attrs["chain_method"]}})  # fmt: skip


def shipped_fit() -> dict:
    from planetinfer.mrf.shipped import load_shipped

    _, header = load_shipped()
    return fit_figures(header)


def fresh_fit(catalog: str) -> dict:
    from planetinfer.mrf.data import load_sample
    from planetinfer.mrf.fit import FitSettings, fit_posterior, metadata
    from planetinfer.mrf.model import ModelConfig

    sample = load_sample(catalog)
    idata = fit_posterior(
        sample,
        ModelConfig(latent_parameterisation="partial"),
        FitSettings(progress=False, warmup=500, samples=7000, seed=1),
    )
    return fit_figures(metadata(idata))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", default=None, help="catalog CSV: also time fresh fits")
    parser.add_argument("--planets", type=int, default=10000)
    args = parser.parse_args()
    if args.fit:
        from planetinfer.mrf.fit import request_host_devices

        request_host_devices(4)  # one CPU device per chain, before JAX starts
    out = {
        "device": "cpu",
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "prediction": {model: prediction_speed(args.planets, model)
                       for model in ("monotone", "ma2021")},  # fmt: skip
        "shipped_fit": {"monotone": shipped_monotone_fit(), "ma2021": shipped_fit()},
    }
    if args.fit:
        out["fresh_fit"] = {"monotone": fresh_monotone_fit(args.fit), "ma2021": fresh_fit(args.fit)}
    print(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
