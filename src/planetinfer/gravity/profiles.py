"""Reading user density profiles (CSV) onto the ToF levels, with validation.

A profile file has columns `radius_m,density_kg_m3` (rows in any order; other columns are
ignored, so `planetinfer structure --profile` output is read as it is; a radius may appear twice
at a density jump). It is interpolated
linearly onto the levels l_k = R_m (1 - k/N) of the ToF (docs/gravity.md); radii beyond the
tabulated range take the nearest tabulated density.
"""

from __future__ import annotations

import numpy as np

from planetinfer.errors import InputError

COLUMNS = ("radius_m", "density_kg_m3")


def read_profile(path) -> tuple[np.ndarray, np.ndarray]:
    """(radius [m], density [kg m^-3]) sorted outward; raises InputError on bad input."""
    from planetinfer.csvinput import first_problem, read_numeric_table

    table, problems = read_numeric_table(path, "profile", COLUMNS)
    first_problem(problems, "profile", path)
    # a layer boundary may appear twice (inner then outer density, as `structure --profile`
    # writes it): at equal radii the denser row comes first
    table = table.sort_values(["radius_m", "density_kg_m3"], ascending=[True, False], kind="stable")
    radius = table["radius_m"].to_numpy(float)
    rho = table["density_kg_m3"].to_numpy(float)
    validate_profile(radius, rho)
    return radius, rho


def validate_profile(radius: np.ndarray, rho: np.ndarray) -> None:
    """Density finite, >= 0, not all zero, non-increasing outward; radii >= 0, sorted outward,
    at least two distinct (a radius twice marks a density jump)."""
    if len(radius) < 2:
        raise InputError(f"profile has {len(radius)} row(s); at least 2 are needed")
    if not np.all(np.isfinite(radius)) or np.any(radius < 0):
        raise InputError("radius_m must be finite and >= 0 on every row")
    if np.any(np.diff(radius) < 0):
        raise InputError("radius_m values must be sorted outward")
    if len(np.unique(radius)) < 2:
        raise InputError("radius_m takes a single value; a profile needs at least two radii")
    if not np.all(np.isfinite(rho)) or np.any(rho < 0):
        bad = rho[~np.isfinite(rho) | (rho < 0)][0]
        raise InputError(f"density_kg_m3 = {bad:g} is outside the valid range [0, inf) kg m^-3")
    increase = np.diff(rho)
    if np.any(increase > 0):
        i = int(np.argmax(increase > 0))
        raise InputError(
            f"density must not increase outward: density_kg_m3 rises from {rho[i]:g} at "
            f"radius_m = {radius[i]:g} to {rho[i + 1]:g} at {radius[i + 1]:g}"
        )
    if not np.any(rho > 0):
        raise InputError("density_kg_m3 is zero everywhere")


def on_levels(radius: np.ndarray, rho: np.ndarray, radius_m: float, n_levels: int) -> np.ndarray:
    """Density interpolated onto l_k = R_m (1 - k/N), shape (N,), outer to inner."""
    levels = radius_m * (1.0 - np.arange(n_levels) / n_levels)
    return np.interp(levels, radius, rho)
