"""Figures of the synth capability: the mass-radius diagram of a synthetic data set."""

from __future__ import annotations

import numpy as np

from planetinfer.plots._common import (
    LAYER_COLOURS,
    LAYERS,
    M_EARTH_LABEL,
    R_EARTH_LABEL,
    figure_and_axes,
)

# one categorical colour per composition class (which layers a planet has), readable back
CLASSES = (  # (label, water present, envelope present, colour)
    ("core + mantle", False, False, LAYER_COLOURS["mantle"]),
    ("+ water", True, False, LAYER_COLOURS["water"]),
    ("+ H/He envelope", False, True, "#33a02c"),
    ("+ water + H/He envelope", True, True, "#6a3d9a"),
)


def composition_class(mass_fractions) -> np.ndarray:
    """Index into CLASSES per planet, shape (n,), from mass fractions (n, 4)."""
    fractions = np.asarray(mass_fractions, dtype=float)
    return (fractions[:, 2] > 0).astype(int) + 2 * (fractions[:, 3] > 0).astype(int)


def mass_radius(
    frame, curves: dict | None = None, ax=None, max_points: int = 50_000, radius_max: float = 30.0
):
    """Mass-radius diagram of the converged planets (status 0), one colour per composition
    class (core + mantle, with water, with an envelope, with both).

    frame: DataFrame with mass_earth, radius_earth, status and the four *_mass_fraction columns.
    curves: {label: (mass_earth (k,), radius_earth (k,))} drawn as lines (pure iron, pure water).
    At most `max_points` planets are drawn (the first ones by id); the radius axis stops at
    `radius_max` [R_E] and the title counts the planets above it. Returns (fig, ax).
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 5.0))
    ok = frame[frame["status"] == 0].head(max_points)
    classes = composition_class(ok[[f"{name}_mass_fraction" for name in LAYERS]].to_numpy())
    size = 2.0 if len(ok) > 5000 else 6.0 if len(ok) > 500 else 16.0  # few planets: visible dots
    for index, (label, _, _, colour) in enumerate(CLASSES):
        rows = classes == index
        if rows.any():
            radius = ok["radius_earth"][rows]
            off = radius > radius_max  # drawn at the top edge, pointing up, not lost off the axes
            ax.scatter(ok["mass_earth"][rows][~off], radius[~off], color=colour, s=size,
                       lw=0, rasterized=True, label=f"{label} ({rows.sum():,})")  # fmt: skip
            if off.any():
                ax.scatter(ok["mass_earth"][rows][off], np.full(off.sum(), radius_max * 0.97),
                           color=colour, marker="^", s=max(size, 16.0), lw=0, clip_on=False)  # fmt: skip
    styles = iter([("-", LAYER_COLOURS["core"]), ("--", LAYER_COLOURS["water"]), (":", "k"),
                   ("-.", "k")])  # fmt: skip
    for label, (mass, radius) in (curves or {}).items():
        style, colour = next(styles)
        ax.plot(mass, radius, style, color=colour, lw=1.8, label=label)
    ax.legend(frameon=False, fontsize=8, loc="upper left", markerscale=max(1.0, 8.0 / size))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(f"mass [{M_EARTH_LABEL}]")
    ax.set_ylabel(f"radius [{R_EARTH_LABEL} = 6378.1 km]")
    failed = int((frame["status"] != 0).sum())
    above = int((ok["radius_earth"] > radius_max).sum())
    ax.set_ylim(top=radius_max)
    ax.set_title(
        f"{len(ok):,} converged planets ({above:,} above {radius_max:g} R$_\\oplus$, triangles "
        "at the top); "
        f"{failed:,} failed, not shown",
        fontsize=9,
    )
    return fig, ax
