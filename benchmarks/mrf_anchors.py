"""Predictive mass draws of published tools for planets given by radius and flux; writes .npz.

Run with a Python that has the tools installed (they are not dependencies of planetinfer;
spright is GPL-3.0, forecaster-plus MIT; install them in their own environment):

    python -m venv anchors && anchors/bin/pip install spright==25.6.3 forecaster-plus==1.1.0
    anchors/bin/python benchmarks/mrf_anchors.py planets.csv draws.npz

planets.csv: columns name, radius, radius_err [R_earth]. The .npz holds "names" and, per tool,
(n, S) draws of log10 M [M_earth] (NaN where the tool gives none), read by
`planetinfer mrf evaluate --anchor-draws`. Tools (none uses the flux):

* forecaster: Chen & Kipping 2017 (forecaster-plus), `forecaster.forecaster.Rpost2M` on
  N(R, s_R) radius draws (0.1-100 R_E);
* spright_fgk / spright_m: Parviainen 2024 (spright), `RMRelation("tepcat_fgk_z19")` and
  `RMRelation("stpm")` (small planets around M dwarfs), `predict_mass((R, s_R))`; its grid
  covers 0.5-6 R_E, draws outside come back as missing.

Each planet seeds NumPy's global generator with seed + its row, as both tools draw from it; the
radius draws given to forecaster come from a generator seeded with the seed.
"""

from __future__ import annotations

import argparse
import csv
import time
import warnings

import numpy as np


def forecaster_draws(radius, radius_err, n, rng):
    from forecaster.forecaster import Rpost2M

    r = rng.normal(radius, radius_err, 4 * n)
    r = r[(r > 0.1) & (r < 100.0)][:n]
    return np.log10(np.asarray(Rpost2M(r, unit="Earth", grid_size=1000), float))


def spright_draws(relation, radius, radius_err, n):
    samples = np.asarray(relation.predict_mass((radius, radius_err), nsamples=n).samples, float)
    return np.log10(samples[np.isfinite(samples) & (samples > 0)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("planets")
    parser.add_argument("out")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    warnings.simplefilter("ignore", RuntimeWarning)  # spright: empty slices outside its grid
    with open(args.planets) as file:
        rows = list(csv.DictReader(file))
    from spright import RMRelation

    rng = np.random.default_rng(args.seed)
    tools = {"forecaster": lambda r, e: forecaster_draws(r, e, args.samples, rng)}
    for label, model in (("spright_fgk", "tepcat_fgk_z19"), ("spright_m", "stpm")):
        relation = RMRelation(model)
        tools[label] = lambda r, e, rel=relation: spright_draws(rel, r, e, args.samples)
    out = {name: np.full((len(rows), args.samples), np.nan) for name in tools}
    seconds = dict.fromkeys(tools, 0.0)
    for i, row in enumerate(rows):
        radius, radius_err = float(row["radius"]), float(row["radius_err"])
        for name, draw in tools.items():
            np.random.seed(args.seed + i)  # noqa: NPY002 - both tools draw from the global one
            start = time.perf_counter()
            try:
                values = draw(radius, radius_err)[: args.samples]
            except Exception:  # noqa: BLE001 - outside a tool's range: no draws for this planet
                values = np.empty(0)
            seconds[name] += time.perf_counter() - start
            out[name][i, : values.size] = values
    np.savez(args.out, names=np.array([row["name"] for row in rows]), **out)
    print({name: f"{s / max(len(rows), 1):.3f} s per planet" for name, s in seconds.items()})


if __name__ == "__main__":
    main()
