"""Figures of the synth capability: the mass-radius diagram of a synthetic data set."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from planetinfer.plots._common import figure_and_axes

LAYER_NAMES = ("core", "mantle", "water", "envelope")
# RGB of a pure layer; a planet's colour is the mass-fraction-weighted mix of these
LAYER_RGB = np.array([
    [0.55, 0.18, 0.02],  # core: iron brown
    [0.95, 0.60, 0.15],  # mantle: rock orange
    [0.15, 0.40, 0.90],  # water: blue
    [0.75, 0.75, 0.75],  # envelope: grey
])  # fmt: skip


def composition_colours(mass_fractions) -> np.ndarray:
    """RGB colour per planet, shape (n, 3), from mass fractions (n, 4) summing to 1."""
    return np.clip(np.asarray(mass_fractions, dtype=float) @ LAYER_RGB, 0.0, 1.0)


def mass_radius(
    frame, curves: dict | None = None, ax=None, max_points: int = 50_000, radius_max: float = 30.0
):
    """Mass-radius diagram of the converged planets (status 0), coloured by composition.

    frame: DataFrame with mass_earth, radius_earth, status and the four *_mass_fraction columns.
    curves: {label: (mass_earth (k,), radius_earth (k,))} drawn as lines (pure iron, pure water).
    At most `max_points` planets are drawn (the first ones by id); the radius axis stops at
    `radius_max` [R_E] and the title counts the planets above it. Returns (fig, ax).
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 5.0))
    ok = frame[frame["status"] == 0].head(max_points)
    fractions = ok[[f"{name}_mass_fraction" for name in LAYER_NAMES]].to_numpy()
    ax.scatter(ok["mass_earth"], ok["radius_earth"], c=composition_colours(fractions), s=2,
               lw=0, rasterized=True)  # fmt: skip
    styles = iter(["k-", "b--", "k:", "b:"])
    for label, (mass, radius) in (curves or {}).items():
        ax.plot(mass, radius, next(styles), lw=1.8, label=label)
    handles = [Line2D([], [], ls="", marker="o", color=rgb, label=f"pure {name}")
               for name, rgb in zip(LAYER_NAMES, LAYER_RGB, strict=True)]  # fmt: skip
    line_handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=line_handles + handles, frameon=False, fontsize=8, loc="upper left")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("mass [M$_\\oplus$]")
    ax.set_ylabel("radius [R$_\\oplus$ = 6378.1 km]")
    failed = int((frame["status"] != 0).sum())
    above = int((ok["radius_earth"] > radius_max).sum())
    ax.set_ylim(top=radius_max)
    ax.set_title(
        f"{len(ok):,} converged planets ({above:,} above {radius_max:g} R$_\\oplus$); "
        f"{failed:,} failed, not shown",
        fontsize=9,
    )
    return fig, ax
