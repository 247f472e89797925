"""Acceptance numbers of the interior capability (issue 4); prints JSON and writes figures.

1. NLL table on the test split (ours, single Gaussian, ExoMDN-style, null) for (M, R, Teq).
2. Coverage of 68 / 95 % intervals per output for the shipped networks.
3. Earth (1 M_E, 1 R_E, 255 K, 1 % errors): is Earth's interior inside every 95 % interval, and is
   p(no envelope) above the prior's?
4. k2 experiment (Earth analogue, k2 known to 10 %).
5. Monte Carlo rejection cross-check (Eq. 9 of Baumeister et al. 2020), optional (--mc N).

Usage: python benchmarks/interior_validation.py --data DIR [--baselines DIR] [--out DIR] [--mc 1500]
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import numpy as np

# Earth: core mass fraction 0.325 and core radius fraction 0.547 (issue 4; PREM core radius
# 3480 km / 6371 km), no water, no envelope; mantle = the rest.
EARTH_TRUTH = {"core_mass_fraction": 0.325, "mantle_mass_fraction": 0.675,
               "water_mass_fraction": 0.0, "envelope_mass_fraction": 0.0,
               "core_radius_fraction": 0.547, "mantle_radius_fraction": 0.453,
               "water_radius_fraction": 0.0, "envelope_radius_fraction": 0.0}  # fmt: skip
EARTH_K2 = 0.933  # Lambeck 1980, as used by Baumeister et al. 2020, Sect. 3.4


def earth_check(loaded, prior_absence, seed=0) -> dict:
    from planetinfer.interior import predict as P

    values = {"mass": 1.0, "radius": 1.0, "teq": 255.0, "k2": EARTH_K2}
    v = {n: values[n] for n in loaded.inputs}
    s = {n: 0.01 * values[n] for n in loaded.inputs}
    row = P.predict(loaded, [P.Planet(v, s, s, name="Earth")], 20_000, 2000, seed)[0]
    inside = {k: bool(row["summary"][k]["p2.5"] <= t <= row["summary"][k]["p97.5"])
              for k, t in EARTH_TRUTH.items()}  # fmt: skip
    return {"model": loaded.header["name"], "inside_95": inside, "all_inside": all(inside.values()),
            "p_no_envelope": row["summary"]["p_no_envelope"],
            "p_no_envelope_prior": prior_absence["p_no_envelope"],
            "p_no_water": row["summary"]["p_no_water"],
            "p_no_water_prior": prior_absence["p_no_water"],
            "summary": row["summary"], "in_domain": row["in_domain"]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--baselines", default=None)
    parser.add_argument("--out", default="interior_validation")
    parser.add_argument("--mc", type=int, default=0)
    parser.add_argument("--planets", type=int, default=2000)
    args = parser.parse_args()
    from planetinfer.interior import data as D
    from planetinfer.interior import store
    from planetinfer.interior import validate as V
    from planetinfer.plots import interior as plots
    from planetinfer.plots._common import save

    warnings.simplefilter("ignore")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dataset = D.load(args.data)
    result = {"data": args.data, "rows": dataset.info["rows_used"]}
    ours = store.load_shipped(("mass", "radius", "teq"))
    others = []
    if args.baselines:
        others = [store.load(p) for p in sorted(Path(args.baselines).glob("*.json"))]
    report = V.report(ours, dataset, out / "mass_radius_teq", others, n_planets=args.planets)
    result["nll_table_mass_radius_teq"] = report["nll_table"]
    result["common_space"] = report["common_space"]
    result["coverage"] = {"interior_mass_radius_teq": report["coverage"]}
    for o in others:
        if o.model.config.representation == "exomdn":
            cov, _ = V.coverage(
                o,
                D.DataSet(
                    dataset.frame[_all_present(dataset)], dataset.split[_all_present(dataset)]
                ),
                args.planets,
            )
            result["coverage"][o.header["name"] + " (all-layer test planets only)"] = cov
    loaded_all = {}
    for inputs in store.SHIPPED_INPUT_SETS:
        try:
            loaded_all[inputs] = store.load_shipped(inputs)
        except Exception as error:  # noqa: BLE001
            result.setdefault("missing_models", []).append(f"{inputs}: {error}")
    for inputs, loaded in loaded_all.items():
        if inputs != ("mass", "radius", "teq"):
            cov, _ = V.coverage(loaded, dataset, args.planets)
            result["coverage"][loaded.header["name"]] = cov
    result["coverage_worst_deviation_pp"] = {
        name: max(max(abs(c["c68"] - 0.68), abs(c["c95"] - 0.95)) for c in cov.values()) * 100
        for name, cov in result["coverage"].items()
    }  # fmt: skip
    result["earth"] = [earth_check(l, l.header["prior_absence"]) for l in loaded_all.values()]
    pairs = [(("mass", "radius", "teq"), ("mass", "radius", "teq", "k2")),
             (("mass", "radius"), ("mass", "radius", "k2"))]  # fmt: skip
    result["k2_experiment"] = {}
    for a, b in pairs:
        if a in loaded_all and b in loaded_all:
            values = {"mass": 1.0, "radius": 1.0, "teq": 255.0, "k2": EARTH_K2}
            errors = {"mass": 0.01, "radius": 0.01, "teq": 0.0, "k2": 0.10}
            result["k2_experiment"][",".join(b)] = V.k2_experiment(
                loaded_all[a], loaded_all[b], values, errors
            )
    if args.mc and ("mass", "radius") in loaded_all:
        mc = V.mc_crosscheck(loaded_all[("mass", "radius")], n_forward=args.mc)
        for name, entry in mc.items():
            samples = entry.pop("_samples", None)
            if samples is None:
                continue
            import matplotlib.pyplot as plt

            net, sample = samples
            fig, axes = plt.subplots(1, 4, figsize=(14, 3), constrained_layout=True)
            for i, layer in enumerate(("core", "mantle", "water", "envelope")):
                plots.mc_comparison(
                    net["radius_fractions"][:, :, i].ravel(),
                    sample["radius"][:, i],
                    f"{layer} radius fraction",
                    ax=axes[i],
                )
            fig.suptitle(name)
            save(fig, out / f"mc_{name.replace(' ', '_')}.png")
        result["mc_crosscheck"] = mc
    (out / "validation.json").write_text(json.dumps(result, indent=1, default=float))
    print(json.dumps(result, indent=1, default=float))


def _all_present(dataset):
    m = dataset.frame[["water_mass_fraction", "envelope_mass_fraction"]].to_numpy()
    return np.all(m > 0, axis=1)


if __name__ == "__main__":
    main()
