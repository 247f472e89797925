"""One outward RK4 pass through all layers in mass coordinates for a given central pressure.

Equations (interior.md section 2.1; Baumeister et al. 2020 Eqs. 1-2 rewritten with mass as the
independent variable):
    d(r^3)/dm = 3 / (4 pi rho),   dP/dm = -G m / (4 pi r^4),
The temperature of each layer is a function of pressure (the adiabat T_layer(P) of
`temperature.py`), evaluated at every RK4 stage; k2 and the moment of inertia are integrated
afterwards (`radau.py`).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import G
from planetinfer.eos.tables import evaluate

FOUR_PI = 4.0 * jnp.pi
PRESSURE_FLOOR = 1.0  # [Pa] below this (overshooting iterates) the EoS is evaluated at the floor


def density(table, pressure, temperature):
    """Density [kg m^-3] from an EoS table at pressure [Pa] and temperature [K] (scalars)."""
    rho, _ = evaluate(table, jnp.log10(jnp.maximum(pressure, PRESSURE_FLOOR)), temperature)
    return rho


def _rates(state, mass, dm_du, temperature_of, table):
    """d(state)/du for state = (r^3, P); temperature_of: pressure [Pa] -> T [K]."""
    r3, pressure = state[0], state[1]
    rho = density(table, pressure, temperature_of(pressure))
    inside = (r3 > 0.0) & (mass > 0.0)
    safe_r3 = jnp.where(inside, r3, 1.0)
    dr3 = 3.0 / (FOUR_PI * rho)
    dp = jnp.where(inside, -G * mass / (FOUR_PI * safe_r3 ** (4.0 / 3.0)), 0.0)
    return jnp.stack([dr3, dp]) * dm_du


def integrate_layer(state, table, mass, dm_du, temperature_of, step):
    """RK4 through one segment of a layer.

    state: (2,) r^3 [m^3], P [Pa] at the segment's inner end; mass, dm_du: (2n+1,) at the RK4
    points [kg, kg]; temperature_of: pressure [Pa] -> T [K] of this layer; step: the uniform
    step in the layer's variable u.
    Returns (state at the outer end, states at the n outer nodes of the steps, (n, 2)).
    """
    inputs = (
        mass[:-1:2], mass[1::2], mass[2::2],
        dm_du[:-1:2], dm_du[1::2], dm_du[2::2],
    )  # fmt: skip

    def one_step(y, point):
        m0, m1, m2, d0, d1, d2 = point
        k1 = _rates(y, m0, d0, temperature_of, table)
        k2 = _rates(y + 0.5 * step * k1, m1, d1, temperature_of, table)
        k3 = _rates(y + 0.5 * step * k2, m1, d1, temperature_of, table)
        k4 = _rates(y + step * k3, m2, d2, temperature_of, table)
        new = y + (step / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        return new, new

    return jax.lax.scan(one_step, state, inputs)


SEGMENT_LAYER = (0, 0, 1, 1, 2, 2, 3, 3)  # layer (EoS table) of each segment, centre outwards


def outward_pass(ln_central_pressure, points, temperature_of, tables):
    """Integrate from the centre to the surface through the 8 segments (two per layer).

    points: (mass (8, 2n+1), dm_du (8, 2n+1), step (8,)) from `shoot.segment_points`;
    temperature_of: four callables pressure [Pa] -> T [K], one per layer (for a Teq envelope
    table the envelope's returns Teq); tables: four EosTable (core, mantle, water, envelope).
    Returns (surface state (2,), node states (8, n+1, 2)), nodes including each segment's inner
    end.
    """
    mass, dm_du, steps = points
    state = jnp.zeros(2).at[1].set(jnp.exp(ln_central_pressure))
    segment_nodes = []
    for segment, layer in enumerate(SEGMENT_LAYER):
        start = state
        state, nodes = integrate_layer(
            state, tables[layer], mass[segment], dm_du[segment], temperature_of[layer],
            steps[segment],
        )  # fmt: skip
        segment_nodes.append(jnp.concatenate([start[None, :], nodes], axis=0))
    return state, jnp.stack(segment_nodes)
