"""The adiabat through the condensed layers as a function of pressure, T_layer(P).

Baumeister et al. (2020) section 2.1: adiabatic temperature profile starting from 300 K at the top
of the condensed planet (below the envelope), no temperature jumps at layer boundaries. Along an
isentrope d ln T / d ln P = grad_ad(P, T), tabulated per material (interior.md section 1.2:
gamma P / K_S for MGD, alpha P / (rho c_P) for temperature-dependent BM3).

Within one material the adiabat depends on pressure alone once its top temperature is known, so it
is stored per layer as T on a grid in s = ln(P + P_SCALE) and looked up at the current pressure
inside every RK4 stage. A structure pass then sees a temperature consistent with its own pressures,
and the only lag between passes is in the boundary pressures that anchor each layer's adiabat (a
weak coupling: shifting a boundary by d ln P changes T below it by the difference of the two
materials' gradients times d ln P). This replaces the earlier Picard update of node temperatures,
which coupled T to ln Pc strongly and needed up to ~120 passes.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.eos.tables import evaluate
from planetinfer.structure.integrate import PRESSURE_FLOOR

P_SCALE = 1.0e9  # [Pa] grid uniform in P well below 1 GPa (where T is linear in P), in ln P above
# (step in s, intervals): 12 units of s from any layer top, e.g. from 1e4 Pa to 1.6e14 Pa
FINE_GRID = (0.25, 48)
COARSE_GRID = (0.5, 24)


class Adiabat(NamedTuple):
    """Temperature tables of the four layers (centre outwards), uniform in s = ln(P + P_SCALE).

    start: (4,) s of the first grid point (the layer top) [-]; step: (4,) grid spacing in s;
    values: (4, K+1) temperatures [K]; values[i, 0] is the temperature at the top of layer i.
    """

    start: jnp.ndarray
    step: jnp.ndarray
    values: jnp.ndarray


def constant_adiabat(temperatures, grid: tuple[float, int]) -> Adiabat:
    """Every layer at its own constant temperature [K] (shape (4,)): the starting iterate."""
    n_grid = grid[1]
    values = jnp.broadcast_to(jnp.asarray(temperatures, dtype=float)[:, None], (4, n_grid + 1))
    return Adiabat(jnp.zeros(4), jnp.ones(4), values)


def _interpolate(start, step, row, pressure):
    position = (jnp.log(jnp.maximum(pressure, PRESSURE_FLOOR) + P_SCALE) - start) / step
    position = jnp.clip(position, 0.0, row.shape[0] - 1.0 - 1.0e-9)
    index = jnp.floor(position).astype(jnp.int32)
    weight = position - index
    return row[index] + weight * (row[index + 1] - row[index])


def temperature_at(adiabat: Adiabat, layer: int, pressure):
    """T [K] of `layer` at pressure [Pa] (scalar), linear in s, clamped at the grid ends."""
    return _interpolate(adiabat.start[layer], adiabat.step[layer], adiabat.values[layer], pressure)


def _layer_table(table, top_pressure, top_temperature, grid_step, n_grid):
    """One layer's adiabat from its top down, on the fixed grid s_j = ln(P_SCALE) + j grid_step.

    Integrates d ln T / dP = grad_ad / P (Heun's method in P), smooth in P (alpha / (rho c_P) for
    BM3-T, gamma / K_S for MGD), whereas grad_ad itself grows like P at low pressure. The grid
    nodes do not move with the layer top: only the first partial step does, so T(P) depends
    smoothly on the top pressure, and a phase change inside the layer (the 23 GPa mantle
    transition) always falls between the same two nodes instead of jittering between passes.
    Returns (s of the first stored node, grid_step, (n_grid+1,) temperatures [K]); the first
    value is extrapolated linearly through (s_top, top_temperature).
    """
    origin = jnp.log(P_SCALE)
    top = jnp.log(jnp.maximum(top_pressure, PRESSURE_FLOOR) + P_SCALE)
    first = jnp.floor((top - origin) / grid_step)
    nodes = origin + grid_step * (first + jnp.arange(1.0, n_grid + 1.0))
    pressures = jnp.concatenate([jnp.exp(top)[None], jnp.exp(nodes)]) - P_SCALE
    pressures = jnp.maximum(pressures, PRESSURE_FLOOR)

    def rate(pressure, temperature):
        _, gradient = evaluate(table, jnp.log10(pressure), temperature)
        return gradient / pressure

    def heun(temperature, interval):
        p_upper, p_lower = interval
        first_rate = rate(p_upper, temperature)
        predicted = temperature * jnp.exp(first_rate * (p_lower - p_upper))
        second_rate = rate(p_lower, predicted)
        new = temperature * jnp.exp(0.5 * (first_rate + second_rate) * (p_lower - p_upper))
        return new, new

    _, below = jax.lax.scan(heun, top_temperature, (pressures[:-1], pressures[1:]))
    start = origin + grid_step * first
    gap = nodes[0] - top  # in (0, grid_step]
    extrapolated = top_temperature - (below[0] - top_temperature) * (top - start) / gap
    return start, grid_step, jnp.concatenate([extrapolated[None], below])


def condensed_adiabat(top_pressures, tables, anchor_temperature, envelope_temperature,
                      grid: tuple[float, int]) -> Adiabat:  # fmt: skip
    """Adiabat of the core, mantle and water layers anchored at the top of the condensed planet.

    top_pressures: (4,) pressure at the top of each layer [Pa] from the last structure pass; the
    water layer starts at anchor_temperature [K] at its top, and each layer
    below starts at the temperature of the layer above at their common boundary (no jumps).
    The envelope (layer 3) is held at envelope_temperature [K]. grid: (step in s, number of
    intervals), e.g. FINE_GRID.
    Returns an Adiabat.
    """
    grid_step, n_grid = grid
    top = jnp.asarray(anchor_temperature, dtype=float)
    starts, steps, rows = [None] * 3, [None] * 3, [None] * 3
    for layer in (2, 1, 0):
        starts[layer], steps[layer], rows[layer] = _layer_table(
            tables[layer], top_pressures[layer], top, grid_step, n_grid
        )
        if layer:  # this layer's temperature at the top of the layer below
            top = _interpolate(starts[layer], steps[layer], rows[layer],
                               top_pressures[layer - 1])  # fmt: skip
    envelope = jnp.full(n_grid + 1, jnp.asarray(envelope_temperature, dtype=float))
    return Adiabat(
        jnp.stack([*starts, jnp.asarray(0.0)]),
        jnp.stack([*steps, jnp.asarray(1.0)]),
        jnp.stack([*rows, envelope]),
    )
