"""Radau's equation and the moment of inertia integrated on a converged structure (JAX).

Carrying eta through the RK4 stages of the structure pass makes it feel the O(h^2) errors of the
stage predictors of r^3 through rho/rho_mean, amplified by the stiffness of Radau's equation
(it relaxes like r^-5). Here the structure is already known at the nodes together with its
derivatives, so r^3 and P at the step midpoints come from cubic Hermite interpolation (4th order)
and eta is integrated with RK4 on those values (interior.md 2.4, "integrate eta on the converged
profile"); steps growing ln r by more than 0.3 use the implicit step of `love.py`. The moment of
inertia I = (2/3) int r^2 dm uses Simpson's rule on the same points.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.structure import love
from planetinfer.structure.integrate import SEGMENT_LAYER, _rates, density


def _segment(carry, nodes, mass, dm_du, temperature_of, step, table):
    """eta and I through one segment. nodes: (n+1, 2) r^3, P; mass, dm_du: (2n+1,);
    temperature_of: pressure [Pa] -> T [K]."""
    rates = jax.vmap(lambda y, m, d: _rates(y, m, d, temperature_of, table))(
        nodes, mass[::2], dm_du[::2]
    )
    middle = 0.5 * (nodes[:-1] + nodes[1:]) + step * (rates[:-1] - rates[1:]) / 8.0  # Hermite
    r3 = jnp.zeros(mass.shape).at[::2].set(nodes[:, 0]).at[1::2].set(middle[:, 0])
    pressure = jnp.zeros(mass.shape).at[::2].set(nodes[:, 1]).at[1::2].set(middle[:, 1])
    rho = jax.vmap(lambda p: density(table, p, temperature_of(p)))(pressure)
    inside = (mass > 0.0) & (r3 > 0.0)
    ratio = jnp.where(inside, 4.0 * jnp.pi * r3 * rho / (3.0 * jnp.where(inside, mass, 1.0)), 1.0)
    # d ln r / du = (dm/du) / (4 pi r^3 rho) = (dm/du) / (3 m D)
    ln_r_rate = jnp.where(inside, dm_du / (3.0 * jnp.where(inside, mass, 1.0) * ratio), 0.0)
    inertia_rate = (2.0 / 3.0) * jnp.cbrt(r3) ** 2 * dm_du

    def one_step(state, k):
        eta, inertia = state
        i = 2 * k

        def rate(e, j):
            return love.radau_rate(e, ratio[j]) * ln_r_rate[j]

        k1 = rate(eta, i)
        k2 = rate(eta + 0.5 * step * k1, i + 1)
        k3 = rate(eta + 0.5 * step * k2, i + 1)
        k4 = rate(eta + step * k3, i + 2)
        explicit = eta + step / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        step_ln_r = (jnp.log(r3[i + 2]) - jnp.log(r3[i])) / 3.0
        implicit = love.implicit_radau_step(eta, ratio[i + 2], step_ln_r)
        stiff = (step_ln_r > love.STIFF_STEP_LN_R) & (mass[i + 2] > 0.0)
        eta = jnp.where(stiff, implicit, explicit)
        inertia = inertia + step / 6.0 * (
            inertia_rate[i] + 4.0 * inertia_rate[i + 1] + inertia_rate[i + 2]
        )
        return (eta, inertia), None

    return jax.lax.scan(one_step, carry, jnp.arange(nodes.shape[0] - 1))[0]


def eta_and_inertia(nodes, points, temperature_of, tables):
    """Surface eta [-] and moment of inertia I [kg m^2] of a converged structure.

    nodes: (8, n+1, 2) r^3 [m^3] and P [Pa] at the segment nodes; points, temperature_of: as for
    `integrate.outward_pass`.
    """
    mass, dm_du, steps = points
    carry = (jnp.asarray(0.0), jnp.asarray(0.0))
    for segment, layer in enumerate(SEGMENT_LAYER):
        carry = _segment(
            carry, nodes[segment], mass[segment], dm_du[segment], temperature_of[layer],
            steps[segment], tables[layer],
        )  # fmt: skip
    return carry
