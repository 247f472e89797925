"""Per-layer step variables in mass coordinates (interior.md section 2, items 1, 2 and 4).

Each layer is split at its half-mass point into an inner and an outer segment, each integrated
with n RK4 steps uniform in its own variable u. The RK4 stages need m and dm/du at the nodes and
midpoints, 2n + 1 points, which never change during shooting and are computed once per planet.

- Inner segments: u = ln(s + c) with s = m^(1/3). Near the centre r is proportional to s, so
  RK4 keeps 4th order there (interior.md 2.2); c = max(s_in, s_out / 30) keeps the first step's
  growth in ln r bounded when the segment starts at or near the centre, and makes the spacing
  almost uniform in m elsewhere.
- Outer segments: u = ln(q + q_s) with q = m_out - m the mass above the segment's top. At the
  planet's surface P is nearly proportional to q, and rho(P) can be non-smooth at P -> 0 (the
  Seager polytropes go like P^0.5): uniform steps in u resolve it, and for an envelope they resolve
  the scale height up to the 100 mbar level. There q_s is the column mass at the surface pressure,
  4 pi R^4 P_surf / (G M), from a rough radius (it only sets the spacing); below an interior
  boundary q_s is a thirtieth of the segment mass, which makes the spacing nearly uniform.
"""

from __future__ import annotations

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import M_EARTH, R_EARTH, G


def inner_segment_points(mass_inner, mass_outer, n_steps: int, grading: float = 30.0):
    """Mass and dm/du at the 2n+1 RK4 points of an inner segment.

    mass_inner, mass_outer: enclosed mass at the segment's inner and outer end [kg], scalars.
    grading: s_out / c, how much finer the first steps are than uniform-in-s (1: nearly uniform).
    Returns (m, dm_du, h): m and dm/du of shape (2n+1,) [kg], and the step h in u.
    A segment of zero mass gives h = 0 (every step is then an exact no-op).
    """
    s_inner = jnp.cbrt(mass_inner)
    s_outer = jnp.cbrt(mass_outer)
    offset = jnp.maximum(jnp.maximum(s_inner, s_outer / grading), 1e-3)
    u_inner = jnp.log(s_inner + offset)
    u_outer = jnp.log(s_outer + offset)
    u = jnp.linspace(u_inner, u_outer, 2 * n_steps + 1)
    s = jnp.clip(jnp.exp(u) - offset, s_inner, s_outer)
    s = s.at[0].set(s_inner).at[-1].set(s_outer)  # exact ends: dm/du = 0 at the centre
    m = s**3
    m = m.at[0].set(mass_inner).at[-1].set(mass_outer)
    dm_du = 3.0 * s**2 * (s + offset)
    return m, dm_du, (u_outer - u_inner) / n_steps


def surface_column_mass(total_mass, surface_pressure):
    """Rough column mass above the surface-pressure level, 4 pi R^4 P_surf / (G M) [kg].

    Uses R = R_E (M/M_E)^0.27 (Sotin et al. 2007 scaling, only to set the grid spacing).
    """
    radius = R_EARTH * (total_mass / M_EARTH) ** 0.27
    return 4.0 * jnp.pi * radius**4 * surface_pressure / (G * total_mass)


def outer_segment_points(mass_inner, mass_outer, column_mass, n_steps: int):
    """Mass and dm/du at the 2n+1 RK4 points of an outer segment.

    mass_inner, mass_outer, column_mass (q_s, > 0) [kg], scalars. u runs from
    ln(m_out - m_in + q_s) to ln(q_s), so h < 0 and dm/du = -(q + q_s) < 0.
    Returns (m, dm_du, h).
    """
    segment_mass = mass_outer - mass_inner
    u_base = jnp.log(segment_mass + column_mass)
    u_top = jnp.log(column_mass)
    u = jnp.linspace(u_base, u_top, 2 * n_steps + 1)
    q_plus = jnp.exp(u)
    q = jnp.clip(q_plus - column_mass, 0.0, segment_mass)
    m = mass_outer - q
    m = m.at[0].set(mass_inner).at[-1].set(mass_outer)
    return m, -q_plus, (u_top - u_base) / n_steps
