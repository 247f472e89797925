"""Shooting on ln Pc for one planet, with the adiabat re-anchored between passes (JAX, vmap-able).

Safeguarded Newton on f(ln Pc) = P(M) - P_surf (interior.md section 2.3) on a coarse grid, the
derivative from forward-mode differentiation of the whole outward pass (one jvp per iteration),
then secant iterations on the full grid. Steps are limited to |d ln Pc| <= 2 and fall back to
bisection of the bracket kept from the residual signs. Inside each pass the temperature is the
adiabat T_layer(P) (temperature.py), anchored on the layer-boundary pressures of the previous
pass, so central pressure and temperature converge together. Never raises: returns a status code.
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
from planetinfer.structure.temperature import (
    COARSE_GRID,
    FINE_GRID,
    condensed_adiabat,
    constant_adiabat,
    temperature_at,
)

# Rough zero-pressure densities, only to start the iteration (the EoS tables set the answer).
STARTING_DENSITIES = jnp.array([7500.0, 4000.0, 1460.0, 211.0])  # kg m^-3
LN_PC_BRACKET = (jnp.log(1.0e5), jnp.log(1.0e16))  # [ln Pa]
LN_PC_TABLE_LIMIT = jnp.log(1.0e15)  # the EoS tables end at 1e15 Pa
TEMPERATURE_TOLERANCE = 1e-5  # relative change of the adiabat between iterations (d ln rho /
# d ln T ~ alpha T ~ 0.03, so this keeps densities, and radii, converged to ~1e-7)
MAX_NEWTON_STEP = 2.0  # in ln Pc
BRACKET_WIDENING = 0.1  # [ln Pc] per unit relative change of the adiabat
LN_PC_RESOLUTION = 1e-13  # a few ulp of ln Pc ~ 27: no further progress possible
# ... but only where the residual is already small: a bisection that closed on a bracket end
# (the root moved out with the adiabat) must not pass for converged. At the resolution limit the
# residual is ~1e-5 of the target (steepest: the 100 mbar surface of the cold envelope)
STEP_RESIDUAL_LIMIT = 1e-3


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


SECANT_MIN_STEP = 1e-10  # below this ln Pc step the secant slope is round-off: keep the last
SECANT_MAX_ADIABAT_CHANGE = 1e-2  # a secant across a larger change of the adiabat is not a slope
STALE_PASSES_BEFORE_BISECTION = 2
ADIABAT_SHIFT_LIMIT = 0.1  # largest |f| relative to the shallowest buried layer-top pressure


def temperature_functions(adiabat, config):
    """Four callables pressure [Pa] -> T [K], one per layer (constant layers skip the look-up)."""

    def constant(layer):
        return lambda pressure: adiabat.values[layer, 0]

    def lookup(layer):
        return lambda pressure: temperature_at(adiabat, layer, pressure)

    if config.isothermal:
        return tuple(constant(layer) for layer in range(4))
    return (lookup(0), lookup(1), lookup(2), constant(3))


def top_pressures(nodes):
    """(4,) pressure at the top of each layer [Pa] from node states (8, n+1, 2)."""
    return nodes[1::2, -1, 1]


def _adiabat_keys(adiabat, ln_pc):
    """Temperatures that pin down an adiabat: at the core and mantle tops and at the centre."""
    return jnp.stack([adiabat.values[0, 0], adiabat.values[1, 0],
                      temperature_at(adiabat, 0, jnp.exp(ln_pc))])  # fmt: skip


def _iterate_shooting(points, tables, config, temperatures, target, start_ln_pc, start_adiabat,
                      grid, *, slope=None, tolerance, max_iterations,
                      ln_pc_tolerance=LN_PC_RESOLUTION, step_residual_limit=jnp.inf,
                      temperature_tolerance=TEMPERATURE_TOLERANCE):  # fmt: skip
    """Shoot on ln Pc, re-anchoring each layer's adiabat T(P) on the boundary pressures of the
    latest pass.

    slope None: safeguarded Newton with the exact derivative (one jvp per pass). slope given:
    secant iterations started from that d f / d ln Pc (one plain pass each), used on the fine grid
    after one fine Newton pass has given the exact slope.
    temperatures: (anchor at the top of the condensed planet, envelope temperature) [K];
    target: pressure at the top of the integration [Pa] (`top_pressure`).
    Converged: |P(M) - target| <= tolerance * target, or the step in ln Pc below ln_pc_tolerance
    (by default a few ulp: no further progress is possible) with |P(M) - target| <=
    step_residual_limit * target, and the adiabat (temperatures at the layer tops and the centre)
    changed by less than temperature_tolerance. In secant mode a slope that could not be refreshed
    is stale: a stale full-size step, or a third stale pass in a row, becomes a bisection.
    Returns (ln_pc, adiabat, layer top pressures (4,), iterations, converged, slope).
    """
    anchor, envelope_value = temperatures
    # layers whose top lies below the surface (some mass above it)
    buried = points[0][1::2, -1] < points[0][7, -1] * (1.0 - 1e-12)

    def residual(ln_pc, adiabat):
        surface, nodes = outward_pass(ln_pc, points, temperature_functions(adiabat, config), tables)
        return surface[1] - target, nodes

    def iterate(carry):
        (ln_pc, low, high, adiabat, _, count, _, last_slope, last_ln_pc, last_f, last_change,
         stale_run) = carry  # fmt: skip
        stale = jnp.asarray(False)
        if slope is None:
            (f, nodes), (new_slope, _) = jax.jvp(
                lambda x: residual(x, adiabat), (ln_pc,), (jnp.ones_like(ln_pc),)
            )
        else:
            f, nodes = residual(ln_pc, adiabat)
            step = ln_pc - last_ln_pc
            secant = (f - last_f) / jnp.where(step != 0.0, step, 1.0)
            # the last two passes must have used (nearly) the same adiabat
            usable = (count > 0) & (jnp.abs(step) > SECANT_MIN_STEP) & (secant * last_slope > 0.0)
            usable = usable & (last_change < SECANT_MAX_ADIABAT_CHANGE) & jnp.isfinite(secant)
            new_slope = jnp.where(usable, secant, last_slope)
            # a slope that could not be refreshed after a real step is stale (the adiabat moved
            # under it, or the residual bends): stepping with it for long can cycle between the
            # two ends of a widening bracket (see `bisect` below)
            stale = (count > 0) & ~usable & (jnp.abs(step) > SECANT_MIN_STEP)
        high = jnp.where(f > 0.0, ln_pc, high)
        low = jnp.where(f > 0.0, low, ln_pc)
        # the pass misses the surface pressure by f; shifting the layer tops by -f anchors the
        # adiabat where the converged planet will have them (exactly so for the outermost top)
        tops = top_pressures(nodes)
        boundaries = jnp.maximum(tops - f, target)
        # ... which only holds while f is small next to the overburden at every buried layer
        # top: with a Teq envelope, a larger shift (a thin envelope whose base pressure is ~f)
        # throws the adiabat around by tens of per cent per pass, so it waits until the pass is
        # closer. (Not for the cold envelope: there the thin envelope's base pressure is so low
        # that waiting delays the adiabat past the iteration budget.)
        shift_ok = jnp.asarray(True)
        if config.envelope == "teq":
            shallowest = jnp.min(jnp.where(buried, tops, jnp.inf))
            shift_ok = jnp.abs(f) <= ADIABAT_SHIFT_LIMIT * shallowest
        if config.isothermal:
            new_adiabat, change = adiabat, jnp.asarray(0.0)
        else:
            # once the adiabat has settled it is frozen, so that ln Pc converges on one fixed
            # residual function (its grid moves with the boundary pressures: ~1e-8 jitter)
            frozen = last_change < temperature_tolerance
            keep = frozen | ~shift_ok
            updated = condensed_adiabat(boundaries, tables, anchor, envelope_value, grid)
            change = jnp.max(
                jnp.abs(_adiabat_keys(updated, ln_pc) / _adiabat_keys(adiabat, ln_pc) - 1.0)
            )
            change = jnp.where(frozen, 0.0, jnp.where(shift_ok, change, last_change))
            new_adiabat = jax.tree_util.tree_map(
                lambda old, new: jnp.where(keep, old, new), adiabat, updated
            )
            # a new adiabat moves the root a little (d ln rho ~ alpha T d ln T ~ 0.03 d ln T):
            # widen the bracket by a safe multiple of that rather than dropping it, which lets
            # Newton cycle where the residual is badly nonlinear (thick envelopes)
            # halved for every consecutive stale pass, so that a bracket whose adiabat keeps
            # moving by a few per cent still closes instead of breathing
            widening = BRACKET_WIDENING * change * 0.5 ** stale_run.astype(float)
            low = jnp.maximum(low - widening, LN_PC_BRACKET[0])
            high = jnp.minimum(high + widening, LN_PC_BRACKET[1])
        newton = ln_pc - f / new_slope
        clipped = jnp.abs(newton - ln_pc) > MAX_NEWTON_STEP
        newton = jnp.clip(newton, ln_pc - MAX_NEWTON_STEP, ln_pc + MAX_NEWTON_STEP)
        # a stale slope still steers well for a pass or two; a full-size step or a longer run
        # of stale passes means it cycles
        bisect = stale & (clipped | (stale_run >= STALE_PASSES_BEFORE_BISECTION))
        usable = jnp.isfinite(newton) & (newton >= low) & (newton <= high) & ~bisect
        new_ln_pc = jnp.where(usable, newton, 0.5 * (low + high))
        settled = (jnp.abs(f) <= tolerance * target) | (
            (jnp.abs(new_ln_pc - ln_pc) <= ln_pc_tolerance)
            & (jnp.abs(f) <= step_residual_limit * target)
        )
        done = settled & (last_change < temperature_tolerance)
        stale_run = jnp.where(stale, stale_run + 1, 0)
        return (new_ln_pc, low, high, new_adiabat, boundaries, count + 1, done, new_slope,
                ln_pc, f, change, stale_run)  # fmt: skip

    def keep_going(carry):
        return (~carry[6]) & (carry[5] < max_iterations)

    start = (
        start_ln_pc, LN_PC_BRACKET[0], LN_PC_BRACKET[1], start_adiabat, jnp.zeros(4),
        jnp.asarray(0), jnp.asarray(False), jnp.asarray(1.0 if slope is None else slope, dtype=float),
        start_ln_pc, jnp.asarray(0.0), jnp.asarray(1.0), jnp.asarray(0),
    )  # fmt: skip
    ln_pc, _, _, adiabat, boundaries, count, converged, last_slope, *_ = jax.lax.while_loop(
        keep_going, iterate, start
    )
    return ln_pc, adiabat, boundaries, count, converged, last_slope


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
    Returns a dict of scalars and (4,)-arrays (see `solve.SCALAR_KEYS`) and, with_profiles, the
    node profiles of shape (4, N+1) each.
    """
    anchor = 300.0 if config.isothermal else config.anchor_temperature
    envelope_value = teq if config.envelope == "teq" else anchor
    temperatures = (anchor, envelope_value)
    layer_temperatures = jnp.stack([anchor, anchor, anchor, envelope_value]).astype(float)
    target = top_pressure(fractions, config)
    coarse = dataclasses.replace(config, steps_per_layer=2 * COARSE_STEPS_PER_SEGMENT)
    coarse_ln_pc, _, coarse_boundaries, coarse_count, _, coarse_slope = _iterate_shooting(
        segment_points(mass, fractions, coarse, grading=1.0), tables, coarse, temperatures,
        target, initial_ln_central_pressure(mass, fractions),
        constant_adiabat(layer_temperatures, COARSE_GRID), COARSE_GRID,
        tolerance=0.0, ln_pc_tolerance=COARSE_LN_PC_TOLERANCE,
        temperature_tolerance=COARSE_LN_PC_TOLERANCE, max_iterations=config.coarse_max_iterations,
    )  # fmt: skip
    if config.isothermal:
        start_adiabat = constant_adiabat(layer_temperatures, FINE_GRID)
    else:
        start_adiabat = condensed_adiabat(coarse_boundaries, tables, anchor, envelope_value,
                                          FINE_GRID)  # fmt: skip
    points = segment_points(mass, fractions, config)
    # one Newton pass on the full grid for its exact slope (a coarse pass through a thick
    # envelope can even have the wrong sign), then secant passes
    newton_ln_pc, newton_adiabat, _, newton_count, _, fine_slope = _iterate_shooting(
        points, tables, config, temperatures, target, coarse_ln_pc, start_adiabat, FINE_GRID,
        tolerance=config.tolerance, max_iterations=FINE_NEWTON_ITERATIONS,
    )  # fmt: skip
    ln_pc, adiabat, _, count, converged, _ = _iterate_shooting(
        points, tables, config, temperatures, target, newton_ln_pc, newton_adiabat,
        FINE_GRID, slope=fine_slope,
        tolerance=config.tolerance, max_iterations=config.max_iterations,
        step_residual_limit=STEP_RESIDUAL_LIMIT,
    )  # fmt: skip
    count = newton_count + count
    count = coarse_count + count
    temperature_of = temperature_functions(adiabat, config)
    surface, nodes = outward_pass(ln_pc, points, temperature_of, tables)
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
        transit = isothermal_transit_radius(top_radius, mass, teq, config)
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
