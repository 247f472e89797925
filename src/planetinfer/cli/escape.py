"""`planetinfer escape ...`: mass-loss rates, evaluation, training and evolution tracks.

Units at this edge: M* [M_sun], Teq [K], F_EUV [erg s^-1 cm^-2], masses [M_E], radii [R_E],
a [AU], ages [Gyr], rates [g s^-1]. Everything inside is SI (escape.formulas).
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

import numpy as np
import typer

from planetinfer import jsonout, outputs
from planetinfer.cli.renamed import old_option, prefer
from planetinfer.errors import InputError, check_range
from planetinfer.escape import grid, model_store

app = typer.Typer(
    rich_markup_mode="markdown",
    help="Atmospheric escape: mass-loss rates, interpolator evaluation, evolution.",
    no_args_is_help=True,
    add_completion=False,
)

RATE_METHODS = ("all", "network", "energy-limited", "core-powered", "roche", "k18")
LICENCE_HELP = (
    "The shipped network is trained on the Kubyshkina & Fossati 2021 grid (CC BY-NC "
    "4.0); its weights are CC BY-NC 4.0 too (attribution, non-commercial use only)."
)


@app.command(help="Mass-loss rate of one planet by every method. " + LICENCE_HELP)
def rate(
    mstar: float = typer.Option(..., help="Stellar mass [M_sun]."),
    teq: float = typer.Option(..., help="Equilibrium temperature [K]."),
    feuv: float = typer.Option(..., help="EUV flux at the orbit [erg s^-1 cm^-2]."),
    mass: float = typer.Option(..., help="Planet mass [M_E]."),
    radius: float = typer.Option(..., help="Planet radius [R_E]."),
    a_au: float = typer.Option(
        None,
        "--a-au",
        help="Orbit [AU]; default from Teq and the star (the grid's teq-sma "
        "table with --grid, else the main-sequence luminosity; the output says which)",
    ),
    method: str = typer.Option("all", help="all|network|energy-limited|core-powered|roche|k18"),
    model: Path = typer.Option(None, help="Network header JSON or the shipped name "
                               "escape_best_network (the default)"),
    grid_dir: Path = typer.Option(None, "--grid", help="Folder with teq-sma.txt (for a(M*, Teq))"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    plot: Path = typer.Option(
        None, help="Figure of the rates on a log axis (PNG/PDF).", callback=outputs.figure_file
    ),
) -> None:
    from planetinfer.api.escape import escape_rate

    if method not in RATE_METHODS:
        raise InputError(f"method = {method!r} is not one of {RATE_METHODS}")
    result = escape_rate(mass, radius, mstar, teq, feuv, a_au, method=method, model=model,
                         grid=grid_dir)  # fmt: skip
    planet = result.planet_dict(0)  # learned_rate has warned if off the grid
    if plot:
        from planetinfer.plots._common import save

        save(result.plot(), plot)
    if as_json:
        typer.echo(result.to_json())
        return
    typer.echo(
        f"Lambda = {planet['jeans_parameter']:.4g}, "
        f"R_roche = {planet['roche_radius_rpl']:.4g} R_pl, K = {planet['k_tidal']:.4g}, "
        f"a = {planet['inputs']['a_au']:.4g} AU ({result.a_au_source})"
    )
    for name in result.rates:
        mdot = planet[name]["mdot_g_s"]
        flag = "" if planet[name].get("in_domain", True) else "  (outside the grid: extrapolated)"
        typer.echo(
            f"{name:>15s}: {mdot:.4g} g/s{flag}" if np.isfinite(mdot) else f"{name:>15s}: undefined"
        )


@app.command(help="Evaluate every interpolator off-node (leave-one-node-out protocols).")
def evaluate(
    grid_path: Path = typer.Option(..., "--grid", help="Grid file or folder."),
    protocol: str = typer.Option("node-out", help="node-out | feuv-out | both"),
    out: Path = typer.Option(
        None, help="Report folder (predictions, metrics.json, figures)", callback=outputs.folder
    ),
    methods: str = typer.Option(
        "best_network,mlink_network,rbf,nested_1d", help="Methods to evaluate, comma list."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    plot: Path = typer.Option(
        None, help="Figure-8-like plot of one protocol (default OUT/figure8_PROTOCOL.png; with "
        "--protocol both, one such file per protocol)"
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
) -> None:
    from planetinfer.escape import evaluate as ev
    from planetinfer.escape.interpolate import METHODS

    protocols = ev.PROTOCOLS if protocol == "both" else (protocol,)
    for p in protocols:
        if p not in ev.PROTOCOLS:
            raise InputError(f"protocol = {p!r} is not one of {ev.PROTOCOLS} or 'both'")
    if plot is not None and len(protocols) > 1:
        raise InputError("--plot names one figure; with --protocol both the figures are written "
                         "as OUT/figure8_PROTOCOL.png (give --out)")  # fmt: skip
    chosen = tuple(m.strip() for m in methods.split(",") if m.strip())
    for m in chosen:
        if m not in METHODS:
            raise InputError(f"method {m!r} is not one of {METHODS}")
    table = grid.load_grid(grid_path)
    from planetinfer.progress import stages

    start = time.perf_counter()
    with stages("escape evaluate", quiet) as show:
        results, summary = ev.evaluate(table, protocols, chosen, out, progress=show)
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
        typer.echo(jsonout.dumps(summary))
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
    grid_path: Path = typer.Option(..., "--grid", help="Grid file or folder."),
    out: Path = typer.Option(..., help="Model folder.", callback=outputs.folder),
    seed: int = typer.Option(0, help="Random seed."),
    steps: int = typer.Option(None, help="Optimiser steps (default: the best-network setting)"),
    name: str = typer.Option(model_store.SHIPPED_NAME, help="File stem of the model."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
) -> None:
    from dataclasses import replace

    from planetinfer.escape import networks as N
    from planetinfer.escape.interpolate import NetworkInterpolator

    if steps is not None:
        check_range("steps", steps, 1, 10_000_000)
    config = replace(N.BEST_CONFIG, seed=seed, **({"steps": steps} if steps is not None else {}))
    table = grid.load_grid(grid_path)
    start = time.perf_counter()
    from planetinfer.progress import reporter

    with reporter("escape train", quiet, unit="%") as show:
        model = NetworkInterpolator(config).fit(
            table, progress=lambda fraction: show(int(round(100 * fraction)), 100)
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
        jsonout.dumps(
            {
                "header": str(header),
                "training_seconds": seconds,
                "train_within_factor_2": float(np.mean(np.abs(fit) <= np.log10(2))),
            }
        )
    )


@app.command(help="Envelope evolution over time under a mass-loss backend. " + LICENCE_HELP)
def evolve(
    mstar: float = typer.Option(..., help="Stellar mass [M_sun]."),
    a_au: float = typer.Option(..., "--a-au", help="Orbit [AU]."),
    mass: float = typer.Option(..., help="Initial total planet mass [M_E]."),
    envelope: float = typer.Option(None, help="Initial H/He envelope mass fraction."),
    fenv: float = old_option("--fenv", "--envelope"),
    method: str = typer.Option(
        "network",
        help="network|energy-limited|core-powered|k18|roche|rbf|nested_1d|all (comma list allowed)",
    ),
    age_max_gyr: float = typer.Option(10.0, "--age-max-gyr", help="Final age [Gyr]."),
    model: Path = typer.Option(None, help="Network header JSON or the shipped name "
                               "escape_best_network (the default)"),
    grid_dir: Path = typer.Option(
        None,
        "--grid",
        help="Grid folder: teq-sma table for L_bol (else the main-sequence "
        "relation; the output says which), needed by rbf and nested_1d",
    ),
    plot: Path = typer.Option(
        None, help="Radius and Mdot versus age (PNG/PDF).", callback=outputs.figure_file
    ),
    out: Path = typer.Option(
        None, help="Track table (.csv or .parquet)", callback=outputs.table_file
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    from planetinfer.api.escape import evolve as evolve_planet

    envelope = prefer(envelope, fenv, "--fenv", "--envelope")
    if envelope is None:
        raise InputError("--envelope is required (initial H/He envelope mass fraction, [0, 0.99])")
    result = evolve_planet(mass, envelope, mstar, a_au, method=method, age_max_gyr=age_max_gyr,
                           model=model, grid=grid_dir)  # fmt: skip
    if out:
        table = result.to_frame()
        table.to_parquet(out) if str(out).endswith(".parquet") else table.to_csv(out, index=False)
    if plot:
        from planetinfer.plots._common import save

        save(result.plot(), plot)
    summary = result.to_dict()
    if as_json:
        typer.echo(result.to_json())
        return
    typer.echo(f"stellar model: {summary['stellar_model']}")
    for m, values in summary["methods"].items():
        typer.echo(f"{m}: {values}")
