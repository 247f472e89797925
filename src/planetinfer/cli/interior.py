"""`planetinfer interior predict | train | validate`: mixture-density-network interior inference."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import typer

from planetinfer.errors import InputError

app = typer.Typer(
    help="Interior structure posteriors from mass, radius, Teq (+ k2) in milliseconds."
)


def _inputs_for(teq, k2) -> tuple[str, ...]:
    return (
        ("mass", "radius")
        + (("teq",) if teq is not None else ())
        + (("k2",) if k2 is not None else ())
    )


def _row_json(row: dict) -> dict:
    out = {"name": row["name"], **row["summary"], "in_domain": row["in_domain"],
           "n_draws_used": row["n_draws_used"], "n_rejected_iron": row["n_rejected_iron"],
           "n_rejected_domain": row["n_rejected_domain"]}  # fmt: skip
    if "error" in row:
        out["error"] = row["error"]
    return out


def _flat(row: dict) -> dict:
    flat = {k: v for k, v in _row_json(row).items() if not isinstance(v, dict)}
    for key, value in row["summary"].items():
        if isinstance(value, dict):
            flat.update({f"{key}_{q}": v for q, v in value.items()})
    return flat


@app.command()
def predict(
    mass: float = typer.Option(None, help="Planet mass [M_E]."),
    radius: float = typer.Option(None, help="Planet radius [R_E]."),
    teq: float = typer.Option(None, help="Equilibrium temperature [K] (selects a Teq network)."),
    k2: float = typer.Option(None, help="Fluid Love number k2 (selects a k2 network)."),
    mass_err: float = typer.Option(0.0, help="1-sigma mass error [M_E] (symmetric)."),
    radius_err: float = typer.Option(0.0, help="1-sigma radius error [R_E] (symmetric)."),
    teq_err: float = typer.Option(0.0, help="1-sigma Teq error [K]."),
    k2_err: float = typer.Option(0.0, help="1-sigma k2 error."),
    mass_err_lower: float = typer.Option(None, help="Lower mass error [M_E] (split normal)."),
    radius_err_lower: float = typer.Option(None, help="Lower radius error [R_E] (split normal)."),
    rho: float = typer.Option(0.0, help="Correlation of the mass and radius errors."),
    input_samples: Path = typer.Option(
        None,
        help="CSV of input posterior samples (columns "
        "mass, radius[, teq][, k2]) used instead of errors.",
    ),
    catalog: Path = typer.Option(None, help="NASA Exoplanet Archive PSCompPars CSV export."),
    planets: str = typer.Option(
        None, help='Comma-separated planet names, e.g. "GJ 1214 b,TRAPPIST-1 e".'
    ),
    no_teq: bool = typer.Option(False, help="With --catalog: use the (M, R) network."),
    model: str = typer.Option(None, help="Model header path or shipped name (default: by inputs)."),
    samples: int = typer.Option(10_000, help="Posterior samples per planet."),
    draws: int = typer.Option(1000, help="Input draws per planet when errors are given."),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON object (a list with --catalog)."
    ),
    out: Path = typer.Option(None, help="Write a Parquet table (one row per planet)."),
    plot: Path = typer.Option(None, help="Corner plot (one planet) or summary figure (catalogue)."),
) -> None:
    """Posterior of the layer mass and radius fractions of one planet or of catalogue planets."""
    from planetinfer.errors import check_range
    from planetinfer.interior import predict as P
    from planetinfer.interior import store

    check_range("samples", samples, 1, 10_000_000)
    check_range("draws", draws, 1, 1_000_000)
    if catalog is not None:
        _predict_catalog(catalog, planets, no_teq, model, samples, draws, seed, as_json, out, plot)
        return
    if mass is None or radius is None:
        raise InputError("--mass and --radius are required (or --catalog with --planets)")
    inputs = _inputs_for(teq, k2)
    loaded = store.resolve(model, inputs)
    given = {"mass": mass, "radius": radius, "teq": teq, "k2": k2}
    values = {name: given[name] for name in loaded.inputs if given[name] is not None}
    upper = {"mass": mass_err, "radius": radius_err, "teq": teq_err, "k2": k2_err}
    lower = dict(upper, mass=mass_err if mass_err_lower is None else mass_err_lower,
                 radius=radius_err if radius_err_lower is None else radius_err_lower)  # fmt: skip
    raw = None
    if input_samples is not None:
        import pandas as pd

        table = pd.read_csv(input_samples)
        missing = [n for n in loaded.inputs if n not in table.columns]
        if missing:
            raise InputError(
                f"input_samples = {input_samples} lacks column(s) {', '.join(missing)}"
            )
        raw = table[list(loaded.inputs)].to_numpy(dtype=float)
    planet = P.Planet(values, {n: lower[n] for n in values}, {n: upper[n] for n in values},
                      rho, raw, name="planet")  # fmt: skip
    row = P.predict(loaded, [planet], n_samples=samples, n_draws=draws, seed=seed)[0]
    _emit([row], as_json, out, single=True)
    if plot is not None:
        from planetinfer.plots import interior as plots
        from planetinfer.plots._common import save

        fig, _ = plots.posterior_corner(row)
        save(fig, plot)


def _predict_catalog(catalog, planets, no_teq, model, samples, draws, seed, as_json, out, plot):
    from planetinfer.catalog import read_pscomppars
    from planetinfer.interior import observed, store
    from planetinfer.interior import predict as P

    if not planets:
        raise InputError('--planets is required with --catalog (e.g. "GJ 1214 b,TRAPPIST-1 e")')
    names = [n.strip() for n in planets.split(",") if n.strip()]
    inputs = ("mass", "radius") if no_teq else ("mass", "radius", "teq")
    loaded = store.resolve(model, inputs)
    table = read_pscomppars(catalog, required=("pl_bmasse", "pl_rade"))
    found, errors = observed.planets_from_catalog(table, names, loaded.inputs)
    rows = P.predict(loaded, found, samples, draws, seed, on_invalid="flag") if found else []
    for name, message in errors:
        typer.echo(f"warning: {message}", err=True)
        rows.append(P._flagged_row(P.Planet({}, name=name), message))
    _emit(rows, as_json, out, single=False)
    if plot is not None and rows:
        from planetinfer.plots import interior as plots
        from planetinfer.plots._common import save

        fig, _ = plots.summary([r for r in rows if "error" not in r] or rows)
        save(fig, plot)


def _emit(rows, as_json, out, single):
    if out is not None:
        import pandas as pd

        pd.DataFrame([_flat(r) for r in rows]).to_parquet(out)
    if as_json:
        payload = _row_json(rows[0]) if single else [_row_json(r) for r in rows]
        typer.echo(json.dumps(payload))
        return
    for row in rows:
        s = row["summary"]
        typer.echo(f"{row['name']}: in_domain={row['in_domain']}"
                   + (f" error: {row['error']}" if "error" in row else ""))  # fmt: skip
        for key, value in s.items():
            if isinstance(value, dict):
                typer.echo(f"  {key:26s} {value['p50']:.3f} [{value['p2.5']:.3f}, "
                           f"{value['p97.5']:.3f}] (median, 95 %)")  # fmt: skip
        typer.echo(f"  p_no_water {s['p_no_water']:.3f}  p_no_envelope {s['p_no_envelope']:.3f}")


@app.command()
def train(
    data: Path = typer.Option(..., help="Synth dataset directory (manifest.json + Parquet parts)."),
    inputs: str = typer.Option(
        "mass,radius,teq", help="Comma-separated inputs: mass,radius[,teq][,k2]."
    ),
    out: Path = typer.Option(..., help="Output directory for <name>.json + <name>.eqx."),
    name: str = typer.Option(None, help="Model name (default interior_<inputs>)."),
    representation: str = typer.Option("patterns", help="patterns (ours), exomdn or radius1d."),
    components: int = typer.Option(8, help="Mixture components (per block)."),
    covariance: str = typer.Option("full", help="full or diag."),
    width: int = typer.Option(256, help="Hidden layer width."),
    depth: int = typer.Option(3, help="Number of hidden layers."),
    activation: str = typer.Option("silu", help="relu, silu or tanh."),
    envelope: str = typer.Option(
        "condensed",
        help="patterns: envelope coordinate, condensed (logit vs the condensed layers) or core.",
    ),
    min_scale: float = typer.Option(
        1e-5, help="Smallest mixture-component scale (standardised target units)."
    ),
    epochs: int = typer.Option(200, help="Maximum epochs."),
    batch_size: int = typer.Option(512, help="Minibatch size."),
    learning_rate: float = typer.Option(1e-3, help="Initial Adam learning rate."),
    patience: int = typer.Option(8, help="Early-stopping patience [epochs]."),
    lr_factor: float = typer.Option(0.3, help="Learning-rate factor on a validation plateau."),
    lr_patience: int = typer.Option(3, help="Epochs without improvement before reducing the LR."),
    seed: int = typer.Option(13, help="Random seed."),
    clip_norm: float = typer.Option(
        None, help="Clip gradients to this global norm (default: no clipping)."
    ),
    max_minutes: float = typer.Option(None, help="Stop after this many minutes (keeps the best)."),
    init: Path = typer.Option(
        None,
        help="Continue training this saved model (its architecture "
        "and normalisation are kept; recorded in the header).",
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the header summary as JSON."),
) -> None:
    """Train a network on a synth dataset and save it with its provenance header."""
    from planetinfer.interior import data as D
    from planetinfer.interior import mdn, store
    from planetinfer.interior import train as T

    names = tuple(s.strip() for s in inputs.split(",") if s.strip())
    start = store.load(init) if init is not None else None
    try:
        config = start.model.config if start is not None else mdn.MDNConfig(
            names, representation, width, depth, components, covariance, activation, envelope,
            min_scale,
        )  # fmt: skip
    except ValueError as error:
        raise InputError(str(error)) from error
    names = config.inputs
    settings = T.TrainSettings(seed=seed, batch_size=batch_size, learning_rate=learning_rate,
                               max_epochs=epochs, patience=patience, lr_factor=lr_factor,
                               lr_patience=lr_patience, clip_norm=clip_norm,
                               max_seconds=float("inf") if max_minutes is None else 60 * max_minutes)  # fmt: skip
    dataset = D.load(data)
    command = "planetinfer interior " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    if "interior" not in sys.argv[1:2]:
        command = "planetinfer " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    from rich.progress import Progress

    with Progress(disable=quiet, transient=True) as bar:
        task = bar.add_task("training", total=epochs)

        def report(epoch, train_loss, val_loss, lr):
            bar.update(task, completed=epoch,
                       description=f"epoch {epoch} train {train_loss:.3f} val {val_loss:.3f} lr {lr:.1e}")  # fmt: skip

        path, result, header = T.train_and_save(
            dataset,
            config,
            settings,
            out,
            name or store.default_name(names),
            command,
            report,
            init=start,
        )
    summary = {k: header[k] for k in ("best_epoch", "best_val_nll", "test_nll", "stopped",
                                      "training_seconds", "seconds_per_epoch")}  # fmt: skip
    summary["path"] = str(path)
    typer.echo(
        json.dumps(summary) if as_json else "\n".join(f"{k}: {v}" for k, v in summary.items())
    )


@app.command()
def calibrate(
    model: str = typer.Option(..., help="Model header path or shipped name."),
    data: Path = typer.Option(..., help="Synth dataset directory (its validation split is used)."),
    out: Path = typer.Option(..., help="Directory for the calibrated copy (<name>.json + .eqx)."),
    planets: int = typer.Option(2000, help="Validation planets per coverage estimate."),
    samples: int = typer.Option(400, help="Samples per planet."),
    seed: int = typer.Option(0, help="Random seed."),
    quiet: bool = typer.Option(False, help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the fit as JSON."),
) -> None:
    """Fit the scale-mixture recalibration on the validation split and save a calibrated copy."""
    from rich.progress import Progress

    from planetinfer.interior import calibration, store
    from planetinfer.interior import data as D

    loaded = store.resolve(model)
    dataset = D.load(data)
    with Progress(disable=quiet, transient=True) as bar:
        task = bar.add_task("calibrating (settings on the validation split)", total=None)
        fit = calibration.fit(loaded, dataset, planets, samples, seed,
                              progress=lambda done, total: bar.update(task, completed=done,
                                                                      total=total))  # fmt: skip
    command = "planetinfer " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    path = calibration.save_calibrated(loaded, fit, out, command)
    summary = {k: v for k, v in fit.items() if k != "coverage"}
    typer.echo(
        json.dumps({**summary, "path": str(path)}) if as_json else f"calibrated model {path}"
    )


@app.command()
def validate(
    model: str = typer.Option(..., help="Model header path or shipped name."),
    data: Path = typer.Option(..., help="Synth dataset directory (its test split is used)."),
    out: Path = typer.Option(..., help="Report directory (JSON + figures)."),
    baselines: str = typer.Option(None, help="Comma-separated baseline model paths to compare."),
    planets: int = typer.Option(2000, help="Test planets for coverage and figures."),
    samples: int = typer.Option(400, help="Samples per test planet for coverage."),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Held-out NLL table, coverage of 68/95 % intervals, predicted-vs-true figures, MC check."""
    from planetinfer.interior import data as D
    from planetinfer.interior import store
    from planetinfer.interior import validate as V

    loaded = store.resolve(model)
    others = [store.resolve(p) for p in baselines.split(",")] if baselines else []
    report = V.report(loaded, D.load(data), out, others, n_planets=planets, n_samples=samples,
                      seed=seed)  # fmt: skip
    typer.echo(json.dumps(report, default=float) if as_json else f"report written to {out}")
