"""Figures of the structure capability: radial profiles and mass-radius curves."""

from __future__ import annotations

import numpy as np

from planetinfer.constants import GPA, R_EARTH
from planetinfer.plots._common import figure_and_axes

LAYER_COLOURS = ("#8c2d04", "#cc8b3c", "#3b7dd8", "#a6bddb")
LAYER_NAMES = ("core", "mantle", "water", "envelope")


def profiles(profile: dict, ax=None):
    """Density and pressure against radius, coloured by layer. Returns (fig, ax)."""
    fig, ax = figure_and_axes(ax, figsize=(6.5, 4.5))
    radius = np.asarray(profile["radius"]) / R_EARTH
    layer = np.asarray(profile["layer"])
    pressure_axis = ax.twinx()
    for index, (name, colour) in enumerate(zip(LAYER_NAMES, LAYER_COLOURS, strict=True)):
        rows = layer == index
        if np.ptp(radius[rows]) <= 0:
            continue
        ax.plot(radius[rows], np.asarray(profile["density"])[rows], color=colour, lw=2, label=name)
        pressure_axis.plot(radius[rows], np.asarray(profile["pressure"])[rows] / GPA, color=colour,
                           lw=1, ls="--")  # fmt: skip
    ax.set_xlabel("radius [R$_\\oplus$]")
    ax.set_ylabel("density [kg m$^{-3}$] (solid)")
    pressure_axis.set_ylabel("pressure [GPa] (dashed)")
    ax.legend(loc="upper right", frameon=False)
    return fig, ax


def mass_radius(curve: dict, label: str = "planetinfer", ax=None):
    """Mass-radius curve with the Zeng et al. 2019 reference where available. Returns (fig, ax)."""
    fig, ax = figure_and_axes(ax)
    ok = curve["status"] == 0
    ax.plot(curve["mass_earth"][ok], curve["radius_earth"][ok], "k-", lw=2, label=label)
    if curve.get("zeng_2019") is not None:
        ax.plot(curve["mass_earth"], curve["zeng_2019"], "o", mfc="none", color="C3",
                label=f"Zeng et al. 2019 ({curve['zeng_2019_curve']})")  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("mass [M$_\\oplus$]")
    ax.set_ylabel("radius [R$_\\oplus$ = 6378.1 km]")
    ax.legend(frameon=False)
    return fig, ax
