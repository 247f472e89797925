"""Mie-Grueneisen-Debye EoS on a BM3 cold curve (interior.md section 1.2; Sotin et al. 2007,
Icarus 191, 337, Eqs. 5-8; used for the core and ice VII by Baumeister et al. 2020, ApJ 889, 42).

P(rho, T) = P_BM3(rho) + (gamma rho / M) [E_th(T, theta) - E_th(T0, theta)],
gamma = gamma0 (rho0/rho)^q,  theta = theta0 exp[(gamma0 - gamma)/q],  T0 = 300 K,
E_th the Debye thermal energy per mole of formula units (debye.py), M the molar mass [kg mol^-1].
Identities: rho(0, T0) = rho0 and gamma(rho0) = gamma0.
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.eos.birch_murnaghan import REFERENCE_TEMPERATURE, bm3_pressure
from planetinfer.eos.debye import heat_capacity, thermal_energy


class MgdParameters(NamedTuple):
    """SI parameters of one MGD material (built from a materials.Material row)."""

    rho0: float  # [kg m^-3]
    k0: float  # [Pa]
    k0_prime: float  # [-]
    theta0: float  # Debye temperature at rho0 [K]
    gamma0: float  # Grueneisen parameter at rho0 [-]
    q: float  # [-]
    n_atoms: float  # atoms per formula unit [-]
    molar_mass: float  # [kg mol^-1]


def grueneisen(rho, p: MgdParameters):
    """gamma = gamma0 (rho0/rho)^q [-]."""
    return p.gamma0 * (p.rho0 / rho) ** p.q


def debye_temperature(rho, p: MgdParameters):
    """theta = theta0 exp[(gamma0 - gamma)/q] [K]."""
    return p.theta0 * jnp.exp((p.gamma0 - grueneisen(rho, p)) / p.q)


def thermal_pressure(rho, temperature, p: MgdParameters):
    """(gamma rho / M)[E_th(T, theta) - E_th(T0, theta)] [Pa]."""
    theta = debye_temperature(rho, p)
    delta_e = thermal_energy(temperature, theta, p.n_atoms) - thermal_energy(
        REFERENCE_TEMPERATURE, theta, p.n_atoms
    )
    return grueneisen(rho, p) * rho / p.molar_mass * delta_e


def pressure(rho, temperature, p: MgdParameters):
    """MGD pressure [Pa] at density rho [kg m^-3] and temperature [K]; broadcastable shapes."""
    return bm3_pressure(rho, p.rho0, p.k0, p.k0_prime) + thermal_pressure(rho, temperature, p)


def specific_heat_capacity_v(rho, temperature, p: MgdParameters):
    """Debye c_V per unit mass [J kg^-1 K^-1] at the compressed theta(rho)."""
    return heat_capacity(temperature, debye_temperature(rho, p), p.n_atoms) / p.molar_mass
