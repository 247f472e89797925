"""Shooting on ln Pc for one planet, with the adiabat updated between iterations (JAX, vmap-able).

Safeguarded Newton on f(ln Pc) = P(M) - P_surf (interior.md section 2.3): the derivative comes from
forward-mode differentiation of the whole outward pass (one jvp per iteration), steps are limited to
|d ln Pc| <= 2 and fall back to bisection of the bracket kept from the residual signs. After each
pass the adiabat is recomputed on the new pressures (temperature.py), so central pressure and the
temperature profile converge together. Never raises: returns a status code.
"""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import M_EARTH, R_GAS, G
from planetinfer.eos.envelope import ideal_gas_properties
from planetinfer.structure import grid, status
from planetinfer.structure.integrate import density, outward_pass
from planetinfer.structure.love import k2_from_eta
from planetinfer.structure.radau import eta_and_inertia
from planetinfer.structure.temperature import at_rk4_points, condensed_adiabat

# Rough zero-pressure densities, only to start the iteration (the EoS tables set the answer).
STARTING_DENSITIES = jnp.array([7500.0, 4000.0, 1460.0, 211.0])  # kg m^-3
LN_PC_BRACKET = (jnp.log(1.0e5), jnp.log(1.0e16))  # [ln Pa]
LN_PC_TABLE_LIMIT = jnp.log(1.0e15)  # the EoS tables end at 1e15 Pa
TEMPERATURE_TOLERANCE = 1e-5  # relative change of the adiabat between iterations (d ln rho /
# d ln T ~ alpha T ~ 0.03, so this keeps densities, and radii, converged to ~1e-7)
MAX_NEWTON_STEP = 2.0  # in ln Pc
STALE_BRACKET_CHANGE = 1e-3
TEMPERATURE_RELAXATION = 0.6  # an adiabat update larger than this invalidates the ln Pc bracket
LN_PC_RESOLUTION = 1e-13  # a few ulp of ln Pc ~ 27: no further progress possible


def initial_ln_central_pressure(mass, fractions):
    """Starting guess ln Pc ~ ln(0.3 G M^2 / R^4) with R from compressed uncompressed densities."""
    mean_density = 1.0 / jnp.sum(fractions / STARTING_DENSITIES) * 1.15 * (mass / M_EARTH) ** 0.25
    radius = jnp.cbrt(3.0 * mass / (4.0 * jnp.pi * mean_density))
    return jnp.log(0.3 * G * mass**2 / radius**4)


def top_pressure(fractions, config):
    """Pressure where the outward integration ends [Pa].

    The surface pressure, except for a planet with a Teq envelope: there the integration stops at
    the radiative-convective boundary and the isothermal layer above it is added analytically
    (`isothermal_transit_radius`). Integrating that layer outwards is unstable: a slightly low Pc
    reaches low density with mass left and the radius runs away to a spurious puffy solution.
    """
    if config.envelope == "teq":
        return jnp.where(fractions[3] > 0.0, config.p_rcb, config.surface_pressure)
    return jnp.asarray(config.surface_pressure)


def isothermal_transit_radius(rcb_radius, mass, teq, config):
    """Radius of the surface pressure above an isothermal ideal-gas layer at Teq [m].

    Hydrostatic ideal gas in the point-mass field of the planet (the layer's own mass, ~4 pi R^4
    P_rcb / (G M), is neglected): dP/P = -(G M mu / (R_gas T r^2)) dr, so
    1/R = 1/R_rcb - R_gas T ln(P_rcb / P_surf) / (mu G M). Non-positive means unbound (NaN).
    """
    mu, _ = ideal_gas_properties()
    inverse = 1.0 / rcb_radius - R_GAS * teq * jnp.log(config.p_rcb / config.surface_pressure) / (
        mu * G * mass
    )
    return jnp.where(inverse > 0.0, 1.0 / jnp.where(inverse > 0.0, inverse, 1.0), jnp.nan)


def segment_points(mass, fractions, config, grading: float = 30.0):
    """RK4 points of the 8 segments (inner and outer half of each layer, centre outwards).

    grading: ratio of the segment scale to the grid offset (grid.py); 30 on the full grid. With
    grading 1 (coarse grids) the spacing is nearly uniform and the surface is not resolved:
    grading a handful of steps would only spoil the central pressure.
    Returns (mass (8, 2n+1), dm_du (8, 2n+1), step (8,)) with n = steps_per_layer / 2.
    """
    n = config.steps_per_layer // 2
    outer = jnp.minimum(mass * jnp.cumsum(fractions), mass).at[3].set(mass)  # no rounding past M
    inner = jnp.concatenate([jnp.zeros(1), outer[:3]])
    middle = 0.5 * (inner + outer)
    column = grid.surface_column_mass(mass, top_pressure(fractions, config))
    layer_mass = outer - inner
    mass_above = jnp.sum(layer_mass) - jnp.cumsum(layer_mass)
    is_surface = (layer_mass > 0.0) & (mass_above <= 0.0)
    rows = []
    for layer in range(4):
        rows.append(grid.inner_segment_points(inner[layer], middle[layer], n, grading))
        spacing = (outer[layer] - middle[layer]) / grading + 1e-12 * mass
        q_s = jnp.where(is_surface[layer] & (grading > 1.0), column, spacing)
        rows.append(grid.outer_segment_points(middle[layer], outer[layer], q_s, n))
    masses, rates, steps = zip(*rows, strict=True)
    return jnp.stack(masses), jnp.stack(rates), jnp.stack(steps)


def _temperature_points(condensed_nodes, envelope_value, n_points):
    envelope_row = jnp.full((2, n_points), envelope_value)
    return jnp.concatenate([at_rk4_points(condensed_nodes), envelope_row], axis=0)


def _refine_temperatures(coarse_nodes, n_fine):
    """(6, n_c+1) coarse node temperatures -> (6, n_fine+1), linear in each segment's u."""
    n_coarse = coarse_nodes.shape[1] - 1
    position = jnp.linspace(0.0, n_coarse, n_fine + 1)
    return jax.vmap(lambda row: jnp.interp(position, jnp.arange(n_coarse + 1.0), row))(coarse_nodes)


def _iterate_shooting(points, tables, config, envelope_value, target, start_ln_pc, start_nodes, *,
                      slope=None, tolerance, max_iterations, ln_pc_tolerance=LN_PC_RESOLUTION,
                      temperature_tolerance=TEMPERATURE_TOLERANCE):  # fmt: skip
    """Shoot on ln Pc with the adiabat updated after every pass.

    slope None: safeguarded Newton with the exact derivative (one jvp per pass). slope given:
    chord iterations with that fixed d f / d ln Pc (one plain pass each), used on the fine grid
    after a coarse Newton solve, where the coarse slope matches the fine one to ~1e-3.
    target: pressure at the top of the integration [Pa] (`top_pressure`).
    Converged: |P(M) - target| <= tolerance * target, or the step in ln Pc below ln_pc_tolerance
    (by default a few ulp: no further progress is possible),
    and the adiabat changed by less than TEMPERATURE_TOLERANCE.
    Returns (ln_pc, node temperatures (6, n+1), iterations, converged, slope).
    """
    n_points = start_nodes.shape[1] * 2 - 1
    anchor = config.anchor_temperature

    def residual(ln_pc, temperatures):
        surface, nodes = outward_pass(ln_pc, points, temperatures, tables)
        return surface[1] - target, nodes[:, :, 1]

    def iterate(carry):
        ln_pc, low, high, node_temperatures, count, _, last_slope = carry
        temperatures = _temperature_points(node_temperatures, envelope_value, n_points)
        if slope is None:
            (f, node_pressures), (new_slope, _) = jax.jvp(
                lambda x: residual(x, temperatures), (ln_pc,), (jnp.ones_like(ln_pc),)
            )
        else:
            f, node_pressures = residual(ln_pc, temperatures)
            new_slope = last_slope
        high = jnp.where(f > 0.0, ln_pc, high)
        low = jnp.where(f > 0.0, low, ln_pc)
        if config.isothermal:
            new_nodes, change = node_temperatures, 0.0
        else:
            adiabat = condensed_adiabat(node_pressures, tables, anchor)
            change = jnp.max(jnp.abs(adiabat / node_temperatures - 1.0))
            # under-relaxed: the adiabat and ln Pc pull on each other and can oscillate
            new_nodes = node_temperatures + TEMPERATURE_RELAXATION * (adiabat - node_temperatures)
            # a new adiabat changes the residual function: the old bracket no longer holds
            stale = change > STALE_BRACKET_CHANGE
            low = jnp.where(stale, LN_PC_BRACKET[0], low)
            high = jnp.where(stale, LN_PC_BRACKET[1], high)
        newton = ln_pc - f / new_slope
        newton = jnp.clip(newton, ln_pc - MAX_NEWTON_STEP, ln_pc + MAX_NEWTON_STEP)
        usable = jnp.isfinite(newton) & (newton >= low) & (newton <= high)
        new_ln_pc = jnp.where(usable, newton, 0.5 * (low + high))
        settled = (jnp.abs(f) <= tolerance * target) | (
            jnp.abs(new_ln_pc - ln_pc) <= ln_pc_tolerance
        )
        done = settled & (change < temperature_tolerance)
        return new_ln_pc, low, high, new_nodes, count + 1, done, new_slope

    def keep_going(carry):
        return (~carry[5]) & (carry[4] < max_iterations)

    start = (
        start_ln_pc, LN_PC_BRACKET[0], LN_PC_BRACKET[1], start_nodes, jnp.asarray(0),
        jnp.asarray(False), jnp.asarray(1.0 if slope is None else slope, dtype=float),
    )  # fmt: skip
    ln_pc, _, _, nodes, count, converged, last_slope = jax.lax.while_loop(
        keep_going, iterate, start
    )
    return ln_pc, nodes, count, converged, last_slope


COARSE_STEPS_PER_SEGMENT = 4
COARSE_LN_PC_TOLERANCE = 1e-3  # the coarse grid itself is only good to ~0.1 in ln Pc
FINE_NEWTON_ITERATIONS = 2


def solve_planet(mass, fractions, teq, tables, config, with_profiles: bool = False):
    """Structure of one planet. mass [kg], fractions (4,) summing to 1, teq [K].

    Two grids: Newton on a coarse grid (4 steps per segment) finds ln Pc and the adiabat to
    ~1e-1; two Newton passes on the full grid bring ln Pc to ~1e-6, and chord iterations with the
    last exact slope (plain passes, no derivative) finish to the tolerance.
    Returns a dict of scalars and (4,)-arrays (see `solve.SCALAR_KEYS`) and, with_profiles, the
    node profiles of shape (4, N+1) each.
    """
    anchor = 300.0 if config.isothermal else config.anchor_temperature
    envelope_value = teq if config.envelope == "teq" else anchor
    n_fine = config.steps_per_layer // 2
    target = top_pressure(fractions, config)
    coarse = dataclasses.replace(config, steps_per_layer=2 * COARSE_STEPS_PER_SEGMENT)
    coarse_ln_pc, coarse_nodes, coarse_count, _, coarse_slope = _iterate_shooting(
        segment_points(mass, fractions, coarse, grading=1.0), tables, coarse,
        envelope_value, target,
        initial_ln_central_pressure(mass, fractions),
        jnp.full((6, COARSE_STEPS_PER_SEGMENT + 1), anchor),
        tolerance=0.0, ln_pc_tolerance=COARSE_LN_PC_TOLERANCE,
        temperature_tolerance=COARSE_LN_PC_TOLERANCE, max_iterations=config.max_iterations,
    )  # fmt: skip
    points = segment_points(mass, fractions, config)
    newton_ln_pc, newton_nodes, newton_count, _, fine_slope = _iterate_shooting(
        points, tables, config, envelope_value, target, coarse_ln_pc,
        _refine_temperatures(coarse_nodes, n_fine),
        tolerance=config.tolerance, max_iterations=FINE_NEWTON_ITERATIONS,
    )  # fmt: skip
    ln_pc, node_temperatures, count, converged, _ = _iterate_shooting(
        points, tables, config, envelope_value, target, newton_ln_pc, newton_nodes,
        slope=fine_slope,
        tolerance=config.tolerance, max_iterations=config.max_iterations,
    )  # fmt: skip
    count = coarse_count + newton_count + count
    temperatures = _temperature_points(node_temperatures, envelope_value, n_fine * 2 + 1)
    surface, nodes = outward_pass(ln_pc, points, temperatures, tables)
    eta, inertia = eta_and_inertia(nodes, points, temperatures, tables)
    surface = jnp.concatenate([surface, jnp.stack([eta, inertia])])
    return _outputs(
        mass, fractions, teq, ln_pc, surface, nodes, node_temperatures, points, tables, config,
        count, converged, envelope_value, with_profiles,
    )  # fmt: skip


def _per_layer(segment_rows):
    """(8, n+1, ...) segment node values -> (4, 2n+1, ...) per layer (shared middle node once)."""
    return jnp.concatenate([segment_rows[0::2], segment_rows[1::2, 1:]], axis=1)


def _outputs(mass, fractions, teq, ln_pc, surface, nodes, node_temperatures, points, tables,
             config, count, converged, envelope_value, with_profiles):  # fmt: skip
    top_radius = jnp.cbrt(surface[0])
    radius = top_radius
    k2 = k2_from_eta(surface[2])
    unbound = jnp.asarray(False)
    if config.envelope == "teq":
        # the massless isothermal layer leaves the external field unchanged: k2 R^5 is invariant
        transit = isothermal_transit_radius(top_radius, mass, teq, config)
        unbound = ~jnp.isfinite(transit) & (fractions[3] > 0.0)
        radius = jnp.where(fractions[3] > 0.0, transit, top_radius)
        k2 = k2 * (top_radius / radius) ** 5
    outer_radii = jnp.cbrt(nodes[1::2, -1, 0]).at[3].set(radius)
    inner_radii = jnp.concatenate([jnp.zeros(1), outer_radii[:-1]])
    moment = surface[3] / (mass * radius**2)
    finite = jnp.isfinite(radius) & jnp.isfinite(k2) & jnp.isfinite(moment)
    code = jnp.where(converged, status.OK, status.NOT_CONVERGED)
    code = jnp.where(ln_pc > LN_PC_TABLE_LIMIT, status.PRESSURE_OUT_OF_TABLE, code)
    code = jnp.where(finite, code, status.NON_FINITE)
    code = jnp.where(unbound, status.UNBOUND_ATMOSPHERE, code)
    result = {
        "radius": radius,
        "layer_outer_radii": outer_radii,
        "radius_fractions": (outer_radii - inner_radii) / radius,
        "central_pressure": jnp.exp(ln_pc),
        "central_temperature": node_temperatures[0, 0],
        "k2": k2,
        "moment_of_inertia": moment,
        "iterations": count,
        "status": code,
    }
    if with_profiles:
        envelope_rows = jnp.full((2, node_temperatures.shape[1]), envelope_value)
        node_t = _per_layer(jnp.concatenate([node_temperatures, envelope_rows]))
        node_m = _per_layer(points[0][:, ::2])
        layer_nodes = _per_layer(nodes)
        radii = jnp.cbrt(layer_nodes[:, :, 0])
        rho = jnp.stack(
            [jax.vmap(lambda p, t, i=i: density(tables[i], p, t))(layer_nodes[i, :, 1], node_t[i])
             for i in range(4)]
        )  # fmt: skip
        result["profile"] = {
            "radius": radii,
            "mass": node_m,
            "pressure": layer_nodes[:, :, 1],
            "temperature": node_t,
            "density": rho,
            "gravity": jnp.where(
                radii > 0, G * node_m / jnp.where(radii > 0, radii, 1.0) ** 2, 0.0
            ),
        }
    return result
