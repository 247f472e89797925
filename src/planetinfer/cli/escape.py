"""`planetinfer escape ...`: mass-loss rates, evaluation, training and evolution tracks.

Units at this edge: M* [M_sun], Teq [K], F_EUV [erg s^-1 cm^-2], masses [M_E], radii [R_E],
a [AU], ages [Gyr], rates [g s^-1]. Everything inside is SI (escape.formulas).
"""

from __future__ import annotations

import json
import shlex
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import typer

from planetinfer import constants as C
from planetinfer.errors import InputError, check_range
from planetinfer.escape import features, grid, model_store, rates

app = typer.Typer(
    help="Atmospheric escape: mass-loss rates, interpolator evaluation, evolution.",
    no_args_is_help=True,
    add_completion=False,
)

RATE_METHODS = ("all", "network", "energy-limited", "core-powered", "roche", "k18")
LICENCE_HELP = (
    "The shipped network is trained on the Kubyshkina & Fossati 2021 grid (CC BY-NC "
    "4.0); its weights are CC BY-NC 4.0 too (attribution, non-commercial use only)."
)


def _progress(quiet: bool):
    """A Rich progress context (or a no-op) and a callback(text)."""
    if quiet:
        return None
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        console=None,
    )


def _sma_au(mstar: float, teq: float, a_au: float | None, data_dir) -> float:
    if a_au is not None:
        return check_range("a_au", a_au, 0.0, None, low_inclusive=False, unit="AU")
    try:
        relation = grid.load_teq_sma(data_dir)
    except InputError as error:
        raise InputError(f"{error}; or give --a-au") from error
    return float(relation.sma_au(mstar, teq))


def _load_network(model: Path | None):
    return model_store.load_network(model) if model else model_store.load_shipped()


@app.command(help="Mass-loss rate of one planet by every method. " + LICENCE_HELP)
def rate(
    mstar: float = typer.Option(..., help="stellar mass [M_sun]"),
    teq: float = typer.Option(..., help="equilibrium temperature [K]"),
    feuv: float = typer.Option(..., help="EUV flux at the orbit [erg s^-1 cm^-2]"),
    mass: float = typer.Option(..., help="planet mass [M_E]"),
    radius: float = typer.Option(..., help="planet radius [R_E]"),
    a_au: float = typer.Option(None, "--a-au", help="orbit [AU]; default a(M*, Teq) of the grid"),
    method: str = typer.Option("all", help="all|network|energy-limited|core-powered|roche|k18"),
    model: Path = typer.Option(None, help="network header JSON (default: the shipped network)"),
    grid_dir: Path = typer.Option(None, "--grid", help="folder with teq-sma.txt (for a(M*, Teq))"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    plot: Path = typer.Option(None, help="bar chart of the rates (PNG/PDF)"),
) -> None:
    if method not in RATE_METHODS:
        raise InputError(f"method = {method!r} is not one of {RATE_METHODS}")
    for name, value, unit in (
        ("mstar", mstar, "M_sun"),
        ("teq", teq, "K"),
        ("feuv", feuv, "erg s^-1 cm^-2"),
        ("mass", mass, "M_E"),
        ("radius", radius, "R_E"),
    ):
        check_range(name, value, 0.0, None, low_inclusive=False, unit=unit)
    a_au = _sma_au(mstar, teq, a_au, grid_dir)
    si = dict(
        m_star=mstar * C.M_SUN,
        teq=teq,
        a=a_au * C.AU,
        f_euv=feuv * 1e-3,
        r_pl=radius * C.R_EARTH,
        m_pl=mass * C.M_EARTH,
    )
    analytic = rates.analytic_rates(**si)
    out = {
        "inputs": {
            "mstar_msun": mstar,
            "teq_k": teq,
            "feuv_cgs": feuv,
            "mass_me": mass,
            "radius_re": radius,
            "a_au": a_au,
        },
        "jeans_parameter": float(analytic["jeans_parameter"]),
        "roche_radius": float(analytic["roche_radius_m"]) / si["r_pl"],
        "roche_radius_m": float(analytic["roche_radius_m"]),
        "k_tidal": float(analytic["k_tidal"]),
        "photospheric_pressure_pa": float(analytic["photospheric_pressure_pa"]),
    }
    wanted = RATE_METHODS[1:] if method == "all" else (method,)
    for name in wanted:
        if name == "network":
            net = _load_network(model)
            query = features.planet_table(mstar, teq, a_au, feuv, radius, mass)
            inside = bool(net.domain.contains(query)[0])
            if not inside:
                warnings.warn(
                    "network: planet outside the grid coverage (in_domain = false)", stacklevel=1
                )
            out["network"] = {
                "mdot_g_s": float(10 ** net.predict(query)[0]),
                "in_domain": inside,
                "licence": "CC BY-NC 4.0 (weights)",
            }
        else:
            value = float(analytic[name])
            out[name] = {"mdot_g_s": value * 1e3 if np.isfinite(value) else None}
    if plot:
        from planetinfer.plots import escape as plots
        from planetinfer.plots._common import save

        fig, _ = plots.plot_rates({n: out[n]["mdot_g_s"] for n in wanted})
        save(fig, plot)
    if as_json:
        typer.echo(json.dumps(out))
        return
    typer.echo(
        f"Lambda = {out['jeans_parameter']:.4g}, R_roche = {out['roche_radius']:.4g} R_pl, "
        f"K = {out['k_tidal']:.4g}"
    )
    for name in wanted:
        mdot = out[name]["mdot_g_s"]
        flag = "" if out[name].get("in_domain", True) else "  (outside the grid: extrapolated)"
        typer.echo(f"{name:>15s}: {mdot:.4g} g/s{flag}" if mdot else f"{name:>15s}: undefined")


@app.command(help="Evaluate every interpolator off-node (leave-one-node-out protocols).")
def evaluate(
    grid_path: Path = typer.Option(..., "--grid", help="grid file or folder"),
    protocol: str = typer.Option("node-out", help="node-out | feuv-out | both"),
    out: Path = typer.Option(None, help="report folder (predictions, metrics.json, figures)"),
    methods: str = typer.Option("best_network,mlink_network,rbf,nested_1d", help="comma list"),
    as_json: bool = typer.Option(False, "--json", help="print the metrics as JSON"),
    plot: Path = typer.Option(
        None, help="Figure-8-like plot (default: OUT/figure8_<protocol>.png)"
    ),
    quiet: bool = typer.Option(False, help="no progress display"),
) -> None:
    from planetinfer.escape import evaluate as ev
    from planetinfer.escape.interpolate import METHODS

    protocols = ev.PROTOCOLS if protocol == "both" else (protocol,)
    for p in protocols:
        if p not in ev.PROTOCOLS:
            raise InputError(f"protocol = {p!r} is not one of {ev.PROTOCOLS} or 'both'")
    chosen = tuple(m.strip() for m in methods.split(",") if m.strip())
    for m in chosen:
        if m not in METHODS:
            raise InputError(f"method {m!r} is not one of {METHODS}")
    table = grid.load_grid(grid_path)
    progress = _progress(quiet)
    start = time.perf_counter()
    if progress is None:
        results, summary = ev.evaluate(table, protocols, chosen, out)
    else:
        with progress:
            task = progress.add_task("evaluating", total=None)
            results, summary = ev.evaluate(
                table,
                protocols,
                chosen,
                out,
                progress=lambda text: progress.update(task, description=text),
            )
    summary["seconds"] = time.perf_counter() - start
    from planetinfer.plots import escape as plots
    from planetinfer.plots._common import save

    for p in protocols:
        target = (
            plot if plot and len(protocols) == 1 else (out / f"figure8_{p}.png" if out else None)
        )
        if target:
            fig, _ = plots.plot_accuracy(results, p)
            save(fig, target)
    if as_json:
        typer.echo(json.dumps(summary))
        return
    for p in protocols:
        typer.echo(f"protocol {p}:")
        for m, entry in summary[p].items():
            typer.echo(
                f"  {m:>14s}: within x2 {100 * entry['within_factor_2']:.1f}%, x10 "
                f"{100 * entry['within_factor_10']:.2f}%, median {entry['median_abs_dex']:.3f}"
                f" dex, max {entry['max_abs_dex']:.2f} dex (n = {entry['n']}); within x2 if"
                f" each node's mean bias were known {100 * entry['within_factor_2_node_bias_removed']:.1f}%"
            )
        missed = summary.get("missed_by_every_method", {}).get(p)
        if missed is not None:
            typer.echo(f"  rows every method misses by more than 1 dex: {len(missed)}")


@app.command(
    help="Train our best network on a grid and save it (JSON header + weights). " + LICENCE_HELP
)
def train(
    grid_path: Path = typer.Option(..., "--grid", help="grid file or folder"),
    out: Path = typer.Option(..., help="model folder"),
    seed: int = typer.Option(0, help="random seed"),
    steps: int = typer.Option(None, help="optimiser steps (default: the best-network setting)"),
    name: str = typer.Option(model_store.SHIPPED_NAME, help="file stem of the model"),
    quiet: bool = typer.Option(False, help="no progress display"),
) -> None:
    from dataclasses import replace

    from planetinfer.escape import networks as N
    from planetinfer.escape.interpolate import NetworkInterpolator

    config = replace(N.BEST_CONFIG, seed=seed, **({"steps": steps} if steps else {}))
    table = grid.load_grid(grid_path)
    start = time.perf_counter()
    progress = _progress(quiet)
    if progress is None:
        model = NetworkInterpolator(config).fit(table)
    else:
        with progress:
            task = progress.add_task("training", total=1.0)
            model = NetworkInterpolator(config).fit(
                table, progress=lambda f: progress.update(task, completed=f)
            )
    seconds = time.perf_counter() - start
    fit = model.predict(table) - table["log_mdot"].to_numpy()
    header = model_store.save_network(
        model,
        out,
        name,
        {
            "seed": seed,
            "data_source": "Kubyshkina & Fossati 2021 grid (Zenodo 4643823)",
            "data_file": Path(table.attrs["source"]).name,
            "data_md5": table.attrs["md5"],
            "n_rows": int(len(table)),
            "command": "planetinfer " + shlex.join(sys.argv[1:]),
            "training_seconds": seconds,
            "train_within_factor_2": float(np.mean(np.abs(fit) <= np.log10(2))),
        },
    )
    typer.echo(
        json.dumps(
            {
                "header": str(header),
                "training_seconds": seconds,
                "train_within_factor_2": float(np.mean(np.abs(fit) <= np.log10(2))),
            }
        )
    )


EVOLVE_METHODS = ("network", "energy-limited", "core-powered", "k18", "roche", "rbf", "nested_1d")


@app.command(help="Envelope evolution over time under a mass-loss backend. " + LICENCE_HELP)
def evolve(
    mstar: float = typer.Option(..., help="stellar mass [M_sun]"),
    a_au: float = typer.Option(..., "--a-au", help="orbit [AU]"),
    mass: float = typer.Option(..., help="initial total planet mass [M_E]"),
    fenv: float = typer.Option(..., help="initial envelope mass fraction"),
    method: str = typer.Option(
        "network",
        help="network|energy-limited|core-powered|k18|roche|rbf|nested_1d|all (comma list allowed)",
    ),
    age_max_gyr: float = typer.Option(10.0, "--age-max-gyr", help="final age [Gyr]"),
    model: Path = typer.Option(None, help="network header JSON (default: the shipped network)"),
    grid_dir: Path = typer.Option(None, "--grid", help="grid folder (teq-sma, rbf, nested_1d)"),
    plot: Path = typer.Option(None, help="radius and Mdot versus age (PNG/PDF)"),
    out: Path = typer.Option(None, help="track table (.csv or .parquet)"),
    as_json: bool = typer.Option(False, "--json", help="print a JSON summary"),
) -> None:
    from planetinfer.escape import evolve as evo
    from planetinfer.escape import stellar
    from planetinfer.escape.interpolate import make_method

    check_range("mstar", mstar, 0.0, None, low_inclusive=False, unit="M_sun")
    check_range("a_au", a_au, 0.0, None, low_inclusive=False, unit="AU")
    check_range("mass", mass, 0.0, None, low_inclusive=False, unit="M_E")
    check_range("fenv", fenv, 0.0, 0.99)
    check_range("age_max_gyr", age_max_gyr, 0.02, 20.0, unit="Gyr")
    methods = EVOLVE_METHODS if method == "all" else tuple(m.strip() for m in method.split(","))
    for m in methods:
        if m not in EVOLVE_METHODS:
            raise InputError(f"method {m!r} is not one of {EVOLVE_METHODS} or 'all'")
    try:
        star = stellar.star_from_teq_sma(mstar, grid.load_teq_sma(grid_dir))
    except InputError:
        star = stellar.star_main_sequence(mstar)
    settings = evo.EvolutionSettings(age_max=age_max_gyr * C.GYR)
    tracks = {}
    for m in methods:
        learned = None
        if m == "network":
            learned = _load_network(model)
        elif m in ("rbf", "nested_1d"):
            learned = make_method(m).fit(grid.load_grid(grid_dir))
        fn = rates.rate_function(m, star.mass, learned)
        tracks[m] = evo.evolve_planet(star, a_au * C.AU, mass * C.M_EARTH, fenv, fn, settings)
    if out:
        import pandas as pd

        table = pd.concat([t.assign(method=m) for m, t in tracks.items()], ignore_index=True)
        table.to_parquet(out) if str(out).endswith(".parquet") else table.to_csv(out, index=False)
    if plot:
        from planetinfer.plots import escape as plots
        from planetinfer.plots._common import save

        fig, _ = plots.plot_tracks(
            tracks, title=f"{mass:g} M_E, f_env {fenv:g}, {mstar:g} M_sun, {a_au:g} AU"
        )
        save(fig, plot)
    summary = {
        m: {
            "teq_k": float(t["teq_k"].iloc[0]),
            "final_age_gyr": float(t["age_gyr"].iloc[-1]),
            "final_radius_re": float(t["r_p_re"].iloc[-1]),
            "final_f_env": float(t["f_env"].iloc[-1]),
            "envelope_lost_at_gyr": (
                float(t["age_gyr"][t["f_env"] <= 0].iloc[0]) if (t["f_env"] <= 0).any() else None
            ),
            "fraction_in_domain": float(np.mean(t["in_domain"])),
            "n_steps": int(len(t)),
        }
        for m, t in tracks.items()
    }
    typer.echo(
        json.dumps(summary) if as_json else "\n".join(f"{m}: {v}" for m, v in summary.items())
    )
