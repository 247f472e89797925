"""Speed of the mrf capability; prints JSON.

* Prediction: latency for one planet (after compilation) and time for 10,000 planets with the
  shipped posterior (targets of issue 7: <= 50 ms per planet, 10,000 planets <= 5 s).
* Fit: the shipped fit's wall time, draws and ESS per second from its JSON header (the fit is
  made by `planetinfer mrf fit`; pass --fit to time a fresh fit of the 2024-10-15 snapshot,
  which takes about 10-20 minutes on a 2-core CPU). The paper's JAGS run: 4 chains x 400,000
  iterations (Ma & Ghosh 2021, Sec. 4); JAGS is not installed here, so no JAGS timing is given.

Usage: python benchmarks/mrf_speed.py [--fit CATALOG] [--planets 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

os.environ.setdefault("JAX_PLATFORMS", "cpu")


def prediction_speed(n_planets: int) -> dict:
    from planetinfer.mrf.predict import load_mass_posterior, predict_mass

    posterior = load_mass_posterior()
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


def shipped_fit() -> dict:
    from planetinfer.mrf.shipped import load_shipped

    _, header = load_shipped()
    diag = header["diagnostics"]
    ess = min(diag["global"]["min_ess_bulk"], diag["global"]["min_ess_tail"])
    return {
        "command": header["command"],
        "n_planets": header["n_planets"],
        "fit_seconds": header["fit_seconds"],
        "diagnostics": diag,
        "min_global_ess_per_second": ess / header["fit_seconds"],
        "target_fit_s": 600.0,
        "paper_jags": "4 chains x 400,000 iterations (Ma & Ghosh 2021 Sec. 4); not timed here",
    }


def fresh_fit(catalog: str) -> dict:
    from planetinfer.mrf.data import load_sample
    from planetinfer.mrf.fit import FitSettings, fit_posterior, metadata
    from planetinfer.mrf.model import ModelConfig

    sample = load_sample(catalog)
    idata = fit_posterior(
        sample, ModelConfig(), FitSettings(progress=False, warmup=500, samples=1500, seed=1)
    )
    meta = metadata(idata)
    return {
        "fit_seconds": meta["fit_seconds"],
        "diagnostics": meta["diagnostics"],
        "min_global_ess_per_second": meta["min_ess_per_second_global"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", default=None, help="catalog CSV: also time a fresh fit")
    parser.add_argument("--planets", type=int, default=10000)
    args = parser.parse_args()
    out = {
        "device": "cpu",
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "prediction": prediction_speed(args.planets),
        "shipped_fit": shipped_fit(),
    }
    if args.fit:
        out["fresh_fit"] = fresh_fit(args.fit)
    print(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
