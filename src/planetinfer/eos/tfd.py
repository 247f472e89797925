"""Zero-temperature Thomas-Fermi-Dirac EoS of Salpeter & Zapolsky (1967, Phys. Rev. 158, 876),
in the fitted form used by Seager et al. (2007, ApJ 669, 1279, Eqs. 13-19), as written out in
interior.md section 1.4.

Per element (Z, A), with P in dyn cm^-2 (1 Pa = 10 dyn cm^-2):
  zeta = (P / 9.524e13)^(1/5) Z^(-2/3),  eps = (3 / (32 pi^2 Z^2))^(1/3),
  phi = 3^(1/3)/20 + eps / (4 3^(1/3)),
  alpha = 1/(1.941e-2 - 6.277e-2 eps^(1/2) + 1.076 eps),
  x00 = 1/(8.884e-3 + 4.998e-1 eps^(1/2) + 5.2604e-1 eps),
  beta0 = x00 phi - 1,  beta1 = beta0 alpha + (1 + beta0)/phi,
  beta_n = (g_n1 + g_n2 eps^(1/2) + g_n3 eps + g_n4 eps^(3/2) + g_n5 eps^2)^(-n), n = 2..5,
  x0 = [1 + exp(-alpha zeta) sum_{n=0..5} beta_n zeta^n] / (zeta + phi).
Per-atom additive volume for n_i atoms of species i per formula unit:
  rho = 3.886 sum n_i A_i / sum (n_i x0_i^3 / Z_i)  [g cm^-3]  (3.886, not the 3.866 typo).

The curve is non-monotonic at low pressure (interior.md 1.4): use it only as rho(P).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import ATOMIC_MASS_UNIT, HBAR, M_ELECTRON

DENSITY_CONSTANT = 3.886  # [g cm^-3] Seager et al. 2007 Eq. 19 (interior.md 1.4)
PRESSURE_SCALE_DYN = 9.524e13  # [dyn cm^-2] Seager et al. 2007 Eq. 13
# g_{n,k}, rows n = 2..5, columns k = 1..5 (interior.md 1.4 table; Salpeter & Zapolsky 1967)
G_COEFFICIENTS = np.array(
    [
        [1.512e-2, 8.955e-2, 1.090e-1, 5.089, -5.980],
        [2.181e-3, -4.015e-1, 1.698, -9.566, 9.873],
        [-3.328e-4, 5.167e-1, -2.369, 1.349e1, -1.427e1],
        [-1.384e-2, -6.520e-1, 3.529, -2.095e1, 2.264e1],
    ]
)


def _coefficients(z: float):
    """(phi, alpha, beta_0..beta_5) for one element of atomic number z (Python floats)."""
    eps = (3.0 / (32.0 * np.pi**2 * z**2)) ** (1.0 / 3.0)
    phi = 3.0 ** (1.0 / 3.0) / 20.0 + eps / (4.0 * 3.0 ** (1.0 / 3.0))
    alpha = 1.0 / (1.941e-2 - 6.277e-2 * eps**0.5 + 1.076 * eps)
    x00 = 1.0 / (8.884e-3 + 4.998e-1 * eps**0.5 + 5.2604e-1 * eps)
    beta0 = x00 * phi - 1.0
    beta1 = beta0 * alpha + (1.0 + beta0) / phi
    powers = np.array([1.0, eps**0.5, eps, eps**1.5, eps**2])
    betas = [beta0, beta1]
    for n, row in zip(range(2, 6), G_COEFFICIENTS, strict=True):
        betas.append(float(row @ powers) ** (-n))
    return phi, alpha, np.array(betas)


def x0(pressure, z: float):
    """Dimensionless x0 of one element at pressure [Pa] (>= 0), any shape."""
    phi, alpha, betas = _coefficients(z)
    p_dyn = 10.0 * jnp.maximum(jnp.asarray(pressure), 0.0)
    zeta = (p_dyn / PRESSURE_SCALE_DYN) ** 0.2 * z ** (-2.0 / 3.0)
    series = sum(b * zeta**n for n, b in enumerate(betas))
    return (1.0 + jnp.exp(-alpha * zeta) * series) / (zeta + phi)


def density(pressure, atomic_numbers, mass_numbers, atoms_per_formula):
    """Zero-temperature TFD density [kg m^-3] of a compound or mixture at pressure [Pa].

    atomic_numbers Z_i, mass_numbers A_i [g mol^-1], atoms_per_formula n_i: equal-length
    sequences of floats. For a mass-fraction mixture, n_i = w_i / A_i (interior.md 1.4).
    Compiled once per composition (the composition is static).
    """
    return _density(
        jnp.asarray(pressure, float),
        tuple(float(v) for v in atomic_numbers),
        tuple(float(v) for v in mass_numbers),
        tuple(float(v) for v in atoms_per_formula),
    )


@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def _density(pressure, atomic_numbers, mass_numbers, atoms_per_formula):
    numerator = sum(n * a for n, a in zip(atoms_per_formula, mass_numbers, strict=True))
    denominator = sum(
        n * x0(pressure, z) ** 3 / z for n, z in zip(atoms_per_formula, atomic_numbers, strict=True)
    )
    return 1000.0 * DENSITY_CONSTANT * numerator / denominator


def degenerate_electron_gas_density(pressure, atomic_numbers, mass_numbers, atoms_per_formula):
    """Density [kg m^-3] of a fully degenerate non-relativistic electron gas at pressure [Pa].

    P = (3 pi^2)^(2/3) hbar^2 n_e^(5/3) / (5 m_e)  (e.g. Chandrasekhar 1939, ch. X), with
    rho = n_e m_u sum n_i A_i / sum n_i Z_i: the P -> infinity limit of TFD (interior.md 1.4).
    """
    n_e = (
        5.0 * M_ELECTRON * jnp.asarray(pressure) / ((3.0 * np.pi**2) ** (2.0 / 3.0) * HBAR**2)
    ) ** 0.6
    mass_per_electron = (
        ATOMIC_MASS_UNIT
        * sum(n * a for n, a in zip(atoms_per_formula, mass_numbers, strict=True))
        / sum(n * z for n, z in zip(atoms_per_formula, atomic_numbers, strict=True))
    )
    return n_e * mass_per_electron
