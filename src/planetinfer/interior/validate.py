"""Validation of trained networks on held-out synthetic planets.

- NLL table: mean negative log-likelihood on the test split, (a) in each model's own space and
  (b) in one common space: the 6-D additive log-ratio density of planets with all four layers
  present, conditional on all four being present. Ours gives ln p_0(z | x) (the pattern head
  removed); ExoMDN's network is trained on exactly those rows. Units: nats per planet.
- Coverage: for each of the 8 fractions, the share of test planets whose true value falls inside
  the central 68 % / 95 % interval, using the randomised PIT u = F(y-) + V (F(y) - F(y-)),
  V ~ U(0, 1), which is uniform for a calibrated forecast even with atoms at exact zero.
- Monte Carlo rejection cross-check (Baumeister et al. 2020, Sect. 3.3, Eq. 9): forward-model
  planets from the training prior within delta = sqrt((dM/M)^2 + (dR/R)^2) < 5 % of a target,
  compared with the network posterior pooled over the accepted planets' own (M, R).
- k2 experiment: 68 % interval widths of core and mantle fractions with and without k2.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import stats

from planetinfer.interior import baselines, mdn
from planetinfer.interior import data as D
from planetinfer.interior import predict as P
from planetinfer.interior.store import LoadedModel
from planetinfer.interior.train import mean_nll, prepare
from planetinfer.interior.transforms import LAYERS

OUTPUTS = tuple(f"{layer}_{kind}_fraction" for kind in ("mass", "radius") for layer in LAYERS)
MC_TARGETS = {  # Baumeister et al. 2020, Sect. 3.3 (mass [M_E], radius [R_E])
    "Earth": (1.0, 1.0),
    "Kepler-10 b": (3.72, 1.47),
    "GJ 1214 b": (6.26, 2.85),
    "Neptune": (17.1, 3.865),
}


def nll_entry(name: str, loaded: LoadedModel, dataset: D.DataSet) -> dict:
    """Test-split NLL of one network in its own space and in the common all-present space."""
    cfg = loaded.model.config
    x, t = prepare(dataset, cfg, "test")
    total, conditional = mean_nll(loaded.model, x, t)
    entry = {"name": name, "inputs": list(cfg.inputs), "representation": cfg.representation,
             "components": cfg.components, "covariance": cfg.covariance,
             "nll_own_space": total, "n_test_own": int(x.shape[0])}  # fmt: skip
    if cfg.representation == "patterns":
        rows = np.rint(t[:, 0]) == 0
        entry["nll_all_present_alr6"] = mean_nll(loaded.model, x[rows], t[rows])[1]
        entry["n_test_all_present"] = int(rows.sum())
    elif cfg.representation == "exomdn":
        entry["nll_all_present_alr6"] = total
        entry["n_test_all_present"] = int(x.shape[0])
    return entry


def null_entries(dataset: D.DataSet) -> list[dict]:
    """The null model in our space and in the common all-present space."""
    out = []
    for rep in ("patterns", "exomdn"):
        cfg = mdn.MDNConfig(representation=rep)
        _, t_train = prepare(dataset, cfg, "train")
        _, t_test = prepare(dataset, cfg, "test")
        null = baselines.fit_null(rep, t_train)
        total, _ = null.log_prob(t_test)
        if rep == "patterns":
            out.append({"name": "null", "representation": rep, "nll_own_space": -float(total.mean()),
                        "n_test_own": int(t_test.shape[0])})  # fmt: skip
        else:
            out[0]["nll_all_present_alr6"] = -float(total.mean())
            out[0]["n_test_all_present"] = int(t_test.shape[0])
    return out


def randomised_pit(samples: np.ndarray, truth: np.ndarray, rng) -> np.ndarray:
    """PIT per planet: samples (n, s), truth (n,) -> (n,) in [0, 1]."""
    below = np.mean(samples < truth[:, None], axis=1)
    at_or_below = np.mean(samples <= truth[:, None], axis=1)
    return below + rng.uniform(size=truth.shape) * (at_or_below - below)


def coverage(loaded: LoadedModel, dataset: D.DataSet, n_planets: int = 2000, n_samples: int = 400,
             seed: int = 0, part: str = "test") -> tuple[dict, dict]:  # fmt: skip
    """Coverage of central 68 / 95 % intervals per output on planets of a split (default test;
    calibration.fit uses "val").

    Returns (coverage {output: {"c68", "c95"}}, figure data {output: (truth (n,), samples (n, s))}).
    """
    rng = np.random.default_rng(seed)
    test = dataset.part(part)
    test = test.iloc[rng.permutation(len(test))[:n_planets]]
    x = D.inputs_array(test, loaded.inputs)
    draws = P.sample_posterior(loaded.model, x, n_samples, seed)
    m_true, r_true = D.fractions(test)
    result, figure = {}, {}
    for i, layer in enumerate(LAYERS):
        for kind, truth in (("mass", m_true[:, i]), ("radius", r_true[:, i])):
            samples = draws[f"{kind}_fractions"][:, :, i]
            if not np.all(np.isfinite(samples)):
                continue
            pit = randomised_pit(samples, truth, rng)
            name = f"{layer}_{kind}_fraction"
            result[name] = {"c68": float(np.mean((pit >= 0.16) & (pit <= 0.84))),
                            "c95": float(np.mean((pit >= 0.025) & (pit <= 0.975)))}  # fmt: skip
            figure[name] = (truth, samples)
    return result, figure


def mc_crosscheck(loaded: LoadedModel, n_forward: int = 1500, margin: float = 0.05,
                  seed: int = 0, prior: str = "planetinfer", targets=None) -> dict:  # fmt: skip
    """Eq. 9 rejection sample per target vs the network posterior (a (mass, radius[, teq]) model).

    Forward models: masses uniform within +-margin of the target (the prior is uniform in mass,
    so this is the prior restricted to the window), Teq and fractions from the synth prior, solved
    with the baumeister2020 preset and the prior's envelope model; accepted if delta < margin.
    Distances per fraction: 1-D Wasserstein-1 and the two-sample KS statistic.
    """
    from planetinfer.structure.solve import solve_batch
    from planetinfer.synth.priors import load_prior

    the_prior = load_prior(prior)
    out = {}
    for k, (name, (mass, radius)) in enumerate((targets or MC_TARGETS).items()):
        draw = the_prior.sample(n_forward, seed + k)
        m = np.random.default_rng(seed + k).uniform(
            mass * (1 - margin), mass * (1 + margin), n_forward
        )
        solved = solve_batch(m, draw["mass_fractions"], draw["teq"], model="baumeister2020",
                             envelope=the_prior.envelope_model, on_invalid="flag")  # fmt: skip
        r = solved["radius"] / 6.3781e6
        delta = np.hypot((m - mass) / mass, (r - radius) / radius)
        ok = (solved["status"] == 0) & (delta < margin)
        entry = {"n_forward": n_forward, "n_accepted": int(ok.sum()),
                 "n_failed": int(np.sum(solved["status"] != 0))}  # fmt: skip
        if ok.sum() >= 5:
            raw = {"mass": m[ok], "radius": r[ok], "teq": draw["teq"][ok]}
            x = np.column_stack([raw[n] for n in loaded.inputs])
            net = P.sample_posterior(loaded.model, x, 20, seed)
            mc = {"mass": solved["mass_fractions"][ok], "radius": solved["radius_fractions"][ok]}
            for i, layer in enumerate(LAYERS):
                for kind in ("mass", "radius"):
                    a = net[f"{kind}_fractions"][:, :, i].reshape(-1)
                    b = mc[kind][:, i]
                    entry[f"{layer}_{kind}_fraction"] = {
                        "wasserstein": float(stats.wasserstein_distance(a, b)),
                        "ks": float(stats.ks_2samp(a, b).statistic),
                        "mc_median": float(np.median(b)), "net_median": float(np.median(a)),
                    }  # fmt: skip
            entry["_samples"] = (net, mc)
        out[name] = entry
    return out


def interval_width(row: dict, output: str) -> float:
    q = row["summary"][output]
    return q["p84"] - q["p16"]


def k2_experiment(without_k2: LoadedModel, with_k2: LoadedModel, values: dict, rel_errors: dict,
                  n_samples: int = 20000, seed: int = 0) -> dict:  # fmt: skip
    """68 % widths of core/mantle mass and radius fractions without and with k2.

    values/rel_errors: {input: value} and {input: relative 1-sigma error} (k2 used only by
    with_k2). Returns widths and shrinkage = 1 - width_with / width_without per output.
    """
    rows = {}
    for label, loaded in (("without", without_k2), ("with", with_k2)):
        v = {n: values[n] for n in loaded.inputs}
        s = {n: rel_errors.get(n, 0.0) * values[n] for n in loaded.inputs}
        rows[label] = P.predict(loaded, [P.Planet(v, s, s, name="Earth analogue")], n_samples,
                                2000, seed)[0]  # fmt: skip
    out = {}
    for output in ("core_radius_fraction", "mantle_radius_fraction", "core_mass_fraction",
                   "mantle_mass_fraction"):  # fmt: skip
        w0, w1 = interval_width(rows["without"], output), interval_width(rows["with"], output)
        out[output] = {"width68_without_k2": w0, "width68_with_k2": w1, "shrinkage": 1 - w1 / w0,
                       "median_with_k2": rows["with"]["summary"][output]["p50"]}  # fmt: skip
    return out


def report(loaded: LoadedModel, dataset: D.DataSet, out_dir, others=(), n_planets: int = 2000,
           n_samples: int = 400, seed: int = 0) -> dict:  # fmt: skip
    """NLL table (model, baselines, null), coverage and predicted-vs-true figures in out_dir."""
    from planetinfer.plots import interior as plots
    from planetinfer.plots._common import save

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = [nll_entry(loaded.header.get("name", "model"), loaded, dataset)]
    table += [nll_entry(o.header.get("name", str(o.path)), o, dataset) for o in others]
    table += null_entries(dataset)
    cov, figure = coverage(loaded, dataset, n_planets, n_samples, seed)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(14, 7), constrained_layout=True)
    for ax, name in zip(axes.reshape(-1), OUTPUTS, strict=True):
        if name in figure:
            truth, samples = figure[name]
            plots.predicted_vs_true(truth, samples[:, :50], name.replace("_", " "), ax=ax)
    save(fig, out_dir / "predicted_vs_true.png")
    result = {"model": loaded.header.get("name"), "nll_table": table, "coverage": cov,
              "coverage_test_planets": min(n_planets, int(np.sum(dataset.split == "test"))),
              "samples_per_planet": n_samples, "seed": seed,
              "common_space": "6-D additive log-ratio (core reference) density of test planets "
              "with all four layers, conditional on all four being present [nats]"}  # fmt: skip
    (out_dir / "report.json").write_text(json.dumps(result, indent=1, default=float))
    return result
