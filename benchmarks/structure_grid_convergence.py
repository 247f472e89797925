"""Grid convergence of the structure solver: N = 64 steps per layer against N = 256.

Random planets from the `planetinfer` prior (seed 5), baumeister2020 with the cold envelope.
Prints JSON: median, 99th percentile and maximum relative differences of R, k2 and C/MR^2.

    python benchmarks/structure_grid_convergence.py [--n 256]
"""

from __future__ import annotations

import argparse
import json

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--model", default="baumeister2020")
    args = parser.parse_args()
    from planetinfer.structure.solve import solve_batch
    from planetinfer.synth.priors import load_prior

    draws = load_prior("planetinfer").sample(args.n, 5)
    mass, fractions, teq = draws["mass_earth"], draws["mass_fractions"], draws["teq"]
    coarse = solve_batch(mass, fractions, teq, model=args.model, steps_per_layer=64)
    fine = solve_batch(mass, fractions, teq, model=args.model, steps_per_layer=256)
    both = (coarse["status"] == 0) & (fine["status"] == 0)
    out = {"planets": args.n, "model": args.model, "solved_both": int(both.sum())}
    for key in ("radius", "k2", "moment_of_inertia"):
        diff = np.abs(coarse[key][both] / fine[key][both] - 1.0)
        out[key] = {"median": float(np.median(diff)), "p99": float(np.percentile(diff, 99)),
                    "max": float(diff.max())}  # fmt: skip
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
