"""Figures of the interior capability: corner plot of one posterior, a summary of many planets,
predicted-versus-true densities (Baumeister et al. 2020, Fig. 4) and the Monte Carlo cross-check
(their Fig. 5). Functions take ax=None (or axes) and return (fig, ax)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from planetinfer.plots._common import LAYER_COLOURS as COLOURS
from planetinfer.plots._common import LAYERS, figure_and_axes


def _limits(values: np.ndarray) -> tuple[float, float]:
    """Axis range of one fraction, zoomed on its samples (0.5-99.5 %, 5 % margin) within [0, 1]."""
    lo, hi = np.percentile(values, [0.5, 99.5]) if values.size else (0.0, 1.0)
    pad = max(0.05 * (hi - lo), 0.01)
    return max(0.0, lo - pad), min(1.0, hi + pad)


def _smooth(density: np.ndarray) -> np.ndarray:
    """A [1, 2, 1] / 4 smoothing along both axes (contours of a sampled density are noisy)."""
    padded = np.pad(density, 1, mode="edge")
    rows = 0.25 * (padded[:-2] + 2 * padded[1:-1] + padded[2:])
    return 0.25 * (rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:])


def _credible_levels(density: np.ndarray, levels=(0.95, 0.68)) -> list[float]:
    """Histogram heights enclosing the given probability (highest-density regions)."""
    flat = np.sort(density.ravel())[::-1]
    cumulative = np.cumsum(flat) / max(flat.sum(), 1e-300)
    return sorted({float(flat[min(np.searchsorted(cumulative, p), flat.size - 1)]) for p in levels})


def corner(samples: np.ndarray, labels, truths=None, axes=None, bins: int = 40, colours=None):
    """Corner plot of samples (n, k), each axis zoomed on its samples: histograms with the
    median and the 16/84 % quantiles (dashed) on the diagonal, 2-D histograms with the 68 and
    95 % highest-density contours below. Exact zeros (absent layers) show as a spike at 0.
    Returns (fig, axes (k, k))."""
    k = samples.shape[1]
    colours = colours or ["0.2"] * k
    if axes is None:
        fig, axes = plt.subplots(k, k, figsize=(1.8 * k, 1.8 * k), constrained_layout=True)
    fig = axes[0, 0].figure
    limits = [_limits(samples[:, i]) for i in range(k)]
    for i in range(k):
        for j in range(k):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                values = samples[:, i]
                ax.hist(values, bins=bins, range=limits[i], color=colours[i], histtype="step")
                q16, q50, q84 = np.percentile(values, [16, 50, 84])
                for q, style in ((q16, "--"), (q50, "-"), (q84, "--")):
                    ax.axvline(q, color=colours[i], ls=style, lw=0.8)
                ax.set_title(f"{q50:.3f} +{q84 - q50:.3f} -{q50 - q16:.3f}", fontsize=7)
                ax.set_yticks([])
                ax.set_xlim(limits[i])
            else:
                density, xe, ye, _ = ax.hist2d(samples[:, j], samples[:, i], bins=bins,
                                               range=[limits[j], limits[i]], cmap="Greys")  # fmt: skip
                density = _smooth(density)
                levels = _credible_levels(density)
                if len(levels) == 2 and levels[0] < levels[1] and density.max() > levels[1]:
                    centres = (0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1]))
                    ax.contour(*centres, density.T, levels=levels, colors=["tab:orange", "tab:red"],
                               linewidths=0.8)  # fmt: skip
            if truths is not None:
                ax.axvline(truths[j], color="tab:green", lw=0.8)
                if i != j:
                    ax.axhline(truths[i], color="tab:green", lw=0.8)
            if i == k - 1:
                ax.set_xlabel(labels[j], fontsize=8)
            else:  # a column shares its range: its values are read on the bottom panel
                ax.tick_params(labelbottom=False)
            if 0 < j < i:  # so does a row, read on its left panel
                ax.tick_params(labelleft=False)
            if j == 0 and i > 0:
                ax.set_ylabel(labels[i], fontsize=8)
            ax.tick_params(labelsize=6)
    return fig, axes


def posterior_corner(result: dict, kind: str = "both", truths=None, model: dict | None = None):
    """Corner plot of one predict() result row: the four mass fractions, the four radius
    fractions, or both (kind "mass", "radius", "both"); the title names the planet, its inputs
    with their errors, P(no water), P(no envelope) and, given the model header summary
    ({"name", "calibrated"}), the network; contours enclose 68 % (red) and 95 % (orange)."""
    kinds = ("mass", "radius") if kind == "both" else (kind,)
    samples = np.concatenate([result["samples"][f"{k}_fractions"] for k in kinds], axis=1)
    labels = [f"{layer} {k} fraction" for k in kinds for layer in LAYERS]
    colours = [COLOURS[layer] for _ in kinds for layer in LAYERS]
    fig, axes = corner(samples, labels, truths, colours=colours)
    from matplotlib.lines import Line2D

    keys = [Line2D([], [], color="0.45", lw=1), Line2D([], [], color="0.45", lw=0.8, ls="--"),
            Line2D([], [], color="tab:red", lw=0.8), Line2D([], [], color="tab:orange", lw=0.8)]
    texts = ["median (diagonal, layer colour)", "16 and 84 % quantiles", "68 % credible region",
             "95 % credible region"]  # fmt: skip
    if truths is not None:
        keys.append(Line2D([], [], color="tab:green", lw=0.8))
        texts.append("true value")
    fig.legend(keys, texts, loc="upper right", fontsize=9, frameon=False,
               title="spike at 0: the layer is absent", title_fontsize=8)  # fmt: skip
    inputs = result.get("inputs") or {}
    units = {"mass": ("mass", "M$_\\oplus$"), "radius": ("radius", "R$_\\oplus$"),
             "teq": ("Teq", "K"), "k2": ("k2", "")}  # fmt: skip
    given = ", ".join(f"{units[k][0]} {inputs[k]:.3g}{_error_text(inputs, k)} {units[k][1]}"
                      .strip() for k in units if k in inputs)  # fmt: skip
    name = result.get("name")
    given = given if name in (None, "", "planet") else f"{name} ({given})"
    network = "" if model is None else (
        f"\nnetwork {model.get('name')}"
        + ("" if model.get("calibrated") else " (intervals not calibrated)"))  # fmt: skip
    fig.suptitle(f"{given}: P(no water) = "
                 f"{result['summary']['p_no_water']:.2f}, P(no H/He envelope) = "
                 f"{result['summary']['p_no_envelope']:.2f}{network}", fontsize=10)  # fmt: skip
    return fig, axes


def _error_text(inputs: dict, key: str) -> str:
    """The input's 1-sigma error as text (" ± e", or " +e1 -e2" if split); "" without one."""
    upper = inputs.get(f"{key}_err") or 0.0
    lower = inputs.get(f"{key}_err_lower", upper) or 0.0
    if not upper and not lower:
        return ""
    return f" ± {upper:.2g}" if upper == lower else f" +{upper:.2g} -{lower:.2g}"


def summary(rows: list[dict], kind: str = "mass", ax=None):
    """Median and 68 % interval of each layer's {kind} fraction for many planets."""
    fig, ax = figure_and_axes(ax, figsize=(7.0, 0.35 * len(rows) + 1.5))
    y = np.arange(len(rows))
    for offset, layer in zip((-0.27, -0.09, 0.09, 0.27), LAYERS, strict=True):
        q = np.array([[r["summary"][f"{layer}_{kind}_fraction"][p] for p in ("p16", "p50", "p84")]
                      for r in rows])  # fmt: skip
        ax.errorbar(q[:, 1], y + offset, xerr=[q[:, 1] - q[:, 0], q[:, 2] - q[:, 1]], fmt="o",
                    ms=3, color=COLOURS[layer], label=layer)  # fmt: skip
    for edge in y[:-1] + 0.5:  # one band per planet: its four layers, core lowest
        ax.axhline(edge, color="0.85", lw=0.8)
    ax.set_yticks(y, [r["name"] for r in rows])
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_ylabel("planet")
    ax.set_xlim(-0.02, 1.0)  # room for the markers of absent layers at 0
    ax.set_xlabel(f"{kind} fraction (median, 68 % interval)")
    ax.set_title(f"layer {kind} fractions of {len(rows)} planets (core lowest in each band)",
                 fontsize=9)  # fmt: skip
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    return fig, ax


def predicted_vs_true(true_values, predicted_samples, label: str, ax=None, bins: int = 50):
    """2-D density of predicted samples against the true value (Baumeister et al. 2020, Fig. 4).

    true_values: (n,); predicted_samples: (n, s) network samples for each test planet.
    """
    fig, ax = figure_and_axes(ax, figsize=(4.0, 4.0))
    s = predicted_samples.shape[1]
    x = np.repeat(np.asarray(true_values), s)
    # logarithmic colours: the atoms at exact zero (absent layers) would swamp a linear scale
    ax.hist2d(x, np.asarray(predicted_samples).reshape(-1), bins=bins, range=[[0, 1], [0, 1]],
              cmap="Blues", cmin=1, norm=LogNorm())  # fmt: skip
    ax.plot([0, 1], [0, 1], "k--", lw=0.8, label="predicted = true")
    ax.legend(fontsize=7, loc="upper left", title="blue: density of samples (log)", title_fontsize=7)
    ax.set_xlabel(f"true {label}")
    ax.set_ylabel(f"predicted {label}")
    return fig, ax


def mc_comparison(network: np.ndarray, monte_carlo: np.ndarray, label: str, ax=None):
    """Network posterior (line) over the Monte Carlo rejection sample (histogram), one fraction."""
    fig, ax = figure_and_axes(ax, figsize=(4.0, 3.0))
    ax.hist(monte_carlo, bins=25, range=(0, 1), density=True, color="0.8", label="MC rejection")
    ax.hist(network, bins=50, range=(0, 1), density=True, histtype="step", color="tab:blue",
            label="network")  # fmt: skip
    ax.set_xlabel(label)
    ax.set_ylabel("probability density")
    ax.legend(fontsize=7)
    return fig, ax
