"""`planetinfer characterise`: one planet, or a whole catalogue, through every capability."""

from __future__ import annotations

from pathlib import Path

import typer

from planetinfer import outputs
from planetinfer.errors import InputError

app = typer.Typer(
    rich_markup_mode="markdown",
    help="One planet (or a catalogue) through mass, interior, escape and evolution: one report.",
    add_completion=False,
)


@app.command()
def characterise(
    planet: str = typer.Argument(None, help='Planet name in --catalog, e.g. "TOI-270 d".'),
    catalog: Path = typer.Option(None, help="NASA Exoplanet Archive PSCompPars CSV export."),
    all_planets: bool = typer.Option(
        False, "--all", help="Characterise every selected planet of --catalog into --out DIR."
    ),
    max_mass: float = typer.Option(25.0, help="--all: planets below this mass [M_E] ..."),
    max_radius: float = typer.Option(6.0, help="... or below this radius [R_E] without a mass."),
    limit: int = typer.Option(None, help="--all: only the first N selected planets."),
    mass: float = typer.Option(None, help="Planet mass [M_E] (omit to predict it)."),
    mass_err: float = typer.Option(None, help="1-sigma mass error [M_E] (upper if split)."),
    mass_err_lower: float = typer.Option(None, help="Lower mass error [M_E]."),
    mass_upper_limit: float = typer.Option(None, help="Upper limit on the mass [M_E]."),
    radius: float = typer.Option(None, help="Planet radius [R_E]."),
    radius_err: float = typer.Option(None, help="1-sigma radius error [R_E]."),
    teq: float = typer.Option(None, help="Equilibrium temperature [K] (default: derived)."),
    teq_err: float = typer.Option(None, help="1-sigma Teq error [K]."),
    flux: float = typer.Option(None, help="Incident flux [S_E] (default: derived)."),
    mstar: float = typer.Option(None, help="Stellar mass [M_sun]."),
    rstar: float = typer.Option(None, help="Stellar radius [R_sun] (for L* and Teq)."),
    teff: float = typer.Option(None, help="Stellar effective temperature [K]."),
    a_au: float = typer.Option(None, "--a-au", help="Semi-major axis [AU]."),
    age_gyr: float = typer.Option(None, help="Stellar age [Gyr] (default 5 Gyr, stated)."),
    k2: float = typer.Option(None, help="Fluid Love number k2 (selects a k2 network)."),
    k2_err: float = typer.Option(None, help="1-sigma k2 error."),
    samples: int = typer.Option(10_000, help="Interior posterior samples."),
    draws: int = typer.Option(1000, help="Input draws (mass, radius, Teq)."),
    tracks: int = typer.Option(32, help="Posterior draws evolved to 10 Gyr."),
    seed: int = typer.Option(0, help="Random seed."),
    out: Path = typer.Option(
        None, help="One planet: the HTML report file. --all: the output folder."
    ),
    figures: bool = typer.Option(
        False, "--figures", help="--all: figures in every planet's report (slower)."
    ),
    workers: int = typer.Option(None, help="--all: local Dask cluster with N processes."),
    scheduler: str = typer.Option(None, help="--all: address of a running Dask scheduler."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Mass, interior, escape now and envelope evolution of a planet, with their uncertainties.

    Examples: `planetinfer characterise "TOI-270 d" --catalog PSCompPars.csv --out r.html`;
    `planetinfer characterise --catalog PSCompPars.csv --all --out run/ --workers 2`.
    """
    from planetinfer import jsonout

    if all_planets:
        if catalog is None or out is None:
            raise InputError("--all needs --catalog and --out DIR")
        outputs.output_folder(out, "out")
        _catalogue(catalog, out, max_mass, max_radius, limit, draws, samples, tracks, seed,
                   figures, workers, scheduler, quiet, as_json)  # fmt: skip
        return
    outputs.output_file(out, "out", (".html", ".htm"))  # a folder only with --all
    from planetinfer.api.characterise import characterise as run

    result = run(planet, catalog=catalog, mass=mass, mass_err=mass_err,
                 mass_err_lower=mass_err_lower, mass_upper_limit=mass_upper_limit, radius=radius,
                 radius_err=radius_err, teq=teq, teq_err=teq_err, flux=flux, mstar=mstar,
                 rstar=rstar, teff=teff, a_au=a_au, age_gyr=age_gyr, k2=k2, k2_err=k2_err,
                 draws=draws, samples=samples, tracks=tracks, seed=seed)  # fmt: skip
    if out is not None:
        result.save_html(out)
    if as_json:
        typer.echo(jsonout.dumps(result.to_dict(), indent=1))
        return
    _print_summary(result.to_dict(), out)


def _print_summary(report: dict, out) -> None:
    mass, interior = report["mass"], report["interior"]
    q = mass["quantiles"]
    typer.echo(f"{report['planet']}: M = {q['p50']:.3g} [{q['p16']:.3g}, {q['p84']:.3g}] M_E "
               f"({mass['source']})")  # fmt: skip
    if interior["status"] == "ok":
        env = interior["envelope_mass_fraction"]
        typer.echo(f"  interior: P(no envelope) {interior['p_no_envelope']:.3f}, envelope mass "
                   f"fraction {env['p50']:.3g} [{env['p16']:.3g}, {env['p84']:.3g}], "
                   f"P(no water) {interior['p_no_water']:.3f}")  # fmt: skip
    else:
        typer.echo(f"  interior: {interior['status']} ({interior.get('reason', '')})")
    for method, entry in report["escape"].get("methods", {}).items():
        if entry["mdot_g_s"]:
            typer.echo(f"  escape now, {method}: {entry['mdot_g_s']['p50']:.3g} g/s")
    for method, entry in report["evolution"].get("methods", {}).items():
        keeps = ", ".join(f"{k} Gyr {v:.2f}" for k, v in entry["p_envelope_at_gyr"].items()
                          if v is not None)  # fmt: skip
        typer.echo(f"  P(envelope) {method}: {keeps}")
    for flag in report["flags"]:
        typer.echo(f"  flag ({flag['step']}): {flag['message']}")
    if out is not None:
        typer.echo(f"report written to {out}")


def _catalogue(catalog, out, max_mass, max_radius, limit, draws, samples, tracks, seed, figures,
               workers, scheduler, quiet, as_json) -> None:  # fmt: skip
    from planetinfer import jsonout
    from planetinfer.characterisation.catalogue import run_catalogue
    from planetinfer.progress import reporter

    with reporter("characterising", quiet) as progress:
        summary = run_catalogue(catalog, out, max_mass=max_mass, max_radius=max_radius,
                                draws=draws, samples=samples, tracks=tracks, seed=seed,
                                figures=figures, limit=limit, workers=workers,
                                scheduler=scheduler, progress=progress)  # fmt: skip
    typer.echo(jsonout.dumps(summary) if as_json else
               f"{summary['characterised']} planets characterised, {summary['skipped']} "
               f"skipped; {summary['index']}")  # fmt: skip
