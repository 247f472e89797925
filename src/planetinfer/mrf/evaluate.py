"""Time-split evaluation of mass predictions: fit on planets discovered up to a cut-off year,
score the predictive masses of the planets discovered after it.

The score of one planet compares its observed mass M_ob (error s_M) with the predictive
distribution of its mass given its observed radius and flux (with their errors):

* point error: |log10(median of the predictive / M_ob)| [dex];
* coverage: whether M_ob lies inside the central 68 % and 95 % intervals of the predictive
  convolved with the mass error (each predictive draw plus N(0, s_M), in M_earth), so a planet
  with a poorly measured mass is not held against the model;
* log predictive density of log10 M_ob [log dex^-1]: a Gaussian kernel density estimate of the
  log10 predictive draws (Silverman's bandwidth, Silverman 1986 Eq. 3.31) widened by the mass
  error in dex, s_M / (M_ob ln 10), evaluated at log10 M_ob.

With each coverage goes the two-sided exact binomial p-value of the count inside under the
nominal rate (0.68, 0.95): a bin of 29 planets has a standard error of 8.7 pp at 68 %, so a miss
of 5 pp there says little, while a small p-value says the intervals are wrong for that bin.

Scores are reported overall and by radius (< 1.5, 1.5-4, 4-8, > 8 R_earth) and flux (< 100,
>= 100 F_earth) bins. The discovery year stands in for the date the mass was published: the
archive's composite table does not give the latter.
"""

from __future__ import annotations

import numpy as np

from planetinfer.mrf.data import MRFSample

RADIUS_BINS = (("R < 1.5", 0.0, 1.5), ("1.5 <= R < 4", 1.5, 4.0), ("4 <= R < 8", 4.0, 8.0),
               ("R >= 8", 8.0, np.inf))  # fmt: skip
FLUX_BINS = (("F < 100", 0.0, 100.0), ("F >= 100", 100.0, np.inf))


def split_by_year(sample: MRFSample, cutoff_year: int) -> tuple[MRFSample, MRFSample]:
    """(planets discovered up to cutoff_year, planets discovered after it)."""
    early = np.asarray(sample.disc_year) <= cutoff_year
    return sample.subset(early), sample.subset(~early)


def score_planets(log10_mass_draws, mass, mass_err, seed: int = 0) -> dict:
    """Per-planet scores from predictive draws.

    log10_mass_draws: (n, s) predictive draws of log10 M [M_earth]; mass, mass_err: (n,) observed
    mass and 1-sigma error [M_earth]. Returns {"abs_log_error", "inside68", "inside95",
    "log_density"}, each (n,).
    """
    draws = np.asarray(log10_mass_draws, float)
    mass, mass_err = np.asarray(mass, float), np.asarray(mass_err, float)
    n, s = draws.shape
    rng = np.random.default_rng(seed)
    median = np.median(draws, axis=1)
    noisy = 10.0**draws + rng.normal(size=(n, s)) * mass_err[:, None]
    lo68, hi68, lo95, hi95 = np.percentile(noisy, [16, 84, 2.5, 97.5], axis=1)
    log_obs = np.log10(mass)
    spread = np.minimum(draws.std(axis=1),
                        (np.percentile(draws, 75, axis=1) - np.percentile(draws, 25, axis=1)) / 1.34)  # fmt: skip
    bandwidth = 0.9 * np.maximum(spread, 1e-6) * s ** (-0.2)  # Silverman 1986, Eq. 3.31
    width = np.sqrt(bandwidth**2 + (mass_err / (mass * np.log(10.0))) ** 2)
    z = (log_obs[:, None] - draws) / width[:, None]
    log_kernel = -0.5 * z**2 - np.log(width[:, None] * np.sqrt(2.0 * np.pi))
    peak = log_kernel.max(axis=1)
    log_density = peak + np.log(np.mean(np.exp(log_kernel - peak[:, None]), axis=1))
    return {"abs_log_error": np.abs(median - log_obs),
            "inside68": (mass >= lo68) & (mass <= hi68),
            "inside95": (mass >= lo95) & (mass <= hi95), "log_density": log_density}  # fmt: skip


def summarise(scores: dict, radius, flux) -> dict:
    """Scores averaged overall and per radius and flux bin: {bin: {n, median_abs_log_error,
    mean_abs_log_error, coverage68, coverage95, p68, p95, mean_log_density}} (bins without
    planets are left out; p68, p95: binomial p-values of the coverages, see the module text)."""
    from scipy.stats import binomtest

    radius, flux = np.asarray(radius, float), np.asarray(flux, float)
    groups = {"all": np.ones(radius.shape, bool)}
    groups.update({label: (radius >= lo) & (radius < hi) for label, lo, hi in RADIUS_BINS})
    groups.update({label: (flux >= lo) & (flux < hi) for label, lo, hi in FLUX_BINS})
    out = {}
    for label, rows in groups.items():
        if not rows.any():
            continue
        out[label] = {"n": int(rows.sum()),
                      "median_abs_log_error": float(np.median(scores["abs_log_error"][rows])),
                      "mean_abs_log_error": float(np.mean(scores["abs_log_error"][rows])),
                      "coverage68": float(np.mean(scores["inside68"][rows])),
                      "coverage95": float(np.mean(scores["inside95"][rows])),
                      "p68": binomtest(int(scores["inside68"][rows].sum()), int(rows.sum()),
                                       0.68).pvalue,
                      "p95": binomtest(int(scores["inside95"][rows].sum()), int(rows.sum()),
                                       0.95).pvalue,
                      "mean_log_density": float(np.mean(scores["log_density"][rows]))}  # fmt: skip
    return out


def format_table(results: dict) -> str:
    """Text table: one block per model, one line per bin."""
    lines = []
    header = (f"{'bin':14s} {'n':>4s} {'med|dlogM|':>10s} {'mean|dlogM|':>11s} {'cov68':>6s} "
              f"{'p68':>6s} {'cov95':>6s} {'p95':>6s} {'LPD':>7s}")  # fmt: skip
    for model, table in results.items():
        lines += [f"{model}", header]
        for label, row in table.items():
            lines.append(f"{label:14s} {row['n']:4d} {row['median_abs_log_error']:10.3f} "
                         f"{row['mean_abs_log_error']:11.3f} {row['coverage68']:6.2f} "
                         f"{row['p68']:6.3f} {row['coverage95']:6.2f} {row['p95']:6.3f} "
                         f"{row['mean_log_density']:7.3f}")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def predictive_draws(posterior, sample: MRFSample, seed: int = 0, repeats: int = 1,
                     flux=None) -> np.ndarray:  # fmt: skip
    """(n, S) predictive draws of log10 M for the planets of `sample` (their radius and flux
    with errors); flux: replaces every planet's flux (with zero error) when given."""
    from planetinfer.mrf.predict import log_mass_draws

    fluxes = sample.flux if flux is None else np.full(len(sample), float(flux))
    errors = sample.flux_err if flux is None else np.zeros(len(sample))
    return log_mass_draws(posterior, sample.radius, sample.radius_err, fluxes, errors, seed,
                          repeats).T  # fmt: skip


def evaluate(sample: MRFSample, cutoff_year: int, fitters: dict, seed: int = 0,
             repeats: int = 4) -> dict:  # fmt: skip
    """Fit every model on the planets discovered up to `cutoff_year`, score the later ones.

    fitters: {model name: callable(train sample) -> MassPosterior}. Returns {"cutoff_year",
    "n_train", "n_test", "models": {name: summary table}, "planets": per-planet scores}. For
    each model the row "<name>, one flux" scores the same fit with every test flux replaced by
    the training sample's median: a check of what its flux dependence adds.
    """
    train, test = split_by_year(sample, cutoff_year)
    if len(test) == 0:
        from planetinfer.errors import InputError

        raise InputError(f"cutoff_year = {cutoff_year}: no planet of the sample was discovered "
                         f"after it (latest {int(np.max(sample.disc_year))})")  # fmt: skip
    return {"cutoff_year": int(cutoff_year), **score_split(train, test, fitters, seed, repeats)}


def new_planets(old: MRFSample, new: MRFSample) -> MRFSample:
    """The planets of a newer catalogue's sample that the older sample lacks (masses measured,
    or first passing the selection, after the older export)."""
    from planetinfer.catalog import normalise_name

    known = {normalise_name(n) for n in old.names}
    return new.subset(np.array([normalise_name(n) not in known for n in new.names], bool))


def score_split(train: MRFSample, test: MRFSample, fitters: dict, seed: int = 0,
                repeats: int = 4, extra: dict | None = None) -> dict:  # fmt: skip
    """Fit every model on `train` and score `test` (see `evaluate`); extra: {tool: (rows (n,)
    bool, (rows.sum(), S) log10-mass draws)} of other tools for some test planets (anchor_draws),
    scored alike on their planets."""
    per_model = {}
    for name, fit in fitters.items():
        posterior = fit(train)
        per_model[name] = predictive_draws(posterior, test, seed, repeats)
        per_model[f"{name}, one flux"] = predictive_draws(posterior, test, seed, repeats,
                                                          flux=float(np.median(train.flux)))  # fmt: skip
    everyone = np.ones(len(test), bool)
    runs = {name: (everyone, draws) for name, draws in per_model.items()}
    runs.update(extra or {})
    models, planets = {}, {"pl_name": list(test.names), "radius": test.radius.tolist(),
                           "flux": test.flux.tolist(), "mass": test.mass.tolist()}  # fmt: skip
    for name, (rows, draws) in runs.items():
        scores = score_planets(draws, test.mass[rows], test.mass_err[rows], seed)
        models[name] = summarise(scores, test.radius[rows], test.flux[rows])
        planets[name] = {"scored": rows.tolist(),
                         **{k: np.asarray(v).tolist() for k, v in scores.items()}}  # fmt: skip
    return {"n_train": len(train), "n_test": len(test), "models": models, "planets": planets}


def anchor_draws(path, names, min_draws: int = 100, seed: int = 0) -> dict:
    """Other tools' predictive draws for the test planets, from an .npz file.

    The file holds "names" (k,) and, per tool, (k, S) draws of log10 M [M_earth] (NaN where the
    tool gave no draw; benchmarks/mrf_anchors.py writes it). Returns {tool: (rows (n,) bool, draws
    (rows.sum(), S))}: the planets of `names` (the test planets, in order) with at least
    `min_draws` finite draws, their missing draws refilled by resampling the finite ones.
    """
    from planetinfer.catalog import normalise_name

    rng = np.random.default_rng(seed)
    with np.load(path, allow_pickle=False) as data:
        index = {normalise_name(str(n)): i for i, n in enumerate(data["names"])}
        out = {}
        for tool in (k for k in data.files if k != "names"):
            table = np.asarray(data[tool], float)
            rows = np.zeros(len(names), bool)
            filled = []
            for j, name in enumerate(names):
                i = index.get(normalise_name(name))
                if i is None:
                    continue
                finite = table[i][np.isfinite(table[i])]
                if finite.size >= min_draws:
                    rows[j] = True
                    filled.append(np.where(np.isfinite(table[i]), table[i],
                                           rng.choice(finite, table.shape[1])))  # fmt: skip
            if rows.any():
                out[tool] = (rows, np.array(filled))
    return out
