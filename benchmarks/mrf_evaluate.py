"""Time-split evaluation of the mass predictions; prints JSON.

For each cut-off year, `planetinfer mrf evaluate` (a fresh process) fits the default "monotone"
relation and the paper's "ma2021" model on the planets of the catalogue discovered up to that
year and scores the later ones (median and mean |log10 M_pred/M_obs|, 68/95 % coverage with the
mass error, log predictive density, by radius and flux bin; mrf/evaluate.py). Choose models on
cut-offs inside the 2024-10-15 snapshot; the 2025-08 snapshot is for the final report.

Usage: python benchmarks/mrf_evaluate.py --catalog CSV [--cutoff-years 2018,2020] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(catalog: str, year: int, out_dir: Path) -> dict:
    path = out_dir / f"mrf_evaluate_{year}.json"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planetinfer", "mrf", "evaluate", "--catalog", catalog,
                    "--cutoff-year", str(year), "--out", str(path), "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    report = json.loads(path.read_text())
    report.pop("planets")
    report["wall_s"] = time.perf_counter() - start
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--cutoff-years", default="2018,2020")
    parser.add_argument("--out", default=None, help="folder for the full reports (per planet)")
    args = parser.parse_args()
    out_dir = Path(args.out) if args.out else Path(tempfile.mkdtemp())
    out_dir.mkdir(parents=True, exist_ok=True)
    years = [int(y) for y in args.cutoff_years.split(",")]
    print(json.dumps({"cpu_count": os.cpu_count(), "load_average_start": os.getloadavg(),
                      "reports": [run(args.catalog, y, out_dir) for y in years],
                      "load_average_end": os.getloadavg()}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
