"""Figures of the characterise report and of a catalogue run; functions return (fig, ax)."""

from __future__ import annotations

import numpy as np

from planetinfer import constants as C
from planetinfer.plots._common import LAYER_COLOURS, figure_and_axes, plain_log_ticks
from planetinfer.plots.escape import COLORS

MIN_TRACKS_FOR_BAND = 20  # fewer tracks: drawn one by one, no percentile band

# the layer colours of every figure: the curve of a composition takes its dominant layer's
CURVE_STYLES = {"pure iron": (LAYER_COLOURS["core"], "-"),
                "Earth-like (32.5 % iron)": ("0.35", "-"),
                "pure rock": (LAYER_COLOURS["mantle"], "-"),
                "50 % water": (LAYER_COLOURS["water"], "--"),
                "1 % H/He on Earth-like, Teq 500 K": (LAYER_COLOURS["envelope"], ":")}  # fmt: skip


def mass_radius(report: dict, curves: dict, ax=None):
    """The planet (median and 68 % interval of its mass draws, radius with its errors) on a
    mass-radius diagram with composition curves of the structure model."""
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.5))
    for label, (mass, radius) in curves.items():
        colour, style = CURVE_STYLES.get(label, ("0.4", "-"))
        ax.plot(mass, radius, style, color=colour, label=label)
    q, radius = report["mass"]["quantiles"], report["inputs"]["radius"]
    if q is not None:
        ax.errorbar(q["p50"], radius["value"], xerr=[[q["p50"] - q["p16"]], [q["p84"] - q["p50"]]],
                    yerr=[[radius["err_lower"]], [radius["err"]]], fmt="o", color="k", ms=6,
                    capsize=3, label=f"{report['planet']} (68 %)", zorder=5)  # fmt: skip
        ax.set_xlim(min(0.1, q["p16"] / 2), max(30.0, q["p84"] * 2))
    ax.set_xscale("log")
    ax.set_xlabel("mass [M$_\\oplus$]")
    ax.set_ylabel("radius [R$_\\oplus$]")
    ax.set_ylim(0, max(4.0, 1.3 * radius["value"]))
    teq = (report["inputs"].get("teq") or {}).get("value")
    at = "" if teq is None else f", Teq {teq:.0f} K"
    ax.set_title(f"{report['planet']}{at}: composition curves (structure model, baumeister2020)",
                 fontsize=10)  # fmt: skip
    ax.legend(fontsize=7, loc="upper left")
    return fig, ax


def rates(report: dict, ax=None):
    """Present-day mass-loss rate of every method: median and 68 % interval over the draws."""
    fig, ax = figure_and_axes(ax, figsize=(6.5, 3.8))
    methods = report["escape"].get("methods", {})
    names = [m for m in methods if methods[m]["mdot_g_s"] is not None]
    labels = []
    for i, name in enumerate(names):
        q = methods[name]["mdot_g_s"]
        inside = methods[name].get("in_domain_fraction")
        outside = inside is not None and inside < 0.5  # mostly an extrapolation: open marker
        labels.append(name if inside is None else f"{name}\n({100 * inside:.0f} % of draws in "
                                                   "its grid)")  # fmt: skip
        ax.errorbar(q["p50"], i, xerr=[[q["p50"] - q["p16"]], [q["p84"] - q["p50"]]], fmt="o",
                    color=COLORS.get(name, "k"), mfc="white" if outside else None,
                    capsize=3)  # fmt: skip
    ax.set_yticks(range(len(names)), labels)
    ax.invert_yaxis()  # first method on top, as in `escape rate`
    if names:  # a margin of half a decade, so no marker or interval touches the frame
        lows = [methods[m]["mdot_g_s"]["p16"] for m in names]
        highs = [methods[m]["mdot_g_s"]["p84"] for m in names]
        ax.set_xlim(min(lows) / 3.0, max(highs) * 3.0)
    fractions = [methods[m].get("in_domain_fraction") for m in names]
    if any(f is not None and f < 0.5 for f in fractions):
        ax.plot([], [], "o", color="0.3", mfc="white", label="open: outside the training grid")
        ax.legend(fontsize=7, loc="upper left")
    ax.set_ylabel("method")
    ax.set_xscale("log")
    ax.set_xlabel("mass-loss rate [g s$^{-1}$]\n(median and 68 % interval over the draws)")
    ax.set_title(f"{report['planet']}: escape now\n({report['escape'].get('basis', '')})",
                 fontsize=9)  # fmt: skip
    return fig, ax


def envelope_band(report: dict, tracks: dict, ax=None):
    """Envelope mass fraction against age per method: the median over the tracks with its
    16-84 % band (edges drawn, so bands of two methods stay apart), or, for fewer than
    MIN_TRACKS_FOR_BAND tracks, the tracks themselves as thin lines."""
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.4))
    evolution = report["evolution"]
    grid = np.geomspace(evolution["start_age_gyr"], evolution["end_age_gyr"], 120)
    for method, track in tracks.items():
        ages, f_env = track["age_s"] / C.GYR, track["f_env"]
        values = np.empty((grid.size, ages.shape[1]))
        for j in range(ages.shape[1]):
            ok = np.isfinite(ages[:, j])
            values[:, j] = np.interp(grid, ages[ok, j], f_env[ok, j], right=f_env[ok, j][-1])
        low, mid, high = np.percentile(values, [16, 50, 84], axis=1)
        colour = COLORS.get(method, "k")
        if values.shape[1] >= MIN_TRACKS_FOR_BAND:
            ax.fill_between(grid, low, high, color=colour, alpha=0.12, lw=0)
            for edge in (low, high):
                ax.plot(grid, edge, color=colour, lw=0.8, ls="--")
            spread = "dashed: 16-84 %"
        else:
            ax.plot(grid, values, color=colour, lw=0.6, alpha=0.6)
            spread = f"thin: the {values.shape[1]} tracks"
        inside = evolution.get("methods", {}).get(method, {}).get("fraction_in_domain")
        where = "" if inside is None or inside >= 0.5 else (
            f", {100 * (1 - inside):.0f} % of steps outside its grid")  # fmt: skip
        # a median mostly from rates outside the grid is dotted, as in `escape evolve`
        style = {"ls": ":", "lw": 1.6} if where else {"ls": "-", "lw": 2}
        ax.plot(grid, mid, color=colour, label=f"{method}: median; {spread}{where}", **style)
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis, float(np.log10(grid[-1] / grid[0])))
    ax.set_xlabel("age [Gyr]")
    ax.set_ylabel("envelope mass fraction")
    ax.set_title(f"{report['planet']}: envelope evolution of {evolution['n_tracks']} "
                 "posterior draws", fontsize=9)  # fmt: skip
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    if evolution.get("methods") and any(  # say what the dotted style means
            (m.get("fraction_in_domain") is not None and m["fraction_in_domain"] < 0.5)
            for m in evolution["methods"].values()):  # fmt: skip
        ax.text(0.99, 0.98, "dotted: median from rates outside the grid", ha="right", va="top",
                transform=ax.transAxes, fontsize=7, color="0.3")  # fmt: skip
    return fig, ax


def population_mass_radius(table, curves: dict, ax=None):
    """Catalogue: median mass against radius, coloured by P(envelope) = 1 - p_no_envelope."""
    import matplotlib.pyplot as plt

    fig, ax = figure_and_axes(ax, figsize=(7.0, 5.0))
    for label, (mass, radius) in curves.items():
        colour, style = CURVE_STYLES.get(label, ("0.4", "-"))
        ax.plot(mass, radius, style, color=colour, lw=1, label=label)
    ok = table["interior_status"] == "ok"
    ax.scatter(table["mass_p50"][~ok], table["radius"][~ok], s=6, color="0.7",
               label="no interior posterior (outside the training planets)")  # fmt: skip
    points = ax.scatter(table["mass_p50"][ok], table["radius"][ok], s=8,
                        c=1.0 - table["p_no_envelope"][ok], cmap="viridis", vmin=0, vmax=1)  # fmt: skip
    plt.colorbar(points, ax=ax, label="P(H/He envelope)")
    if (table["mass_p50"] > 0).any():
        ax.set_xscale("log")
    ax.set_xlabel("mass [M$_\\oplus$] (median)")
    ax.set_ylabel("radius [R$_\\oplus$]")
    ax.set_ylim(0, 8)
    ax.legend(fontsize=6, loc="upper left")
    return fig, ax


def population_lifetime(table, method: str = "network", ax=None):
    """Catalogue: median remaining envelope lifetime against incident flux."""
    fig, ax = figure_and_axes(ax, figsize=(7.0, 4.5))
    lifetime = table[f"lifetime_p50_gyr_{method}"]
    ok = np.isfinite(lifetime) & (lifetime > 0) & (table["flux"] > 0)
    ax.set_xlabel("incident flux [S$_\\oplus$]")
    ax.set_ylabel("remaining envelope lifetime [Gyr] (median of tracks)")
    if not ok.any():  # log axes need data: say why the panel is empty instead
        ax.text(0.5, 0.5, f"{method}: no planet loses its envelope before 10 Gyr",
                ha="center", va="center", transform=ax.transAxes)  # fmt: skip
        return fig, ax
    ax.scatter(table["flux"][ok], lifetime[ok], s=8, color=COLORS.get(method, "k"),
               label=f"{method}: envelope lost before 10 Gyr")  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(fontsize=7)
    return fig, ax
