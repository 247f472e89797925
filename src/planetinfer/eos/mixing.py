"""Additive-volume mixing at common (P, T): 1/rho = sum_i w_i / rho_i (interior.md section 1.2).

Used for the Fe-FeS core and the pre-mixed mantle assemblages (Baumeister et al. 2020, ApJ 889,
42, section 2.1; Sotin et al. 2007, Icarus 191, 337).
"""

from __future__ import annotations

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401


def mix_density(densities, mass_fractions):
    """Density [kg m^-3] of an ideal (additive-volume) mixture.

    densities: sequence of arrays (one per component, broadcastable) [kg m^-3];
    mass_fractions: sequence of floats w_i summing to 1 [-].
    """
    specific_volume = sum(w / rho for w, rho in zip(mass_fractions, densities, strict=True))
    return 1.0 / specific_volume


def mix_isentropic_gradient(
    pressure, temperature, densities, expansivities, heat_capacities, mass_fractions
):
    """d ln T / d ln P along an isentrope of an additive-volume mixture [-].

    With V = sum w_i/rho_i per unit mass, (dV/dT)_P = sum w_i alpha_i / rho_i and
    c_P = sum w_i c_P,i,
    so dT/dP|_S = T (dV/dT)_P / c_P (e.g. Poirier 2000, Introduction to the Physics of the Earth's
    Interior, Eq. 3.32 for one phase); multiplying by P/T gives the logarithmic gradient.
    pressure [Pa], temperature [K] (unused except for shape), densities [kg m^-3],
    expansivities alpha_i [K^-1], heat_capacities c_P,i [J kg^-1 K^-1].
    """
    del temperature
    dv_dt = sum(w * a / r for w, a, r in zip(mass_fractions, expansivities, densities, strict=True))
    cp = sum(w * c for w, c in zip(mass_fractions, heat_capacities, strict=True))
    return jnp.asarray(pressure) * dv_dt / cp
