"""Figures of the structure capability: radial profiles and mass-radius curves."""

from __future__ import annotations

import numpy as np

from planetinfer.constants import GPA, R_EARTH
from planetinfer.plots._common import (
    LAYER_COLOURS,
    LAYER_LABELS,
    LAYERS,
    M_EARTH_LABEL,
    R_EARTH_LABEL,
    figure_and_axes,
)

PANELS = (  # profile key, axis label, scale to the plotted unit, log axis
    ("density", "density [g cm$^{-3}$]", 1e-3, False),
    ("pressure", "pressure [GPa]", 1.0 / GPA, True),
    ("temperature", "temperature [K]", 1.0, False),
    ("gravity", "gravity [m s$^{-2}$]", 1.0, False),
)


def profiles(profile: dict, axes=None, title: str = ""):
    """Density, pressure, temperature and gravity against radius, one colour per layer.

    profile: dict of (n_levels,) arrays radius [m], density [kg m^-3], pressure [Pa],
    temperature [K], gravity [m s^-2] and layer (0-3, centre outwards). Returns (fig, axes (2, 2)).
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(2, 2, figsize=(9.0, 6.5), sharex=True, constrained_layout=True)
    fig = axes.flat[0].figure
    radius = np.asarray(profile["radius"]) / R_EARTH
    layer = np.asarray(profile["layer"])
    for ax, (key, label, scale, log) in zip(axes.flat, PANELS, strict=True):
        values = np.asarray(profile[key]) * scale
        for index, name in enumerate(LAYERS):
            rows = layer == index
            if rows.sum() < 2 or np.ptp(radius[rows]) <= 1e-9 * radius.max():  # absent layer
                continue
            ax.plot(radius[rows], values[rows], color=LAYER_COLOURS[name], lw=2,
                    label=LAYER_LABELS[name])  # fmt: skip
        if log and np.any(values > 0):
            ax.set_yscale("log")
        ax.set_ylabel(label)
    for ax in axes[-1]:
        ax.set_xlabel(f"radius [{R_EARTH_LABEL}]")
    axes.flat[0].legend(frameon=False, fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig, axes


def mass_radius(curve: dict, label: str = "planetinfer", ax=None, references: bool = True):
    """Mass-radius curve, with Zeng et al. (2019) pure-iron and pure-water (300 K) curves for
    reference and Zeng's curve of the same composition where there is one. Returns (fig, ax)."""
    from planetinfer.constants import R_EARTH_MEAN
    from planetinfer.structure.curve import ZENG_2019, ZENG_2019_MASSES

    fig, ax = figure_and_axes(ax)
    ok = curve["status"] == 0
    ax.plot(curve["mass_earth"][ok], curve["radius_earth"][ok], "k-", lw=2, label=label)
    if curve.get("zeng_2019_radius_earth") is not None:
        ax.plot(curve["mass_earth"], curve["zeng_2019_radius_earth"], "o", mfc="none", color="0.3",
                label=f"Zeng et al. 2019, same composition ({curve['zeng_2019_curve']})")  # fmt: skip
    if references:
        for key, text, colour in (("pure_iron", "pure iron", LAYER_COLOURS["core"]),
                                  ("water_100_300K", "pure water, 300 K", LAYER_COLOURS["water"])):  # fmt: skip
            ax.plot(ZENG_2019_MASSES, ZENG_2019[key] * R_EARTH_MEAN / R_EARTH, "--", color=colour,
                    lw=1.2, label=f"{text} (Zeng et al. 2019)")  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel(f"mass [{M_EARTH_LABEL}]")
    ax.set_ylabel(f"radius [{R_EARTH_LABEL} = 6378.1 km]")
    ax.legend(frameon=False, fontsize=8)
    return fig, ax
