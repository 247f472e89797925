"""Evolution tracks of the paper's example planets with every backend; prints JSON, writes figures.

Reza et al. 2025 Sect. 8: model 22 (9 M_E, 0.5 M_sun, 0.0151 AU) and model 16 (30 M_E,
0.7 M_sun, 0.0113 AU). Initial envelope fraction 3 % (the paper's Mordasini 2020 values are not
in its text). Backends: shipped network, RBF and nested-1D (fitted on the grid), energy-limited,
core-powered, Kubyshkina 2018.

Usage: python benchmarks/escape_tracks.py [--grid PATH] [--figdir DIR]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

from planetinfer import constants as C
from planetinfer.escape import evolve, grid, model_store, rates, stellar
from planetinfer.escape.interpolate import make_method
from planetinfer.plots import escape as plots
from planetinfer.plots._common import save

PLANETS = {
    "track_9me_0p5msun": (0.5, 0.0151, 9.0, 0.03),
    "track_30me_0p7msun": (0.7, 0.0113, 30.0, 0.03),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", default=None)
    parser.add_argument("--figdir", default=".")
    args = parser.parse_args()
    table = grid.load_grid(args.grid)
    relation = grid.load_teq_sma(args.grid)
    learned = {
        "network": model_store.load_shipped(),
        "rbf": make_method("rbf").fit(table),
        "nested_1d": make_method("nested_1d").fit(table),
    }
    out = {}
    for label, (mstar, a_au, mass, fenv) in PLANETS.items():
        star = stellar.star_from_teq_sma(mstar, relation)
        tracks, info = {}, {}
        for method in ("network", "rbf", "nested_1d", "energy-limited", "core-powered", "k18"):
            fn = rates.rate_function(method, star.mass, learned.get(method))
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                track = evolve.evolve_planet(star, a_au * C.AU, mass * C.M_EARTH, fenv, fn)
            tracks[method] = track
            gone = track.loc[track["f_env"] <= 0, "age_gyr"]
            info[method] = {
                "seconds": time.perf_counter() - t0,
                "steps": int(len(track)),
                "teq_k": float(track["teq_k"].iloc[0]),
                "envelope_lost_at_gyr": float(gone.iloc[0]) if len(gone) else None,
                "radius_5gyr_re": float(track.loc[track["age_gyr"] <= 5.0, "r_p_re"].iloc[-1]),
                "final_f_env": float(track["f_env"].iloc[-1]),
                # among the steps with an envelope, where a rate is evaluated (as the CLI's
                # fraction_in_domain and the figure's legend count them)
                "fraction_steps_in_domain": float(
                    track.loc[track["f_env"] > 0, "in_domain"].mean()
                ),
            }
        fig, _ = plots.plot_tracks(
            tracks, title=f"{label}: {mass:g} M$_\\oplus$ with {100 * fenv:g} % H/He at "
            f"{a_au:g} AU from a {mstar:g} M$_\\odot$ star"
        )
        Path(args.figdir).mkdir(parents=True, exist_ok=True)
        save(fig, Path(args.figdir) / f"{label}.png")
        out[label] = info
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
