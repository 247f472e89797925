"""Figures of the interior capability: corner plot of one posterior, a summary of many planets,
predicted-versus-true densities (Baumeister et al. 2020, Fig. 4) and the Monte Carlo cross-check
(their Fig. 5). Functions take ax=None (or axes) and return (fig, ax)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from planetinfer.plots._common import figure_and_axes

LAYERS = ("core", "mantle", "water", "envelope")
COLOURS = {"core": "tab:red", "mantle": "tab:brown", "water": "tab:blue", "envelope": "tab:cyan"}


def corner(samples: np.ndarray, labels, truths=None, axes=None, bins: int = 40):
    """Corner plot of samples (n, k): histograms on the diagonal, 2-D histograms below.

    Exact zeros (absent layers) appear as a spike at 0. Returns (fig, axes (k, k)).
    """
    k = samples.shape[1]
    if axes is None:
        fig, axes = plt.subplots(k, k, figsize=(2.0 * k, 2.0 * k), constrained_layout=True)
    fig = axes[0, 0].figure
    for i in range(k):
        for j in range(k):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(samples[:, i], bins=bins, range=(0, 1), color="0.3", histtype="step")
                ax.set_yticks([])
            else:
                ax.hist2d(samples[:, j], samples[:, i], bins=bins, range=[[0, 1], [0, 1]],
                          cmap="Greys")  # fmt: skip
            if truths is not None:
                ax.axvline(truths[j], color="tab:red", lw=0.8)
                if i != j:
                    ax.axhline(truths[i], color="tab:red", lw=0.8)
            if i == k - 1:
                ax.set_xlabel(labels[j])
            if j == 0 and i > 0:
                ax.set_ylabel(labels[i])
    return fig, axes


def posterior_corner(result: dict, kind: str = "mass", truths=None):
    """Corner plot of the four {kind} fractions of one predict() result row."""
    samples = result["samples"][f"{kind}_fractions"]
    labels = [f"{layer} {kind} fr." for layer in LAYERS]
    fig, axes = corner(samples, labels, truths)
    fig.suptitle(f"{result.get('name') or 'planet'}: p(no water) = "
                 f"{result['summary']['p_no_water']:.2f}, p(no envelope) = "
                 f"{result['summary']['p_no_envelope']:.2f}")  # fmt: skip
    return fig, axes


def summary(rows: list[dict], kind: str = "mass", ax=None):
    """Median and 68 % interval of each layer's {kind} fraction for many planets."""
    fig, ax = figure_and_axes(ax, figsize=(7.0, 0.35 * len(rows) + 1.5))
    y = np.arange(len(rows))
    for offset, layer in zip((-0.27, -0.09, 0.09, 0.27), LAYERS, strict=True):
        q = np.array([[r["summary"][f"{layer}_{kind}_fraction"][p] for p in ("p16", "p50", "p84")]
                      for r in rows])  # fmt: skip
        ax.errorbar(q[:, 1], y + offset, xerr=[q[:, 1] - q[:, 0], q[:, 2] - q[:, 1]], fmt="o",
                    ms=3, color=COLOURS[layer], label=layer)  # fmt: skip
    ax.set_yticks(y, [r["name"] for r in rows])
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"{kind} fraction (median, 68 % interval)")
    ax.legend(loc="lower right", fontsize=7)
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
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
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
    ax.legend(fontsize=7)
    return fig, ax
