"""Profile rows of the Teq envelope's isothermal layer, above the solved planet.

The solve treats the layer between the envelope's base pressure and the 100 mbar transit
pressure as massless and isothermal at Teq (shoot.isothermal_transit_radius): it sets the radius
but has no nodes, so the solved profile stops at the layer's base. Its rows follow from the same
hydrostatic ideal gas in the planet's point-mass field:

    1/r = 1/R_base - R_gas T ln(P_base / P) / (mu G M),   rho = P mu / (R_gas T),   g = G M / r^2,

with P_base = min(p_rcb, G M M_env / (4 pi R_base^4)) as in the solve. Arrays are SI.
"""

from __future__ import annotations

import numpy as np

from planetinfer.constants import R_GAS, G

ROWS = 24  # rows of the isothermal layer in a profile


def isothermal_rows(base_radius_m: float, mass_kg: float, envelope_mass_kg: float, teq_k: float,
                    p_rcb_pa: float, surface_pressure_pa: float) -> dict:  # fmt: skip
    """ROWS rows from the layer's base to the transit radius: radius [m], mass [kg] (the planet's
    mass: the layer is massless), pressure [Pa], temperature [K], density [kg m^-3], gravity
    [m s^-2]. None when there is no layer (base pressure at or below the surface pressure) or
    the layer is unbound."""
    from planetinfer.eos.envelope import ideal_gas_properties

    mu, _ = ideal_gas_properties()
    weight = G * mass_kg * envelope_mass_kg / (4.0 * np.pi * base_radius_m**4)
    base_pressure = min(p_rcb_pa, weight)
    if not base_pressure > surface_pressure_pa:
        return None
    pressure = np.geomspace(base_pressure, surface_pressure_pa, ROWS)
    inverse = 1.0 / base_radius_m - R_GAS * teq_k * np.log(base_pressure / pressure) / (
        mu * G * mass_kg)  # fmt: skip
    if not np.all(inverse > 0):
        return None
    radius = 1.0 / inverse
    return {"radius": radius, "mass": np.full(ROWS, mass_kg), "pressure": pressure,
            "temperature": np.full(ROWS, teq_k), "density": pressure * mu / (R_GAS * teq_k),
            "gravity": G * mass_kg / radius**2}  # fmt: skip
