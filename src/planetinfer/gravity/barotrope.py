"""Rotating n = 1 polytrope by theory of figures: the Wisdom & Hubbard (2016) benchmark.

For P = K rho^2 hydrostatic equilibrium dP = rho dU gives rho = (U_surface - U)/(2K): the density
is linear in the total potential. We iterate density <- potential (normalised to unit mass; K
drops out of the J_2n) together with the ToF shape, holding q = w^2 a^3/(GM) fixed, where a is the
equatorial radius (WH16 Sect. 2; q = 0.089195487 for their Jupiter-like case), so that the
rotation parameter of the ToF is m = q (R_m/a)^3. Moments are returned normalised to a.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from planetinfer.gravity.tof import level_radii, mass_integral, solve_normalised

WH16_Q = 0.089195487  # q = w^2 a^3 / GM of the WH16 n = 1 polytrope (WH16 Sect. 2)
# Concentric-Maclaurin-spheroid "CLC" reference J_2..J_14, WH16 Table 3 (normalised to a).
WH16_J2N = (
    1.398851089834637e-2,
    -5.318281001092471e-4,
    3.011832290533577e-5,
    -2.132115710726158e-6,
    1.740671195871128e-7,
    -1.568219505602588e-8,
    1.518099230068580e-9,
)
WH16_REQ_OVER_R = 1.022875431133185  # a / R, R the non-rotating radius (WH16)


class Polytrope(NamedTuple):
    j2n: jnp.ndarray  # (order,) normalised to the equatorial radius a
    req_over_rmean: jnp.ndarray  # ()
    nmoi: jnp.ndarray  # () C / (M R_m^2)
    rho_hat: jnp.ndarray  # (N,) density / mean density
    change: jnp.ndarray  # () last relative density change


@partial(jax.jit, static_argnames=("n_levels", "order", "outer_iterations"))
def relax_polytrope_n1(
    n_levels: int, q: float = WH16_Q, order: int = 4, outer_iterations: int = 60
) -> Polytrope:
    """Self-consistent rotating n = 1 polytrope on N levels (WH16 benchmark configuration)."""
    z = level_radii(n_levels)
    x = jnp.pi * z
    rho0 = jnp.sin(x) / x  # non-rotating n = 1 polytrope (Lane-Emden)
    rho0 = rho0 / mass_integral(rho0, z)

    def body(_, state):
        rho, s, m, _ = state
        fig = solve_normalised(rho, m, s, order=order)
        phi = z**2 * fig.a0  # -U R_m / GM on each level
        rho_new = phi - phi[0]
        rho_new = rho_new / mass_integral(rho_new, z)
        change = jnp.max(jnp.abs(rho_new - rho)) / jnp.max(rho_new)
        return rho_new, fig.s, q / fig.req**3, change

    s0 = jnp.zeros((n_levels, order))
    rho, s, m, change = jax.lax.fori_loop(0, outer_iterations, body, (rho0, s0, q, jnp.inf))
    fig = solve_normalised(rho, m, s, order=order)
    powers = 2.0 * jnp.arange(1, order + 1)
    j2n = -((1.0 / fig.req) ** powers) * fig.s2n_surface
    return Polytrope(j2n, fig.req, fig.nmoi, rho, change)
