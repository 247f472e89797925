"""Speed of characterise: one planet end to end (warm), and a whole catalogue; prints JSON.

Targets (2-core CPU): one planet warm, report included <= 5 s, without the HTML <= 2 s; the
whole 2025-08 PSCompPars snapshot (every planet below 25 M_E, or below 6 R_E without a measured
mass) <= 15 minutes, reported in planets per second, in-process and on a local Dask cluster.
No published tool chains these steps, so there is no anchor to run beside it.

Usage: python benchmarks/characterise_speed.py --catalog ../shared/data/exoplanet_archive/
       nasa_pscomppars_2025-08.csv [--planet "TOI-270 d"] [--repeats 5] [--all] [--workers 2]
       [--limit N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
import warnings

import numpy as np


def one_planet(catalog: str, planet: str, repeats: int) -> dict:
    import planetinfer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        planetinfer.characterise(planet, catalog=catalog).html()
        first = time.perf_counter() - start
        chain, html = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            result = planetinfer.characterise(planet, catalog=catalog)
            chain.append(time.perf_counter() - start)
            start = time.perf_counter()
            result.html()
            html.append(time.perf_counter() - start)
    chain_s, html_s = float(np.median(chain)), float(np.median(html))
    return {"planet": planet, "first_in_process_s": first, "warm_without_html_s": chain_s,
            "warm_with_html_s": chain_s + html_s, "target_with_html_s": 5.0,
            "target_without_html_s": 2.0, "met": chain_s + html_s <= 5.0 and chain_s <= 2.0}  # fmt: skip


def catalogue(catalog: str, out: str, workers: int | None, limit: int | None) -> dict:
    from planetinfer.characterisation.catalogue import run_catalogue

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = run_catalogue(catalog, out, workers=workers, limit=limit)
    seconds = time.perf_counter() - start
    return {**summary, "workers": workers or "in-process", "seconds": seconds,
            "planets_per_second": summary["planets"] / seconds,
            "target_s": 900.0 if limit is None else None}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--planet", default="TOI-270 d")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="also run the whole catalogue")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    result = {"machine": {"cpus": os.cpu_count(), "load_average_1min": os.getloadavg()[0]},
              "one_planet": one_planet(args.catalog, args.planet, args.repeats)}  # fmt: skip
    if args.all:
        out = args.out or tempfile.mkdtemp(prefix="characterise-")
        result["catalogue"] = catalogue(args.catalog, out, args.workers, args.limit)
    result["machine"]["load_average_1min_after"] = os.getloadavg()[0]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
