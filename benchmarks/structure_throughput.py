"""Structure solver throughput, robustness on random planets, and peak memory. Prints JSON.

    python benchmarks/structure_throughput.py [--batch 10000] [--random 100000]

Anchors (published or measured elsewhere on a 2-core CPU, interior.md section 5): MAGRATHEA ~1
planet/s, BurnMan ~0.04 planet/s, a Numba prototype with polytropic EoS 1500-1900 planets/s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

import jax
import numpy as np

from planetinfer.devices import configure_cpu_devices


def random_planets(n: int, seed: int = 0):
    """Mass log-uniform 0.01-25 M_E; Dirichlet fractions with a share of tiny (< 1e-3) and
    exactly-zero layers, as the acceptance check asks."""
    rng = np.random.default_rng(seed)
    mass = 10.0 ** rng.uniform(-2.0, np.log10(25.0), n)
    fractions = rng.dirichlet(np.full(4, 0.7), n)
    zero = rng.random((n, 4)) < 0.25
    zero[:, 1] = False  # keep a mantle so every planet has a condensed part
    fractions[zero] = 0.0
    tiny = rng.random((n, 4)) < 0.1
    fractions[tiny] = 10.0 ** rng.uniform(-6, -3, tiny.sum())
    return mass, fractions / fractions.sum(axis=1, keepdims=True)


def throughput(model: str, batch: int, repeats: int = 5) -> dict:
    """Median and best of `repeats` timed solves of the same batch (after one compiling solve):
    timings on a shared 2-core machine vary by up to ~1.3x from run to run."""
    from planetinfer.structure import solve_batch

    mass, fractions = random_planets(batch, seed=1)
    solve_batch(mass, fractions, model=model, batch_size=batch)  # compile
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        out = solve_batch(mass, fractions, model=model, batch_size=batch)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    wall = float(np.median(walls))
    return {
        "model": model,
        "batch": batch,
        "planets_per_s": batch / wall,
        "planets_per_s_best": batch / min(walls),
        "wall_s": wall,
        "wall_s_runs": walls,
        "cpu_s": float(np.median(cpus)),
        "ok_fraction": float(np.mean(out["status"] == 0)),
        "max_iterations": int(out["iterations"].max()),
        "mean_iterations": float(out["iterations"].mean()),
    }


def robustness(model: str, n: int) -> dict:
    from planetinfer.structure import solve_batch

    mass, fractions = random_planets(n, seed=2)
    start = time.perf_counter()
    out = solve_batch(mass, fractions, model=model, batch_size=10_000)
    ok = out["status"] == 0
    return {
        "model": model,
        "planets": n,
        "wall_s": time.perf_counter() - start,
        "status_counts": {
            int(k): int(v)
            for k, v in zip(*np.unique(out["status"], return_counts=True), strict=True)
        },
        "non_converged_fraction": float(np.mean(~ok)),
        "nan_radius_or_k2_among_ok": int(
            np.sum(~np.isfinite(out["radius"][ok]) | ~np.isfinite(out["k2"][ok]))
        ),
        "k2_range_ok": [float(out["k2"][ok].min()), float(out["k2"][ok].max())],
        "k2_in_(0,1.5]": bool(np.all((out["k2"][ok] > 0) & (out["k2"][ok] <= 1.5))),
        "planets_with_a_layer_below_1e-3": int(
            np.sum(np.any((fractions > 0) & (fractions < 1e-3), axis=1))
        ),
        "planets_with_an_exactly_zero_layer": int(np.sum(np.any(fractions == 0, axis=1))),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--random", type=int, default=100_000)
    parser.add_argument("--models", default="seager2007,baumeister2020")
    parser.add_argument(
        "--devices", type=int, default=None,
        help="XLA devices to split batches over (default: one per core; 1: JAX's default)",
    )  # fmt: skip
    args = parser.parse_args()
    configure_cpu_devices(args.devices)  # before anything starts JAX's backend
    report = {"devices": [str(d) for d in jax.devices()], "cpu_count": os.cpu_count(),
              "load_average_at_start": os.getloadavg(), "throughput": [], "robustness": []}  # fmt: skip
    for model in args.models.split(","):
        report["throughput"].append(throughput(model, args.batch))
    for model in args.models.split(","):
        if args.random:
            report["robustness"].append(robustness(model, args.random))
    report["load_average_at_end"] = os.getloadavg()
    report["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    report["anchors_planets_per_s"] = {
        "MAGRATHEA (documentation)": 1.0,
        "BurnMan (measured, interior.md 5)": 0.04,
        "Numba polytrope prototype (interior.md 2.8)": [1500, 1900],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
