"""Teq-dependent H/He envelope: cold TFD pressure plus ideal-gas thermal pressure (issue 2,
scope 3).

Model (our choice, documented in docs/eos.md):
  P(rho, T) = P_cold(rho) + rho k T / (mu m_u) = rho (R/mu) T,
with P_cold the zero-temperature Thomas-Fermi-Dirac curve of Salpeter & Zapolsky (1967; tfd.py)
for X = 0.71 (Baumeister et al. 2020, ApJ 889, 42, section 2.1.4), and mu, gamma_ad of an ideal
H2 + He gas (H2 with translational + rotational modes, C_v = 5/2 R; He C_v = 3/2 R; vibration and
dissociation neglected):
  mu = 1 / (X/M_H2 + Y/M_He) = 2.355 g/mol,  gamma_ad = 1 + R / C_v = 1.429 at X = 0.71.
Temperature: isothermal at Teq for P <= p_rcb (radiative-convective boundary, default 100 bar),
adiabatic below. With a thermal part that is ideal and a cold energy that depends on rho only
(dE_cold = P_cold dρ/ρ^2), the first law at constant entropy gives c_v dT = (k/(mu m_u)) T dρ/ρ,
so the adiabat is exactly T = Teq (rho / rho_rcb)^(gamma_ad - 1), rho_rcb = rho(p_rcb, Teq).

P_cold(rho) inverts the TFD rho(P), which is not monotonic at low P (interior.md 1.4: 211.1
kg/m^3 at P = 0, a minimum 204.9 kg/m^3 near 5 MPa). We make it monotonic with the running
minimum from high pressure, rho_mono(P) = min_{P' >= P} rho_TFD(P'), and invert that: P_cold = 0
below rho_min = 204.9 kg/m^3 (so the floor is rho_min, not rho_TFD(0) = 211.1), and P_cold jumps
from 0 to ~5 MPa at rho_min. A running maximum would put the jump at 211.1 kg/m^3 and ~70 MPa,
which matters against the thermal pressure of a 50 K gas (~36 MPa at that density); ours is a
< 15 % effect there and negligible for Teq >= 300 K.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import R_GAS
from planetinfer.eos import tfd
from planetinfer.eos.materials import ATOMIC_WEIGHT

DEFAULT_P_RCB = 1.0e7  # [Pa] = 100 bar (issue 2, scope 3)
_LOG_RHO_BRACKET = (np.log(1e-14), np.log(1e8))  # [ln kg m^-3]
_N_BISECTION = 56  # bracket width 51 in ln rho / 2^56 < 1e-15


def ideal_gas_properties(hydrogen_mass_fraction: float = 0.71) -> tuple[float, float]:
    """(mu [kg mol^-1], gamma_ad [-]) of ideal H2 + He at hydrogen mass fraction X, Y = 1 - X.

    Moles per kg: X / M_H2 and Y / M_He (IUPAC atomic weights, materials.ATOMIC_WEIGHT);
    C_v per mole of gas = (5/2 R n_H2 + 3/2 R n_He)/(n_H2 + n_He) (equipartition: H2 has 3
    translational + 2 rotational quadratic terms; e.g. Landau & Lifshitz, Statistical Physics,
    sections 44-49); gamma = (C_v + R)/C_v.
    """
    n_h2 = hydrogen_mass_fraction / (2.0 * ATOMIC_WEIGHT["H"] * 1e-3)
    n_he = (1.0 - hydrogen_mass_fraction) / (ATOMIC_WEIGHT["He"] * 1e-3)
    mu = 1.0 / (n_h2 + n_he)
    c_v = (2.5 * n_h2 + 1.5 * n_he) / (n_h2 + n_he)  # [R]
    return mu, (c_v + 1.0) / c_v


def hydrogen_helium_composition(hydrogen_mass_fraction: float = 0.71):
    """(Z, A, n) of H and He for tfd.density: n_i = w_i / A_i (interior.md 1.4)."""
    a_h, a_he = ATOMIC_WEIGHT["H"], ATOMIC_WEIGHT["He"]
    return (
        (1.0, 2.0),
        (a_h, a_he),
        (hydrogen_mass_fraction / a_h, (1.0 - hydrogen_mass_fraction) / a_he),
    )


@functools.lru_cache(maxsize=8)
def cold_curve_nodes(hydrogen_mass_fraction: float = 0.71, n_nodes: int = 6000):
    """Monotonic cold curve as (ln rho nodes, ln P nodes, rho_min): running minimum from high P
    of rho_TFD on a log grid 1e-4..1e18 Pa, keeping the strictly increasing points."""
    pressures = np.logspace(-4.0, 18.0, n_nodes)
    with jax.ensure_compile_time_eval():  # may first be called while tracing a loop body
        composition = hydrogen_helium_composition(hydrogen_mass_fraction)
        rho = np.asarray(tfd.density(pressures, *composition))
    rho_mono = np.minimum.accumulate(rho[::-1])[::-1]
    keep = np.append(rho_mono[:-1] < rho_mono[1:], True)
    return np.log(rho_mono[keep]), np.log(pressures[keep]), float(rho_mono[0])


def cold_pressure(rho, hydrogen_mass_fraction: float = 0.71):
    """P_cold(rho) [Pa] of the monotonic TFD curve; 0 below rho_min (~204.9 kg m^-3 at X 0.71)."""
    log_rho, log_p, rho_min = cold_curve_nodes(hydrogen_mass_fraction)
    rho = jnp.asarray(rho, float)
    inside = jnp.exp(jnp.interp(jnp.log(jnp.maximum(rho, rho_min)), log_rho, log_p))
    return jnp.where(rho < rho_min, 0.0, inside)


def _bisect_log_density(pressure_of_rho, pressure):
    """Smallest rho with pressure_of_rho(rho) >= pressure (nondecreasing fn), by bisection."""
    pressure = jnp.asarray(pressure, float)
    lo = jnp.full(pressure.shape, _LOG_RHO_BRACKET[0])
    hi = jnp.full(pressure.shape, _LOG_RHO_BRACKET[1])

    def body(_, bracket):
        a, b = bracket
        mid = 0.5 * (a + b)
        above = pressure_of_rho(jnp.exp(mid)) >= pressure
        return jnp.where(above, a, mid), jnp.where(above, mid, b)

    _, hi = jax.lax.fori_loop(0, _N_BISECTION, body, (lo, hi))
    return jnp.exp(hi)


@functools.partial(jax.jit, static_argnames=("p_rcb", "hydrogen_mass_fraction"))
def rcb_density(teq, p_rcb: float = DEFAULT_P_RCB, hydrogen_mass_fraction: float = 0.71):
    """rho_rcb [kg m^-3]: density on the Teq isotherm at the radiative-convective boundary."""
    mu, _ = ideal_gas_properties(hydrogen_mass_fraction)
    teq = jnp.asarray(teq, float)
    specific_gas_constant = R_GAS / mu
    return _bisect_log_density(
        lambda r: cold_pressure(r, hydrogen_mass_fraction) + r * specific_gas_constant * teq,
        jnp.full(teq.shape, p_rcb),
    )


@functools.partial(jax.jit, static_argnames=("p_rcb", "hydrogen_mass_fraction"))
def envelope_density(
    pressure, teq, p_rcb: float = DEFAULT_P_RCB, hydrogen_mass_fraction: float = 0.71
):
    """rho(P, Teq) [kg m^-3] of the envelope model; pressure [Pa], teq [K], broadcastable."""
    pressure, teq = jnp.broadcast_arrays(jnp.asarray(pressure, float), jnp.asarray(teq, float))
    rho_rcb = rcb_density(teq, p_rcb, hydrogen_mass_fraction)
    return density_given_rcb(pressure, teq, rho_rcb, hydrogen_mass_fraction)


@functools.partial(jax.jit, static_argnames=("hydrogen_mass_fraction",))
def density_given_rcb(pressure, teq, rho_rcb, hydrogen_mass_fraction: float = 0.71):
    """rho(P, Teq) [kg m^-3] when rho_rcb [kg m^-3] (rcb_density) is already known; broadcastable
    arrays (lets a table builder solve rho_rcb once per Teq)."""
    mu, gamma_ad = ideal_gas_properties(hydrogen_mass_fraction)
    pressure, teq, rho_rcb = jnp.broadcast_arrays(
        jnp.asarray(pressure, float), jnp.asarray(teq, float), jnp.asarray(rho_rcb, float)
    )
    specific_gas_constant = R_GAS / mu

    def total_pressure(rho):
        temperature = teq * jnp.maximum(1.0, (rho / rho_rcb) ** (gamma_ad - 1.0))
        return (
            cold_pressure(rho, hydrogen_mass_fraction) + rho * specific_gas_constant * temperature
        )

    return _bisect_log_density(total_pressure, pressure)


@functools.partial(jax.jit, static_argnames=("p_rcb", "hydrogen_mass_fraction"))
def envelope_temperature(
    pressure, density, teq, p_rcb: float = DEFAULT_P_RCB, hydrogen_mass_fraction: float = 0.71
):
    """Temperature [K] of the envelope model at (P [Pa], rho [kg m^-3]) for a planet with Teq [K]:
    Teq for P <= p_rcb, Teq (rho/rho_rcb)^(gamma_ad - 1) below. Broadcastable arrays."""
    _, gamma_ad = ideal_gas_properties(hydrogen_mass_fraction)
    pressure, density, teq = jnp.broadcast_arrays(
        jnp.asarray(pressure, float), jnp.asarray(density, float), jnp.asarray(teq, float)
    )
    rho_rcb = rcb_density(teq, p_rcb, hydrogen_mass_fraction)
    adiabat = teq * jnp.maximum(1.0, (density / rho_rcb) ** (gamma_ad - 1.0))
    return jnp.where(pressure > p_rcb, adiabat, teq)
