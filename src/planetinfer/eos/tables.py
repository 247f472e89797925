"""Pre-tabulated equations of state: rho(log10 P, T) and the adiabatic gradient on uniform grids.

A structure solve evaluates the EoS millions of times; MGD and temperature-dependent BM3 need a
root-find per call. Tabulating once on a uniform (log10 P, T) grid and interpolating bilinearly by
index arithmetic makes every call a handful of flops (interior.md section 2, item 5).
"""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401


class EosTable(eqx.Module):
    """One material's EoS on a uniform grid in log10 P [Pa] and T [K].

    values: shape (n_pressure, n_temperature, 2); [..., 0] is density [kg m^-3] and [..., 1] the
    adiabatic gradient d ln T / d ln P [-] (zero for isothermal or zero-temperature materials).
    A temperature-independent material has n_temperature = 1. The second axis may stand for
    another scalar parameter (the Teq-dependent envelope uses Teq), as `axis_name` says.
    """

    values: jnp.ndarray
    log10_p_min: float = eqx.field(static=True)
    dlog10_p: float = eqx.field(static=True)
    t_min: float = eqx.field(static=True)
    dt: float = eqx.field(static=True)
    name: str = eqx.field(static=True, default="")
    axis_name: str = eqx.field(static=True, default="temperature")

    @property
    def n_pressure(self) -> int:
        return self.values.shape[0]

    @property
    def n_temperature(self) -> int:
        return self.values.shape[1]


def evaluate(table: EosTable, log10_pressure, temperature):
    """Bilinear interpolation of (density, adiabatic gradient) for one point.

    log10_pressure: log10 of pressure [Pa], scalar; temperature: [K] (or the table's second-axis
    parameter), scalar. Outside the grid the value at the nearest edge is used (clamped), which
    keeps a shooting residual monotonic when the pressure drops below the table.
    Returns (rho [kg m^-3], grad_ad [-]).
    """
    position_p = (log10_pressure - table.log10_p_min) / table.dlog10_p
    position_p = jnp.clip(position_p, 0.0, table.n_pressure - 1.000001)
    index_p = jnp.floor(position_p).astype(jnp.int32)
    weight_p = position_p - index_p
    if table.n_temperature == 1:
        low = table.values[index_p, 0]
        high = table.values[index_p + 1, 0]
        result = low + weight_p * (high - low)
        return result[0], result[1]
    position_t = (temperature - table.t_min) / table.dt
    position_t = jnp.clip(position_t, 0.0, table.n_temperature - 1.000001)
    index_t = jnp.floor(position_t).astype(jnp.int32)
    weight_t = position_t - index_t
    v00 = table.values[index_p, index_t]
    v01 = table.values[index_p, index_t + 1]
    v10 = table.values[index_p + 1, index_t]
    v11 = table.values[index_p + 1, index_t + 1]
    low = v00 + weight_t * (v01 - v00)
    high = v10 + weight_t * (v11 - v10)
    result = low + weight_p * (high - low)
    return result[0], result[1]


def tabulate(
    density_fn: Callable,
    gradient_fn: Callable | None,
    *,
    log10_p_range: tuple[float, float],
    n_pressure: int,
    t_range: tuple[float, float] = (300.0, 300.0),
    n_temperature: int = 1,
    name: str = "",
    axis_name: str = "temperature",
) -> EosTable:
    """Evaluate vectorised `density_fn(P, T)` and `gradient_fn(P, T)` on a uniform grid.

    density_fn, gradient_fn: take pressure [Pa] and temperature [K] arrays of equal shape and
    return density [kg m^-3] and d ln T / d ln P [-]; gradient_fn None means isothermal (0).
    Returns an EosTable with values of shape (n_pressure, n_temperature, 2).
    """
    log10_p = np.linspace(log10_p_range[0], log10_p_range[1], n_pressure)
    temperatures = np.linspace(t_range[0], t_range[1], n_temperature)
    grid_p, grid_t = np.meshgrid(10.0**log10_p, temperatures, indexing="ij")
    rho = np.asarray(density_fn(jnp.asarray(grid_p), jnp.asarray(grid_t)), dtype=float)
    if gradient_fn is None:
        gradient = np.zeros_like(rho)
    else:
        gradient = np.asarray(gradient_fn(jnp.asarray(grid_p), jnp.asarray(grid_t)), dtype=float)
    if not np.all(np.isfinite(rho)) or np.any(rho <= 0.0):
        raise ValueError(f"EoS table {name!r}: density not finite and positive on the whole grid")
    dlog10_p = (log10_p_range[1] - log10_p_range[0]) / (n_pressure - 1)
    dt = (t_range[1] - t_range[0]) / (n_temperature - 1) if n_temperature > 1 else 1.0
    return EosTable(
        values=jnp.asarray(np.stack([rho, gradient], axis=-1)),
        log10_p_min=float(log10_p_range[0]),
        dlog10_p=float(dlog10_p),
        t_min=float(t_range[0]),
        dt=float(dt),
        name=name,
        axis_name=axis_name,
    )
