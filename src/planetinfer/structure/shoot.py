"""Structure of one planet by shooting on ln Pc (JAX, vmap-able).

Safeguarded Newton on f(ln Pc) = P(M) - P_surf (interior.md section 2.3) on a coarse grid, the
derivative from forward-mode differentiation of the whole outward pass (one jvp per iteration),
then secant iterations on the full grid (the iteration itself: iterate.py); the converged
structure gives k2, the moment of inertia and the profiles. Never raises: returns a status code.
"""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import G
from planetinfer.eos.envelope import ideal_gas_properties
from planetinfer.structure import grid, status
from planetinfer.structure.initial import layered_ln_central_pressure
from planetinfer.structure.integrate import density
from planetinfer.structure.isothermal_profile import base_pressure, inverse_radius
from planetinfer.structure.iterate import (
    STEP_RESIDUAL_LIMIT,
    iterate_shooting,
    temperature_functions,
)
from planetinfer.structure.love import k2_from_eta
from planetinfer.structure.radau import eta_and_inertia
from planetinfer.structure.temperature import (
    COARSE_GRID,
    FINE_GRID,
    condensed_adiabat,
    constant_adiabat,
)

LN_PC_TABLE_LIMIT = jnp.log(1.0e15)  # the EoS tables end at 1e15 Pa


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


def isothermal_transit_radius(rcb_radius, mass, envelope_mass, teq, config):
    """Radius of the surface pressure above an isothermal ideal-gas layer at Teq [m].

    Hydrostatic ideal gas in the point-mass field of the planet (the layer's own mass, ~4 pi R^4
    P_rcb / (G M), is neglected): dP/P = -(G M mu / (R_gas T r^2)) dr, so
    1/R = 1/R_rcb - R_gas T ln(P_base / P_surf) / (mu G M). Non-positive means unbound (NaN).

    P_base is the pressure at the base of the isothermal layer: P_rcb for an envelope with mass
    below the radiative-convective boundary, and for a thinner envelope the weight of the whole
    envelope on the surface below it, G M M_env / (4 pi R^4) (thin shell), which is below
    P_rcb. The layer spans ln(P_base / P_surf) scale heights, none when P_base <= P_surf, so the
    transit radius goes continuously to the condensed radius as the envelope mass goes to zero.
    envelope_mass [kg].
    """
    mu, _ = ideal_gas_properties()
    base = base_pressure(rcb_radius, mass, envelope_mass, config.p_rcb, jnp)
    log_pressure_ratio = jnp.log(jnp.maximum(base, config.surface_pressure)
                                 / config.surface_pressure)  # fmt: skip
    inverse = inverse_radius(rcb_radius, mass, teq, log_pressure_ratio, mu)
    return jnp.where(inverse > 0.0, 1.0 / jnp.where(inverse > 0.0, inverse, 1.0), jnp.nan)


SOFT_SURFACE_DENSITY_RATIO = 0.5  # rho(P_top) / rho(1 GPa) below which a surface is soft
DEEP_PRESSURE = 1.0e9  # [Pa]


def soft_surface(table, pressure, temperature):
    """Whether a layer's density falls steeply towards the top pressure (a gas, a polytrope).

    Such a surface needs the steps graded towards it (its scale height is small); a condensed
    surface of finite density is stepped nearly uniformly, which resolves phase boundaries in the
    outer half of the layer better (a 1 M_E Earth-like planet: k2 good to 5e-4 instead of 1e-2).
    """
    top = density(table, pressure, temperature)
    deep = density(table, DEEP_PRESSURE, temperature)
    return top < SOFT_SURFACE_DENSITY_RATIO * deep


def segment_points(mass, fractions, config, grading: float = 30.0, tables=None, temperature=300.0):
    """RK4 points of the 8 segments (inner and outer half of each layer, centre outwards).

    grading: ratio of the segment scale to the grid offset (grid.py); 30 on the full grid. With
    grading 1 (coarse grids) the spacing is nearly uniform and the surface is not resolved:
    grading a handful of steps would only spoil the central pressure. The outermost layer is
    graded towards the surface when it is the envelope or its EoS table (`tables`, at
    `temperature` [K]) has a soft surface; without tables every surface layer is graded.
    Returns (mass (8, 2n+1), dm_du (8, 2n+1), step (8,)) with n = steps_per_layer / 2.
    """
    n = config.steps_per_layer // 2
    outer = jnp.minimum(mass * jnp.cumsum(fractions), mass).at[3].set(mass)  # no rounding past M
    inner = jnp.concatenate([jnp.zeros(1), outer[:3]])
    middle = 0.5 * (inner + outer)
    column = grid.surface_column_mass(mass, top_pressure(fractions, config))
    # from the fractions, not from differences of enclosed masses: rounding there hides a layer
    # above of 1e-20 of the mass and grades two layers as the surface
    fraction_above = jnp.concatenate([jnp.cumsum(fractions[:0:-1])[::-1], jnp.zeros(1)])
    is_surface = (fractions > 0.0) & (fraction_above <= 0.0)
    rows = []
    for layer in range(4):
        rows.append(grid.inner_segment_points(inner[layer], middle[layer], n, grading))
        spacing = (outer[layer] - middle[layer]) / grading + 1e-12 * mass
        soft = True if (layer == 3 or tables is None) else soft_surface(
            tables[layer], top_pressure(fractions, config), temperature
        )  # fmt: skip
        q_s = jnp.where(is_surface[layer] & soft & (grading > 1.0), column, spacing)
        rows.append(grid.outer_segment_points(middle[layer], outer[layer], q_s, n))
    masses, rates, steps = zip(*rows, strict=True)
    return jnp.stack(masses), jnp.stack(rates), jnp.stack(steps)


COARSE_STEPS_PER_SEGMENT = 4
COARSE_LN_PC_TOLERANCE = 1e-3  # the coarse grid itself is only good to ~0.1 in ln Pc
FINE_NEWTON_ITERATIONS = 1
# config.coarse_max_iterations caps the coarse stage: a coarse pass through a thick envelope can be
# non-monotonic in ln Pc and cycle; the fine secant stage (bracketed) finishes from there


def solve_planet(mass, fractions, teq, tables, config, with_profiles: bool = False):
    """Structure of one planet. mass [kg], fractions (4,) summing to 1, teq [K].

    Two grids: Newton on a coarse grid (4 steps per segment) finds ln Pc and the adiabat to
    ~1e-2; one Newton pass on the full grid gives its exact slope, and secant iterations (plain
    passes, no derivative) finish to the tolerance. Each pass re-anchors the adiabat (temperature.py).
    Both start from a planet of uniform-density layers (initial.py); an isothermal model starts
    the full grid from there directly (the guess is as close as the coarse grid gets, and there is
    no adiabat to find).
    Returns a dict of scalars and (4,)-arrays (see `solve.SCALAR_KEYS`) and, with_profiles, the
    node profiles of shape (4, N+1) each.
    """
    anchor = 300.0 if config.isothermal else config.anchor_temperature
    envelope_value = teq if config.envelope == "teq" else anchor
    temperatures = (anchor, envelope_value)
    layer_temperatures = jnp.stack([anchor, anchor, anchor, envelope_value]).astype(float)
    target = top_pressure(fractions, config)
    start_ln_pc = layered_ln_central_pressure(mass, fractions, tables, layer_temperatures, target)
    if config.isothermal:
        coarse_ln_pc, coarse_count = start_ln_pc, 0
        start_adiabat = constant_adiabat(layer_temperatures, FINE_GRID)
    else:
        coarse = dataclasses.replace(config, steps_per_layer=2 * COARSE_STEPS_PER_SEGMENT)
        coarse_ln_pc, _, coarse_boundaries, coarse_count, _, _, _ = iterate_shooting(
            segment_points(mass, fractions, coarse, grading=1.0), tables, coarse, temperatures,
            target, start_ln_pc, constant_adiabat(layer_temperatures, COARSE_GRID), COARSE_GRID,
            tolerance=0.0, ln_pc_tolerance=COARSE_LN_PC_TOLERANCE,
            temperature_tolerance=COARSE_LN_PC_TOLERANCE,
            max_iterations=config.coarse_max_iterations,
        )  # fmt: skip
        start_adiabat = condensed_adiabat(coarse_boundaries, tables, anchor, envelope_value,
                                          FINE_GRID)  # fmt: skip
    points = segment_points(mass, fractions, config, tables=tables, temperature=anchor)
    # one Newton pass on the full grid for its exact slope (a coarse pass through a thick
    # envelope can even have the wrong sign), then secant passes
    newton_ln_pc, newton_adiabat, _, newton_count, _, fine_slope, newton = iterate_shooting(
        points, tables, config, temperatures, target, coarse_ln_pc, start_adiabat, FINE_GRID,
        tolerance=config.tolerance, max_iterations=FINE_NEWTON_ITERATIONS,
    )  # fmt: skip
    _, _, _, count, converged, _, (ln_pc, nodes, adiabat, _, _) = iterate_shooting(
        points, tables, config, temperatures, target, newton_ln_pc, newton_adiabat,
        FINE_GRID, slope=fine_slope, previous=(newton[0], newton[3], newton[4]),
        tolerance=config.tolerance, max_iterations=config.max_iterations,
        step_residual_limit=STEP_RESIDUAL_LIMIT, nested=config.nested_adiabat,
    )  # fmt: skip
    count = newton_count + count
    count = coarse_count + count
    # the structure is the last pass of the loop, the one that met the tolerance: no further
    # integration
    temperature_of = temperature_functions(adiabat, config)
    surface = nodes[7, -1]
    eta, inertia = eta_and_inertia(nodes, points, temperature_of, tables)
    surface = jnp.concatenate([surface, jnp.stack([eta, inertia])])
    node_temperatures = jnp.stack(
        [jax.vmap(temperature_of[segment // 2])(nodes[segment, :, 1]) for segment in range(8)]
    )
    return _outputs(
        mass, fractions, teq, ln_pc, surface, nodes, node_temperatures, points, tables, config,
        count, converged, with_profiles,
    )  # fmt: skip


def _per_layer(segment_rows):
    """(8, n+1, ...) segment node values -> (4, 2n+1, ...) per layer (shared middle node once)."""
    return jnp.concatenate([segment_rows[0::2], segment_rows[1::2, 1:]], axis=1)


def _outputs(mass, fractions, teq, ln_pc, surface, nodes, node_temperatures, points, tables,
             config, count, converged, with_profiles):  # fmt: skip
    top_radius = jnp.cbrt(surface[0])
    radius = top_radius
    k2 = k2_from_eta(surface[2])
    unbound = jnp.asarray(False)
    if config.envelope == "teq":
        # the massless isothermal layer leaves the external field unchanged: k2 R^5 is invariant
        transit = isothermal_transit_radius(top_radius, mass, mass * fractions[3], teq, config)
        unbound = ~jnp.isfinite(transit) & (fractions[3] > 0.0)
        radius = jnp.where(fractions[3] > 0.0, transit, top_radius)
        k2 = k2 * (top_radius / radius) ** 5
    outer_radii = jnp.cbrt(nodes[1::2, -1, 0]).at[3].set(radius)
    inner_radii = jnp.concatenate([jnp.zeros(1), outer_radii[:-1]])
    moment = surface[3] / (mass * radius**2)
    finite = jnp.isfinite(radius) & jnp.isfinite(k2) & jnp.isfinite(moment)
    # unbound (no transit radius) is a property of a converged interior only
    converged_code = jnp.where(finite, status.OK, status.NON_FINITE)
    converged_code = jnp.where(unbound, status.UNBOUND_ATMOSPHERE, converged_code)
    code = jnp.where(converged, converged_code, status.NOT_CONVERGED)
    code = jnp.where(ln_pc > LN_PC_TABLE_LIMIT, status.PRESSURE_OUT_OF_TABLE, code)
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
        node_t = _per_layer(node_temperatures)
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
