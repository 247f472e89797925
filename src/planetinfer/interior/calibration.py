"""Post-hoc recalibration of a trained mixture head by a Gaussian scale mixture.

Where the posterior is nearly a point (two-layer planets, or any planet once k2 is given), a
network's Gaussian components are as wide as its own fitting error, whose size it cannot know
planet by planet; on the test split the truth then falls inside the 68 % interval too often (the
(M, R, Teq, k2) network: 80 % instead of 68 %) while the 95 % interval is about right
(docs/interior.md, "Calibration"). Shrinking every component fixes the 68 % interval and empties
the 95 % one (scale 0.5: 68 % -> 68 %, 95 % -> 93 %), so each component N(mu, L L^T) is replaced
by the scale mixture

    (1 - eps) N(mu, a^2 L L^T) + eps N(mu, b^2 L L^T),   0 < eps < 1, a, b > 0,

a narrower core with wider shoulders around the same mean. It is still a mixture of multivariate
normals (2K components), so log_prob, sampling and every summary stay exact and consistent. The
three numbers are chosen on the validation split (never the test split) by `fit`: the setting
with the smallest largest deviation of the 68 / 95 % coverage from nominal over the eight
fractions. eps = 0 (or a = b = 1) is the uncalibrated network.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

# fit(): the grid searched (eps, a, b); a < 1 < b
GRID_EPS = (0.1, 0.15)
GRID_INNER = (0.45, 0.5, 0.6, 0.7, 0.85)
GRID_OUTER = (1.2, 1.4)


class ScaleMixture(NamedTuple):
    """Weight of the wide part and the factors of the narrow (inner) and wide (outer) parts."""

    eps: float
    inner: float
    outer: float


def check(calibration) -> ScaleMixture | None:
    """Validate a calibration triple (or None); raises ValueError naming the valid range."""
    if calibration is None:
        return None
    eps, inner, outer = (float(v) for v in calibration)
    if not 0.0 < eps < 1.0:
        raise ValueError(f"calibration eps = {eps} is outside the valid range (0, 1)")
    if inner <= 0.0 or outer <= 0.0:
        raise ValueError(f"calibration scale factors ({inner}, {outer}) must be > 0")
    return ScaleMixture(eps, inner, outer)


def widen(mix, calibration: ScaleMixture):
    """The K-component Gaussian mixture `mix` as its 2K-component scale mixture (see module).

    mix: a numpyro MixtureSameFamily with batch shape (...), event shape (D,), in standardised
    target units (heads.mixture); returns the same batch and event shapes with components
    [narrow 1..K, wide 1..K]. interior/numpy_mdn.py applies the same widening to NumPy arrays.
    """
    import jax.numpy as jnp
    import numpyro.distributions as dist

    eps, inner, outer = calibration
    logits = mix.mixing_distribution.logits
    logits = jnp.concatenate([logits + jnp.log1p(-eps), logits + jnp.log(eps)], axis=-1)
    component = mix.component_distribution
    if isinstance(component, dist.MultivariateNormal):
        loc = jnp.concatenate([component.loc, component.loc], axis=-2)
        tril = jnp.concatenate(
            [inner * component.scale_tril, outer * component.scale_tril], axis=-3
        )
        widened = dist.MultivariateNormal(loc, scale_tril=tril)
    else:  # diagonal: Normal(loc, scale).to_event(1)
        base = component.base_dist
        loc = jnp.concatenate([base.loc, base.loc], axis=-2)
        scale = jnp.concatenate([inner * base.scale, outer * base.scale], axis=-2)
        widened = dist.Normal(loc, scale).to_event(1)
    return dist.MixtureSameFamily(dist.Categorical(logits=logits), widened)


def worst_deviation(coverage: dict) -> float:
    """Largest |coverage - nominal| over outputs and the 68 / 95 % levels, in percentage points."""
    return 100.0 * max(max(abs(c["c68"] - 0.68), abs(c["c95"] - 0.95)) for c in coverage.values())


def fit(loaded, dataset, n_planets: int = 2000, n_samples: int = 400, seed: int = 0,
        progress=None) -> dict:  # fmt: skip
    """Grid search of (eps, a, b) on the validation split; returns the best and every setting.

    loaded: store.LoadedModel (its own calibration is replaced by each setting in turn);
    dataset: data.DataSet.
    Returns {"calibration": [eps, a, b], "worst_pp": ..., "uncalibrated_worst_pp": ...,
    "coverage": {output: {"c68", "c95"}}, "grid": [...]}.
    """
    import dataclasses

    from planetinfer.interior import validate

    def coverage_with(calibration):
        config = dataclasses.replace(loaded.config, calibration=calibration)
        model = dataclasses.replace(loaded, config=config)
        cov, _ = validate.coverage(model, dataset, n_planets, n_samples, seed, part="val")
        return cov

    base = coverage_with(None)
    grid, best = [], None
    settings = list(itertools.product(GRID_EPS, GRID_INNER, GRID_OUTER))
    for i, setting in enumerate(settings):
        cov = coverage_with(setting)
        entry = {"calibration": list(setting), "worst_pp": worst_deviation(cov), "coverage": cov}
        grid.append(entry)
        if best is None or entry["worst_pp"] < best["worst_pp"]:
            best = entry
        if progress is not None:
            progress(i + 1, len(settings))
    return {**best, "uncalibrated_worst_pp": worst_deviation(base), "part": "val",
            "n_planets": n_planets, "n_samples": n_samples, "seed": seed,
            "grid": [{k: e[k] for k in ("calibration", "worst_pp")} for e in grid]}  # fmt: skip


def save_calibrated(loaded, fit_result: dict, out_dir, command: str):
    """Write the network of `loaded` with fit_result's calibration to out_dir/<name>.json/.eqx.

    The weights are unchanged; the header keeps the training provenance and adds "calibration"
    (the chosen triple, the grid, the validation coverage and `command`). Returns the header path.
    """
    import dataclasses

    from planetinfer.interior import mdn, store

    config = dataclasses.replace(loaded.config, calibration=tuple(fit_result["calibration"]))
    own = ("format", "name", "config", "weights_file", "weights_sha256", "package_version")
    kept = {k: v for k, v in loaded.header.items() if k not in (*own, "calibration")}
    summary = {k: v for k, v in fit_result.items() if k != "coverage"}
    summary["validation_coverage"] = fit_result["coverage"]
    summary["command"] = command
    return store.save(mdn.with_config(loaded.model, config), out_dir, loaded.header["name"],
                      {**kept, "calibration": summary})  # fmt: skip
