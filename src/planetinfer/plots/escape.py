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


def plot_rates(rates: dict, ax=None, in_domain: dict | None = None, title: str = ""):
    """Mass-loss rate [g/s] of every method for one planet, as points on a log axis.

    rates: {method: mdot_g_s}; a rate that is undefined (NaN, None, <= 0) is listed with its
    reason instead of a point. in_domain: {method: bool} for learned methods; a method outside
    its training grid is drawn as an open marker and says so under its name (inside: filled,
    said too).
    Returns (fig, ax).
    """
    fig, ax = figure_and_axes(ax, figsize=(6.5, 0.45 * len(rates) + 1.6))
    names = list(rates)
    labels = list(names)
    shown = []
    for i, name in enumerate(names):
        value = rates[name]
        colour = COLORS.get(name, "k")
        if value is None or not np.isfinite(value) or value <= 0:
            ax.annotate("undefined (Roche lobe inside the planet)", (0.02, i),
                        xycoords=("axes fraction", "data"), va="center", fontsize=8, color="0.4")  # fmt: skip
            continue
        known = in_domain is not None and name in in_domain
        outside = known and not in_domain[name]
        ax.plot(value, i, "o", ms=8, color=colour, mfc="white" if outside else colour, mew=2)
        if known:  # said under the method's name, where it cannot run off the axes
            note = "open: outside its grid" if outside else "inside its grid"
            labels[i] = f"{name}\n({note})"
        ax.annotate(f"{value:.2e}", (value, i), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=8)  # fmt: skip
        shown.append(value)
    ax.set_yticks(range(len(names)), labels)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.invert_yaxis()
    if shown:
        ax.set_xscale("log")
        lo, hi = min(shown), max(shown)
        # room for the value labels on the right: ~a fifth of the span (never under 2.5 decades)
        decades = np.log10(hi / lo) + 1.0
        ax.set_xlim(lo / 10, hi * 10 ** max(2.5, 0.25 * decades))
    ax.set_xlabel(r"mass-loss rate $\dot M$ [g s$^{-1}$]")
    ax.set_ylabel("method")
    if title:
        ax.set_title(title, fontsize=9)
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
        axes[0].axvline(x, color="k", ls=":", lw=0.8, label="factor 2" if x > 0 else None)
    axes[0].set_xlabel(r"log$_{10}$($\dot M_{\rm pred}$ / $\dot M_{\rm grid}$) (beyond "
                       r"$\pm$1.5 piled at the edges)")
    axes[0].set_ylabel("held-out rows")
    fig.suptitle(f"escape rates against the Kubyshkina & Fossati grid, held out by protocol "
                 f"{protocol} (Reza et al. 2025, Fig. 8)", fontsize=10)  # fmt: skip
    axes[0].legend(fontsize=8)
    axes[1].set_xscale("log")
    axes[1].set_xticks([1, 1.5, 2, 3, 5, 10], ["1", "1.5", "2", "3", "5", "10"])
    axes[1].minorticks_off()
    axes[1].axvline(2, color="k", ls=":", lw=0.8, label="factor 2")
    axes[1].set_xlabel("ratio band r (pred/true within 1/r..r)")
    axes[1].set_ylabel("fraction of held-out rows")
    axes[1].legend(fontsize=8)
    return fig, axes


def plot_tracks(tracks: dict, axes=None, title: str = ""):
    """Reza et al. 2025 Figs. 10-11 analogue: radius and Mdot versus age for several backends.

    tracks: {method: DataFrame from evolve.evolve_planet}. Steps where a learned rate is
    outside its training grid are drawn thin and dotted, inside ones solid; the legend gives
    each method's share of steps outside. A Roche-lobe overflow stop is a cross; a lost envelope
    is a dot, after which one dashed line shows the bare core that every such method leaves
    (instead of several lines drawn over one another). Legends sit outside the curves, to the
    right."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(8.5, 7), sharex=True, constrained_layout=True)
    else:
        fig = axes[0].figure
    any_outside = False
    bare = []  # (age [Gyr], radius [R_E]) after each lost envelope: one shared line, not several
    for method, track in tracks.items():
        color = COLORS.get(method, None)
        inside = track["in_domain"].to_numpy(dtype=bool)
        # the share among the steps with an envelope left, where the rate is evaluated (as in
        # the JSON's fraction_in_domain)
        active = (track["f_env"].to_numpy(dtype=float) > 0 if "f_env" in track
                  else np.ones(len(inside), bool))
        share = 1.0 - inside[active].mean() if active.any() else 0.0
        label = method + (f" ({100 * share:.1f} % of steps outside the grid)" if share > 0 else "")
        age = track["age_gyr"].to_numpy()
        gone = track["f_env"].to_numpy(dtype=float) <= 0 if "f_env" in track else ~active
        for panel, column in ((0, "r_p_re"), (1, "mdot_g_s")):
            values = track[column].to_numpy(dtype=float)
            if panel == 1:
                values = np.where(values > 0, values, np.nan)
            elif gone.any():  # the method's line ends where its envelope is lost, with a dot
                lost = int(np.argmax(gone))
                axes[0].plot(age[lost], values[lost], "o", color=color, ms=5)
                bare.append((age[lost:], values[lost:]))
                values = np.where(np.arange(len(values)) <= lost, values, np.nan)
            ax = axes[panel]
            ax.plot(age, np.where(inside, values, np.nan), color=color, lw=1.8)
            if share > 0:
                any_outside = True
                # outside segments, joined to their neighbours so no gap opens at the edges
                edge = ~inside | np.r_[False, ~inside[:-1]] | np.r_[~inside[1:], False]
                ax.plot(age, np.where(edge, values, np.nan), color=color, lw=1.0, ls=":")
        # the key shows the style of most of the track
        style = {"ls": ":", "lw": 1.0} if share > 0.5 else {"ls": "-", "lw": 1.8}
        axes[0].plot([], [], color=color, label=label, **style)
        if "roche_overflow" in track and track["roche_overflow"].any():
            stop = track[track["roche_overflow"]].iloc[0]
            axes[0].plot(stop["age_gyr"], stop["r_p_re"], "x", color=color, ms=9,
                         label=f"{method}: fills its Roche lobe, track stops")  # fmt: skip
    if bare:  # every method leaves the same core (its radius depends on the core mass alone)
        start = min(range(len(bare)), key=lambda k: bare[k][0][0])
        axes[0].plot(*bare[start], color="0.45", lw=1.0, ls="--",
                     label="bare core (dot: envelope lost)")  # fmt: skip
    axes[0].set_xscale("log")
    axes[0].set_ylabel(r"radius [R$_\oplus$]")
    handles, labels = axes[0].get_legend_handles_labels()
    if any_outside:
        handles += [Line2D([], [], color="k", lw=1.8), Line2D([], [], color="k", lw=1.0, ls=":")]
        labels += ["rate inside the grid", "rate outside the grid"]
    axes[0].legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                   frameon=False)  # fmt: skip
    axes[0].set_title(title, fontsize=10)
    if any((t["mdot_g_s"] > 0).any() for t in tracks.values()):  # log axes need data
        axes[1].set_yscale("log")
    axes[1].set_xlabel("age [Gyr]")
    axes[1].set_ylabel(r"mass-loss rate $\dot M$ [g s$^{-1}$]")
    return fig, axes
