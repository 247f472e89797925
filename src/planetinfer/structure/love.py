"""Fluid Love number k2 (Radau equation) and moment of inertia.

Radau's equation for eta = d ln(epsilon) / d ln(r) of the degree-2 figure (e.g. Zharkov & Trubitsyn
1978, Physics of Planetary Interiors, ch. 3; interior.md section 3):

    r d(eta)/dr = 6 - 6 (rho / rho_mean)(eta + 1) + eta - eta^2,   eta(0) = 0,

with rho_mean(r) = 3 m / (4 pi r^3) the mean density inside r, and k2 = (3 - eta_R) / (2 + eta_R).
It is exact for the fluid k2 of any density profile, density jumps included (eta is continuous).
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import G

STIFF_STEP_LN_R = 0.3  # above this growth of ln r in one step, use the implicit step (sheet 2.4)


def radau_rate(eta, density_ratio):
    """d(eta)/d(ln r) of Radau's equation; density_ratio = rho / rho_mean [-]."""
    return 6.0 - 6.0 * density_ratio * (eta + 1.0) + eta - eta**2


def implicit_radau_step(eta_old, density_ratio_new, step_ln_r):
    """One backward-Euler step of Radau's equation in ln r (L-stable).

    Near the centre, or at the start of a layer whose inner neighbour holds almost no mass, one
    step can grow ln r by far more than the explicit stability limit (the equation relaxes like
    r^-5, interior.md 2.4). Backward Euler is a quadratic in the new eta, solved in closed form;
    for a huge step it returns the quasi-static root of radau_rate = 0, as the physics does.
    eta_old [-], density_ratio_new = rho/rho_mean at the new point [-], step_ln_r > 0 [-].
    """
    step = jnp.minimum(step_ln_r, 1.0e3)
    # step * eta^2 + b * eta + c = 0 with
    b = 1.0 + step * (6.0 * density_ratio_new - 1.0)
    c = -(eta_old + 6.0 * step * (1.0 - density_ratio_new))
    # root continuous with eta_old as step -> 0, written to avoid cancellation
    return -2.0 * c / (b + jnp.sqrt(jnp.maximum(b**2 - 4.0 * step * c, 0.0)))


def k2_from_eta(eta_surface):
    """Fluid Love number k2 from eta at the surface: k2 = (3 - eta_R) / (2 + eta_R)."""
    return (3.0 - eta_surface) / (2.0 + eta_surface)


def darwin_radau_moment_of_inertia(k2):
    """Approximate C/(M R^2) = (2/3)[1 - (2/5) sqrt((4 - k2)/(1 + k2))] (Darwin-Radau relation)."""
    return (2.0 / 3.0) * (1.0 - 0.4 * jnp.sqrt((4.0 - k2) / (1.0 + k2)))


def k2_homogeneous_layers(outer_radii, densities):
    """Exact fluid k2 of N homogeneous layers (interior.md section 3, "exact N-layer system").

    outer_radii: (N,) outer radius of each layer, centre outwards [m] (any consistent unit);
    densities: (N,) [kg m^-3]. Solves g_i r_i eps_i - sum_j (4 pi G / 5) d_rho_j r_j^2 f_ij eps_j
    = -c r_i^2 for the interface flattenings eps (c = 1 is an arbitrary forcing) with
    f_ij = (r_i/r_j)^2 if r_i <= r_j else (r_j/r_i)^3, and returns
    k2 = sum_j (4 pi G / 5) d_rho_j r_j^2 (r_j/R)^3 (-eps_j) / (c R^2). NumPy, for validation.
    """
    radii = np.asarray(outer_radii, dtype=float)
    rho = np.asarray(densities, dtype=float)
    jumps = rho - np.append(rho[1:], 0.0)
    shell_volumes = 4.0 / 3.0 * np.pi * (radii**3 - np.append(0.0, radii[:-1] ** 3))
    gravity = G * np.cumsum(rho * shell_volumes) / radii**2
    ri, rj = np.meshgrid(radii, radii, indexing="ij")
    f = np.where(ri <= rj, (ri / rj) ** 2, (rj / ri) ** 3)
    coupling = (4.0 * np.pi * G / 5.0) * jumps[None, :] * rj**2 * f
    matrix = np.diag(gravity * radii) - coupling
    forcing = 1.0
    epsilon = np.linalg.solve(matrix, -forcing * radii**2)
    surface = radii[-1]
    potential = (4.0 * np.pi * G / 5.0) * jumps * radii**2 * (radii / surface) ** 3 * (-epsilon)
    return float(np.sum(potential) / (forcing * surface**2))


def k2_from_density_profile(radii, densities, substeps: int = 8):
    """Fluid k2 and C/(M R^2) of a given density profile rho(r), by Radau's equation (NumPy).

    For validation against profiles that are not produced by an EoS (PREM, polytropes).
    radii: (n,) increasing from 0 to R [m]; densities: (n,) [kg m^-3], linear between points
    (repeat a radius to put a density jump there). Integrates m, I and eta with RK4 in r on
    `substeps` sub-intervals per interval, with the backward-Euler step where d ln r > 0.3.
    Returns (k2, moment_of_inertia).
    """
    r = np.asarray(radii, dtype=float)
    rho = np.asarray(densities, dtype=float)
    mass, inertia, eta = 0.0, 0.0, 0.0
    for i in range(len(r) - 1):
        if r[i + 1] <= r[i]:
            continue  # a density jump: eta, m and I are continuous across it
        edges = np.linspace(r[i], r[i + 1], substeps + 1)
        slope = (rho[i + 1] - rho[i]) / (r[i + 1] - r[i])

        def rates(x, state, start=r[i], base=rho[i], slope=slope):
            density = base + slope * (x - start)
            m, _, e = state
            dm = 4.0 * np.pi * x**2 * density
            di = (8.0 * np.pi / 3.0) * density * x**4
            ratio = 4.0 * np.pi * x**3 * density / (3.0 * m) if m > 0 else 1.0
            de = float(radau_rate(e, ratio)) / x if x > 0 else 0.0
            return np.array([dm, di, de])

        state = np.array([mass, inertia, eta])
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            h = b - a
            k1 = rates(a, state)
            k2 = rates(a + h / 2, state + h / 2 * k1)
            k3 = rates(a + h / 2, state + h / 2 * k2)
            k4 = rates(b, state + h * k3)
            new = state + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            step_ln_r = np.log(b / a) if a > 0 else np.inf
            if step_ln_r > STIFF_STEP_LN_R:
                density_b = rho[i] + slope * (b - r[i])
                ratio = 4.0 * np.pi * b**3 * density_b / (3.0 * new[0])
                new[2] = float(implicit_radau_step(state[2], ratio, step_ln_r))
            state = new
        mass, inertia, eta = state
    return float(k2_from_eta(eta)), float(inertia / (mass * r[-1] ** 2))
