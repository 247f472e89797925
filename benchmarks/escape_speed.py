"""Speed of the escape methods; prints JSON.

Learned rates batched over 10^6 planets (issue 6 target: <= 1 microsecond per planet on the
2-core CPU), single-planet CLI cold start, a 10 Gyr evolution track (target <= 1 s), and the
other methods for comparison. Anchors (not runnable here, published figures): MLink-size net
in numpy ~1 us/planet, interpol2021 ~25 ms per call (reference sheet §5.3).

Usage: python benchmarks/escape_speed.py [--n 1000000] [--grid PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np

from planetinfer import constants as C
from planetinfer.escape import evolve, grid, model_store, rates, stellar
from planetinfer.escape import interpolate as I
from planetinfer.escape import networks as N


def random_planets(n: int, seed: int = 0) -> dict:
    """Planets inside the grid box (grid units), with lam, k_tidal, lambda_k."""
    rng = np.random.default_rng(seed)
    si = dict(
        m_star=rng.uniform(0.4, 1.3, n) * C.M_SUN,
        teq=rng.uniform(300, 2000, n),
        a=rng.uniform(0.01, 0.5, n) * C.AU,
        f_euv=10 ** rng.uniform(1, 5, n) * 1e-3,
        r_pl=rng.uniform(2, 10, n) * C.R_EARTH,
        m_pl=10 ** rng.uniform(0.5, 2, n) * C.M_EARTH,
    )
    return si, rates.query_from_si(**si)


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--grid", default=None)
    args = parser.parse_args()
    si, query = random_planets(args.n)
    out = {"n_planets": args.n, "load_average_1_5_15_min_at_start": list(os.getloadavg())}
    table = grid.load_grid(args.grid)
    try:
        best = model_store.load_shipped()
    except Exception:  # no shipped model: an untrained network of the same size times the same
        best = I.NetworkInterpolator(replace(N.BEST_CONFIG, steps=1)).fit(table.iloc[:4096])
    mlink = I.NetworkInterpolator(replace(N.MLINK_CONFIG, steps=1)).fit(table.iloc[:4096])
    for name, model in (("best_network", best), ("mlink_network", mlink)):
        t_pred = best_of(lambda m=model: m.predict(query))
        t_dom = best_of(lambda m=model: m.domain.contains(query))
        t_all = best_of(lambda m=model: rates.learned_rate(m, **si, warn=False))
        out[name] = {
            "us_per_planet_predict": 1e6 * t_pred / args.n,
            "planets_per_s": args.n / t_pred,
            "us_per_planet_domain_check": 1e6 * t_dom / args.n,
            "us_per_planet_learned_rate_si_in_kg_s_out_with_in_domain": 1e6 * t_all / args.n,
        }
    t_feat = best_of(lambda: rates.query_from_si(**si))
    out["features_us_per_planet"] = 1e6 * t_feat / args.n
    t_an = best_of(lambda: rates.analytic_rates(**si), 1)
    out["analytic_all_four_us_per_planet"] = 1e6 * t_an / args.n
    n_small = 2000
    sub = {k: v[:n_small] for k, v in query.items()}
    t0 = time.perf_counter()
    rbf = I.RBFInterpolatorMethod().fit(table)
    out["rbf"] = {
        "fit_s": time.perf_counter() - t0,
        "us_per_planet_predict": 1e6 * best_of(lambda: rbf.predict(sub), 1) / n_small,
    }
    nested = I.NestedLinearInterpolator().fit(table)
    sub200 = {k: v[:200] for k, v in query.items()}
    out["nested_1d"] = {
        "ms_per_planet": 1e3 * best_of(lambda: nested.predict(sub200), 1) / 200,
        "anchor_interpol2021_ms_per_call": 25.0,
    }
    star = stellar.star_main_sequence(0.5)
    for method, learned in (("energy-limited", None), ("network", best)):
        fn = rates.rate_function(method, star.mass, learned)
        t0 = time.perf_counter()
        track = evolve.evolve_planet(star, 0.0151 * C.AU, 9 * C.M_EARTH, 0.03, fn)
        out[f"evolution_track_10gyr_{method}_s"] = time.perf_counter() - t0
        out[f"evolution_track_10gyr_{method}_steps"] = int(len(track))
    cmd = [
        sys.executable,
        "-m",
        "planetinfer",
        "escape",
        "rate",
        "--mstar",
        "0.7",
        "--teq",
        "1000",
        "--feuv",
        "1e4",
        "--mass",
        "9",
        "--radius",
        "3",
        "--a-au",
        "0.0151",
        "--method",
        "network" if model_store.shipped_header_path().is_file() else "energy-limited",
        "--json",
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    out["cli_single_planet_cold_start_s"] = time.perf_counter() - t0
    out["anchor_mlink_numpy_us_per_planet"] = 1.0
    out["load_average_1_5_15_min_at_end"] = list(os.getloadavg())
    out["cpu_count"] = os.cpu_count()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
