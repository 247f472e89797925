"""rho(P, T) from an EoS written as P(rho, T): vectorised, safeguarded Newton iteration in JAX.

Used once per material when a table is built (library.py); every array element is solved at
once. The root is searched on the stable (dP/drho > 0) branch [rho_low, rho_high] in ln rho:
a Newton step that leaves the current bracket is replaced by bisection, and the bracket shrinks
every iteration (Press et al. 2007, Numerical Recipes 3rd ed., section 9.4, "rtsafe").
Elements without a root in the bracket come back as NaN with found = False.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp

import planetinfer._jaxconfig  # noqa: F401


def pressure_and_log_slope(pressure_fn: Callable, rho, temperature):
    """(P, dP/d ln rho) [Pa] at (rho, T) by forward-mode differentiation (elementwise fn)."""
    return jax.jvp(lambda r: pressure_fn(r, temperature), (rho,), (rho,))


def spinodal_density(pressure_fn: Callable, temperature, rho_low, rho_high, n_iter: int = 60):
    """Lower end [kg m^-3] of the stable branch: where dP/drho changes sign from - to +.

    Bisection in ln rho on the sign of dP/d ln rho between rho_low and rho_high (arrays). If
    dP/drho > 0 already at rho_low, rho_low is returned. Elementwise pressure_fn(rho, T).
    """
    temperature = jnp.asarray(temperature)
    lo = jnp.log(jnp.broadcast_to(rho_low, temperature.shape).astype(float))
    hi = jnp.log(jnp.broadcast_to(rho_high, temperature.shape).astype(float))
    stable_at_low = pressure_and_log_slope(pressure_fn, jnp.exp(lo), temperature)[1] > 0.0

    def body(_, bracket):
        a, b = bracket
        mid = 0.5 * (a + b)
        rising = pressure_and_log_slope(pressure_fn, jnp.exp(mid), temperature)[1] > 0.0
        return jnp.where(rising, a, mid), jnp.where(rising, mid, b)

    _, b = jax.lax.fori_loop(0, n_iter, body, (lo, hi))
    return jnp.where(stable_at_low, jnp.exp(lo), jnp.exp(b))


def density_from_pressure(
    pressure_fn: Callable,
    pressure,
    temperature,
    rho_low,
    rho_high,
    *,
    initial_guess=None,
    rtol: float = 1e-13,
    max_iter: int = 80,
):
    """Solve pressure_fn(rho, T) = P for rho on [rho_low, rho_high] (P increasing there).

    pressure [Pa], temperature [K], rho_low, rho_high [kg m^-3]: broadcastable arrays.
    initial_guess: optional rho [kg m^-3] inside the bracket (default: its log-midpoint).
    Returns (rho [kg m^-3], found [bool]) of the broadcast shape; rho is NaN where
    P(rho_low) > P or P(rho_high) < P (no root on the stable branch).
    """
    pressure, temperature, rho_low, rho_high = jnp.broadcast_arrays(
        jnp.asarray(pressure, float), jnp.asarray(temperature, float), rho_low, rho_high
    )
    lo, hi = jnp.log(rho_low), jnp.log(rho_high)
    f_lo = pressure_fn(rho_low, temperature) - pressure
    f_hi = pressure_fn(rho_high, temperature) - pressure
    found = (f_lo <= 0.0) & (f_hi >= 0.0)
    x = (
        0.5 * (lo + hi)
        if initial_guess is None
        else jnp.log(jnp.broadcast_to(initial_guess, lo.shape))
    )

    def cond(state):
        i, _, _, _, step = state
        return (i < max_iter) & jnp.any(jnp.abs(step) > rtol)

    def body(state):
        i, x, a, b, _ = state
        p, slope = pressure_and_log_slope(pressure_fn, jnp.exp(x), temperature)
        f = p - pressure
        a = jnp.where(f < 0.0, x, a)
        b = jnp.where(f < 0.0, b, x)
        newton = x - f / jnp.where(slope > 0.0, slope, jnp.inf)
        inside = (newton > a) & (newton < b) & (slope > 0.0)
        x_new = jnp.where(inside, newton, 0.5 * (a + b))
        step = jnp.where(found, x_new - x, 0.0)
        return i + 1, x_new, a, b, step

    init = (0, x, lo, hi, jnp.full_like(x, jnp.inf))
    _, x, _, _, _ = jax.lax.while_loop(cond, body, init)
    return jnp.where(found, jnp.exp(x), jnp.nan), found


def node_grid(pressure_fn: Callable, temperatures, rho_low, rho_high, n_nodes: int = 1024):
    """Evaluate an EoS on n_nodes log-spaced densities per temperature.

    temperatures (n_t,) [K]; rho_low, rho_high (n_t,) [kg m^-3]. Returns (log_rho, P,
    dP/d ln rho, dP/dT), each (n_t, n_nodes), by forward-mode differentiation.
    """
    t = jnp.asarray(temperatures, float)[:, None]
    fraction = jnp.linspace(0.0, 1.0, n_nodes)[None, :]
    log_rho = jnp.log(rho_low)[:, None] + fraction * jnp.log(rho_high / rho_low)[:, None]
    rho = jnp.exp(log_rho)
    t = jnp.broadcast_to(t, rho.shape)
    p, slope = jax.jvp(lambda r: pressure_fn(r, t), (rho,), (rho,))
    _, dp_dt = jax.jvp(lambda tt: pressure_fn(rho, tt), (t,), (jnp.ones_like(t),))
    return log_rho, p, slope, dp_dt


def invert_on_nodes(log_rho, p_nodes, slope_nodes, pressures, n_iter: int = 40):
    """rho(P) for every temperature row from nodes of P(ln rho) on the stable branch.

    log_rho, p_nodes, slope_nodes (= dP/d ln rho): (n_t, n_nodes) from node_grid; pressures
    (n_p,) [Pa]. The stable branch starts at the node of minimum pressure (the spinodal, to
    within one node). On the node interval holding the target, P(ln rho) is the cubic Hermite
    interpolant of the nodes' values and slopes (error ~ h^4, h the node spacing in ln rho),
    solved by Newton steps safeguarded by bisection on s in [0, 1].
    Returns (log_rho (n_p, n_t), found, k, s): found is False below the spinodal pressure or
    above the last node; k is the upper node of the interval and s the fraction inside it
    (for interpolating other node quantities with `interpolate_nodes`).
    """
    pressures = jnp.asarray(pressures, float)
    n_nodes = p_nodes.shape[1]
    k_min = jnp.argmin(p_nodes, axis=1)  # (n_t,)
    columns = jnp.arange(n_nodes)[None, :]
    branch = jnp.where(columns < k_min[:, None], -jnp.inf, p_nodes)
    branch = jax.lax.cummax(branch, axis=1)  # guards against round-off wiggles
    index = jax.vmap(lambda row: jnp.searchsorted(row, pressures, side="left"))(branch).T
    found = (index > k_min[None, :]) & (index < n_nodes)
    k = jnp.clip(index, 1, n_nodes - 1)
    rows = jnp.arange(p_nodes.shape[0])[None, :]
    h = log_rho[rows, k] - log_rho[rows, k - 1]
    p0, p1 = branch[rows, k - 1], branch[rows, k]
    p0 = jnp.where(jnp.isfinite(p0), p0, p_nodes[rows, k - 1])
    m0, m1 = h * slope_nodes[rows, k - 1], h * slope_nodes[rows, k]
    target = pressures[:, None]

    def hermite(s):
        s2, s3 = s * s, s * s * s
        value = (
            (2 * s3 - 3 * s2 + 1) * p0
            + (s3 - 2 * s2 + s) * m0
            + (-2 * s3 + 3 * s2) * p1
            + (s3 - s2) * m1
        )
        derivative = (
            (6 * s2 - 6 * s) * (p0 - p1) + (3 * s2 - 4 * s + 1) * m0 + (3 * s2 - 2 * s) * m1
        )
        return value - target, derivative

    def body(_, state):
        s, a, b = state
        f, df = hermite(s)
        a = jnp.where(f < 0.0, s, a)
        b = jnp.where(f < 0.0, b, s)
        newton = s - f / jnp.where(df > 0.0, df, jnp.inf)
        s = jnp.where((newton > a) & (newton < b), newton, 0.5 * (a + b))
        return s, a, b

    guess = jnp.clip((target - p0) / jnp.where(p1 > p0, p1 - p0, 1.0), 0.0, 1.0)
    zeros, ones = jnp.zeros_like(guess), jnp.ones_like(guess)
    s, _, _ = jax.lax.fori_loop(0, n_iter, body, (guess, zeros, ones))
    log_result = log_rho[rows, k - 1] + s * h
    return jnp.where(found, log_result, jnp.nan), found, k, s


def interpolate_nodes(values, k, s):
    """Linear interpolation of a node quantity (n_t, n_nodes) at (k, s) from invert_on_nodes."""
    rows = jnp.arange(values.shape[0])[None, :]
    return values[rows, k - 1] + s * (values[rows, k] - values[rows, k - 1])
