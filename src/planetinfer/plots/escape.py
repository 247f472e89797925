"""Figures for the escape capability: rate comparison, Figure-8-like accuracy, evolution tracks."""

from __future__ import annotations

import numpy as np

from planetinfer.plots._common import figure_and_axes

COLORS = {
    "best_network": "tab:blue",
    "mlink_network": "tab:purple",
    "rbf": "tab:red",
    "nested_1d": "tab:green",
    "network": "tab:blue",
    "energy-limited": "tab:orange",
    "core-powered": "tab:brown",
    "roche": "tab:gray",
    "k18": "tab:olive",
}


def plot_rates(rates: dict, ax=None):
    """Bar chart of log10 Mdot [g/s] per method. rates: {method: mdot_g_s}."""
    fig, ax = figure_and_axes(ax)
    names = list(rates)
    values = [np.log10(rates[n]) if rates[n] and rates[n] > 0 else np.nan for n in names]
    ax.bar(names, values, color=[COLORS.get(n, "k") for n in names])
    ax.set_ylabel(r"log$_{10}$ $\dot M$ [g s$^{-1}$]")
    ax.tick_params(axis="x", rotation=30)
    return fig, ax


def plot_accuracy(results, protocol: str, axes=None):
    """Reza et al. 2025 Fig. 8 analogue: histogram of log10(pred/true) per method (left) and
    the cumulative fraction of rows within a ratio band (right). results: evaluate long table."""
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    else:
        fig = axes[0].figure
    rows = results[results["protocol"] == protocol]
    bins = np.linspace(-1.5, 1.5, 61)
    bands = np.logspace(0, 1, 50)
    for method, group in rows.groupby("method", sort=False):
        delta = (group["log_mdot_pred"] - group["log_mdot_true"]).to_numpy()
        within2 = np.mean(np.abs(delta) <= np.log10(2))
        color = COLORS.get(method, None)
        axes[0].hist(
            np.clip(delta, bins[0], bins[-1]),
            bins=bins,
            histtype="step",
            lw=1.5,
            color=color,
            label=f"{method} ({100 * within2:.1f}% within x2)",
        )
        frac = [np.mean(np.abs(delta) <= np.log10(b)) for b in bands]
        axes[1].plot(bands, frac, color=color, label=method)
    for x in (-np.log10(2), np.log10(2)):
        axes[0].axvline(x, color="k", ls=":", lw=0.8)
    axes[0].set_xlabel(r"log$_{10}$($\dot M_{\rm pred}$ / $\dot M_{\rm grid}$)")
    axes[0].set_ylabel("held-out rows")
    axes[0].set_title(f"protocol: {protocol}")
    axes[0].legend(fontsize=8)
    axes[1].set_xscale("log")
    axes[1].axvline(2, color="k", ls=":", lw=0.8)
    axes[1].set_xlabel("ratio band r (pred/true within 1/r..r)")
    axes[1].set_ylabel("fraction of held-out rows")
    axes[1].legend(fontsize=8)
    return fig, axes


def plot_tracks(tracks: dict, axes=None, title: str = ""):
    """Reza et al. 2025 Figs. 10-11 analogue: radius and Mdot versus age for several backends.

    tracks: {method: DataFrame from evolve.evolve_planet}."""
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(6.5, 7), sharex=True, constrained_layout=True)
    else:
        fig = axes[0].figure
    for method, track in tracks.items():
        color = COLORS.get(method, None)
        axes[0].plot(track["age_gyr"], track["r_p_re"], color=color, label=method)
        positive = track["mdot_g_s"] > 0
        axes[1].plot(track["age_gyr"][positive], track["mdot_g_s"][positive], color=color)
        out = ~track["in_domain"].to_numpy(dtype=bool) & positive.to_numpy()
        if out.any():
            axes[1].plot(track["age_gyr"][out], track["mdot_g_s"][out], ".", color=color, ms=2)
        if "roche_overflow" in track and track["roche_overflow"].any():
            stop = track[track["roche_overflow"]].iloc[0]
            axes[0].plot(stop["age_gyr"], stop["r_p_re"], "x", color=color, ms=9,
                         label=f"{method}: fills its Roche lobe, track stops")  # fmt: skip
    axes[0].set_xscale("log")
    axes[0].set_ylabel(r"radius [R$_\oplus$]")
    axes[0].legend(fontsize=8)
    axes[0].set_title(title)
    if any((t["mdot_g_s"] > 0).any() for t in tracks.values()):  # log axes need data
        axes[1].set_yscale("log")
    axes[1].set_xlabel("age [Gyr]")
    axes[1].set_ylabel(r"$\dot M$ [g s$^{-1}$] (dots: outside grid)")
    return fig, axes
