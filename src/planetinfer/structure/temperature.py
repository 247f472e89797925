"""The adiabat through the condensed layers, integrated downwards from its anchor.

Baumeister et al. (2020) section 2.1: adiabatic temperature profile starting from 300 K at the top
of the condensed planet (below the envelope), no temperature jumps at layer boundaries. Along an
isentrope d ln T / d ln P = grad_ad(P, T), tabulated per material (interior.md section 1.2:
gamma P / K_S for MGD, alpha P / (rho c_P) for temperature-dependent BM3). Because the shooting
starts at the centre while T is anchored at the top, the solver alternates: a pass at fixed T,
then this adiabat on the new pressures (a Picard update, interior.md "design note").
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.eos.tables import evaluate
from planetinfer.structure.integrate import PRESSURE_FLOOR


def _gradient(table, pressure, temperature):
    _, gradient = evaluate(table, jnp.log10(jnp.maximum(pressure, PRESSURE_FLOOR)), temperature)
    return gradient


ADIABAT_SUBSTEPS = 4  # Heun sub-steps per node interval: T depends on P alone, so the adiabat can
# be integrated finer than the structure grid at the cost of table look-ups only


def layer_adiabat(table, node_pressures, top_temperature):
    """Temperatures at a segment's nodes from the top node down (Heun's method in P).

    Integrates d ln T / dP = grad_ad / P, which is smooth in P (alpha / (rho c_P) for BM3-T,
    gamma / K_S for MGD), whereas grad_ad itself grows like P at low pressure: Heun in ln P over
    the first step below the surface (P from 1e4 Pa to ~1e10 Pa) would overestimate the heating.
    Each node interval is split into ADIABAT_SUBSTEPS equal steps in P.
    node_pressures: (N+1,) centre-side first [Pa]; top_temperature: T at the last node [K].
    Returns (N+1,) temperatures [K].
    """
    pressures = jnp.maximum(node_pressures, PRESSURE_FLOOR)

    def heun(temperature, p_upper, p_lower):
        first = _gradient(table, p_upper, temperature) / p_upper
        predicted = temperature * jnp.exp(first * (p_lower - p_upper))
        second = _gradient(table, p_lower, predicted) / p_lower
        return temperature * jnp.exp(0.5 * (first + second) * (p_lower - p_upper))

    def step_down(temperature, index):
        p_upper, p_lower = pressures[index + 1], pressures[index]
        increment = (p_lower - p_upper) / ADIABAT_SUBSTEPS
        for sub in range(ADIABAT_SUBSTEPS):
            temperature = heun(temperature, p_upper + sub * increment,
                               p_upper + (sub + 1) * increment)  # fmt: skip
        return temperature, temperature

    indices = jnp.arange(node_pressures.shape[0] - 2, -1, -1)
    _, below = jax.lax.scan(step_down, top_temperature, indices)
    return jnp.concatenate([below[::-1], top_temperature[None]])


def condensed_adiabat(node_pressures, tables, anchor_temperature):
    """Node temperatures of the six condensed segments (core, mantle, water; two each).

    Anchored at the top of the water layer (the top of the condensed planet) and integrated down.
    node_pressures: (8, n+1) [Pa] for all segments; returns (6, n+1) [K]. Empty segments have
    equal node pressures and so pass the temperature through unchanged.
    """
    top = jnp.asarray(anchor_temperature, dtype=float)
    rows = [None] * 6
    for segment in range(5, -1, -1):
        rows[segment] = layer_adiabat(tables[segment // 2], node_pressures[segment], top)
        top = rows[segment][0]
    return jnp.stack(rows)


def at_rk4_points(node_temperatures):
    """(L, N+1) node temperatures -> (L, 2N+1) at RK4 nodes and midpoints (linear in u)."""
    midpoints = 0.5 * (node_temperatures[:, :-1] + node_temperatures[:, 1:])
    n_layers, n_nodes = node_temperatures.shape
    points = jnp.zeros((n_layers, 2 * n_nodes - 1))
    return points.at[:, ::2].set(node_temperatures).at[:, 1::2].set(midpoints)
