"""Figures of the mass-radius-flux relation, after Ma & Ghosh (2021) Figures 3-11.

Every function takes ax=None and returns (fig, ax) (or (fig, axes) for multi-panel figures).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from planetinfer.plots._common import figure_and_axes, plain_log_ticks

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
    labels = ("C: log10 M [M$_\\oplus$] at F = 1 S$_\\oplus$", "flux index gamma",
              "sigma_M [dex]")  # log10 M = C(r) + gamma(r) log10 F, scatter sigma_M (eqs. 13-18)
    for ax, values, label in zip(axes, curves, labels, strict=True):
        lo, mid, hi = np.quantile(values, [0.16, 0.5, 0.84], axis=0)
        ax.fill_between(log_r, lo, hi, alpha=0.3)
        ax.plot(log_r, values.mean(0))
        for kappa in np.asarray(draws["knots"]).mean(0):
            ax.axvline(kappa, ls=":", c="k")
        ax.set(xlabel="log10 R [R$_\\oplus$]", ylabel=label)
    fig.suptitle("mass layer of the fit: posterior mean (line) and 68 % band; dotted: the "
                 "knots (Ma & Ghosh 2021, Fig. 3)", fontsize=10)  # fmt: skip
    return fig, axes


def plot_gamma_posteriors(draws: dict, ramp_width: float = 0.0, ax=None):
    """Fig. 9: posterior densities of gamma at log10 R = 0.3, 0.9, 1.2 and 1.3."""
    fig, ax = figure_and_axes(ax)
    _, gamma, _ = _mass_curves(draws, np.asarray(GAMMA_RADII), ramp_width)
    for i, r in enumerate(GAMMA_RADII):
        ax.hist(gamma[:, i], bins=40, density=True, histtype="step",
                label=f"R = {10**r:.3g} R$_\\oplus$ (log10 R = {r})")  # fmt: skip
    ax.axvline(0, c="k", lw=0.8, label="gamma = 0: no flux dependence")
    ax.set(xlabel="gamma (flux index)", ylabel="posterior density")
    ax.legend()
    return fig, ax


def plot_residuals_vs_radius(
    radius, residuals, names=None, threshold=3.0, ax=None, ylabel="studentized residual"
):
    """Figs. 4-5: posterior-mean residuals against observed radius; |r| > threshold labelled."""
    fig, ax = figure_and_axes(ax)
    radius, residuals = np.asarray(radius), np.asarray(residuals)
    ax.scatter(radius, residuals, s=8, label="planet (posterior mean)")
    for y in (-threshold, threshold):
        ax.axhline(y, ls="--", c="r", lw=0.8,
                   label=f"|residual| = {threshold:g} (outliers numbered)" if y > 0 else None)  # fmt: skip
    ax.legend(fontsize=7)
    ax.set(xscale="log", xlabel="R_ob [R$_\\oplus$]", ylabel=ylabel)
    if names is not None:
        outliers = np.flatnonzero(np.abs(residuals) > threshold)
        _name_the_most_extreme(ax, radius, residuals, names, outliers, np.abs(residuals))
    return fig, ax


def _name_the_most_extreme(ax, x, y, names, chosen, extremeness, limit: int = 12):
    """Number at most `limit` of the chosen points, the most extreme first, and name them in a
    key beside the axes (numbers are short enough not to print over each other where outliers
    crowd); the key says how many more are left unnamed."""
    from matplotlib.lines import Line2D

    chosen = np.asarray(chosen, int)
    shown = chosen[np.argsort(-np.asarray(extremeness)[chosen])][:limit]
    shown = shown[np.argsort(np.asarray(x)[shown])]  # numbered left to right
    for k, i in enumerate(shown, start=1):
        ax.annotate(str(k), (x[i], y[i]), xytext=(3, 3), textcoords="offset points",
                    fontsize=6, fontweight="bold", zorder=10,
                    bbox={"boxstyle": "round,pad=0.05", "fc": "white", "ec": "none",
                          "alpha": 0.7})  # fmt: skip
    if not shown.size:
        return
    key = [Line2D([], [], ls="none", label=f"{k}  {names[i]}") for k, i in enumerate(shown, 1)]
    if chosen.size > shown.size:
        key.append(Line2D([], [], ls="none", label=f"{chosen.size - shown.size} more not named"))
    if ax.get_legend() is not None:
        ax.add_artist(ax.get_legend())  # keep the data legend beside the key
    ax.legend(handles=key, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6,
              handlelength=0, handletextpad=0, frameon=False, title="named", title_fontsize=6)


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
    ax.set(xlabel="normal quantile", ylabel="sample quantile of (M_ob - M) / s_M")
    ax.legend()
    return fig, ax


def plot_high_error_radii(radius, relative_mass_error, ax=None):
    """Fig. 8: radii of planets whose s_M = sigma_M/M exceeds its 90 % quantile."""
    fig, ax = figure_and_axes(ax)
    radius, rel = np.asarray(radius), np.asarray(relative_mass_error)
    cut = np.quantile(rel, 0.9)
    ax.hist(radius[rel > cut], bins=np.logspace(-0.2, 1.5, 25))
    ax.set(xscale="log", xlabel="R_ob [R$_\\oplus$]", ylabel=f"planets with s_M / M > {cut:.3f}")
    ax.set_title("radii of the 10 % of planets with the largest relative mass errors s_M / M "
                 "(Fig. 8)", fontsize=9)  # fmt: skip
    return fig, ax


def plot_hotelling(mass, radius, classes, names=None, ax=None):
    """Fig. 7 style: observed M-R plane, disjoint (outlying) planets highlighted."""
    fig, ax = figure_and_axes(ax)
    colours = {"contained": "tab:blue", "overlapping": "tab:orange", "disjoint": "tab:red"}
    classes = np.asarray(classes)
    for order, (label, colour) in enumerate(colours.items()):  # the outlying ones drawn on top
        sel = classes == label
        ax.scatter(
            np.asarray(radius)[sel],
            np.asarray(mass)[sel],
            s=10 + 6 * order,
            c=colour,
            zorder=2 + order,
            label=f"{label} ({sel.sum()})",
        )
    ax.set(xscale="log", yscale="log", xlabel="R [R$_\\oplus$]", ylabel="M [M$_\\oplus$]")
    ax.legend()
    if names is not None:
        disjoint = np.flatnonzero(classes == "disjoint")
        _name_the_most_extreme(ax, np.asarray(radius), np.asarray(mass), names, disjoint,
                               np.zeros(len(classes)))  # fmt: skip
    return fig, ax


def plot_mass_vs_radius_at_flux(posterior, fluxes=(10.0, 100.0, 1000.0, 5000.0), ax=None):
    """Figs. 10-11 style: predictive median mass against radius at fixed fluxes (dashed outside
    the fitted planets)."""
    fig, ax = figure_and_axes(ax)
    radius = np.logspace(0.0, 1.4, 60)
    for k, flux in enumerate(fluxes):
        pred = _quiet_prediction(posterior, radius, flux)
        _split_by_domain(ax, radius, pred["mass_earth"]["p50"], pred["in_domain"], f"C{k}",
                         f"F = {flux:g} S$_\\oplus$")  # fmt: skip
    ax.plot([], [], "k--", lw=1, label="outside the fitted planets")
    ax.set(xscale="log", yscale="log", xlabel="radius [R$_\\oplus$]",
           ylabel="median predicted mass [M$_\\oplus$]")  # fmt: skip
    ax.legend()
    return fig, ax


def _quiet_prediction(posterior, radius, flux):
    """The predictive along a radius grid at one flux, without the out-of-domain warning (the
    figure marks that part instead)."""
    import warnings

    from planetinfer.mrf.predict import predict_mass

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return predict_mass(posterior, radius, 0.0, np.full_like(radius, flux), 0.0, seed=0)


def _split_by_domain(ax, x, y, inside, color, label):
    """A curve solid where `inside`, dashed elsewhere (one legend entry)."""
    inside = np.asarray(inside, bool)
    ax.plot(x, np.where(inside, y, np.nan), "-", c=color, label=label)
    # dashed part overlaps one point into the solid part, so the curve stays joined
    outside = ~inside | np.convolve(~inside, [1, 1, 1], mode="same").astype(bool)
    ax.plot(x, np.where(outside, y, np.nan), "--", c=color, lw=1)


def plot_predictions(names, quantiles: dict, ax=None, in_domain=None):
    """Predicted masses [M_E] with 68 % (thick) and 95 % (thin) intervals, one row per planet;
    a planet outside the fitted range is an open marker. Returns (fig, ax)."""
    fig, ax = figure_and_axes(ax, figsize=(6.0, 0.4 * len(names) + 1.8))
    y = np.arange(len(names))
    q = {k: np.asarray(v) for k, v in quantiles.items()}
    inside = np.ones(len(names), bool) if in_domain is None else np.asarray(in_domain, bool)
    ax.errorbar(q["p50"], y, xerr=[q["p50"] - q["p2.5"], q["p97.5"] - q["p50"]], fmt="none",
                elinewidth=1, c="0.6", label="95 % interval")  # fmt: skip
    ax.errorbar(q["p50"], y, xerr=[q["p50"] - q["p16"], q["p84"] - q["p50"]], fmt="none",
                elinewidth=3, c="k", label="68 % interval")  # fmt: skip
    ax.plot(q["p50"][inside], y[inside], "o", c="k", ms=6, label="median")
    if (~inside).any():
        ax.plot(q["p50"][~inside], y[~inside], "o", c="k", mfc="white", ms=6,
                label="median, outside the fitted range")  # fmt: skip
    ax.set_yticks(y, names)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.invert_yaxis()
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis, float(np.log10(np.max(q["p97.5"]) / np.min(q["p2.5"]))))
    ax.set_xlabel("predicted mass [M$_\\oplus$]")
    ax.set_ylabel("planet")
    ax.legend(fontsize=7, loc="best")
    return fig, ax


def plot_prediction_summary(posterior, names, inputs: dict, quantiles: dict, in_domain,
                            max_planets: int = 40):  # fmt: skip
    """Left: the planets within a factor 2 of the first planet's flux (median and 68 % interval of
    the predicted mass, radius with its error) on the predictive mass-radius relation (median,
    dashed outside the fitted planets; 68 and 95 % bands) at that flux; right:
    plot_predictions. At most `max_planets` rows. Returns (fig, axes)."""
    import matplotlib.pyplot as plt

    n = min(len(names), max_planets)
    fig, axes = plt.subplots(1, 2, figsize=(11.0, max(4.2, 0.4 * n + 1.8)),
                             constrained_layout=True)  # fmt: skip
    q = {k: np.asarray(v)[:n] for k, v in quantiles.items()}
    radius = np.asarray(inputs["radius"], float)[:n]
    radius_err = np.asarray(inputs["radius_err"], float)[:n]
    flux = float(np.asarray(inputs["flux"], float)[0])
    lo, hi = 10 ** np.asarray(posterior.domain["log10_radius"], float)
    grid = np.logspace(np.log10(lo), np.log10(hi), 80)
    prediction = _quiet_prediction(posterior, grid, flux)
    curve = prediction["mass_earth"]
    ax = axes[0]
    ax.fill_between(grid, curve["p2.5"], curve["p97.5"], color="C0", alpha=0.15,
                    label="95 % predictive")  # fmt: skip
    ax.fill_between(grid, curve["p16"], curve["p84"], color="C0", alpha=0.3, label="68 % predictive")
    _split_by_domain(ax, grid, curve["p50"], prediction["in_domain"], "C0",
                     f"median at F = {flux:.3g} S$_\\oplus$")  # fmt: skip
    if not np.all(prediction["in_domain"]):
        ax.plot([], [], "C0--", lw=1, label="median outside the fitted planets")
    # only planets near this flux belong on this relation
    near = np.abs(np.log10(np.asarray(inputs["flux"], float)[:n] / flux)) <= np.log10(2.0)
    inside = np.asarray(in_domain, bool)[:n] & near
    outside = ~np.asarray(in_domain, bool)[:n] & near
    ax.errorbar(radius[near], q["p50"][near], xerr=radius_err[near],
                yerr=[(q["p50"] - q["p16"])[near], (q["p84"] - q["p50"])[near]],
                fmt="none", ecolor="k", elinewidth=1, capsize=2)  # fmt: skip
    if inside.any():
        ax.plot(radius[inside], q["p50"][inside], "o", c="k", ms=6, label="planet (68 %)")
    if outside.any():
        ax.plot(radius[outside], q["p50"][outside], "o", c="k", mfc="white", ms=6,
                label="outside the fitted range")  # fmt: skip
    ax.set(xscale="log", yscale="log", xlabel="radius [R$_\\oplus$]",
           ylabel="mass [M$_\\oplus$]")  # fmt: skip
    plain_log_ticks(ax.xaxis)
    plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title("predicted mass-radius relation" + (
        f" at the first planet's flux;\n{int(near.sum())} of {n} planets within a factor 2 of it"
        if n > 1 else ""), fontsize=9)  # fmt: skip
    plot_predictions(list(names)[:n], q, ax=axes[1], in_domain=np.asarray(in_domain, bool)[:n])
    title = f"predicted masses of {n} planets"
    if n == 1:
        title = (f"R = {radius[0]:.3g} ± {radius_err[0]:.2g} R$_\\oplus$, F = {flux:.3g} "
                  f"S$_\\oplus$ -> M = {q['p50'][0]:.3g} [{q['p16'][0]:.3g}, {q['p84'][0]:.3g}] "
                  "M$_\\oplus$ (68 %)")  # fmt: skip
    fig.suptitle(title, fontsize=10)
    return fig, axes
