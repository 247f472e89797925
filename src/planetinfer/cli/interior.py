"""`planetinfer interior predict | train | validate`: mixture-density-network interior inference."""

from __future__ import annotations

import shlex
import sys
import warnings
from pathlib import Path

import typer

from planetinfer import jsonout, outputs
from planetinfer.cli.renamed import old_option, prefer
from planetinfer.errors import InputError

app = typer.Typer(
    rich_markup_mode="markdown",
    add_completion=False,
    help="Interior structure posteriors from mass, radius, Teq (+ k2) in milliseconds."
)


@app.command()
def predict(
    mass: float = typer.Option(None, help="Planet mass [M_E]."),
    radius: float = typer.Option(None, help="Planet radius [R_E]."),
    teq: float = typer.Option(None, help="Equilibrium temperature [K] (selects a Teq network)."),
    k2: float = typer.Option(None, help="Fluid Love number k2 (selects a k2 network)."),
    mass_err: float = typer.Option(
        0.0, help="1-sigma mass error [M_E] (upper if --mass-err-lower)."
    ),
    radius_err: float = typer.Option(
        0.0, help="1-sigma radius error [R_E] (upper if --radius-err-lower)."
    ),
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
        None, help='Comma-separated planet names, e.g. "GJ 1214 b,TRAPPIST-1 e", or "all": every '
        "planet of the catalogue with a mass and a radius (summaries only, no samples kept)."
    ),
    planet: list[str] = typer.Option(
        None, help="A catalogue planet's name (repeatable, as in `mrf predict`); adds to --planets."
    ),
    no_teq: bool = typer.Option(False, "--no-teq", help="With --catalog: use the (M, R) network."),
    model: str = typer.Option(None, help="Model header path or shipped name (default: by inputs)."),
    samples: int = typer.Option(10_000, help="Posterior samples per planet."),
    draws: int = typer.Option(1000, help="Input draws per planet when errors are given."),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the result as JSON (the Python API's to_dict())."
    ),
    out: Path = typer.Option(
        None, help="Write a Parquet table (one row per planet).", callback=outputs.parquet_file
    ),
    plot: Path = typer.Option(
        None,
        help="Corner plot (one planet) or summary figure (catalogue).",
        callback=outputs.figure_file,
    ),
) -> None:
    """Posterior of the layer mass and radius fractions of one planet or of catalogue planets."""
    from planetinfer.errors import check_range

    check_range("samples", samples, 1, 10_000_000)
    check_range("draws", draws, 1, 1_000_000)
    if catalog is not None:
        names = ",".join([*([planets] if planets else []), *(planet or [])])
        result = _predict_catalog(catalog, names, no_teq, model, samples, draws, seed)
    elif mass is None or radius is None:
        raise InputError("--mass and --radius are required (or --catalog with --planets)")
    elif input_samples is not None:
        result = _predict_from_samples(input_samples, mass, radius, teq, k2, model, samples,
                                       draws, seed)  # fmt: skip
    else:
        from planetinfer.api.interior import interior_posterior

        result = interior_posterior(
            mass, radius, teq, k2, mass_err=mass_err, radius_err=radius_err, teq_err=teq_err,
            k2_err=k2_err, mass_err_lower=mass_err_lower, radius_err_lower=radius_err_lower,
            rho=rho, samples=samples, draws=draws, seed=seed, model=model,
        )  # fmt: skip
    _emit(result, as_json, out)
    if plot is not None and len(result):
        from planetinfer.plots import interior as plots
        from planetinfer.plots._common import save

        single = len(result) == 1 and "samples" in result.rows[0]  # one planet: its corner plot
        if catalog is None or single:
            if result.rows[0]["status"] != "ok":  # the JSON above says why; no figure to make
                warnings.warn(f"no figure written to {plot}: the planet has no posterior "
                              f"(status {result.rows[0]['status']})", stacklevel=1)  # fmt: skip
                return
            save(result.plot(), plot)
        else:
            rows = [r for r in result.rows if r["status"] == "ok"] or result.rows
            save(plots.summary(rows)[0], plot)


def _predict_from_samples(path, mass, radius, teq, k2, model, samples, draws, seed):
    """One planet whose inputs are given as posterior samples (a CSV file)."""
    from planetinfer.api.interior import InteriorPosterior, load_model
    from planetinfer.interior import predict as P

    inputs = ("mass", "radius") + (("teq",) if teq is not None else ()) + (
        ("k2",) if k2 is not None else ())  # fmt: skip
    loaded = load_model(model, inputs)
    from planetinfer.csvinput import first_problem, read_numeric_table

    table, problems = read_numeric_table(path, "input_samples", loaded.inputs)
    first_problem(problems, "input_samples", path)
    raw = table[list(loaded.inputs)].to_numpy(float)
    given = {"mass": mass, "radius": radius, "teq": teq, "k2": k2}
    planet = P.Planet({n: given[n] for n in loaded.inputs}, samples=raw, name="planet")
    rows = P.predict(loaded, [planet], n_samples=samples, n_draws=draws, seed=seed)
    return InteriorPosterior.from_rows(rows, loaded)


def _predict_catalog(catalog, planets, no_teq, model, samples, draws, seed):
    from planetinfer.api.interior import InteriorPosterior, echo_inputs, load_model
    from planetinfer.catalog import read_pscomppars
    from planetinfer.interior import observed
    from planetinfer.interior import predict as P

    if not planets:
        raise InputError('--planets or --planet is required with --catalog (e.g. --planets '
                         '"GJ 1214 b,TRAPPIST-1 e", --planets all, or --planet "GJ 1214 b")'
                         )  # fmt: skip
    loaded = load_model(model, ("mass", "radius") if no_teq else ("mass", "radius", "teq"))
    table = read_pscomppars(catalog, required=("pl_bmasse", "pl_rade"))
    every = planets.strip().lower() == "all"
    if every:
        measured = table["pl_bmasse"].notna() & table["pl_rade"].notna()
        names = table.loc[measured, "pl_name"].astype(str).tolist()
    else:
        names = [n.strip() for n in planets.split(",") if n.strip()]
    found, errors = observed.planets_from_catalog(table, names, loaded.inputs)
    # a whole catalogue keeps summaries only: memory bounded by one pass of the network
    rows = P.predict(loaded, found, samples, draws, seed, on_invalid="flag",
                     keep_samples=not every) if found else []  # fmt: skip
    for row, planet in zip(rows, found, strict=True):  # the catalogue's values, as used
        row["inputs"] = echo_inputs(planet, loaded.inputs)
    for name, message in errors:
        typer.echo(f"warning: {message}", err=True)
        rows.append(P._flagged_row(P.Planet({}, name=name), message))
    order = {name: i for i, name in enumerate(names)}
    rows.sort(key=lambda row: order.get(row["name"], len(order)))
    return InteriorPosterior.from_rows(rows, loaded)


def _emit(result, as_json: bool, out) -> None:
    if out is not None:
        result.summary().to_parquet(out)
    if as_json:
        typer.echo(result.to_json())
        return
    for i in range(len(result)):
        planet = result.planet_dict(i)
        typer.echo(f"{planet['name']}: status={planet['status']} in_domain={planet['in_domain']}"
                   + (f" ({planet['reason']})" if "reason" in planet else ""))  # fmt: skip
        if planet["status"] != "ok":
            continue
        for key, value in planet.items():
            if isinstance(value, dict) and "p50" in value:
                typer.echo(f"  {key:26s} {value['p50']:.3f} [{value['p2.5']:.3f}, "
                           f"{value['p97.5']:.3f}] (median, 95 %)")  # fmt: skip
        typer.echo(f"  p_no_water {planet['p_no_water']:.3f}  "
                   f"p_no_envelope {planet['p_no_envelope']:.3f}")  # fmt: skip


@app.command()
def train(
    data: Path = typer.Option(..., help="Synth dataset directory (manifest.json + Parquet parts)."),
    inputs: str = typer.Option(
        "mass,radius,teq", help="Comma-separated inputs: mass,radius[,teq][,k2]."
    ),
    out: Path = typer.Option(
        ..., help="Output directory for NAME.json + NAME.eqx.", callback=outputs.folder
    ),
    name: str = typer.Option(
        None, help="Model name (default interior_INPUTS, e.g. interior_mass_radius_teq)."
    ),
    representation: str = typer.Option("patterns", help="patterns (ours), exomdn or radius1d."),
    components: int = typer.Option(8, help="Mixture components (per block)."),
    covariance: str = typer.Option("full", help="full or diag."),
    width: int = typer.Option(256, help="Hidden layer width."),
    depth: int = typer.Option(3, help="Number of hidden layers."),
    activation: str = typer.Option("silu", help="relu, silu or tanh."),
    envelope_coordinate: str = typer.Option(
        "condensed",
        help="patterns: envelope coordinate, condensed (logit vs the condensed layers) or core.",
    ),
    envelope: str = old_option("--envelope", "--envelope-coordinate"),
    min_scale: float = typer.Option(
        1e-5, help="Smallest mixture-component scale (standardised target units)."
    ),
    epochs: int = typer.Option(200, help="Maximum epochs."),
    batch_size: int = typer.Option(512, help="Minibatch size."),
    learning_rate: float = typer.Option(1e-3, help="Initial Adam learning rate."),
    patience: int = typer.Option(8, help="Early-stopping patience [epochs]."),
    lr_factor: float = typer.Option(0.3, help="Learning-rate factor on a validation plateau."),
    lr_patience: int = typer.Option(3, help="Epochs without improvement before reducing the LR."),
    seed: int = typer.Option(0, help="Random seed."),
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
    from planetinfer.errors import check_range
    from planetinfer.interior import data as D
    from planetinfer.interior import mdn, store
    from planetinfer.interior import train as T

    integers = {"epochs": (epochs, 100_000), "batch_size": (batch_size, 10_000_000),
                "width": (width, 65_536), "depth": (depth, 64), "components": (components, 256),
                "patience": (patience, 100_000), "lr_patience": (lr_patience, 100_000)}  # fmt: skip
    for option, (value, high) in integers.items():
        check_range(option, value, 1, high)
    check_range("learning_rate", learning_rate, 0.0, 1.0, low_inclusive=False)
    check_range("lr_factor", lr_factor, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    if clip_norm is not None:
        check_range("clip_norm", clip_norm, 0.0, None, low_inclusive=False)
    if max_minutes is not None:
        check_range("max_minutes", max_minutes, 0.0, None, low_inclusive=False)
    envelope = prefer(envelope_coordinate, envelope, "--envelope", "--envelope-coordinate")
    names = tuple(s.strip() for s in inputs.split(",") if s.strip())
    start = store.load(init) if init is not None else None
    try:
        config = start.config if start is not None else mdn.MDNConfig(
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
    from planetinfer.progress import notice, reporter

    notice(f"interior train: {int((dataset.split == 'train').sum()):,} training planets, "
           f"{int((dataset.split == 'val').sum()):,} for validation; the first epoch also "
           "compiles the training step")  # fmt: skip
    with reporter("interior train", quiet, unit="epochs") as show:

        def report(epoch, train_loss, val_loss, lr):
            show(epoch, epochs, f"train NLL {train_loss:.3f} val NLL {val_loss:.3f} lr {lr:.1e}")

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
    summary = jsonout.jsonable(summary)  # plain numbers (no np.float64(...)); NaN -> None
    typer.echo(
        jsonout.dumps(summary) if as_json else "\n".join(f"{k}: {v}" for k, v in summary.items())
    )


@app.command()
def calibrate(
    model: str = typer.Option(..., help="Model header path or shipped name."),
    data: Path = typer.Option(..., help="Synth dataset directory (its validation split is used)."),
    out: Path = typer.Option(
        ..., help="Directory for the calibrated copy (NAME.json + NAME.eqx).",
        callback=outputs.folder,
    ),
    n_planets: int = typer.Option(2000, help="Validation planets per coverage estimate."),
    planets: int = old_option("--planets", "--n-planets"),
    samples: int = typer.Option(400, help="Samples per planet."),
    seed: int = typer.Option(0, help="Random seed."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the fit as JSON."),
) -> None:
    """Fit the scale-mixture recalibration on the validation split and save a calibrated copy."""
    from planetinfer.errors import check_range
    from planetinfer.interior import calibration, store
    from planetinfer.interior import data as D
    from planetinfer.progress import reporter

    planets = prefer(n_planets, planets, "--planets", "--n-planets")
    check_range("n_planets", planets, 1, 10_000_000)
    check_range("samples", samples, 1, 1_000_000)
    loaded = store.resolve(model)
    dataset = D.load(data)
    with reporter("calibrating on the validation split", quiet) as show:
        fit = calibration.fit(loaded, dataset, planets, samples, seed, progress=show)
    command = "planetinfer " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    path = calibration.save_calibrated(loaded, fit, out, command)
    summary = {k: v for k, v in fit.items() if k != "coverage"}
    typer.echo(
        jsonout.dumps({**summary, "path": str(path)}) if as_json else f"calibrated model {path}"
    )


@app.command()
def validate(
    model: str = typer.Option(..., help="Model header path or shipped name."),
    data: Path = typer.Option(..., help="Synth dataset directory (its test split is used)."),
    out: Path = typer.Option(
        ..., help="Report directory (JSON + figures).", callback=outputs.folder
    ),
    baselines: str = typer.Option(None, help="Comma-separated baseline model paths to compare."),
    n_planets: int = typer.Option(2000, help="Test planets for coverage and figures."),
    planets: int = old_option("--planets", "--n-planets"),
    samples: int = typer.Option(400, help="Samples per test planet for coverage."),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Held-out NLL table, coverage of 68/95 % intervals, predicted-vs-true figures, MC check."""
    from planetinfer.errors import check_range
    from planetinfer.interior import data as D
    from planetinfer.interior import store
    from planetinfer.interior import validate as V

    planets = prefer(n_planets, planets, "--planets", "--n-planets")
    check_range("n_planets", planets, 1, 10_000_000)
    check_range("samples", samples, 1, 1_000_000)
    loaded = store.resolve(model)
    others = [store.resolve(p) for p in baselines.split(",")] if baselines else []
    report = V.report(loaded, D.load(data), out, others, n_planets=planets, n_samples=samples,
                      seed=seed)  # fmt: skip
    typer.echo(jsonout.dumps(report, default=float) if as_json else _validation_table(report, out))


def _validation_table(report: dict, out: Path) -> str:
    """The report as text: test NLL per network and the null model, then coverage per output."""

    def nats(value) -> str:
        return "-" if value is None else f"{value:9.3f}"

    lines = [f"{'test NLL [nats]':32s} {'own space':>9s} {'all four layers (6-D)':>22s}"]
    for row in report["nll_table"]:
        lines.append(f"{row['name']:32s} {nats(row.get('nll_own_space'))} "
                     f"{nats(row.get('nll_all_present_alr6')):>22s}")  # fmt: skip
    lines.append("")
    lines.append(f"coverage on {report['coverage_test_planets']} test planets, "
                 f"{report['samples_per_planet']} samples each (nominal 0.68 / 0.95)")  # fmt: skip
    for name, cover in report["coverage"].items():
        lines.append(f"  {name:26s} {cover['c68']:.3f} / {cover['c95']:.3f}")
    lines.append(f"report and figures in {out}")
    return "\n".join(lines)


@app.command()
def support(
    model: str = typer.Option(..., help="Model header path or shipped name."),
    data: Path = typer.Option(
        ..., help="Synth dataset of the model's training planets: the same prior, seed, structure "
        "model and part size (its first rows are used); `synth generate` rebuilds it."
    ),
    out: Path = typer.Option(
        ..., help="Directory for the header with bounds and support (weights copied there).",
        callback=outputs.folder,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the bounds and table sizes as JSON."),
) -> None:
    """Record the prior's bounds and the training planets' support in a network's header."""
    from planetinfer.interior import store
    from planetinfer.interior import support as S

    loaded = store.resolve(model)
    command = "planetinfer " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    path, header = S.attach(loaded, data, out, command)
    summary = {"path": str(path), "bounds": header["bounds"],
               "support_rows": header["support"]["rows"]}  # fmt: skip
    typer.echo(jsonout.dumps(summary) if as_json else f"bounds and support written to {path}")
