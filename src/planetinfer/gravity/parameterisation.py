"""Density-profile parameterisation and starting profiles of Wirth, Morf & Helled (2026, WMH26).

Levels l_k = R_m (1 - k/N), k = 0..N-1 outer to inner, rho_0 = 0 at the surface (WMH26 Sect. 2.1).

* Eq. 3: rho_k = alpha sum_{i<k} e^{p_i} / w_i, i.e. increments Delta rho_i = alpha e^{p_i}/w_i.
* Eq. 4: w_i = sum_{k>i} l_k^2 (here with l in units of R_m; the units only shift p by a constant).
* Eq. 5-6: alpha = M / m_calc with m_calc the mass of the alpha = 1 profile. We integrate the mass
  with the same Stieltjes trapezoid as inside the ToF (reference sheet Sect. 3.3 rule), not the
  Riemann sum of eq. 6, so that the profile's mass is exactly M in the ToF.
* Eq. A.5: projection p_i <- max(p_i, ln(w_i Delta_min)), Delta_min = 1 kg m^-3 per level.
* Listing 2 (App. A): binary-subdivision starting profiles.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from planetinfer.gravity.tof import level_radii, mass_integral


def weights(n_levels: int) -> jnp.ndarray:
    """w_i = sum_{k>i} z_k^2 for i = 0..N-2 (WMH26 eq. 4), shape (N-1,)."""
    z2 = level_radii(n_levels) ** 2
    return jnp.cumsum(z2[::-1])[::-1][1:]


def unscaled_profile(p: jnp.ndarray) -> jnp.ndarray:
    """rho~_k = sum_{i<k} e^{p_i}/w_i with rho~_0 = 0 (eq. 3, alpha = 1), shape (N,) from (N-1,)."""
    inc = jnp.exp(p) / weights(p.shape[-1] + 1)
    return jnp.concatenate([jnp.zeros(1), jnp.cumsum(inc)])


def profile_mass(rho: jnp.ndarray, radius_m: float) -> jnp.ndarray:
    """M = (4 pi/3) R_m^3 int rho d(z^3) with the ToF quadrature [kg]; rho shape (N,)."""
    return 4.0 * jnp.pi / 3.0 * radius_m**3 * mass_integral(rho, level_radii(rho.shape[-1]))


def density(p: jnp.ndarray, mass: float, radius_m: float):
    """(rho [kg m^-3] shape (N,), alpha) for parameters p (eq. 3, 5)."""
    rho_u = unscaled_profile(p)
    alpha = mass / profile_mass(rho_u, radius_m)
    return alpha * rho_u, alpha


def project(p: jnp.ndarray, delta_min: float = 1.0) -> jnp.ndarray:
    """p_i <- max(p_i, ln(w_i Delta_min)) (WMH26 eq. A.5); Delta_min in kg m^-3 per level."""
    return jnp.maximum(p, jnp.log(weights(p.shape[-1] + 1) * delta_min))


def parameters_from_profile(rho: jnp.ndarray) -> jnp.ndarray:
    """p_i = ln(w_i Delta rho_i) (alpha = 1), rho increasing outer to inner, shape (N,)->(N-1,)."""
    inc = jnp.maximum(jnp.diff(rho), 1e-300)
    return jnp.log(weights(rho.shape[-1]) * inc)


@partial(jax.jit, static_argnames=("n_levels",))
def binary_subdivision(key, n_levels: int) -> jnp.ndarray:
    """Random increasing profile in (0, 1) by binary subdivision (WMH26 Listing 2), shape (N,).

    Index 0 (the surface) is the lower bound 0; the virtual index N is the upper bound 1. Level by
    level, h = N/2, N/4, ..., 1, each pivot j = h, 3h, 5h, ... draws uniform(a[j-h], a[j+h]):
    the same draws as the recursive listing (mirrored to run outer to inner, increasing).
    """
    if n_levels < 2 or n_levels & (n_levels - 1):
        raise ValueError(f"n_levels = {n_levels} must be a power of two >= 2 (WMH26 Listing 2)")
    a = jnp.zeros(n_levels + 1).at[n_levels].set(1.0)
    h = n_levels // 2
    while h >= 1:
        pivots = np.arange(h, n_levels, 2 * h)
        key, sub = jax.random.split(key)
        u = jax.random.uniform(sub, (len(pivots),), dtype=jnp.float64)
        lo, hi = a[pivots - h], a[pivots + h]
        a = a.at[pivots].set(lo + u * (hi - lo))
        h //= 2
    return a[:n_levels]


def start_parameters(key, n_levels: int, mass: float, radius_m: float, delta_min: float = 1.0):
    """Starting parameters: subdivision profile scaled to the mass, then p = ln(w dRho), projected.

    Returns (p (N-1,), start profile rho (N,) [kg m^-3]) (WMH26 App. A, create_start_params).
    """
    raw = binary_subdivision(key, n_levels)
    rho = raw * mass / profile_mass(raw, radius_m)
    return project(parameters_from_profile(rho), delta_min), rho
