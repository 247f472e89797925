"""`planetinfer mrf fit|check|predict`: the mass-radius-flux relation of Ma & Ghosh (2021)."""

from __future__ import annotations

import json
import math
import shlex
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import typer

from planetinfer import jsonout, outputs
from planetinfer.cli.renamed import old_option, prefer
from planetinfer.errors import InputError

app = typer.Typer(
    rich_markup_mode="markdown",
    add_completion=False,
    help="Bayesian mass-radius-flux relation (Ma & Ghosh 2021): fit, check, predict.",
    no_args_is_help=True,
)


def _echo_json(payload: dict, out: Path | None) -> None:
    text = jsonout.dumps(payload, indent=1, default=float)
    if out is not None:
        Path(out).write_text(text)
    typer.echo(text)


def _model_config(flux_components, radius_components, knots, error_scale, ramp_width, ordering):
    from planetinfer.mrf.model import ModelConfig

    try:
        knot_values = tuple(math.log10(float(k)) for k in knots.split(",") if k.strip())
    except ValueError as error:
        raise InputError(f"knots = {knots!r} must be comma-separated radii in R_E") from error
    try:
        return ModelConfig(
            n_flux_components=flux_components,
            n_radius_components=radius_components,
            knot_prior_means=knot_values,
            error_scale=error_scale,
            ramp_width=ramp_width,
            radius_ordering=ordering,
        )
    except ValueError as error:
        raise InputError(str(error)) from error


@app.command()
def fit(
    catalog: Path = typer.Option(..., help="NASA Exoplanet Archive PSCompPars CSV export."),
    out: Path = typer.Option(
        ..., help="Posterior NetCDF file to write.", callback=outputs.netcdf_file
    ),
    chains: int = typer.Option(4, min=1, help="Number of NUTS chains."),
    samples: int = typer.Option(2000, min=10, help="Draws per chain after warm-up."),
    warmup: int = typer.Option(1000, min=10, help="Warm-up iterations per chain."),
    seed: int = typer.Option(0, help="Random seed."),
    max_year: int = typer.Option(None, help="Keep planets discovered up to this year."),
    missing_errors: str = typer.Option("drop", help="Missing a/Teff/R* error: drop or zero."),
    flux_source: str = typer.Option("equation1", help="equation1 or archive (pl_insol)."),
    flux_components: int = typer.Option(2, min=1, help="K_F, components of p(f)."),
    radius_components: int = typer.Option(3, min=1, help="K_R, components of p(r|f)."),
    knots: str = typer.Option("6,11", help="Knot prior centres [R_E], comma-separated."),
    error_scale: str = typer.Option("linear", help="Measurement errors: linear or log."),
    ramp_width: float = typer.Option(0.005, help="Logistic ramp width of the regions [dex]."),
    radius_ordering: str = typer.Option("mean", help="Identify R|F components: mean or precision."),
    max_tree_depth: int = typer.Option(8, min=2, max=12, help="NUTS maximum tree depth."),
    target_accept: float = typer.Option(0.9, min=0.5, max=0.99, help="NUTS target acceptance."),
    chain_method: str = typer.Option(
        "parallel", help="parallel (one CPU device per chain), vectorized or sequential."
    ),
    latents: str = typer.Option(
        "partial", help="Sampler coordinates of the latents: partial, scaled or centred."
    ),
    ship_dir: Path = typer.Option(
        None,
        help="Also write a thinned posterior + JSON header here.",
        callback=lambda v: outputs.output_folder(v, "ship_dir"),
    ),
    model: str = typer.Option(
        "ma2021", help="ma2021 (Ma & Ghosh 2021) or monotone (planetinfer's predictive relation)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print diagnostics as JSON."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Fit a mass-radius-flux model with NUTS and save the posterior (NetCDF via ArviZ)."""
    from planetinfer.mrf.fit import request_host_devices
    from planetinfer.mrf.shipped import model_file_stem

    model_file_stem(model)  # InputError for an unknown model
    if model == "monotone":
        request_host_devices(chains)
        _fit_monotone(catalog, out, chains, samples, warmup, seed, max_year, missing_errors,
                      flux_source, ship_dir, json_out, quiet)  # fmt: skip
        return
    if chain_method not in ("parallel", "vectorized", "sequential"):
        raise InputError(f"chain_method = {chain_method!r}: parallel, vectorized or sequential")
    if chain_method == "parallel":
        request_host_devices(chains)  # before JAX starts its backend

    from planetinfer.mrf.data import SelectionOptions, format_report, load_sample
    from planetinfer.mrf.fit import FitSettings, fit_posterior, metadata, save_posterior

    config = _model_config(
        flux_components, radius_components, knots, error_scale, ramp_width, radius_ordering
    )
    try:
        config = replace(config, latent_parameterisation=latents)
    except ValueError as error:
        raise InputError(str(error)) from error
    sample = load_sample(catalog, SelectionOptions(max_year, missing_errors, flux_source))
    if len(sample) < 10:
        raise InputError(f"catalog = {catalog} leaves {len(sample)} planets after selection (< 10)")
    if not quiet:
        typer.echo(format_report(sample), err=True)
    settings = FitSettings(
        chains=chains,
        warmup=warmup,
        samples=samples,
        seed=seed,
        max_tree_depth=max_tree_depth,
        target_accept=target_accept,
        chain_method=chain_method,
        progress=not quiet,
    )
    command = "planetinfer " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    idata = fit_posterior(sample, config, settings, command=command)
    save_posterior(idata, out)
    meta = metadata(idata)
    if ship_dir is not None:
        from planetinfer.mrf.shipped import write_shipped

        write_shipped(idata, ship_dir)
    payload = {
        "posterior": str(out),
        "n_planets": len(sample),
        "fit_seconds": meta["fit_seconds"],
        "min_ess_per_second_global": meta["min_ess_per_second_global"],
        "diagnostics": meta["diagnostics"],
    }
    if json_out:
        _echo_json(payload, None)
    else:
        typer.echo(jsonout.dumps(payload["diagnostics"], indent=1), err=True)


def _fit_monotone(catalog, out, chains, samples, warmup, seed, max_year, missing_errors,
                  flux_source, ship_dir, json_out, quiet) -> None:  # fmt: skip
    from planetinfer.mrf import monotone_fit
    from planetinfer.mrf.data import SelectionOptions, format_report, load_sample

    sample = load_sample(catalog, SelectionOptions(max_year, missing_errors, flux_source))
    if len(sample) < 10:
        raise InputError(f"catalog = {catalog} leaves {len(sample)} planets after selection (< 10)")
    if not quiet:
        typer.echo(format_report(sample), err=True)
    command = "planetinfer " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    idata = monotone_fit.fit(sample, chains, warmup, samples, seed, progress=not quiet,
                             command=command)  # fmt: skip
    idata.to_netcdf(str(out), engine="h5netcdf")
    if ship_dir is not None:
        monotone_fit.write_shipped(idata, sample, ship_dir)
    attrs = idata.posterior.attrs
    payload = {"posterior": str(out), "model": "monotone", "n_planets": len(sample),
               "fit_seconds": attrs["fit_seconds"],
               "diagnostics": json.loads(attrs["diagnostics"])}  # fmt: skip
    if json_out:
        _echo_json(payload, None)
    else:
        typer.echo(jsonout.dumps(payload["diagnostics"], indent=1), err=True)


@app.command()
def check(
    posterior: Path = typer.Argument(..., help="Posterior NetCDF written by `mrf fit`."),
    catalog: Path = typer.Option(None, help="The PSCompPars export the posterior was fitted to."),
    out: Path = typer.Option(
        Path("figures"), help="Folder for the figures and checks.json.", callback=outputs.folder
    ),
    posterior_draws: int = typer.Option(1000, min=20, help="Posterior draws for the residuals."),
    draws: int = old_option("--draws", "--posterior-draws"),
    hotelling_draws: int = typer.Option(500, min=20, help="Draws per planet for the MCD."),
    planet: list[str] = typer.Option(None, help="Restrict the Hotelling step to these planets."),
    seed: int = typer.Option(0, help="Random seed (MCD starts, Monte Carlo moments)."),
    json_out: bool = typer.Option(False, "--json", help="Print the results as JSON."),
) -> None:
    """Robust Hotelling procedure and Bayesian studentized residuals (Sec. 5); figures 3-10."""
    from planetinfer.mrf.checks import json_summary, run_checks
    from planetinfer.mrf.fit import load_posterior, metadata

    idata = load_posterior(posterior)
    meta = metadata(idata)
    if catalog is not None:
        from planetinfer.catalog import file_sha256

        fitted = meta.get("snapshot", {}).get("sha256")
        if fitted and file_sha256(catalog) != fitted:
            raise InputError(f"catalog = {catalog} is not the export the posterior was fitted to")
    result = run_checks(
        idata, max_draws=prefer(posterior_draws, draws, "--draws", "--posterior-draws"),
        hotelling_draws=hotelling_draws, seed=seed, planets=planet or None
    )
    out.mkdir(parents=True, exist_ok=True)
    _check_figures(idata, result, meta, out)
    summary = json_summary(result)
    summary["figures"] = sorted(str(p) for p in out.glob("*.png"))
    (out / "checks.json").write_text(jsonout.dumps(summary, indent=1, default=float))
    if json_out:
        _echo_json(summary, None)
    else:
        typer.echo(f"wrote {out / 'checks.json'} and {len(summary['figures'])} figures", err=True)


def _check_figures(idata, result: dict, meta: dict, out: Path) -> None:
    from planetinfer.mrf.checks import flat_draws
    from planetinfer.plots import mrf as plots
    from planetinfer.plots._common import save

    ramp = meta.get("model_config", {}).get("ramp_width", 0.0)
    sites = ("knots", "mass_constant", "mass_precision", "mass_index_intercept", "mass_index_slope")
    draws = flat_draws(idata, sites, 2000)
    fig, _ = plots.plot_mass_relation(draws, ramp)
    save(fig, out / "fig3_mass_relation.png")
    names = result["names"]
    fitted = f"{len(names)} planets"

    def titled(fig_ax, title):
        fig_ax[1].set_title(f"{title} ({fitted})", fontsize=9)
        return fig_ax[0]

    fig = titled(plots.plot_residuals_vs_radius(
        result["radius_array"], result["mass_residual_array"], names
    ), "studentized mass-layer residuals (Ma & Ghosh 2021, Fig. 4)")  # fmt: skip
    save(fig, out / "fig4_studentized_residuals.png")
    fig = titled(plots.plot_residuals_vs_radius(
        result["radius_array"], result["observation_residual_array"], names, 0.5,
        ylabel="observation-layer residual (M_ob - M) / s_M",
    ), "observation-layer residuals (Fig. 5)")  # fmt: skip
    save(fig, out / "fig5_observation_residuals.png")
    fig = titled(plots.plot_qq(
        result["observation_residual_array"], result["observation_layer"]["generalized_normal"]
    ), "Q-Q plot of the observation-layer residuals (Fig. 6)")  # fmt: skip
    save(fig, out / "fig6_qq.png")
    lookup = {n: i for i, n in enumerate(names)}
    idx = [lookup[n] for n in result["hotelling_names_array"]]
    fig = titled(plots.plot_hotelling(
        result["mass_array"][idx], result["radius_array"][idx],
        result["hotelling_class_array"], result["hotelling_names_array"],
    ), "Hotelling T$^2$ test per planet (Fig. 7)")  # fmt: skip
    save(fig, out / "fig7_hotelling.png")
    fig, _ = plots.plot_high_error_radii(
        result["radius_array"], result["relative_mass_error_array"]
    )
    save(fig, out / "fig8_high_mass_error_radii.png")
    fig = titled(plots.plot_gamma_posteriors(draws, ramp), "flux index at four radii (Fig. 9)")
    save(fig, out / "fig9_gamma_posteriors.png")
    from planetinfer.mrf.predict import mass_posterior_from_idata

    fig = titled(plots.plot_mass_vs_radius_at_flux(
        mass_posterior_from_idata(idata, max_draws=1000)
    ), "median predicted mass at four fluxes (Figs 10-11)")  # fmt: skip
    save(fig, out / "fig10_mass_vs_radius_at_flux.png")


@app.command()
def predict(
    radius: list[float] = typer.Option(None, help="Observed radius [R_E] (repeatable)."),
    radius_err: list[float] = typer.Option(
        None, help="1-sigma radius error [R_E], one per --radius."
    ),
    flux: list[float] = typer.Option(None, help="Incident flux [S_E] (repeatable)."),
    flux_err: list[float] = typer.Option(None, help="1-sigma flux error [S_E], one per --flux."),
    planet: list[str] = typer.Option(None, help="Planet name(s) looked up in --catalog."),
    catalog: Path = typer.Option(None, help="PSCompPars export for --planet / --table lookups."),
    table: Path = typer.Option(
        None, help="CSV with columns radius [R_E], flux [S_E] (radius_err, flux_err and name "
        "optional); bad rows are skipped with a warning naming the row."
    ),
    posterior: Path = typer.Option(None, help="Posterior NetCDF (default: the shipped fit)."),
    model: str = typer.Option(
        "monotone", help="Shipped model: monotone (default) or ma2021 (Ma & Ghosh 2021)."
    ),
    samples: int = typer.Option(1000, help="Predictive samples per planet (at least)."),
    seed: int = typer.Option(0, help="Random seed."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON (the Python API's to_dict())."),
    out: Path = typer.Option(None, help="Write the JSON here as well.", callback=outputs.json_file),
    plot: Path = typer.Option(
        None, help="Figure of the predicted masses.", callback=outputs.figure_file
    ),
) -> None:
    """Posterior predictive mass given radius and flux (docs/mrf.md)."""
    from planetinfer.api.mass import predict_mass

    names, r, re, f, fe = _prediction_inputs(
        radius, radius_err, flux, flux_err, planet, catalog, table
    )
    result = predict_mass(r, f, re, fe, samples=samples, seed=seed, posterior=posterior,
                          names=names, model=model)  # fmt: skip
    if json_out or out is not None:
        text = result.to_json(indent=1)
        if out is not None:
            Path(out).write_text(text)
        if json_out:
            typer.echo(text)
    if not json_out:
        for i in range(len(result)):
            row = result.planet_dict(i)
            q = row["mass_earth"]
            typer.echo(
                f"{row['name']}: M = {q['p50']:.2f} (+{q['p84'] - q['p50']:.2f} "
                f"-{q['p50'] - q['p16']:.2f}) M_E, 97.5%: {q['p97.5']:.1f}, "
                f"in_domain={row['in_domain']}"
            )
    if plot is not None:
        from planetinfer.plots._common import save

        save(result.plot(), plot)


def _prediction_inputs(radius, radius_err, flux, flux_err, planet, catalog, table):
    """Names and arrays (R, s_R, F, s_F) from the options, a catalog lookup or a CSV table."""
    import numpy as np

    if planet:
        if catalog is None:
            raise InputError("planet lookup needs --catalog PSCompPars.csv")
        from planetinfer.catalog import find_planet, read_pscomppars
        from planetinfer.mrf.data import planet_inputs

        frame = read_pscomppars(catalog)
        values = [planet_inputs(find_planet(frame, name)) for name in planet]
        return list(planet), *(np.array(v) for v in zip(*values, strict=True))
    if table is not None:
        return _table_inputs(table)
    if not radius or not flux:
        raise InputError("give --radius and --flux (or --planet with --catalog, or --table)")
    n = len(radius)
    if len(flux) != n:
        raise InputError(f"flux has {len(flux)} values but radius has {n}")

    def errors(values, label):
        # one error per planet: a single error for planets of different sizes would be right
        # for one of them at most (zero, no error, is the exception)
        if not values:
            return np.zeros(n)
        if len(values) != n and not (len(values) == 1 and values[0] == 0):
            raise InputError(f"--{label.replace('_', '-')} has {len(values)} value(s) but there "
                             f"are {n} planets: give one error per planet")  # fmt: skip
        return np.broadcast_to(np.asarray(values, float), (n,)).copy()

    names = [f"R={a:g} R_E, F={b:g} S_E" for a, b in zip(radius, flux, strict=True)]
    return (
        names,
        np.asarray(radius, float),
        errors(radius_err, "radius_err"),
        np.asarray(flux, float),
        errors(flux_err, "flux_err"),
    )


def _table_inputs(table):
    """Rows of a --table CSV (radius, flux; radius_err, flux_err optional, default 0; name
    optional). A bad row gets a one-line warning with its row number and reason and is skipped."""
    import numpy as np
    import pandas as pd

    from planetinfer.csvinput import read_numeric_table
    from planetinfer.mrf.predict import validate_inputs

    columns = ("radius", "radius_err", "flux", "flux_err")
    frame, problems = read_numeric_table(table, "table", ("radius", "flux"), columns[1::2])
    for column in columns[1::2]:
        if column not in frame:
            frame[column] = 0.0
    labels = pd.read_csv(table, dtype=str).get("name")
    names = [f"row {i + 1}" if labels is None else str(labels.iloc[i]) for i in range(len(frame))]
    for row in range(1, len(frame) + 1):
        if row in problems:
            continue
        try:
            validate_inputs(*(frame[c].to_numpy()[row - 1 : row] for c in columns))
        except InputError as error:
            problems[row] = str(error)
    for row in sorted(problems):
        warnings.warn(f"table row {row} ({names[row - 1]}): {problems[row]}; skipped",
                      stacklevel=2)  # fmt: skip
    keep = np.array([row + 1 not in problems for row in range(len(frame))])
    if not keep.any():
        raise InputError(f"table = {table}: no row can be used (see the warnings)")
    return [n for n, k in zip(names, keep, strict=True) if k], *(
        frame[c].to_numpy(float)[keep] for c in columns)  # fmt: skip


@app.command()
def compare(
    posteriors: list[Path] = typer.Argument(
        ..., help="Posterior NetCDF files fitted to one sample."
    ),
    error_draws: int = typer.Option(64, min=4, help="Error-distribution draws per planet."),
    posterior_draws: int = typer.Option(400, min=10, help="Posterior draws used."),
    draws: int = old_option("--draws", "--posterior-draws"),
    seed: int = typer.Option(0, help="Random seed."),
    out: Path = typer.Option(None, help="Write the JSON here as well.", callback=outputs.json_file),
) -> None:
    """WAIC, PSIS-LOO (marginal likelihood) and the paper's DIC for each posterior (JSON)."""
    from planetinfer.mrf.compare import information_criteria
    from planetinfer.mrf.fit import load_posterior, metadata
    from planetinfer.mrf.model import ModelConfig

    rows = []
    for path in posteriors:
        idata = load_posterior(path)
        meta = metadata(idata)
        config = ModelConfig.from_dict(meta["model_config"])
        criteria = information_criteria(idata, config, error_draws,
                                        prefer(posterior_draws, draws, "--draws",
                                               "--posterior-draws"), seed)  # fmt: skip
        rows.append(
            {
                "posterior": str(path),
                "model_config": meta["model_config"],
                "n_planets": meta.get("n_planets"),
                **criteria,
            }
        )
    samples = {row["n_planets"] for row in rows}
    payload = {
        "models": rows,
        "same_sample": len(samples) == 1,
        "best_by_loo": max(rows, key=lambda r: r["elpd_loo"])["posterior"],
        "best_by_dic": min(rows, key=lambda r: r["dic"])["posterior"],
    }
    _echo_json(payload, out)


@app.command()
def evaluate(
    catalog: Path = typer.Option(..., help="NASA Exoplanet Archive PSCompPars CSV export."),
    cutoff_year: int = typer.Option(
        None, help="Fit on planets discovered up to this year, score the later ones."
    ),
    new_catalog: Path = typer.Option(
        None, help="A newer export: fit on all of --catalog, score the planets only it has."
    ),
    chains: int = typer.Option(4, min=1, help="NUTS chains of each fit."),
    samples: int = typer.Option(1000, min=10, help="Draws per chain after warm-up."),
    warmup: int = typer.Option(500, min=10, help="Warm-up iterations per chain."),
    seed: int = typer.Option(0, help="Random seed."),
    flux_source: str = typer.Option("equation1", help="equation1 or archive (pl_insol)."),
    model: str = typer.Option("all", help="monotone, ma2021 or all."),
    anchor_draws: Path = typer.Option(
        None, help="Other tools' draws for the test planets (.npz from "
        "benchmarks/mrf_anchors.py), scored alike.",
    ),  # fmt: skip
    out: Path = typer.Option(
        None, help="Write the report JSON (with per-planet scores) here.",
        callback=outputs.json_file,
    ),  # fmt: skip
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Time-split evaluation: median |log10 M_pred/M_obs|, 68/95 % coverage and log predictive
    density of the planets discovered after --cutoff-year (or new in --new-catalog), by radius
    and flux bin."""
    from planetinfer.mrf.fit import request_host_devices

    if (cutoff_year is None) == (new_catalog is None):
        raise InputError("give one of --cutoff-year YEAR or --new-catalog CSV")

    request_host_devices(chains)  # before JAX starts its backend

    from planetinfer.mrf import evaluate as E
    from planetinfer.mrf.data import SelectionOptions, load_sample
    from planetinfer.mrf.fit import FitSettings, fit_posterior
    from planetinfer.mrf.model import ModelConfig
    from planetinfer.mrf.predict import mass_posterior_from_idata

    sample = load_sample(catalog, SelectionOptions(None, "drop", flux_source))
    settings = FitSettings(chains=chains, warmup=warmup, samples=samples, seed=seed,
                           progress=not quiet)  # fmt: skip

    from planetinfer.mrf import monotone_fit

    def enough(train):
        if len(train) < 10:
            raise InputError(f"the training sample has {len(train)} planets (< 10)")

    def fit_ma2021(train):
        enough(train)
        idata = fit_posterior(train, ModelConfig(), settings, command="planetinfer mrf evaluate")
        return mass_posterior_from_idata(idata, max_draws=1000)

    def fit_monotone(train):
        enough(train)
        idata = monotone_fit.fit(train, chains, warmup, samples, seed, progress=not quiet)
        return mass_posterior_from_idata(idata, max_draws=1000)

    fitters = {"monotone": fit_monotone, "ma2021": fit_ma2021}
    if model != "all":
        if model not in fitters:
            raise InputError(f"model = {model!r} is not one of monotone, ma2021 or all")
        fitters = {model: fitters[model]}
    if new_catalog is None:
        train, test = E.split_by_year(sample, cutoff_year)
        where = {"cutoff_year": cutoff_year}
        split = f"discovered up to {cutoff_year}", "discovered later"
    else:
        train = sample
        test = E.new_planets(sample, load_sample(new_catalog, SelectionOptions(None, "drop",
                                                                               flux_source)))  # fmt: skip
        where = {"new_catalog": str(new_catalog)}
        split = f"of {catalog.name}", f"new in {new_catalog.name}"
    if len(test) == 0:
        raise InputError(f"no planet to score: {', '.join(f'{k} = {v}' for k, v in where.items())}")
    extra = None if anchor_draws is None else E.anchor_draws(anchor_draws, test.names)
    report = {**where, **E.score_split(train, test, fitters, seed, extra=extra)}
    report["catalog"] = str(catalog)
    report["fit"] = {"chains": chains, "warmup": warmup, "samples": samples, "seed": seed}
    if out is not None:
        out.write_text(jsonout.dumps(report, indent=1))
    summary = {k: v for k, v in report.items() if k != "planets"}
    if json_out:
        _echo_json(summary, None)
    else:
        typer.echo(f"fit on {report['n_train']} planets {split[0]}, scored on {report['n_test']} "
                   f"{split[1]}\n" + E.format_table(report["models"]))  # fmt: skip
