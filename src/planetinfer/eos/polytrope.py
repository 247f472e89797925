"""Seager et al. (2007, ApJ 669, 1279) modified polytrope: rho = rho0 + c P^n (SI units).

Their Eq. 11 with the fit coefficients of their Table 3 (values in `materials.py`). Stated
accuracy 2-12 % for P < 1e16 Pa; isothermal (300 K), so the adiabatic gradient is zero.
"""

from __future__ import annotations

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401


def density(pressure, rho0, c, n):
    """Density of a modified polytrope.

    pressure: [Pa], any shape; negative pressures are clamped to 0 (rho = rho0) so that a
    shooting solver that overshoots keeps a monotonic residual.
    rho0 [kg m^-3], c [kg m^-3 Pa^-n], n [-]: Seager et al. 2007 Table 3.
    Returns density [kg m^-3], same shape as pressure.
    """
    p = jnp.maximum(pressure, 0.0)
    return rho0 + c * p**n
