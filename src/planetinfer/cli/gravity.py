"""`planetinfer gravity ...`: theory of figures, the WMH26 density-profile sampler, analysis."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from planetinfer import jsonout, outputs
from planetinfer.cli.renamed import old_option, prefer
from planetinfer.errors import InputError, check_range

app = typer.Typer(
    rich_markup_mode="markdown",
    add_completion=False,
    help="Gravity field: theory of figures and agnostic density profiles "
    "(Wirth, Morf & Helled 2026).",
    no_args_is_help=True,
)


def _echo_json(payload: dict) -> None:
    typer.echo(jsonout.dumps(payload, indent=2))


@app.command()
def tof(
    profile: Path = typer.Option(..., help="CSV with columns radius_m,density_kg_m3 (e.g. "
                                 "written by `planetinfer structure --profile`)."),
    mass: float = typer.Option(None, help="Planet mass [M_E] (required)."),
    radius: float = typer.Option(
        None, help="Volumetric mean radius of the outer level [R_E] (required)."
    ),
    period: float = typer.Option(None, help="Rotation period [h] (required)."),
    reference_radius: float = typer.Option(
        None, help="Normalisation radius of J_2n [R_E] (default: --radius)."
    ),
    mass_kg: float = old_option("--mass-kg", "--mass [M_E]"),
    radius_m: float = old_option("--radius-m", "--radius [R_E]"),
    period_s: float = old_option("--period-s", "--period [h]"),
    reference_radius_m: float = old_option("--reference-radius-m", "--reference-radius [R_E]"),
    order: int = typer.Option(4, help="ToF order: 4, 7 or 10."),
    levels: int = typer.Option(1024, help="Number of ToF levels N."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    plot: Path = typer.Option(
        None, help="Write a density/pressure figure here.", callback=outputs.figure_file
    ),
    check_levels: bool = typer.Option(
        False, "--check-levels", help="Also solve with 4N and 16N levels and report the relative J changes."
    ),
):
    """J2, J4, flattening, moment of inertia and central pressure of one density profile."""
    from planetinfer.api.gravity import gravity_moments
    from planetinfer.constants import M_EARTH, R_EARTH
    from planetinfer.gravity import profiles

    mass = _in_new_unit(mass, mass_kg, "--mass-kg", "--mass", 1.0 / M_EARTH)
    radius = _in_new_unit(radius, radius_m, "--radius-m", "--radius", 1.0 / R_EARTH)
    period = _in_new_unit(period, period_s, "--period-s", "--period", 1.0 / 3600.0)
    reference_radius = _in_new_unit(reference_radius, reference_radius_m, "--reference-radius-m",
                                    "--reference-radius", 1.0 / R_EARTH)  # fmt: skip
    for option, value, unit in (("mass", mass, "M_E"), ("radius", radius, "R_E"),
                                ("period", period, "h")):  # fmt: skip
        if value is None:
            raise InputError(f"--{option} [{unit}] is required")
        check_range(option, value, 0.0, None, low_inclusive=False, unit=unit)
    if reference_radius is not None:
        check_range("reference_radius", reference_radius, 0.0, None, low_inclusive=False,
                    unit="R_E")  # fmt: skip
    profile_radius, rho = profiles.read_profile(profile)
    result = gravity_moments(
        profile_radius / R_EARTH, rho, mass=mass, mean_radius=radius, period=period,
        order=order, levels=levels, check_levels=check_levels, reference_radius=reference_radius,
    )  # fmt: skip
    values = result.to_dict()
    if abs(values["profile_mass_over_mass"] - 1.0) > 1e-3:
        typer.echo(
            f"warning: the profile's mass is {values['profile_mass_over_mass']:.4f} x "
            "--mass; the density was rescaled to --mass",
            err=True,
        )
    if not values["converged"]:
        typer.echo(f"warning: {values['reason']}", err=True)
    if plot is not None:
        from planetinfer.plots._common import save

        save(result.plot(), plot)
    if as_json:
        _echo_json(jsonout.stamped(values))
    else:
        for key, value in values.items():
            typer.echo(f"{key:>24s}  {value}")


def _in_new_unit(value, old_value, old: str, new: str, factor: float):
    """The option's value in its unit: an old SI spelling (with its warning) converted."""
    if old_value is None:
        return value
    return prefer(None, old_value, old, new) * factor


@app.command()
def sample(
    planet: str = typer.Option(
        ..., help="Preset (uranus, neptune, uranus-wmh26, neptune-wmh26) or a TOML file."
    ),
    runs: int = typer.Option(..., help="Number of runs in the store."),
    out: Path = typer.Option(
        ..., help="zarr store (created, or resumed).", callback=outputs.folder
    ),
    seed: int = typer.Option(0, help="Random seed."),
    batch_size: int = typer.Option(64, help="Runs advancing together."),
    batch: int = old_option("--batch", "--batch-size"),
    gradient: str = typer.Option("exact", help="exact | linear (WMH26 App. B)."),
    workers: int = typer.Option(None, help="Local Dask cluster with N processes."),
    scheduler: str = typer.Option(None, help="Address of a running Dask scheduler."),
    levels: int = typer.Option(1024, help="Number of levels N (power of two)."),
    order: int = typer.Option(4, help="ToF order inside the loop (4 or 7)."),
    chunk_runs: int = typer.Option(
        None, help="Runs per stored chunk (default: 4 x batch, runs / 8 for small jobs, at "
        "least one batch; a grown store keeps its own)."
    ),
    d2_max: float = typer.Option(9.0, help="Acceptance: Mahalanobis d^2 <= this."),
    max_epochs: int = typer.Option(120, help="Epochs of 25 steps at most (WMH26: 120)."),
    diagonal: bool = typer.Option(False, "--diagonal", help="Ignore the J2-J4 correlation."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary."),
):
    """Sample density profiles that fit M, R, J2, J4 (WMH26 algorithm) into a zarr store."""
    from planetinfer.gravity.ensemble import finished_runs, sample_ensemble
    from planetinfer.gravity.planets import resolve_planet
    from planetinfer.gravity.sampler import SamplerConfig
    from planetinfer.progress import reporter

    batch = prefer(batch_size, batch, "--batch", "--batch-size")
    check_range("runs", runs, 1, None)
    check_range("batch", batch, 1, 100000)
    check_range("d2_max", d2_max, 0.0, None, low_inclusive=False)
    if gradient not in ("exact", "linear"):
        raise InputError(f"gradient = {gradient!r} is not one of exact, linear")
    if levels < 8 or levels & (levels - 1):
        raise InputError(f"levels = {levels} must be a power of two >= 8")
    if order not in (4, 7):
        raise InputError(f"order = {order} is not one of 4, 7")
    body = resolve_planet(planet)
    check_range("max_epochs", max_epochs, 1, 100000)
    cfg = SamplerConfig(
        n_levels=levels,
        order=order,
        gradient=gradient,
        use_covariance=not diagonal,
        max_epochs=max_epochs,
    )
    start = time.time()
    totals = {"runs": 0, "accepted": 0}
    already = finished_runs(out)  # a resumed store's bar starts where it stopped
    # stderr: a bar on a terminal, a line every few seconds otherwise; stdout stays clean
    with reporter("sampling runs", quiet) as show:
        show(min(already, runs), runs)

        def progress(summary):
            totals["runs"] += summary["runs"]
            totals["accepted"] += summary["accepted"]
            show(min(already + totals["runs"], runs), runs)

        summaries = sample_ensemble(out, body, cfg, runs, seed=seed, batch=batch,
                                    chunk_runs=chunk_runs, d2_max=d2_max, workers=workers,
                                    scheduler=scheduler, progress=progress)  # fmt: skip
    result = {
        "store": str(out),
        "planet": body.name,
        "new_chunks": len(summaries),
        "new_runs": totals["runs"],
        "new_accepted": totals["accepted"],
        "seconds": time.time() - start,
    }
    if as_json:
        _echo_json(result)
    elif quiet is False:
        typer.echo(f"{totals['runs']} new runs, {totals['accepted']} accepted -> {out}")


@app.command()
def analyze(
    store: list[Path] = typer.Argument(
        ...,
        help="zarr store(s) written by `gravity sample`; several stores of the same planet and "
        "sampler configuration (different seeds) are pooled.",
    ),
    out: Path = typer.Option(
        ..., help="Folder for the figures and summary.json.", callback=outputs.folder
    ),
    c_d: float = typer.Option(100.0, help="Discontinuity criterion [kg m^-3 per level]."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
):
    """Weighted statistics and the figures of WMH26 (Figs 1-11, Table D.1)."""
    from planetinfer.gravity.analysis import analyze_store

    check_range("c_d", c_d, 0.0, None, low_inclusive=False)
    result = analyze_store(store, out, c_d=c_d)
    if as_json:
        _echo_json(result)
    else:
        for key, value in result["summary"].items():
            typer.echo(f"{key:>42s}  {value}")
