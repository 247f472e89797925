"""Starting central pressure from a planet of constant-density layers (JAX, vmap-able).

Each layer is a shell of uniform density, for which hydrostatic equilibrium integrates in closed
form; each density is then re-read from the layer's own equation of state at a representative
pressure, and the two steps repeat a few times. This is only the first iterate of the shooting
(shoot.py): the EoS tables and the integration set the answer, the guess only sets how many passes
it takes. On 10,000 random planets (benchmarks/structure_throughput.py) it lies within 0.1 in
ln Pc of the converged value for all of them with seager2007 and 99 % with baumeister2020 (cold
envelope; extremes -0.19 / +0.08), against errors of up to 4 for the earlier estimate from one
compressed mean density, which left every batch waiting on a ten-pass coarse stage.
"""

from __future__ import annotations

import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import G
from planetinfer.structure.integrate import density

FOUR_THIRDS_PI = 4.0 / 3.0 * jnp.pi
# Where in a layer its density is read: at BOTTOM_WEIGHT * P_bottom + (1 - BOTTOM_WEIGHT) * P_top.
# A uniform sphere's mass-weighted mean pressure is 0.4 P_c (BOTTOM_WEIGHT 0.4), but denser
# (compressed) matter sits deeper; 0.62 centres the errors of the guess on the random planets
# above (median +0.001 in ln Pc for seager2007, extremes -0.07 / +0.04; 0.5 gives a median of
# -0.02 and extremes down to -0.27).
BOTTOM_WEIGHT = 0.62
DENSITY_UPDATES = 4  # more change the guess by < 1e-3 in ln Pc
START_PRESSURE = 1.0e10  # [Pa] where the first densities are read


def uniform_shell_pressures(mass, fractions, densities):
    """Pressure at the bottom and top of each layer of a planet of uniform-density shells.

    mass [kg]; fractions (4,) layer mass fractions (centre outwards); densities (4,) [kg m^-3].
    Inside shell i (radii r_i < r < r_o, mass m_i below it): m(r) = m_i + 4/3 pi rho (r^3 - r_i^3),
    and dP = -G m(r) rho / r^2 dr integrates to
        dP_i = G rho [(m_i - 4/3 pi rho r_i^3)(1/r_i - 1/r_o) + 2/3 pi rho (r_o^2 - r_i^2)],
    (the first term vanishes for the innermost shell, r_i = 0). Zero at the surface.
    Returns (bottom pressures (4,), top pressures (4,)) [Pa]; the centre is bottom[0].
    """
    outer_mass = mass * jnp.cumsum(fractions)
    inner_mass = jnp.concatenate([jnp.zeros(1), outer_mass[:3]])
    outer_r3 = jnp.cumsum((outer_mass - inner_mass) / densities) / FOUR_THIRDS_PI
    inner_r3 = jnp.concatenate([jnp.zeros(1), outer_r3[:3]])
    outer_r, inner_r = jnp.cbrt(outer_r3), jnp.cbrt(inner_r3)
    thick = outer_r > inner_r  # an empty layer adds nothing (and would divide 0 by 0)
    safe_inner = jnp.where(inner_r > 0.0, inner_r, 1.0)
    safe_outer = jnp.where(outer_r > 0.0, outer_r, 1.0)
    point_mass_term = (inner_mass - FOUR_THIRDS_PI * densities * inner_r3) * (
        1.0 / safe_inner - 1.0 / safe_outer
    )
    point_mass_term = jnp.where(thick & (inner_r > 0.0), point_mass_term, 0.0)
    own_term = 0.5 * FOUR_THIRDS_PI * densities * (outer_r**2 - inner_r**2)
    drop = G * densities * (point_mass_term + own_term)
    bottom = jnp.cumsum(drop[::-1])[::-1]
    return bottom, bottom - drop


def layered_ln_central_pressure(mass, fractions, tables, layer_temperatures, top_pressure):
    """Starting ln Pc [ln Pa] of one planet.

    mass [kg]; fractions (4,); tables: four EosTable (core, mantle, water, envelope);
    layer_temperatures (4,) [K] at which each layer's density is read; top_pressure [Pa]: where
    the integration ends (added to the shell pressures, which are zero at the top).
    """
    pressures = jnp.full(4, START_PRESSURE)
    for _ in range(DENSITY_UPDATES + 1):
        densities = jnp.stack(
            [density(tables[i], pressures[i], layer_temperatures[i]) for i in range(4)]
        )
        bottom, top = uniform_shell_pressures(mass, fractions, densities)
        pressures = top_pressure + BOTTOM_WEIGHT * bottom + (1.0 - BOTTOM_WEIGHT) * top
    return jnp.log(top_pressure + bottom[0])
