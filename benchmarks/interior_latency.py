"""Latency of interior predictions (issue 4 targets) and training time per epoch; prints JSON.

Targets (2-core CPU, warm): 1 planet x 10,000 samples <= 30 ms; 1,000 input draws x 10 samples
<= 100 ms per planet; 1,000 planets x 1,000 samples <= 1 s. ExoMDN on the same kind of machine
(reference sheet, measured with the official code): 0.62 s, median 1.5 s (0.7-2.8 s), and
1.01 s for 100 planets x 1000 samples. Also the CLI cold start (fresh process, import to printed
answer) and the shipped model's recorded training seconds per epoch.

Usage: python benchmarks/interior_latency.py [--model NAME_OR_PATH] [--repeats 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def _best_of(fn, repeats: int) -> dict:
    fn()  # warm-up (compilation)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median_s": float(np.median(times)), "min_s": float(np.min(times))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="interior_mass_radius_teq")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    from planetinfer.interior import predict as P
    from planetinfer.interior import store

    loaded = store.resolve(args.model)
    earth = P.Planet({"mass": 1.0, "radius": 1.0, "teq": 255.0, "k2": 0.93})
    values = {n: earth.values[n] for n in loaded.inputs}
    point = P.Planet(values)
    errors = P.Planet(values, {n: 0.01 * v for n, v in values.items()},
                      {n: 0.01 * v for n, v in values.items()})  # fmt: skip
    rng = np.random.default_rng(0)
    many = [P.Planet({"mass": m, "radius": r, "teq": t, "k2": 0.5})
            for m, r, t in zip(rng.uniform(1, 20, 1000), rng.uniform(1.6, 4.0, 1000),
                               rng.uniform(200, 1500, 1000), strict=True)]  # fmt: skip
    many = [P.Planet({n: p.values[n] for n in loaded.inputs}) for p in many]
    result = {
        "model": loaded.header["name"],
        "one_planet_10000_samples": _best_of(lambda: P.predict(loaded, [point], 10_000), args.repeats),
        "one_planet_1000_draws_x_10_samples": _best_of(
            lambda: P.predict(loaded, [errors], 10_000, n_draws=1000), args.repeats),
        "1000_planets_x_1000_samples": _best_of(
            lambda: P.predict(loaded, many, 1000, on_invalid="flag"), max(3, args.repeats // 5)),
        "targets_s": {"one_planet_10000_samples": 0.030, "one_planet_1000_draws_x_10_samples": 0.100,
                      "1000_planets_x_1000_samples": 1.0},
        "exomdn_reference_s": {"one_planet_10000_samples": 0.62,
                               "one_planet_1000_draws_x_10_samples_median": 1.5,
                               "source": "planetinfer reference sheet interior.md sect. 6.2, "
                               "official ExoMDN code on a 2-core CPU"},
        "training_seconds_per_epoch": loaded.header.get("seconds_per_epoch"),
        "training_rows": loaded.header.get("rows", {}).get("train"),
        "training_seconds_total": loaded.header.get("training_seconds"),
        "cpu_count": os.cpu_count(),
    }  # fmt: skip
    command = [sys.executable, "-m", "planetinfer", "interior", "predict", "--mass", "1",
               "--radius", "1", "--teq", "255", "--json"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    result["cli_cold_start_s"] = time.perf_counter() - start
    result["cli_returncode"] = done.returncode
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
