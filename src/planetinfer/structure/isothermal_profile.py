"""Profile rows of the Teq envelope's isothermal layer, above the solved planet.

The solve treats the layer between the envelope's base pressure and the 100 mbar transit
pressure as massless and isothermal at Teq (shoot.isothermal_transit_radius): it sets the radius
but has no nodes, so the solved profile stops at the layer's base. Its rows follow from the same
hydrostatic ideal gas in the planet's point-mass field:

    1/r = 1/R_base - R_gas T ln(P_base / P) / (mu G M),   rho = P mu / (R_gas T),   g = G M / r^2,

with P_base = min(p_rcb, G M M_env / (4 pi R_base^4)). The solve's transit radius uses the same
two functions (base_pressure, inverse_radius) at P = the surface pressure. Arrays are SI.
"""

from __future__ import annotations

import numpy as np

from planetinfer.constants import R_GAS, G

ROWS = 24  # rows of the isothermal layer in a profile


def base_pressure(base_radius, mass, envelope_mass, p_rcb, xp=np):
    """Pressure at the base of the isothermal layer [Pa]: p_rcb, or for an envelope too light
    to reach it the weight of the whole envelope, G M M_env / (4 pi R^4) (thin shell). SI inputs;
    xp: numpy or jax.numpy."""
    return xp.minimum(p_rcb, G * mass * envelope_mass / (4.0 * np.pi * base_radius**4))


def inverse_radius(base_radius, mass, teq, log_pressure_ratio, mu):
    """1/r [m^-1] at ln(P_base / P) scale heights above the base of the isothermal layer (the
    hydrostatic ideal gas of the module text); non-positive means unbound."""
    return 1.0 / base_radius - R_GAS * teq * log_pressure_ratio / (mu * G * mass)


def isothermal_rows(base_radius_m: float, mass_kg: float, envelope_mass_kg: float, teq_k: float,
                    p_rcb_pa: float, surface_pressure_pa: float) -> dict:  # fmt: skip
    """ROWS rows from the layer's base to the transit radius: radius [m], mass [kg] (the planet's
    mass: the layer is massless), pressure [Pa], temperature [K], density [kg m^-3], gravity
    [m s^-2]. None when there is no layer (base pressure at or below the surface pressure) or
    the layer is unbound."""
    from planetinfer.eos.envelope import ideal_gas_properties

    mu, _ = ideal_gas_properties()
    base = float(base_pressure(base_radius_m, mass_kg, envelope_mass_kg, p_rcb_pa))
    if not base > surface_pressure_pa:
        return None
    pressure = np.geomspace(base, surface_pressure_pa, ROWS)
    inverse = inverse_radius(base_radius_m, mass_kg, teq_k, np.log(base / pressure), mu)
    if not np.all(inverse > 0):
        return None
    radius = 1.0 / inverse
    return {"radius": radius, "mass": np.full(ROWS, mass_kg), "pressure": pressure,
            "temperature": np.full(ROWS, teq_k), "density": pressure * mu / (R_GAS * teq_k),
            "gravity": G * mass_kg / radius**2}  # fmt: skip
