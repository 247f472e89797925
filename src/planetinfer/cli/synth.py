"""`planetinfer synth`: generate, inspect and plot synthetic-planet data sets (docs/synth.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from planetinfer import jsonout, outputs
from planetinfer.cli.renamed import old_option, prefer
from planetinfer.errors import InputError

app = typer.Typer(
    rich_markup_mode="markdown",
    add_completion=False,
    help="Synthetic planets: generate (resumable, Dask), info, plot.",
    no_args_is_help=True,
)


@app.command()
def generate(
    n: int = typer.Option(..., "--n", help="Number of planets (>= 1)."),
    out: Path = typer.Option(
        ..., help="Output directory (resumed if it holds the same job).", callback=outputs.folder
    ),
    prior: str = typer.Option(
        "planetinfer", help="baumeister2020, exomdn, planetinfer or a TOML file."
    ),
    model: str = typer.Option(
        "baumeister2020", help="Structure preset: baumeister2020 or seager2007."
    ),
    envelope_model: str = typer.Option(
        None, help="Envelope model cold or teq (default: the prior's)."
    ),
    envelope: str = old_option("--envelope", "--envelope-model"),
    part_size: int = typer.Option(50_000, help="Planets per Parquet part (the unit of work)."),
    seed: int = typer.Option(0, help="Master seed (per-part seeds derive from it)."),
    workers: int = typer.Option(None, help="Start a local Dask cluster with this many workers."),
    scheduler: str = typer.Option(
        None, help="Address of a running Dask scheduler (tcp://host:8786)."
    ),
    batch_size: int = typer.Option(
        None, help="Planets per solver call (default min(part size, 10000))."
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Draw N planets from a prior, solve their structure and write Parquet parts to OUT."""
    from planetinfer.synth.generate import generate as run

    envelope = prefer(envelope_model, envelope, "--envelope", "--envelope-model")
    summary = run(prior, n, out, model=model, envelope=envelope, part_size=part_size, seed=seed,
                  workers=workers, scheduler=scheduler, progress=not quiet, batch_size=batch_size)  # fmt: skip
    if as_json:
        typer.echo(jsonout.dumps(summary))
        return
    counts = ", ".join(f"status {k}: {v:,}" for k, v in sorted(summary["status_counts"].items()))
    typer.echo(
        f"{summary['out']}: {summary['n']:,} planets in {summary['n_parts']} parts "
        f"({summary['parts_written']} written, {summary['parts_skipped']} already there); "
        f"{summary['planets_per_s']:,.0f} planets/s; {counts}"
    )


def info_summary(directory: Path) -> dict:
    """Manifest, counts by status with their meaning, and column ranges of a data set."""
    from planetinfer.structure.status import STATUS_MEANING
    from planetinfer.synth.store import read_dataset, read_manifest

    manifest = read_manifest(directory)
    frame = read_dataset(directory)
    numeric = frame.select_dtypes("number").drop(columns=["id"])
    ranges = {c: [float(numeric[c].min()), float(numeric[c].max())] for c in numeric}
    counts = frame["status"].value_counts().sort_index()
    return {
        "directory": str(directory),
        "rows": len(frame),
        "expected_rows": manifest["n"],
        "unique_ids": int(frame["id"].nunique()),
        "status_counts": {int(k): int(v) for k, v in counts.items()},
        "status_meaning": {int(k): STATUS_MEANING.get(int(k), "?") for k in counts.index},
        "ranges": ranges,
        "prior": manifest["prior"],
        "manifest": manifest,
    }


@app.command()
def info(
    directory: Path = typer.Argument(..., help="Data set directory."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Counts by status, column ranges, the prior and the manifest of a data set."""
    summary = info_summary(directory)
    if as_json:
        typer.echo(jsonout.dumps(summary))
        return
    manifest = summary["manifest"]
    typer.echo(f"{directory}: {summary['rows']:,} of {summary['expected_rows']:,} planets "
               f"({summary['unique_ids']:,} unique ids), prior {manifest['prior']['name']}, model "
               f"{manifest['model']} ({manifest['envelope_model']} envelope), seed {manifest['seed']}")  # fmt: skip
    for code, count in summary["status_counts"].items():
        typer.echo(f"  status {code} ({summary['status_meaning'][code]}): {count:,} "
                   f"({count / summary['rows']:.3%})")  # fmt: skip
    for column, (low, high) in summary["ranges"].items():
        typer.echo(f"  {column:26s} {low:12.5g} .. {high:12.5g}")


def _reference_curves(kind: str, model: str, mass_range=(0.01, 25.0)) -> dict:
    """Pure-iron and pure-water mass-radius curves: our `model`, or Zeng et al. 2019's table."""
    import numpy as np

    if kind == "zeng":
        from planetinfer.constants import R_EARTH, R_EARTH_MEAN
        from planetinfer.structure.curve import ZENG_2019, ZENG_2019_MASSES

        scale = R_EARTH_MEAN / R_EARTH  # Zeng's R_E = 6371 km to ours
        return {
            "pure iron (Zeng 2019)": (ZENG_2019_MASSES, ZENG_2019["pure_iron"] * scale),
            "pure water 300 K (Zeng 2019)": (ZENG_2019_MASSES, ZENG_2019["water_100_300K"] * scale),
        }
    if kind != "model":
        raise InputError(f"--curves = {kind!r} is not one of model, zeng, none")
    from planetinfer.structure.curve import mass_radius_curve

    curves = {}
    for label, fractions in (("pure iron", [1, 0, 0, 0]), ("pure water", [0, 0, 1, 0])):
        curve = mass_radius_curve(np.array(fractions, float), *mass_range, 25, model=model)
        ok = curve["status"] == 0
        curves[f"{label} ({model})"] = (curve["mass_earth"][ok], curve["radius_earth"][ok])
    return curves


@app.command()
def plot(
    directory: Path = typer.Argument(..., help="Data set directory."),
    plot: Path = typer.Option(
        None,
        help="Figure file (PNG, PDF, ...) (required).",
        callback=lambda v: outputs.output_file(v, "plot", outputs.FIGURE_SUFFIXES),
    ),
    out: Path = old_option(
        "--out", "--plot",
        callback=lambda v: outputs.output_file(v, "out", outputs.FIGURE_SUFFIXES),
    ),
    curves: str = typer.Option(
        "model", help="Reference curves: model (solved), zeng (table) or none."
    ),
    max_points: int = typer.Option(50_000, help="Largest number of planets drawn."),
) -> None:
    """Mass-radius diagram coloured by composition, with pure-iron and pure-water curves."""
    from planetinfer.plots._common import save
    from planetinfer.plots.synth import mass_radius
    from planetinfer.synth.store import read_dataset, read_manifest

    plot = prefer(plot, out, "--out", "--plot")
    if plot is None:
        raise InputError("--plot is required: the figure file (PNG, PDF, ...)")
    manifest = read_manifest(directory)
    if max_points < 1:
        raise InputError(f"--max-points = {max_points} is outside the valid range [1, inf)")
    columns = ["id", "mass_earth", "radius_earth", "status"] + [
        f"{layer}_mass_fraction" for layer in ("core", "mantle", "water", "envelope")
    ]
    frame = read_dataset(directory, columns=columns)
    mass_range = (float(frame["mass_earth"].min()), float(frame["mass_earth"].max()))
    if curves == "none" or mass_range[0] >= mass_range[1]:
        reference = {}
    else:
        reference = _reference_curves(curves, manifest["model"], mass_range)
    fig, ax = mass_radius(frame, reference, max_points=max_points)
    prefix = f"{manifest['prior']['name']} prior, {manifest['model']} model\n"
    ax.set_title(prefix + ax.get_title(), fontsize=9)
    save(fig, plot)
    typer.echo(f"wrote {plot}")
