"""Vinet (Rydberg) equation of state (Vinet et al. 1987, J. Geophys. Res. 92, 9319).

P = 3 K0 x^(2/3) (1 - x^(-1/3)) exp[1.5 (K0' - 1)(1 - x^(-1/3))], x = rho/rho0
(interior.md section 1.2; Seager et al. 2007 Eq. 5 use it for epsilon-Fe).
"""

from __future__ import annotations

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401


def vinet_pressure(rho, rho0, k0, k0_prime):
    """Vinet pressure [Pa] at density rho [kg m^-3]; k0 [Pa]. Any broadcastable shapes."""
    x = rho / rho0
    eta = 1.0 - x ** (-1.0 / 3.0)
    return 3.0 * k0 * x ** (2.0 / 3.0) * eta * jnp.exp(1.5 * (k0_prime - 1.0) * eta)
