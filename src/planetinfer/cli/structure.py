"""`planetinfer structure`: one planet's structure, and `structure curve`: mass-radius curves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer

from planetinfer import jsonout, outputs
from planetinfer.errors import InputError

app = typer.Typer(
    rich_markup_mode="markdown",
    add_completion=False,
    help="Layered-planet structure: radius, k2, moment of inertia, profiles.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _fractions_or_error(core, mantle, water, envelope):
    fractions = np.array([core, mantle, water, envelope], dtype=float)
    if abs(fractions.sum() - 1.0) > 1e-6:
        raise InputError(
            f"mass fractions --core {core:g} --mantle {mantle:g} --water {water:g} "
            f"--envelope {envelope:g} sum to {fractions.sum():.6g}; they must sum to 1"
        )
    return fractions


PROFILE_COLUMNS = {"radius": "radius_m", "mass": "mass_kg", "pressure": "pressure_pa",
                   "temperature": "temperature_k", "density": "density_kg_m3",
                   "gravity": "gravity_m_s2"}  # fmt: skip


def profile_frame(profiles: dict):
    """One planet's radial profile as a table, centre outwards, SI units in the column names
    (what `gravity tof --profile` reads); a boundary between layers appears twice (the density
    jumps there); empty layers are left out."""
    import pandas as pd

    from planetinfer.api.structure import LAYERS

    table = pd.DataFrame({name: np.asarray(profiles[key][0], float)
                          for key, name in PROFILE_COLUMNS.items()})  # fmt: skip
    layer = np.asarray(profiles["layer"][0], int)
    table["layer"] = [LAYERS[k] for k in layer]
    thickness = table.groupby(layer)["radius_m"].transform(lambda r: r.max() - r.min())
    present = thickness.to_numpy() > 1e-9 * table["radius_m"].max()
    return table[present].reset_index(drop=True)


@app.callback()
def structure(
    ctx: typer.Context,
    mass: float = typer.Option(None, help="Total mass [M_E]."),
    core: float = typer.Option(0.325, help="Core (Fe-FeS) mass fraction."),
    mantle: float = typer.Option(0.675, help="Silicate mantle mass fraction."),
    water: float = typer.Option(0.0, help="Water/ice VII mass fraction."),
    envelope: float = typer.Option(0.0, help="H/He envelope mass fraction."),
    teq: float = typer.Option(255.0, help="Equilibrium temperature [K] (Teq envelope)."),
    model: str = typer.Option("baumeister2020", help="baumeister2020 or seager2007."),
    envelope_model: str = typer.Option("cold", help="cold (zero-T TFD) or teq."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    profile: Path = typer.Option(
        None,
        help="Write radial profiles to this CSV file.",
        callback=lambda v: outputs.output_file(v, "profile", (".csv",)),
    ),
    plot: Path = typer.Option(
        None, help="Write a profile figure (PNG, PDF, ...).", callback=outputs.figure_file
    ),
) -> None:
    """Structure of one planet from its mass and layer mass fractions (which must sum to 1)."""
    if ctx.invoked_subcommand is not None:
        given = [f"--{name.replace('_', '-')}" for name in ctx.params
                 if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"]  # fmt: skip
        if given:  # they would be ignored: `curve` has its own options
            raise InputError(f"{' '.join(given)} before `{ctx.invoked_subcommand}` would be "
                             f"ignored; give them after it: planetinfer structure "
                             f"{ctx.invoked_subcommand} {' '.join(given)} ...")  # fmt: skip
        return
    if mass is None:
        sources = (getattr(ctx.get_parameter_source(n), "name", "DEFAULT") for n in ctx.params)
        if all(source == "DEFAULT" for source in sources):  # bare: help, as the other groups
            typer.echo(ctx.get_help())
            raise typer.Exit(2)
        raise InputError("--mass is required (total mass in Earth masses, > 0)")
    from planetinfer.api.structure import solve_structure

    with_profiles = profile is not None or plot is not None
    result = solve_structure(mass, core, mantle, water, envelope, teq, model=model,
                             envelope_model=envelope_model, profiles=with_profiles)  # fmt: skip
    summary = {**result.planet_dict(0), "model": model, "envelope_model": envelope_model}
    if summary["status_code"] != 0:  # no figure or profile of a failed solve
        if as_json:
            typer.echo(jsonout.dumps(jsonout.stamped(summary)))
        typer.echo(f"error: {summary['reason']} (status {summary['status_code']})", err=True)
        raise typer.Exit(1)
    for warning in summary.get("warnings", ()):
        typer.echo(f"warning: {warning}", err=True)
    if profile is not None:
        profile_frame(result.profiles).to_csv(profile, index=False)
    if plot is not None:
        from planetinfer.plots._common import save

        save(result.plot(), plot)
    if as_json:
        typer.echo(jsonout.dumps(jsonout.stamped(summary)))
        return
    typer.echo(
        f"R = {summary['radius_earth']:.4f} R_E   k2 = {summary['k2']:.4f}   "
        f"C/MR^2 = {summary['moment_of_inertia']:.4f}   "
        f"Pc = {summary['central_pressure_pa'] / 1e9:.1f} GPa   "
        f"Tc = {summary['central_temperature_k']:.0f} K   status: {summary['status']}"
    )
    typer.echo(
        "radius fractions: "
        + "  ".join(f"{k} {v:.4f}" for k, v in summary["radius_fractions"].items())
    )


@app.command()
def curve(
    core: float = typer.Option(0.325, help="Core mass fraction."),
    mantle: float = typer.Option(0.675, help="Mantle mass fraction."),
    water: float = typer.Option(0.0, help="Water mass fraction."),
    envelope: float = typer.Option(0.0, help="Envelope mass fraction."),
    mass_min: float = typer.Option(0.1, help="Smallest mass [M_E]."),
    mass_max: float = typer.Option(25.0, help="Largest mass [M_E]."),
    n: int = typer.Option(25, help="Number of masses (log-spaced)."),
    model: str = typer.Option("baumeister2020", help="baumeister2020 or seager2007."),
    out: Path = typer.Option(
        None, help="Write the curve to this CSV file.", callback=outputs.csv_file
    ),
    plot: Path = typer.Option(
        None, help="Write the mass-radius figure.", callback=outputs.figure_file
    ),
) -> None:
    """Mass-radius curve at fixed composition, printed beside Zeng et al. 2019 where available."""
    from planetinfer.structure.curve import mass_radius_curve

    if not 0 < mass_min < mass_max:
        raise InputError(f"--mass-min {mass_min:g} and --mass-max {mass_max:g} need 0 < min < max")
    if not 2 <= n <= 10_000:
        raise InputError(f"--n = {n} is outside the valid range [2, 10000]")
    fractions = _fractions_or_error(core, mantle, water, envelope)
    result = mass_radius_curve(fractions, mass_min, mass_max, n, model=model)
    zeng = result["zeng_2019_radius_earth"]
    typer.echo(f"{'M [M_E]':>9} {'R [R_E]':>9} {'k2':>7} " + (
        f"{'Zeng19':>8} {'diff':>7}" if zeng is not None else ""))  # fmt: skip
    for i, mass in enumerate(result["mass_earth"]):
        line = f"{mass:9.4f} {result['radius_earth'][i]:9.4f} {result['k2'][i]:7.4f} "
        if zeng is not None and np.isfinite(zeng[i]):
            line += f"{zeng[i]:8.4f} {result['radius_earth'][i] / zeng[i] - 1:+7.2%}"
        typer.echo(line)
    if out is not None:
        import pandas as pd

        table = {k: v for k, v in result.items() if k != "zeng_2019_curve" and v is not None}
        pd.DataFrame(table).to_csv(out, index=False)
    if plot is not None:
        from planetinfer.plots._common import composition_label, save
        from planetinfer.plots.structure import mass_radius

        fig, ax = mass_radius(result, label=f"{model}: {composition_label(fractions)}")
        ax.set_title(f"mass-radius curve, {composition_label(fractions)} ({model})", fontsize=9)
        save(fig, plot)
