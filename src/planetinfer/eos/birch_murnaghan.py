"""Birch-Murnaghan cold curves P(rho) (BM3, BM4) and the temperature-dependent BM3.

Formulas as written in interior.md section 1.2 (x = rho / rho0):

* BM3 (Birch 1947, Phys. Rev. 71, 809):
  P = (3/2) K0 (x^(7/3) - x^(5/3)) [1 + (3/4)(K0' - 4)(x^(2/3) - 1)].
* BM4 (Seager et al. 2007, ApJ 669, 1279, Eq. 4, with the 3/2 factors), f = (x^(2/3) - 1)/2:
  P = 3 K0 f (1 + 2f)^(5/2) [1 + (3/2)(K0' - 4) f + (3/2)(K0 K0'' + (K0' - 4)(K0' - 3) + 35/9) f^2].
* Temperature-dependent BM3 (Sotin et al. 2007, Icarus 191, 337; used by Baumeister et al. 2020,
  ApJ 889, 42, section 2.1.2): BM3 with rho0(T) = rho0 exp(-int_T0^T alpha dT') and
  K0(T) = K0 + (dK/dT)_P (T - T0), alpha = a0 + a1 T + a2 T^-2, T0 = 300 K.

All inputs SI: rho [kg m^-3], K0 [Pa], K0'' [Pa^-1], T [K]; any broadcastable shapes.
"""

from __future__ import annotations

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401

REFERENCE_TEMPERATURE = 300.0  # T0 [K], interior.md section 1.2


def bm3_pressure(rho, rho0, k0, k0_prime):
    """Third-order Birch-Murnaghan pressure [Pa] at density rho [kg m^-3]."""
    x = rho / rho0
    x23 = x ** (2.0 / 3.0)
    return (
        1.5
        * k0
        * (x ** (7.0 / 3.0) - x ** (5.0 / 3.0))
        * (1.0 + 0.75 * (k0_prime - 4.0) * (x23 - 1.0))
    )


def bm4_pressure(rho, rho0, k0, k0_prime, k0_double_prime):
    """Fourth-order Birch-Murnaghan pressure [Pa]; k0_double_prime in Pa^-1 (Seager 2007 Eq. 4)."""
    f = 0.5 * ((rho / rho0) ** (2.0 / 3.0) - 1.0)
    second = k0 * k0_double_prime + (k0_prime - 4.0) * (k0_prime - 3.0) + 35.0 / 9.0
    return (
        3.0
        * k0
        * f
        * (1.0 + 2.0 * f) ** 2.5
        * (1.0 + 1.5 * (k0_prime - 4.0) * f + 1.5 * second * f**2)
    )


def integrated_expansivity(temperature, a0, a1, a2=0.0, t0=REFERENCE_TEMPERATURE):
    """int_T0^T alpha(T') dT' for alpha = a0 + a1 T + a2 T^-2 [-] (Sotin 2007 form)."""
    t = temperature
    return a0 * (t - t0) + 0.5 * a1 * (t**2 - t0**2) - a2 * (1.0 / t - 1.0 / t0)


def thermal_bm3_reference(temperature, rho0, k0, a0, a1, a2, dk_dt, t0=REFERENCE_TEMPERATURE):
    """Zero-pressure density rho0(T) [kg m^-3] and bulk modulus K0(T) [Pa] (interior.md 1.2).

    dk_dt: (dK/dT)_P [Pa K^-1]. K0(T) may become <= 0 far above the fitted range; callers treat
    that as "no valid state" (see library.py).
    """
    rho0_t = rho0 * jnp.exp(-integrated_expansivity(temperature, a0, a1, a2, t0))
    k0_t = k0 + dk_dt * (temperature - t0)
    return rho0_t, k0_t


def thermal_bm3_pressure(rho, temperature, rho0, k0, k0_prime, a0, a1, a2, dk_dt):
    """Temperature-dependent BM3 pressure [Pa] at (rho [kg m^-3], T [K])."""
    rho0_t, k0_t = thermal_bm3_reference(temperature, rho0, k0, a0, a1, a2, dk_dt)
    return bm3_pressure(rho, rho0_t, k0_t, k0_prime)
