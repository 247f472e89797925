"""Figures of the mass-radius-flux relation, after Ma & Ghosh (2021) Figures 3-11.

Every function takes ax=None and returns (fig, ax) (or (fig, axes) for multi-panel figures).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from planetinfer.plots._common import figure_and_axes

GAMMA_RADII = (0.3, 0.9, 1.2, 1.3)  # log10 R where Fig. 9 shows the posterior of gamma


def _mass_curves(draws: dict, log_r: np.ndarray, ramp_width: float = 0.0):
    """C(r), gamma(r), sigma_M(r) per draw, each (S, len(log_r)) (eqs. 13-18)."""
    import jax
    import jax.numpy as jnp

    from planetinfer.mrf.model import flux_index, region_weights

    def one(p):
        w = region_weights(jnp.asarray(log_r), p["knots"], ramp_width)
        gamma = flux_index(
            jnp.asarray(log_r), p["knots"], p["mass_index_intercept"], p["mass_index_slope"]
        )
        return w @ p["mass_constant"], gamma, 1.0 / jnp.sqrt(w @ p["mass_precision"])

    keys = ("knots", "mass_constant", "mass_precision", "mass_index_intercept", "mass_index_slope")
    out = jax.vmap(one)({k: jnp.asarray(draws[k]) for k in keys})
    return [np.asarray(x) for x in out]


def plot_mass_relation(draws: dict, ramp_width: float = 0.0, axes=None):
    """Fig. 3: posterior mean and 68 % band of C(r), gamma(r) and sigma_M(r) against log10 R."""
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    else:
        fig = axes[0].figure
    log_r = np.linspace(-0.2, 1.45, 200)
    curves = _mass_curves(draws, log_r, ramp_width)
    labels = ("power-law constant C", "power-law index gamma", "sigma_M [dex]")
    for ax, values, label in zip(axes, curves, labels, strict=True):
        lo, mid, hi = np.quantile(values, [0.16, 0.5, 0.84], axis=0)
        ax.fill_between(log_r, lo, hi, alpha=0.3)
        ax.plot(log_r, values.mean(0))
        for kappa in np.asarray(draws["knots"]).mean(0):
            ax.axvline(kappa, ls=":", c="k")
        ax.set(xlabel="log10 R [R_earth]", ylabel=label)
    return fig, axes


def plot_gamma_posteriors(draws: dict, ramp_width: float = 0.0, ax=None):
    """Fig. 9: posterior densities of gamma at log10 R = 0.3, 0.9, 1.2 and 1.3."""
    fig, ax = figure_and_axes(ax)
    _, gamma, _ = _mass_curves(draws, np.asarray(GAMMA_RADII), ramp_width)
    for i, r in enumerate(GAMMA_RADII):
        ax.hist(gamma[:, i], bins=40, density=True, histtype="step", label=f"log10 R = {r}")
    ax.axvline(0, c="k", lw=0.8)
    ax.set(xlabel="gamma (flux index)", ylabel="posterior density")
    ax.legend()
    return fig, ax


def plot_residuals_vs_radius(
    radius, residuals, names=None, threshold=3.0, ax=None, ylabel="studentized residual"
):
    """Figs. 4-5: posterior-mean residuals against observed radius; |r| > threshold labelled."""
    fig, ax = figure_and_axes(ax)
    radius, residuals = np.asarray(radius), np.asarray(residuals)
    ax.scatter(radius, residuals, s=8)
    for y in (-threshold, threshold):
        ax.axhline(y, ls="--", c="r", lw=0.8)
    if names is not None:
        for i in np.flatnonzero(np.abs(residuals) > threshold):
            ax.annotate(names[i], (radius[i], residuals[i]), fontsize=7)
    ax.set(xscale="log", xlabel="R_ob [R_earth]", ylabel=ylabel)
    return fig, ax


def plot_qq(residuals, gn: dict | None = None, ax=None):
    """Fig. 6: normal Q-Q plot of observation-layer residuals, with the fitted GN quantiles."""
    fig, ax = figure_and_axes(ax)
    x = np.sort(np.asarray(residuals))
    p = (np.arange(1, x.size + 1) - 0.5) / x.size
    normal = stats.norm.ppf(p)
    ax.scatter(normal, x, s=8, label="r-bar (M_ob)")
    ax.plot(normal, x.mean() + x.std() * normal, c="k", lw=0.8, label="normal")
    if gn is not None:
        ax.plot(
            normal,
            stats.gennorm.ppf(p, gn["beta"], gn["mu"], gn["alpha"]),
            c="r",
            label=f"GN({gn['mu']:.2f}, {gn['alpha']:.2f}, {gn['beta']:.2f})",
        )
    ax.set(xlabel="normal quantile", ylabel="sample quantile")
    ax.legend()
    return fig, ax


def plot_high_error_radii(radius, relative_mass_error, ax=None):
    """Fig. 8: radii of planets whose s_M = sigma_M/M exceeds its 90 % quantile."""
    fig, ax = figure_and_axes(ax)
    radius, rel = np.asarray(radius), np.asarray(relative_mass_error)
    cut = np.quantile(rel, 0.9)
    ax.hist(radius[rel > cut], bins=np.logspace(-0.2, 1.5, 25))
    ax.set(xscale="log", xlabel="R_ob [R_earth]", ylabel=f"planets with s_M > {cut:.3f}")
    return fig, ax


def plot_hotelling(mass, radius, classes, names=None, ax=None):
    """Fig. 7 style: observed M-R plane, disjoint (outlying) planets highlighted."""
    fig, ax = figure_and_axes(ax)
    colours = {"contained": "tab:blue", "overlapping": "tab:orange", "disjoint": "tab:red"}
    classes = np.asarray(classes)
    for label, colour in colours.items():
        sel = classes == label
        ax.scatter(
            np.asarray(radius)[sel],
            np.asarray(mass)[sel],
            s=10,
            c=colour,
            label=f"{label} ({sel.sum()})",
        )
    if names is not None:
        for i in np.flatnonzero(classes == "disjoint"):
            ax.annotate(names[i], (radius[i], mass[i]), fontsize=7)
    ax.set(xscale="log", yscale="log", xlabel="R [R_earth]", ylabel="M [M_earth]")
    ax.legend()
    return fig, ax


def plot_mass_vs_radius_at_flux(posterior, fluxes=(10.0, 100.0, 1000.0, 5000.0), ax=None):
    """Figs. 10-11 style: predictive median mass against radius at fixed fluxes."""
    from planetinfer.mrf.predict import predict_mass

    fig, ax = figure_and_axes(ax)
    radius = np.logspace(0.0, 1.4, 60)
    for flux in fluxes:
        pred = predict_mass(posterior, radius, 0.0, np.full_like(radius, flux), 0.0)
        ax.plot(radius, pred["mass_earth"]["p50"], label=f"F = {flux:g} F_earth")
    ax.set(xscale="log", yscale="log", xlabel="R [R_earth]", ylabel="median predicted M [M_earth]")
    ax.legend()
    return fig, ax


def plot_predictions(names, quantiles: dict, ax=None):
    """Predicted masses with 68 % and 95 % intervals, one row per planet."""
    fig, ax = figure_and_axes(ax)
    y = np.arange(len(names))
    q = {k: np.asarray(v) for k, v in quantiles.items()}
    ax.errorbar(
        q["p50"],
        y,
        xerr=[q["p50"] - q["p2.5"], q["p97.5"] - q["p50"]],
        fmt="none",
        elinewidth=1,
        c="0.6",
    )
    ax.errorbar(q["p50"], y, xerr=[q["p50"] - q["p16"], q["p84"] - q["p50"]], fmt="o", c="k")
    ax.set_yticks(y, names)
    ax.set(xscale="log", xlabel="predicted mass [M_earth]")
    return fig, ax
