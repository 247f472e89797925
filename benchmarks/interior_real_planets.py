"""Interior posteriors of well-measured real planets (issue 4, item 9); prints JSON.

Selects the planets below 25 M_E with mass errors under 10 % and radius errors under 5 % from a
NASA Exoplanet Archive PSCompPars snapshot (ExoMDN's cut, Baumeister & Tosi 2023, which gave 22
planets there), predicts with the shipped (M, R, Teq) network (errors from the catalogue as split
normals; planets without Teq use the (M, R) network), and writes a Parquet table and a figure.

Usage: python benchmarks/interior_real_planets.py [--catalog CSV] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared/data/exoplanet_archive/nasa_pscomppars_2025-08.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalog", default=str(DEFAULT))
    parser.add_argument("--out", default="interior_real_planets")
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    from planetinfer.catalog import read_pscomppars
    from planetinfer.interior import observed, store
    from planetinfer.interior import predict as P
    from planetinfer.plots import interior as plots
    from planetinfer.plots._common import save

    table = read_pscomppars(args.catalog, required=("pl_bmasse", "pl_rade"))
    chosen = observed.well_measured(table)
    with_teq = chosen[chosen["pl_eqt"].notna()]
    without = chosen[chosen["pl_eqt"].isna()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows, start = [], time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", P.OutOfDomainWarning)
        for frame, inputs in ((with_teq, ("mass", "radius", "teq")), (without, ("mass", "radius"))):
            if len(frame) == 0:
                continue
            loaded = store.load_shipped(inputs)
            planets = [observed.planet_from_row(row, inputs) for _, row in frame.iterrows()]
            for row in P.predict(loaded, planets, args.samples, seed=0, on_invalid="flag"):
                row["model"] = loaded.header["name"]
                rows.append(row)
    seconds = time.perf_counter() - start
    flat = []
    for row in rows:
        entry = {"name": row["name"], "model": row["model"], "in_domain": row["in_domain"],
                 "p_no_water": row["summary"]["p_no_water"],
                 "p_no_envelope": row["summary"]["p_no_envelope"],
                 "n_rejected_iron": row["n_rejected_iron"], "error": row.get("error")}  # fmt: skip
        for key, value in row["summary"].items():
            if isinstance(value, dict):
                entry.update({f"{key}_{q}": v for q, v in value.items()})
        flat.append(entry)
    pd.DataFrame(flat).to_parquet(out / "posteriors.parquet")
    good = [r for r in rows if "error" not in r]
    fig, _ = plots.summary(good, "mass")
    save(fig, out / "summary_mass_fractions.png")
    fig, _ = plots.summary(good, "radius")
    save(fig, out / "summary_radius_fractions.png")
    print(json.dumps({
        "catalog": args.catalog, "n_selected": len(chosen), "n_with_teq": len(with_teq),
        "seconds_total": seconds, "out_of_domain_warnings": len(caught),
        "planets": [{k: (None if isinstance(v, float) and np.isnan(v) else v)
                     for k, v in e.items() if k in ("name", "model", "in_domain", "p_no_water",
                     "p_no_envelope", "core_mass_fraction_p50", "envelope_mass_fraction_p50",
                     "core_radius_fraction_p50", "envelope_radius_fraction_p50", "error")}
                    for e in flat],
    }, indent=1, default=str))  # fmt: skip


if __name__ == "__main__":
    main()
