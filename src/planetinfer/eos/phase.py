"""Per-family dispatch from a `materials.Material` row to P(rho, T) and thermodynamic derivatives.

Every function here takes arrays of any (broadcastable) shape; rho [kg m^-3], T [K], P [Pa].
The thermal expansivity and bulk modulus are taken from the EoS itself by forward-mode
differentiation, so the adiabat is consistent with the density (interior.md section 1.2):
  K_T = rho (dP/drho)_T,  alpha = (dP/dT)_rho / K_T.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.eos import birch_murnaghan as bm
from planetinfer.eos import mgd
from planetinfer.eos.materials import Material
from planetinfer.eos.vinet import vinet_pressure


def mgd_parameters(m: Material) -> mgd.MgdParameters:
    """SI MgdParameters of an `mgd` row."""
    return mgd.MgdParameters(
        m.rho0, m.k0, m.k0_prime, m.theta0, m.gamma0, m.q, 1.0 * m.n_atoms, m.molar_mass
    )


def pressure_function(m: Material) -> Callable:
    """fn(rho, T) -> P [Pa] for the row's family (bm3, bm4, vinet, bm3_thermal, mgd)."""
    if m.family == "bm3":
        return lambda rho, t: bm.bm3_pressure(rho, m.rho0, m.k0, m.k0_prime)
    if m.family == "bm4":
        return lambda rho, t: bm.bm4_pressure(rho, m.rho0, m.k0, m.k0_prime, m.k0_double_prime)
    if m.family == "vinet":
        return lambda rho, t: vinet_pressure(rho, m.rho0, m.k0, m.k0_prime)
    if m.family == "bm3_thermal":
        return lambda rho, t: bm.thermal_bm3_pressure(
            rho, t, m.rho0, m.k0, m.k0_prime, m.alpha0, m.alpha1, m.alpha2, m.dk_dt
        )
    if m.family == "mgd":
        params = mgd_parameters(m)
        return lambda rho, t: mgd.pressure(rho, t, params)
    raise ValueError(f"material {m.name!r}: family {m.family!r} has no P(rho, T) form")


def reference_density(m: Material, temperature):
    """Zero-pressure reference density [kg m^-3] used to bracket the root: rho0(T) for
    bm3_thermal (birch_murnaghan.thermal_bm3_reference), rho0 otherwise."""
    if m.family == "bm3_thermal":
        return bm.thermal_bm3_reference(
            temperature, m.rho0, m.k0, m.alpha0, m.alpha1, m.alpha2, m.dk_dt
        )[0]
    return jnp.full_like(jnp.asarray(temperature, float), m.rho0)


MIN_BULK_MODULUS_RATIO = 0.5  # bm3_thermal is used only while K0(T) >= 0.5 K0


def has_valid_state(m: Material, temperature):
    """False where the row's model breaks down. For bm3_thermal: K0(T) < MIN_BULK_MODULUS_RATIO K0,
    i.e. where the linear K0(T) has been extrapolated to half of K0 or less (olivine above
    4300 K, magnesiowuestite above ~3100 K); far beyond that the fitted alpha(T), K0(T) give
    alpha < 0 (seen near 7600 K at 10 GPa). The tables clamp those nodes (library.py)."""
    if m.family == "bm3_thermal":
        k0_t = m.k0 + m.dk_dt * (jnp.asarray(temperature) - bm.REFERENCE_TEMPERATURE)
        return k0_t >= MIN_BULK_MODULUS_RATIO * m.k0
    return jnp.ones(jnp.shape(temperature), bool)


def expansivity_and_bulk_modulus(m: Material, rho, temperature):
    """(alpha [K^-1], K_T [Pa]) from the EoS: K_T = rho dP/drho, alpha = (dP/dT)_rho / K_T."""
    fn = pressure_function(m)
    rho, temperature = jnp.broadcast_arrays(
        jnp.asarray(rho, float), jnp.asarray(temperature, float)
    )
    _, k_t = jax.jvp(lambda r: fn(r, temperature), (rho,), (rho,))
    _, dp_dt = jax.jvp(lambda t: fn(rho, t), (temperature,), (jnp.ones_like(temperature),))
    return dp_dt / k_t, k_t


def isobaric_heat_capacity(m: Material, rho, temperature, alpha):
    """c_P [J kg^-1 K^-1]: MGD c_V (Debye, at theta(rho)) times (1 + alpha gamma T); the row's
    constant c_P (materials.py, cp_citation) for bm3_thermal."""
    if m.family == "mgd":
        params = mgd_parameters(m)
        c_v = mgd.specific_heat_capacity_v(rho, temperature, params)
        return c_v * (1.0 + alpha * mgd.grueneisen(rho, params) * temperature)
    return jnp.full(jnp.broadcast_shapes(jnp.shape(rho), jnp.shape(temperature)), m.cp)
