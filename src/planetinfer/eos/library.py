"""Cached EoS tables for the structure solver: one builder per layer material (issue 2, scope 2-3).

Every builder is `functools.lru_cache`d and returns a `tables.EosTable` made by `tables.tabulate`
on a uniform log10 P grid [Pa] (default [0, 15], 2048 nodes) and, for temperature-dependent
materials, a uniform T grid (default 200-12000 K, 60 nodes). values[..., 0] is rho [kg m^-3],
values[..., 1] the isentropic gradient d ln T / d ln P [-]:
  pure phase:  dT/dP = alpha T / (rho c_P)
               (= gamma T / K_S for MGD, K_S = K_T (1 + alpha gamma T));
  mixture:     dT/dP = T sum_i w_i alpha_i / rho_i / sum_i w_i c_P,i  (mixing.py),
with alpha and K_T from the EoS itself (phase.py) and c_P as listed per row in materials.py.

States without a valid root are clamped (`_clamp`): MGD nodes below the spinodal pressure
(thermal pressure too high for any stable density at low P and high T) take the value of the
first valid node at higher pressure in the same temperature column (about the spinodal density,
so rho stays nondecreasing in P); temperature columns of the T-dependent BM3 beyond its limit
(K0(T) < K0/2, phase.has_valid_state) copy the hottest valid column. `clamped_fraction(name)`
reports the share of clamped nodes. Built grids are cached on disk (cache.py).
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.eos import envelope, mantle, mgd, phase, polytrope, tfd
from planetinfer.eos import materials as mat
from planetinfer.eos.cache import cached_arrays
from planetinfer.eos.envelope import envelope_temperature  # noqa: F401  (re-exported for profiles)
from planetinfer.eos.invert import interpolate_nodes, invert_on_nodes, node_grid
from planetinfer.eos.mixing import mix_density, mix_isentropic_gradient
from planetinfer.eos.tables import EosTable, tabulate

LOG10_P_RANGE = (0.0, 15.0)  # [log10 Pa]
N_PRESSURE = 2048
T_RANGE = (200.0, 12000.0)  # [K]
N_TEMPERATURE = 60
TEQ_RANGE = (50.0, 3000.0)  # [K], envelope second axis
MANTLE_TRANSITION_PRESSURE = 23.0e9  # [Pa] Baumeister et al. 2020, section 2.1.2
FES_MOLE_FRACTION = 0.13  # Baumeister et al. 2020, section 2.1.1 (Poirier 1994; Sotin 2007)
RHO_HIGH_FACTOR = 300.0  # upper density bracket: 300 rho0 (P_BM3 >> 1e15 Pa there)
N_DENSITY_NODES = 1024  # nodes in ln rho per temperature (spacing 0.0063: Hermite error ~1e-12)

_CLAMPED: dict[str, float] = {}


def clamped_fraction(table_name: str) -> float:
    """Fraction of grid nodes of a built table that were clamped in temperature (0..1)."""
    return _CLAMPED[table_name]


def fes_mass_fraction(fes_mole_fraction: float = FES_MOLE_FRACTION) -> float:
    """Mass fraction of FeS in an Fe-FeS alloy with the given FeS mole fraction (0.13 -> 0.190)."""
    m_fe, m_fes = mat.get("fe_liquid").molar_mass, mat.get("fes_liquid").molar_mass
    return (
        fes_mole_fraction * m_fes / (fes_mole_fraction * m_fes + (1.0 - fes_mole_fraction) * m_fe)
    )


_TRACED_FIELDS = (
    "rho0",
    "molar_mass",
    "k0_gpa",
    "k0_prime",
    "alpha0",
    "alpha1",
    "alpha2",
    "dk_dt_gpa",
    "cp",
    "theta0",
    "gamma0",
    "q",
    "n_atoms",
)


def _solve_phase(row: mat.Material, pressures: np.ndarray, temperatures: np.ndarray):
    """rho, alpha, c_P, found on the (n_p, n_t) grid for one bm3_thermal / mgd row.

    The numeric fields of the row are passed as traced arguments, so one compilation serves
    every row of a family (compilation dominates the build time otherwise).
    """
    values = tuple(float(getattr(row, f)) for f in _TRACED_FIELDS)
    return _solve_family(
        row.family, values, jnp.asarray(pressures, float), jnp.asarray(temperatures, float)
    )


@functools.partial(jax.jit, static_argnames=("family",))
def _solve_family(family: str, values, pressures, temperatures):
    """P, K_T = dP/d ln rho and (dP/dT)_rho are evaluated on N_DENSITY_NODES log-spaced densities
    from 0.5 to RHO_HIGH_FACTOR times the reference density per temperature (invert.node_grid);
    rho comes from the cubic-Hermite inversion (invert.invert_on_nodes), and alpha = (dP/dT)/K_T,
    c_V (MGD, Debye at theta(rho)) by linear interpolation between the same nodes.
    """
    row = dataclasses.replace(
        mat.Material("traced", family, 0.0, 0.0, "", False),
        **dict(zip(_TRACED_FIELDS, values, strict=True)),
    )
    fn = phase.pressure_function(row)
    t = temperatures
    rho_ref = phase.reference_density(row, t)
    log_nodes, p_nodes, k_nodes, dp_dt_nodes = node_grid(
        fn, t, 0.5 * rho_ref, RHO_HIGH_FACTOR * rho_ref, N_DENSITY_NODES
    )
    log_rho, found, k, s = invert_on_nodes(log_nodes, p_nodes, k_nodes, pressures)
    found = found & phase.has_valid_state(row, t)[None, :]
    rho = jnp.exp(jnp.where(found, log_rho, jnp.log(rho_ref)[None, :]))
    alpha = interpolate_nodes(dp_dt_nodes, k, s) / interpolate_nodes(k_nodes, k, s)
    if family == "mgd":
        params = phase.mgd_parameters(row)
        c_v_nodes = mgd.specific_heat_capacity_v(jnp.exp(log_nodes), t[:, None], params)
        c_v = interpolate_nodes(c_v_nodes, k, s)
        cp = c_v * (1.0 + alpha * mgd.grueneisen(rho, params) * t[None, :])
    else:
        cp = phase.isobaric_heat_capacity(row, rho, t[None, :], alpha)
    return rho, alpha, cp, found


def _solve_assemblage(rows, weights, pressures, temperatures):
    """(rho, gradient, found) of an additive-volume assemblage on the (n_p, n_t) grid."""
    solutions = [_solve_phase(r, pressures, temperatures) for r in rows]
    rhos = [s[0] for s in solutions]
    rho = mix_density(rhos, weights)
    gradient = mix_isentropic_gradient(
        jnp.asarray(pressures)[:, None],
        None,
        rhos,
        [s[1] for s in solutions],
        [s[2] for s in solutions],
        weights,
    )
    found = functools.reduce(jnp.logical_and, [s[3] for s in solutions])
    return np.asarray(rho), np.asarray(gradient), np.asarray(found)


def _clamp(rho: np.ndarray, gradient: np.ndarray, found: np.ndarray, name: str):
    """Fill nodes without a valid state (module docstring), values (n_p, n_t).

    1. Along pressure, per temperature column: nodes below the first valid pressure (thermal
       pressure above the spinodal) take the value of that first valid node, i.e. about the
       spinodal density, the lowest density of the stable branch; nodes above the last valid
       one (none in the default tables) take the last. rho stays nondecreasing in P.
    2. Columns with no valid node at all (bm3_thermal above its temperature limit, phase.py)
       take the hottest valid column below them.
    Returns (rho, gradient, clamped fraction).
    """
    n_p, n_t = found.shape
    if not found.any():
        raise ValueError(f"EoS table {name!r}: no valid state anywhere on the grid")
    row_index = np.where(found, np.arange(n_p)[:, None], -1)
    row_index = np.maximum.accumulate(row_index, axis=0)
    row_index = np.where(row_index < 0, np.argmax(found, axis=0)[None, :], row_index)
    valid_column = found.any(axis=0)
    column_index = np.maximum.accumulate(np.where(valid_column, np.arange(n_t), -1))
    column_index = np.where(column_index < 0, np.argmax(valid_column), column_index)
    row_index = row_index[:, column_index]
    columns = np.broadcast_to(column_index[None, :], (n_p, n_t))
    return rho[row_index, columns], gradient[row_index, columns], float(1.0 - found.mean())


def _thermal_table(name, solve, log10_p_range, n_pressure, t_range, n_temperature) -> EosTable:
    """tabulate() a solver solve(pressures (n_p,), temperatures (n_t,)) -> (rho, grad, clamped)."""
    cache = {}

    def density_fn(grid_p, grid_t):
        pressures, temperatures = np.asarray(grid_p)[:, 0], np.asarray(grid_t)[0, :]

        def compute():
            rho, gradient, clamped = solve(pressures, temperatures)
            return {"rho": rho, "gradient": gradient, "clamped": np.asarray(clamped)}

        key = f"{name}|{log10_p_range}|{n_pressure}|{t_range}|{n_temperature}"
        arrays = cached_arrays(key, compute)
        cache["gradient"] = arrays["gradient"]
        _CLAMPED[name] = float(arrays["clamped"])
        return arrays["rho"]

    return tabulate(
        density_fn,
        lambda p, t: cache["gradient"],
        log10_p_range=log10_p_range,
        n_pressure=n_pressure,
        t_range=t_range,
        n_temperature=n_temperature,
        name=name,
    )


def _clamped_assemblage(rows, weights, pressures, temperatures, name):
    rho, gradient, found = _solve_assemblage(rows, weights, pressures, temperatures)
    return _clamp(rho, gradient, found, name)


@functools.lru_cache(maxsize=8)
def core_table(
    fes_mole_fraction: float = FES_MOLE_FRACTION,
    *,
    log10_p_range=LOG10_P_RANGE,
    n_pressure: int = N_PRESSURE,
    t_range=T_RANGE,
    n_temperature: int = N_TEMPERATURE,
) -> EosTable:
    """Liquid Fe-FeS core: MGD Fe and FeS (Table A) mixed by additive volume at the FeS mass
    fraction equivalent to `fes_mole_fraction` (Baumeister et al. 2020, section 2.1.1)."""
    w_fes = fes_mass_fraction(fes_mole_fraction)
    rows = (mat.get("fe_liquid"), mat.get("fes_liquid"))
    return _thermal_table(
        f"core_fe_fes{fes_mole_fraction:g}",
        lambda p, t: _clamped_assemblage(rows, (1.0 - w_fes, w_fes), p, t, "core"),
        log10_p_range,
        n_pressure,
        t_range,
        n_temperature,
    )


def grid_range_with_node(log10_range, n_points: int, pressure_node: float) -> tuple[float, float]:
    """Shift log10_range (by at most half a cell) so that one grid node is exactly pressure_node."""
    step = (log10_range[1] - log10_range[0]) / (n_points - 1)
    target = np.log10(pressure_node)
    k = round((target - log10_range[0]) / step)
    shift = target - (log10_range[0] + k * step)
    return (log10_range[0] + shift, log10_range[1] + shift)


@functools.lru_cache(maxsize=8)
def mantle_table(
    mg_si: float = mantle.MG_SI_BAUMEISTER,
    mg_number: float = mantle.MG_NUMBER_BAUMEISTER,
    reading: str = "mg",
    lower_mantle_eos: str = "bm3_thermal",
    *,
    log10_p_range=None,
    n_pressure: int = N_PRESSURE,
    t_range=T_RANGE,
    n_temperature: int = N_TEMPERATURE,
) -> EosTable:
    """Pre-mixed mantle: olivine + enstatite below 23 GPa, bridgmanite + magnesiowuestite from
    23 GPa (T-dependent BM3, Baumeister et al. 2020 section 2.1.2; proportions in mantle.py).

    Lower mantle, lower_mantle_eos "bm3_thermal" (default): density from the T-dependent BM3
    rows (materials.thermal_bm3_from_mgd, dK/dT = 0), but the adiabatic gradient from the MGD
    model of the same phases (Table A; gamma P / K_S per phase, mixed as in mixing.py). The
    T-BM3's own alpha is unusable there: constant in P with dK/dT = 0 it gives d ln T/d ln P
    up to ~400 at 1e15 Pa (> 1 already near 100 GPa at 3000 K), and alpha < 0 above 30-100 GPa
    with dK/dT < 0. lower_mantle_eos "mgd" uses MGD for density and gradient (Sotin et al. 2007).

    log10_p_range None means LOG10_P_RANGE shifted by < half a cell (< 0.0037 dex) so that a node
    sits exactly at 23 GPa; that node and everything above hold the lower mantle, so bilinear
    interpolation smears the transition over the one cell below 23 GPa (22.61-23 GPa).
    """
    if log10_p_range is None:
        log10_p_range = grid_range_with_node(LOG10_P_RANGE, n_pressure, MANTLE_TRANSITION_PRESSURE)
    if lower_mantle_eos not in ("bm3_thermal", "mgd"):
        raise ValueError(f"lower_mantle_eos = {lower_mantle_eos!r}; valid: 'bm3_thermal', 'mgd'")
    upper = mantle.upper_mantle(mg_si, mg_number, reading)
    lower = mantle.lower_mantle(mg_si, mg_number, reading, lower_mantle_eos)
    lower_mgd = mantle.lower_mantle(mg_si, mg_number, reading, "mgd")
    threshold = np.log10(MANTLE_TRANSITION_PRESSURE) - 1e-9

    def solve(pressures, temperatures):
        # both assemblages on the full grid (same shapes: no recompilation), rows selected after
        is_lower = np.log10(pressures) >= threshold
        up = _clamped_assemblage(upper.phases, upper.mass_fractions, pressures, temperatures, "um")
        low = _clamped_assemblage(lower.phases, lower.mass_fractions, pressures, temperatures, "lm")
        if lower_mantle_eos == "bm3_thermal":  # adiabat of the MGD model (docstring)
            low_mgd = _clamped_assemblage(
                lower_mgd.phases, lower_mgd.mass_fractions, pressures, temperatures, "lm_mgd"
            )
            low = (low[0], low_mgd[1], max(low[2], low_mgd[2]))
        rho, gradient = (
            np.where(is_lower[:, None], b, a) for a, b in zip(up[:2], low[:2], strict=True)
        )
        clamped = float(np.mean(np.where(is_lower, low[2], up[2])))  # approximate: per-part share
        return rho, gradient, clamped

    return _thermal_table(
        f"mantle_mgsi{mg_si:g}_mg#{mg_number:g}_{reading}_{lower_mantle_eos}",
        solve,
        log10_p_range,
        n_pressure,
        t_range,
        n_temperature,
    )


@functools.lru_cache(maxsize=8)
def ice_vii_table(
    *,
    log10_p_range=LOG10_P_RANGE,
    n_pressure: int = N_PRESSURE,
    t_range=T_RANGE,
    n_temperature: int = N_TEMPERATURE,
) -> EosTable:
    """Ice VII, MGD with Table A parameters (Fei et al. 1993 as modified by Sotin et al. 2007)."""
    rows = (mat.get("ice_vii"),)
    return _thermal_table(
        "ice_vii",
        lambda p, t: _clamped_assemblage(rows, (1.0,), p, t, "ice_vii"),
        log10_p_range,
        n_pressure,
        t_range,
        n_temperature,
    )


@functools.lru_cache(maxsize=8)
def h_he_tfd_table(
    hydrogen_mass_fraction: float = 0.71,
    *,
    log10_p_range=LOG10_P_RANGE,
    n_pressure: int = N_PRESSURE,
) -> EosTable:
    """Zero-temperature TFD H/He (Salpeter & Zapolsky 1967; interior.md 1.4), n_temperature 1,
    gradient 0. rho(P = 0) = 211.1 kg/m^3 at X = 0.71."""
    composition = envelope.hydrogen_helium_composition(hydrogen_mass_fraction)
    return tabulate(
        lambda p, t: tfd.density(p, *composition),
        None,
        log10_p_range=log10_p_range,
        n_pressure=n_pressure,
        name=f"h_he_tfd_x{hydrogen_mass_fraction:g}",
    )


@functools.lru_cache(maxsize=8)
def h_he_envelope_table(
    p_rcb: float = envelope.DEFAULT_P_RCB,
    hydrogen_mass_fraction: float = 0.71,
    *,
    log10_p_range=LOG10_P_RANGE,
    n_pressure: int = N_PRESSURE,
    teq_range=TEQ_RANGE,
    n_teq: int = N_TEMPERATURE,
) -> EosTable:
    """Teq-dependent H/He envelope (envelope.py): second axis Teq [K] (axis_name "teq"),
    values[..., 1] = 0 because the temperature structure is fixed by Teq and p_rcb."""

    def density_fn(grid_p, grid_teq):
        def compute():
            teq = jnp.asarray(grid_teq)[0, :]
            rho_rcb = envelope.rcb_density(teq, p_rcb, hydrogen_mass_fraction)
            rho = envelope.density_given_rcb(
                grid_p, grid_teq, rho_rcb[None, :], hydrogen_mass_fraction
            )
            return {"rho": np.asarray(rho)}

        key = (
            f"envelope|{p_rcb}|{hydrogen_mass_fraction}|{log10_p_range}|{n_pressure}|"
            f"{teq_range}|{n_teq}"
        )
        return cached_arrays(key, compute)["rho"]

    return tabulate(
        density_fn,
        None,
        log10_p_range=log10_p_range,
        n_pressure=n_pressure,
        t_range=teq_range,
        n_temperature=n_teq,
        name=f"h_he_envelope_prcb{p_rcb:g}_x{hydrogen_mass_fraction:g}",
        axis_name="teq",
    )


SEAGER_POLYTROPES = {"fe": "seager_fe", "mgsio3": "seager_mgsio3", "h2o": "seager_h2o"}


@functools.lru_cache(maxsize=8)
def seager_table(
    material: str, *, log10_p_range=LOG10_P_RANGE, n_pressure: int = N_PRESSURE
) -> EosTable:
    """Seager et al. (2007) modified polytrope ("fe", "mgsio3", "h2o"), isothermal, 1-D."""
    if material not in SEAGER_POLYTROPES:
        raise ValueError(f"material = {material!r}; valid: {sorted(SEAGER_POLYTROPES)}")
    row = mat.get(SEAGER_POLYTROPES[material])
    return tabulate(
        lambda p, t: polytrope.density(p, row.rho0, row.polytrope_c, row.polytrope_n),
        None,
        log10_p_range=log10_p_range,
        n_pressure=n_pressure,
        name=row.name,
    )
