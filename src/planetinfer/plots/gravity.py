"""Figures of the gravity capability (WMH26 Figs 1-11); functions take ax=None, return (fig, ax)."""

from __future__ import annotations

import numpy as np

from planetinfer.gravity.statistics import weighted_band
from planetinfer.plots._common import figure_and_axes


def _radius(n):
    return 1.0 - np.arange(n) / n


def profile(rho, radius_m=None, ax=None, label=None):
    """One density profile versus r/R (input rho (N,) kg m^-3)."""
    fig, ax = figure_and_axes(ax)
    ax.plot(_radius(len(rho)), np.asarray(rho) / 1e3, label=label)
    ax.set_xlabel("r / R")
    ax.set_ylabel("density [g cm$^{-3}$]")
    return fig, ax


def tof_profile(rho, pressure, ax=None):
    """Density (left axis, g cm^-3) and hydrostatic pressure (right axis, log, GPa as in the
    structure figure) versus r/R on the ToF levels; rho [kg m^-3], pressure [Pa]: (N,) outer to
    inner. Returns (fig, (ax, ax_pressure))."""
    fig, ax = profile(rho, ax=ax, label="density (left axis)")
    right = ax.twinx()
    pressure = np.asarray(pressure, float)
    inside = pressure > 0  # the outer level is at zero pressure, off a log axis
    right.semilogy(_radius(len(rho))[inside], pressure[inside] / 1e9, "C1",
                   label="pressure (right axis)")  # fmt: skip
    right.set_ylabel("pressure [GPa]")
    lines = ax.get_lines() + right.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="lower left")
    return fig, (ax, right)


def j2_j4(j2n, weights, j_obs, cov, ax=None):
    """Fig. 1: weighted 2-D histogram of (J2, J4) with the 1-3 sigma ellipses of the data."""
    fig, ax = figure_and_axes(ax)
    j = np.asarray(j2n)[:, :2] * 1e6
    *_, image = ax.hist2d(j[:, 0], j[:, 1], bins=40, weights=weights, cmap="Blues",
                          cmin=np.finfo(float).tiny)  # empty cells left blank, not pale blue
    fig.colorbar(image, ax=ax, label="weighted count of accepted profiles")
    vals, vecs = np.linalg.eigh(np.asarray(cov) * 1e12)
    t = np.linspace(0, 2 * np.pi, 200)
    for k, style in ((1, "-"), (2, "--"), (3, ":")):
        pts = vecs @ (k * np.sqrt(vals)[:, None] * np.array([np.cos(t), np.sin(t)]))
        ax.plot(j_obs[0] * 1e6 + pts[0], j_obs[1] * 1e6 + pts[1], "k", ls=style, lw=0.8,
                label=f"observed, {k} sigma")  # fmt: skip
    ax.set_xlabel("$J_2 \\times 10^6$")
    ax.set_ylabel("$J_4 \\times 10^6$")
    ax.legend(fontsize=7)
    return fig, ax


def percentile_contours(rho, weights, ax=None, scale=1e-3, ylabel="density [g cm$^{-3}$]"):
    """Figs 2b/3b/6: weighted percentile bands (10 % steps + 95 %), median, 16/84 %."""
    fig, ax = figure_and_axes(ax)
    rho = np.asarray(rho) * scale
    x = _radius(rho.shape[1])
    qs = [0.025, 0.05, 0.15, 0.25, 0.35, 0.45, 0.5, 0.55, 0.65, 0.75, 0.85, 0.95, 0.975]
    band = weighted_band(rho, weights, qs)
    for i in range(6):
        ax.fill_between(x, band[i], band[-1 - i], color="C0", alpha=0.12, lw=0,
                        label="2.5-97.5 % and 10 % steps" if i == 0 else None)  # fmt: skip
    ax.plot(x, band[6], "k-", label="median")
    lo, hi = weighted_band(rho, weights, (0.16, 0.84))
    ax.plot(x, lo, "k--", lw=0.8, label="16 / 84 %")
    ax.plot(x, hi, "k--", lw=0.8)
    ax.set_xlabel("r / R")
    ax.set_ylabel(ylabel)
    ax.legend()
    return fig, ax


def interval_widths(rho, weights, ax=None):
    """Fig. 5: widths of the 68 % and 95 % intervals versus r/R."""
    fig, ax = figure_and_axes(ax)
    band = weighted_band(np.asarray(rho) / 1e3, weights, (0.025, 0.16, 0.84, 0.975))
    x = _radius(band.shape[1])
    ax.fill_between(x, 0, band[3] - band[0], color="C4", alpha=0.6, label="95 %")
    ax.fill_between(x, 0, band[2] - band[1], color="C1", alpha=0.8, label="68 %")
    ax.set_xlabel("r / R")
    ax.set_ylabel("interval width [g cm$^{-3}$]")
    ax.legend()
    return fig, ax


def weighted_histogram(values, weights, xlabel, ax=None, bins=40, mark_mean=True, unit=""):
    """Figs 4, 7, 8, 10: weighted histogram with the weighted mean (red; its key gives the
    mean to 5 digits, with `unit`)."""
    fig, ax = figure_and_axes(ax)
    values = np.asarray(values, float)
    span = None
    if values.size and np.ptp(values) == 0 and np.ndim(bins) == 0:
        # one distinct value: a window of 0.1 % around it, not matplotlib's +-0.5 (which would
        # draw an NMoI axis running below zero)
        half = max(abs(values[0]) * 1e-3, 1e-12)
        span = (values[0] - half, values[0] + half)
    ax.hist(values, bins=bins, range=span, weights=weights, color="C0", label="accepted profiles")
    if mark_mean and np.sum(weights) > 0:
        mean = np.average(values, weights=weights)
        ax.axvline(mean, color="r", label=f"weighted mean {mean:.5g}{' ' + unit if unit else ''}")
        ax.legend(fontsize=8)
    ax.ticklabel_format(axis="x", useOffset=False)  # 1.0063, not "1e-6 + 1.0063" at the corner
    ax.set_xlabel(xlabel)
    ax.set_ylabel("weighted count")
    return fig, ax


def _per_level(n_levels: int) -> str:
    """The unit of a density step per ToF level: the paper's, which depends on the N levels."""
    return f"kg m$^{{-3}}$ per level, N = {n_levels} levels"


def intensity(centres, values, n_levels: int, ax=None):
    """Fig. 9: discontinuity intensity versus r/R (values in kg m^-3 per level of N levels)."""
    fig, ax = figure_and_axes(ax)
    ax.step(centres, values, where="mid", label="weighted mean over accepted profiles")
    ax.legend(fontsize=8)
    ax.set_xlabel("r / R")
    ax.set_ylabel(f"mean $\\Delta\\rho / \\Delta r$ [{_per_level(n_levels)}]")
    return fig, ax


def counts_versus_criterion(rows, n_levels: int, ax=None):
    """Fig. 11: mean (red) and upper 95th percentile (black) of the count versus c_D."""
    fig, ax = figure_and_axes(ax)
    c = [r["c_d"] for r in rows]
    ax.plot(c, [r["mean"] for r in rows], "r-o", ms=3, label="mean")
    ax.step(c, [r["p95"] for r in rows], "k-", where="mid", label="95th percentile")
    ax.set_xlabel(f"$c_D$ [{_per_level(n_levels)}]")
    ax.set_ylabel("discontinuities per profile")
    ax.legend()
    return fig, ax
