"""Kernel / epsilon / degree search for the RBF interpolator (Reza et al. 2025 App. C); JSON.

Validation: 10 % of the (M*, Teq, R_pl, M_pl) groups held out at random (whole groups, so the
F_EUV-independent duplicates cannot leak), training on the rest. The node-out protocol is NOT
used here, so that the evaluation protocols stay untouched by this selection.

Usage: python benchmarks/escape_rbf_search.py [--grid PATH] [--budget-s 900] [--full]
(--full: all 8 kernels, degrees 1-4 and the paper's epsilon grids; default: degrees 1-2 and
epsilon in {0.3, 1, 3}, to fit a 2-core CPU in ~15 minutes.)
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from planetinfer.escape import grid
from planetinfer.escape import interpolate as I


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", default=None)
    parser.add_argument("--budget-s", type=float, default=900.0)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    table = grid.load_grid(args.grid)
    table = table[table["log_mdot"] < 20.5]  # the outlier row (reference sheet §2.3)
    groups = table.groupby(["mstar_msun", "teq_k", "r_re", "m_me"]).ngroup().to_numpy()
    rng = np.random.default_rng(args.seed)
    held = rng.permutation(groups.max() + 1)[: (groups.max() + 1) // 10]
    valid_mask = np.isin(groups, held)
    degrees = I.RBF_DEGREES if args.full else (1, 2)
    epsilons = I.RBF_EPSILONS if args.full else (0.3, 1.0, 3.0)
    start = time.perf_counter()
    best, results = I.rbf_search(
        table[~valid_mask],
        table[valid_mask],
        degrees=degrees,
        epsilons=epsilons,
        budget_s=args.budget_s,
    )
    print(
        json.dumps(
            {
                "best": best,
                "n_settings": len(results),
                "results": results,
                "validation": "random 10% of (M*, Teq, R, M) groups",
                "seed": args.seed,
                "seconds": time.perf_counter() - start,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
