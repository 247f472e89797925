"""Theory of figures (ToF) of order 4, 7 and 10: batched, differentiable, warm-startable (JAX).

Equations: Zharkov & Trubitsyn (1978); Nettelmann (2017, A&A 606, A139, App. B) for order 4,
Nettelmann et al. (2021, PSJ 2:241, App. A) for order 7, Morf, Mueller & Helled (2024, A&A 690,
A105) for order 10. The coefficient polynomials are derived exactly in `tof_coefficients.py`.

Discretisation (our convention, see docs/gravity.md): N levels k = 0..N-1, outer to inner, with
volumetric mean radii l_k = R_m (1 - k/N) (WMH26 Sect. 2.1) and density rho_k on level k. The
density is taken piecewise linear between levels and uniform (rho_{N-1}) inside the innermost level;
the volume integrals B.9 are evaluated as Stieltjes trapezoid sums over the levels, and the same
sum gives the mass, so S_0(1) = 1 exactly. The ToF state is s[k, n-1] = s_2n(l_k), n = 1..order.

Fixed point (Nettelmann 2017 B.12-B.15): A_2k(s) = 0 for k >= 1 is iterated as
s_2k <- s_2k + A_2k / S_0 (the -S_0 s_2k term of A_2k solved for s_2k). Gradients of anything
computed from the converged shape use implicit differentiation of this fixed point (custom VJP):
the adjoint lambda = g + (dPhi/ds)^T lambda is solved by the same kind of iteration.
"""

from __future__ import annotations

from functools import cache, partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401  (float64)
from planetinfer.constants import G
from planetinfer.gravity.fixed_point import anderson
from planetinfer.gravity.tof_coefficients import coefficients

# --------------------------------------------------------------------------------------------
# one profile, dimensionless: rho_hat = rho / rho_bar (shape (N,)), z = l / R_m, m = w^2 R^3/GM


def level_radii(n_levels: int) -> jnp.ndarray:
    """z_k = l_k / R_m = 1 - k/N, shape (N,) (WMH26 Sect. 2.1; outer to inner)."""
    return 1.0 - jnp.arange(n_levels, dtype=jnp.float64) / n_levels


def stieltjes_inner(rho_hat, g):
    """int_0^{z_k} rho d g, trapezoid over levels plus a uniform core; rho_hat, g shape (N,...)."""
    core = rho_hat[-1] * g[-1]
    seg = 0.5 * (rho_hat[:-1] + rho_hat[1:])[..., None] * (g[:-1] - g[1:])
    inner = jax.lax.cumsum(seg, axis=0, reverse=True)
    return jnp.concatenate([inner, jnp.zeros_like(g[:1])], axis=0) + core


def stieltjes_outer(rho_hat, g):
    """int_{z_k}^{1} rho d g (trapezoid over levels), shape like g; zero at the surface."""
    seg = 0.5 * (rho_hat[:-1] + rho_hat[1:])[..., None] * (g[:-1] - g[1:])
    return jnp.concatenate([jnp.zeros_like(g[:1]), jnp.cumsum(seg, axis=0)], axis=0)


def mass_integral(rho, z):
    """int rho d(z^3) over the planet with the ToF quadrature; M = (4 pi/3) R_m^3 * this."""
    return stieltjes_inner(rho, (z**3)[:, None])[0, 0]


def monomial_list(s, order: int) -> list:
    """All monomials of s_2..s_2o up to weight `order`, as a list of (N,) arrays (table basis)."""
    monos = coefficients(order).monomials
    cache = {monos[0]: jnp.ones(s.shape[:-1], dtype=s.dtype)}
    for e in monos[1:]:
        j = next(i for i, x in enumerate(e) if x > 0)
        parent = tuple(x - 1 if i == j else x for i, x in enumerate(e))
        cache[e] = cache[parent] * s[..., j]
    return [cache[e] for e in monos]


def monomial_values(s, order: int):
    """All monomials of s_2..s_2o up to weight `order`, shape (N, n_mono)."""
    return jnp.stack(monomial_list(s, order), axis=-1)


# Orders up to this are evaluated term by term over the non-zero coefficients (per level and
# iteration: order 4 ~180 terms, order 7 ~1 400), which XLA fuses into a few loops vectorised
# over the levels. Order 10 (~7 100 terms) keeps the dense tables, one matmul each, whose compile
# time does not grow with the number of terms. At order 7, N = 1024 the term-by-term form costs
# ~0.2 ms per iteration and profile on one CPU core, the dense one ~1.3 ms (45 monomials x 152
# coefficients, 80 % of them zero, plus the reshaping of the (N, 17, 8) product).
SPARSE_MAX_ORDER = 7


def _polynomial(coeffs: np.ndarray, mono: list):
    """sum_j coeffs[j] mono[j] over the non-zero coefficients (fused elementwise, sparse)."""
    terms = [float(c) * mono[j] for j, c in enumerate(coeffs) if c != 0.0]
    return sum(terms[1:], terms[0]) if terms else jnp.zeros_like(mono[0])


@cache
def _level_powers(n_levels: int, order: int):
    """Constant tables z^(2n+3) and z^(2-2n), shape (N, order+1) each (numpy, float64)."""
    z = 1.0 - np.arange(n_levels, dtype=np.float64) / n_levels
    n = np.arange(order + 1)
    return z[:, None] ** (2 * n + 3), z[:, None] ** (2 - 2 * n)


def _use_dense(order: int, dense: bool | None) -> bool:
    return order > SPARSE_MAX_ORDER if dense is None else dense


def figure_polynomials(mono: list, order: int, dense: bool | None = None):
    """Figure functions f_2n and f'_2n (Nettelmann 2017 B.16-B.17) on every level, (N, order+1).

    dense: evaluate through the dense coefficient table (default: for orders above
    SPARSE_MAX_ORDER); both forms give the same polynomials to rounding.
    """
    c = coefficients(order)
    if not _use_dense(order, dense):
        f = jnp.stack([_polynomial(c.f[n], mono) for n in range(order + 1)], axis=-1)
        fp = jnp.stack([_polynomial(c.fp[n], mono) for n in range(order + 1)], axis=-1)
        return f, fp
    both = jnp.stack(mono, axis=-1) @ _dense_f_table(order)
    return both[:, : order + 1], both[:, order + 1 :]


def level_integrals(rho_hat, f, fp):
    """S_2n, S'_2n from f_2n, f'_2n (Nettelmann 2017 B.9; linear in f, fp), each (N, order+1)."""
    z_in, z_out = _level_powers(rho_hat.shape[0], f.shape[-1] - 1)
    big_s = stieltjes_inner(rho_hat, z_in * f) * (1.0 / z_in)
    big_sp = stieltjes_outer(rho_hat, z_out * fp) * (1.0 / z_out)
    return big_s, big_sp


def figure_integrals(s, rho_hat, order: int):
    """S_2n and S'_2n on every level (Nettelmann 2017 B.9), each shape (N, order+1).

    Returns (monomials as a list of (N,) arrays, S, S').
    """
    mono = monomial_list(s, order)
    return (mono, *level_integrals(rho_hat, *figure_polynomials(mono, order)))


def coupling_polynomials(mono: list, order: int, dense: bool | None = None):
    """dA_2k/dS_2n = a_kn(s) and dA_2k/dS'_2n = b_kn(s) for k = 1..order (B.12-B.15).

    Each shape (N, order, order+1); A_2k is linear in S and S'. dense: as in figure_polynomials.
    """
    c = coefficients(order)
    if _use_dense(order, dense):
        stacked = jnp.stack(mono, axis=-1)
        return (
            jnp.einsum("im,knm->ikn", stacked, c.a_s[1:]),
            jnp.einsum("im,knm->ikn", stacked, c.a_sp[1:]),
        )
    zero = jnp.zeros_like(mono[0])

    def table(coeffs):
        rows = [
            jnp.stack(
                [
                    _polynomial(coeffs[k, n], mono) if np.any(coeffs[k, n]) else zero
                    for n in range(order + 1)
                ],
                axis=-1,
            )
            for k in range(1, order + 1)
        ]
        return jnp.stack(rows, axis=-2)

    return table(c.a_s), table(c.a_sp)


@cache
def _dense_a_table(order: int) -> np.ndarray:
    """Coefficients of (c_k, a_kn, b_kn) as one (n_mono, (2 (order+1) + 1) (order+1)) table."""
    c = coefficients(order)
    rows = np.concatenate(
        [c.a_m[None], np.moveaxis(c.a_s, 1, 0), np.moveaxis(c.a_sp, 1, 0)], axis=0
    )  # (2 n1 + 1 [m, S_n, S'_n], n1 [k], n_mono)
    return np.ascontiguousarray(np.moveaxis(rows, -1, 0).reshape(rows.shape[-1], -1))


@cache
def _dense_f_table(order: int) -> np.ndarray:
    """Coefficients of (f_2n, f'_2n) as one (n_mono, 2 (order+1)) table."""
    c = coefficients(order)
    return np.ascontiguousarray(np.concatenate([c.f, c.fp], axis=0).T)


def equilibrium_coefficients(mono, big_s, big_sp, m, order: int, dense: bool | None = None):
    """A_0 .. A_2o on every level (Nettelmann 2017 B.12-B.15), shape (N, order+1).

    A_2k = sum_n [S_2n a_kn(s) + S'_2n b_kn(s)] + m c_k(s); mono is the list of monomials. The
    sparse polynomials are written out term by term so that XLA fuses them into one loop.
    dense: as in figure_polynomials.
    """
    c = coefficients(order)
    if _use_dense(order, dense):  # one dense matmul: far faster to compile at order 10
        n1 = order + 1
        poly = (jnp.stack(mono, axis=-1) @ _dense_a_table(order)).reshape(-1, 2 * n1 + 1, n1)
        return (
            m * poly[:, 0]
            + jnp.sum(big_s[:, :, None] * poly[:, 1 : n1 + 1], axis=1)
            + jnp.sum(big_sp[:, :, None] * poly[:, n1 + 1 :], axis=1)
        )
    out = []
    for k in range(order + 1):
        acc = m * _polynomial(c.a_m[k], mono)
        for n in range(order + 1):
            if np.any(c.a_s[k, n]):
                acc = acc + big_s[:, n] * _polynomial(c.a_s[k, n], mono)
            if np.any(c.a_sp[k, n]):
                acc = acc + big_sp[:, n] * _polynomial(c.a_sp[k, n], mono)
        out.append(acc)
    return jnp.stack(out, axis=-1)


def tof_step(s, rho_hat, m, order: int):
    """One ToF iteration Phi: returns (new s (N, order), J-like S_2n(1) (order,))."""
    mono, big_s, big_sp = figure_integrals(s, rho_hat, order)
    a = equilibrium_coefficients(mono, big_s, big_sp, m, order)
    return s + a[:, 1:] / big_s[:, :1], big_s[0, 1:]


def _iterate(s_init, rho_hat, m, order, tol, max_iter):
    n_test = min(order, 4)

    def error(surf_new, surf_old, _x_new, _x_old):
        change = jnp.abs(surf_new - surf_old)[:n_test]
        return jnp.max(change / (jnp.abs(surf_new[:n_test]) + 1e-300))

    return anderson(lambda s: tof_step(s, rho_hat, m, order), s_init, error, tol, max_iter)


@partial(jax.custom_vjp, nondiff_argnums=(3, 4, 5))
def converged_shape(rho_hat, m, s_init, order, tol, max_iter):
    """Fixed point s* of the ToF map; returns (s* (N, order), info=(iterations, last change)).

    Differentiable in rho_hat and m by implicit differentiation; s_init only warm-starts.
    """
    s, i, err = _iterate(s_init, rho_hat, m, order, tol, max_iter)
    return s, jnp.stack([i, err])


def _converged_shape_fwd(rho_hat, m, s_init, order, tol, max_iter):
    s, info = converged_shape(rho_hat, m, s_init, order, tol, max_iter)
    return (s, info), (rho_hat, m, s, s_init)


def adjoint(vjp_s, g_s, tol, max_iter, lam_init=None):
    """Solve lambda = g_s + (dPhi/ds)^T lambda by Anderson iteration (implicit function theorem).

    lam_init warm-starts the iteration (default g_s).
    """
    scale = jnp.max(jnp.abs(g_s)) + 1e-300

    def step(lam):
        new = g_s + vjp_s(lam)[0]
        return new, None

    def error(_a, _b, x_new, x_old):
        return jnp.max(jnp.abs(x_new - x_old)) / scale

    lam, _, _ = anderson(step, g_s if lam_init is None else lam_init, error, tol, max_iter)
    return lam


def _converged_shape_bwd(order, tol, max_iter, res, cotangents):
    from planetinfer.gravity.tof_adjoint import shape_transpose

    rho_hat, m, s_star, s_init = res
    g_s, _ = cotangents
    transpose = shape_transpose(s_star, rho_hat, m, order)[0]
    _, vjp_p = jax.vjp(lambda r, mm: tof_step(s_star, r, mm, order)[0], rho_hat, m)
    lam = adjoint(lambda x: (transpose(x),), g_s, tol, max_iter)
    g_rho, g_m = vjp_p(lam)
    return g_rho, g_m, jnp.zeros_like(s_init)


converged_shape.defvjp(_converged_shape_fwd, _converged_shape_bwd)


# --------------------------------------------------------------------------------------------
# derived quantities of one converged profile


def surface_radii(s, order: int):
    """(R_eq/R_m, R_pol/R_m) of the outer level from s[0] (Nettelmann 2017 B.2)."""
    c = coefficients(order)
    mono = monomial_values(s[0], order)
    s0 = mono @ c.s0
    p_at_0 = np.array(
        [np.polynomial.legendre.legval(0.0, np.eye(2 * n + 1)[2 * n]) for n in range(1, order + 1)]
    )
    return 1.0 + s0 + s[0] @ p_at_0, 1.0 + s0 + jnp.sum(s[0])


def normalised_moment_of_inertia(s, rho_hat, order: int):
    """C/(M R_m^2) (WMH26 eq. 7) as (3/5) int rho_hat dK, K = z^5 <(1+sigma)^5 (1-mu^2)>.

    The mu average uses Gauss-Legendre with 5*order+2 nodes, exact for this polynomial (degree
    10*order+2), and the same Stieltjes trapezoid as the mass.
    """
    c = coefficients(order)
    nodes, weights = np.polynomial.legendre.leggauss(5 * order + 2)
    p2n = np.stack(
        [
            np.polynomial.legendre.legval(nodes, np.eye(2 * n + 1)[2 * n])
            for n in range(1, order + 1)
        ]
    )  # (order, n_nodes)
    s0 = monomial_values(s, order) @ c.s0
    sigma = s0[:, None] + s @ p2n  # (N, n_nodes)
    k = 0.5 * ((1.0 + sigma) ** 5 * (1.0 - nodes**2)) @ weights
    z = level_radii(rho_hat.shape[0])
    return 0.6 * stieltjes_inner(rho_hat, (z**5 * k)[:, None])[0, 0]


class NormalisedFigure(NamedTuple):
    """Dimensionless ToF result of one profile (see `solve_normalised`)."""

    s: jnp.ndarray  # (N, order) figure functions s_2..s_2o on each level (warm-start state)
    s2n_surface: jnp.ndarray  # (order,) S_2n(1); J_2n = -(R_m/R_ref)^(2n) S_2n(1) (B.11)
    a0: jnp.ndarray  # (N,) A_0 on each level: potential U = -(GM/R_m) z^2 A_0 (B.4)
    req: jnp.ndarray  # () R_eq / R_m
    rpol: jnp.ndarray  # () R_pol / R_m
    nmoi: jnp.ndarray  # () C / (M R_m^2)
    iterations: jnp.ndarray  # () ToF iterations used
    change: jnp.ndarray  # () last relative change of S_2n(1), n <= 4


def solve_normalised(rho_hat, m, s_init=None, *, order=4, tol=1e-11, max_iter=400):
    """Converged ToF of one profile in normalised units; differentiable in rho_hat and m.

    rho_hat: density / mean density, shape (N,), on levels z_k = 1 - k/N (mass normalised so that
    `mass_integral(rho_hat) = 1`); m: rotation parameter w^2 R_m^3 / (GM); s_init: (N, order)
    warm start (zeros if None).
    """
    if s_init is None:
        s_init = jnp.zeros((rho_hat.shape[0], order), dtype=jnp.float64)
    s, info = converged_shape(rho_hat, m, s_init, order, tol, max_iter)
    mono, big_s, big_sp = figure_integrals(s, rho_hat, order)
    a0 = equilibrium_coefficients(mono, big_s, big_sp, m, order)[:, 0]
    req, rpol = surface_radii(s, order)
    nmoi = normalised_moment_of_inertia(s, rho_hat, order)
    return NormalisedFigure(s, big_s[0, 1:], a0, req, rpol, nmoi, info[0], info[1])


# --------------------------------------------------------------------------------------------
# physical units


class Figure(NamedTuple):
    """ToF result in SI units; every field has a leading batch axis when the input had one."""

    j2n: jnp.ndarray  # (order,) J_2, J_4, ... normalised to the reference radius
    req_over_rmean: jnp.ndarray  # () equatorial / mean radius (flattening ratio, WMH26 eq. 8)
    rpol_over_rmean: jnp.ndarray  # () polar / mean radius
    nmoi: jnp.ndarray  # () C / (M R_mean^2) (WMH26 eq. 7)
    potential: jnp.ndarray  # (N,) total potential on each level [J kg^-1]
    pressure: jnp.ndarray  # (N,) hydrostatic pressure on each level [Pa]
    central_pressure: jnp.ndarray  # () [Pa]
    mass_ratio: jnp.ndarray  # () profile mass / GM-implied mass (density rescaled by 1/this)
    s: jnp.ndarray  # (N, order) shape state, for warm starts
    iterations: jnp.ndarray  # ()
    converged: jnp.ndarray  # () bool


def rotation_parameter(period_s, radius_m, gm):
    """m = w^2 R_m^3 / (GM), w = 2 pi / P (Nettelmann 2017 B.3)."""
    return (2.0 * jnp.pi / period_s) ** 2 * radius_m**3 / gm


def hydrostatic_pressure(rho, potential, surface_pressure):
    """P_k = P_0 + int rho dU from the surface inward (WMH26 Sect. 3.2), trapezoid; shape (N,)."""
    return surface_pressure + stieltjes_outer(rho, potential[:, None])[:, 0]


@partial(jax.jit, static_argnames=("order", "tol", "max_iter"))
def _solve_one(
    rho, radius_m, gm, period_s, reference_radius_m, surface_pressure, s_init, order, tol, max_iter
):
    n = rho.shape[0]
    z = level_radii(n)
    mean_density = 3.0 * gm / (4.0 * jnp.pi * G * radius_m**3)
    mass_ratio = mass_integral(rho, z) / mean_density
    rho_hat = rho / (mean_density * mass_ratio)
    m = rotation_parameter(period_s, radius_m, gm)
    fig = solve_normalised(rho_hat, m, s_init, order=order, tol=tol, max_iter=max_iter)
    powers = 2.0 * jnp.arange(1, order + 1)
    j2n = -((radius_m / reference_radius_m) ** powers) * fig.s2n_surface
    potential = -(gm / radius_m) * z**2 * fig.a0
    rho_si = rho_hat * mean_density
    pressure = hydrostatic_pressure(rho_si, potential, surface_pressure)
    core = 2.0 * jnp.pi / 3.0 * G * rho_si[-1] ** 2 * (z[-1] * radius_m) ** 2  # uniform core
    return Figure(
        j2n,
        fig.req,
        fig.rpol,
        fig.nmoi,
        potential,
        pressure,
        pressure[-1] + core,
        mass_ratio,
        fig.s,
        fig.iterations,
        fig.change <= tol,
    )


def solve(
    rho,
    *,
    radius_m,
    gm,
    period_s,
    reference_radius_m=None,
    order=4,
    tol=1e-11,
    max_iter=400,
    surface_pressure=0.0,
    s_init=None,
) -> Figure:
    """Theory of figures for one profile or a batch; differentiable in rho (implicit VJP).

    rho: density on the levels l_k = R_m (1 - k/N), outer to inner, shape (N,) or (B, N)
    [kg m^-3]; it is rescaled to the mass GM/G (the factor is returned as `mass_ratio`).
    radius_m: volumetric mean radius R_m of the outer level [m]; gm: planet GM [m^3 s^-2];
    period_s: rotation period [s]; reference_radius_m: normalisation radius of J_2n [m]
    (default R_m); surface_pressure [Pa]; s_init: warm start, shape (N, order) or (B, N, order).
    """
    from planetinfer.errors import reject_quantities

    reject_quantities("gravity.tof.solve", rho=rho, radius_m=radius_m, gm=gm, period_s=period_s,
                      reference_radius_m=reference_radius_m)  # fmt: skip
    rho = jnp.asarray(rho, dtype=jnp.float64)
    ref = radius_m if reference_radius_m is None else reference_radius_m
    if s_init is None:
        s_init = jnp.zeros((*rho.shape, order), dtype=jnp.float64)
    args = (radius_m, gm, period_s, ref, surface_pressure)
    if rho.ndim == 1:
        return _solve_one(rho, *args, s_init, order, tol, max_iter)
    return _solve_batch(rho, *args, s_init, order, tol, max_iter)


@partial(jax.jit, static_argnames=("order", "tol", "max_iter"))
def _solve_batch(
    rho, radius_m, gm, period_s, reference_radius_m, surface_pressure, s_init, order, tol, max_iter
):
    args = (radius_m, gm, period_s, reference_radius_m, surface_pressure)
    return _map_profiles(lambda r, s: _solve_one(r, *args, s, order, tol, max_iter), rho, s_init)


def _map_profiles(fn, *batched):
    """fn over the leading axis: one profile after the other on a CPU, `jax.vmap` elsewhere.

    On a CPU the batch gains nothing from lock-step vectorisation (XLA already vectorises over
    the N levels) and loses much: under `vmap` every profile runs until the slowest has
    converged, and the fixed-point state of the whole batch (Anderson history: ~37 MB for 64
    ToF7 profiles at N = 1024, beyond the caches) passes through a select on every iteration.
    Profile by profile (`lax.map`) each stops on its own test in its own cache-sized state;
    ToF7 at N = 1024 costs ~35 % less per profile, ToF4 ~45 % (batch 64, one core). Same
    results to rounding.
    """
    if jax.default_backend() == "cpu":
        return jax.lax.map(lambda args: fn(*args), batched)
    return jax.vmap(fn)(*batched)
