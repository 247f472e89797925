"""Mass-radius curves at fixed composition, with reference curves from the literature."""

from __future__ import annotations

import numpy as np

from planetinfer.constants import R_EARTH, R_EARTH_MEAN
from planetinfer.structure.solve import solve_batch

# Zeng et al. 2019 (PNAS 116, 9723) curves as tabulated in interior.md section 4.2 [R in R_E with
# R_E = 6371 km]; log-interpolated from Zeng's curve files, reference numbers only.
ZENG_2019_MASSES = np.array([0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 25.0])
ZENG_2019 = {
    "pure_iron": np.array([0.415, 0.676, 0.823, 0.990, 1.239, 1.447, 1.666, 1.738]),
    "earth_like": np.array([0.508, 0.819, 1.000, 1.213, 1.545, 1.832, 2.146, 2.250]),
    "pure_rock": np.array([0.542, 0.872, 1.067, 1.299, 1.665, 1.984, 2.334, 2.452]),
    "water_50_300K": np.array([np.nan, 1.018, 1.241, 1.502, 1.912, 2.271, 2.664, 2.793]),
    "water_100_300K": np.array([0.727, 1.163, 1.412, 1.707, 2.178, 2.592, 3.046, 3.196]),
}
# which Zeng curve matches a composition (core, mantle, water, envelope), if any
ZENG_COMPOSITIONS = {
    (1.0, 0.0, 0.0, 0.0): "pure_iron",
    (0.325, 0.675, 0.0, 0.0): "earth_like",
    (0.0, 1.0, 0.0, 0.0): "pure_rock",
}


def zeng_reference(fractions, masses_earth):
    """Zeng 2019 radius at the given masses for a matching composition, else (None, None).

    Returned in planetinfer's R_E (IAU nominal 6378.1 km), converted from Zeng's 6371 km.
    """
    key = tuple(round(float(x), 3) for x in fractions)
    name = ZENG_COMPOSITIONS.get(key)
    if name is None:
        return None, None
    log_radius = np.interp(np.log(masses_earth), np.log(ZENG_2019_MASSES), np.log(ZENG_2019[name]))
    inside = (masses_earth >= ZENG_2019_MASSES[0]) & (masses_earth <= ZENG_2019_MASSES[-1])
    return name, np.where(inside, np.exp(log_radius), np.nan) * R_EARTH_MEAN / R_EARTH


def mass_radius_curve(fractions, mass_min=0.1, mass_max=25.0, n=25, teq=255.0, **options):
    """Radius along a log-spaced mass grid at fixed mass fractions.

    Returns a dict: mass_earth (n,), radius_earth (n,) [R_E = 6378.1 km], k2,
    moment_of_inertia, status, and zeng_2019_radius_earth (n,) [R_E = 6378.1 km] or None, with
    the curve's name in zeng_2019_curve.
    """
    masses = np.geomspace(mass_min, mass_max, n)
    out = solve_batch(masses, np.tile(np.asarray(fractions, float), (n, 1)), teq, **options)
    name, reference = zeng_reference(fractions, masses)
    return {
        "mass_earth": masses,
        "radius_earth": out["radius"] / R_EARTH,
        "k2": out["k2"],
        "moment_of_inertia": out["moment_of_inertia"],
        "status": out["status"],
        "zeng_2019_radius_earth": reference,
        "zeng_2019_curve": name,
    }
