"""Debye thermal energy and heat capacity (Debye 1912, Ann. Phys. 344, 789).

D3(x) = int_0^x t^3 / (e^t - 1) dt by two convergent series (e.g. Abramowitz & Stegun 1964,
27.1.1-27.1.3 for the Debye functions), vectorised and branch-free:
* x <= 2: t/(e^t - 1) = sum_n B_n t^n / n! (Bernoulli numbers, radius 2 pi) integrated term by
  term, D3 = sum_n B_n x^(n+3) / ((n + 3) n!), n = 0..28 (truncation < 1e-14 relative at x = 2);
* x > 2: D3 = pi^4/15 - sum_{k=1..18} e^(-k x) (x^3/k + 3x^2/k^2 + 6x/k^3 + 6/k^4)
  (truncation < e^(-38) x^3).
tests/eos/test_debye.py checks it against adaptive quadrature to 1e-12 relative
for 1e-3 <= x <= 200.
"""

from __future__ import annotations

import math
from fractions import Fraction

import jax.numpy as jnp
import numpy as np

import planetinfer._jaxconfig  # noqa: F401
from planetinfer.constants import R_GAS

SERIES_SWITCH = 2.0
N_TAIL = 18


def _bernoulli(n_max: int) -> list[Fraction]:
    """Bernoulli numbers B_0..B_n_max (B_1 = -1/2) by the Akiyama-Tanigawa recurrence."""
    numbers, row = [], []
    for m in range(n_max + 1):
        row.append(Fraction(1, m + 1))
        for j in range(m, 0, -1):
            row[j - 1] = j * (row[j - 1] - row[j])
        numbers.append(row[0])
    numbers[1] = -numbers[1] if numbers[1] > 0 else numbers[1]
    return numbers


# D3(x) = x^3 * sum_n c_n x^n with c_n = B_n / ((n + 3) n!)
_SMALL_COEFFS = np.array(
    [float(b) / ((n + 3) * math.factorial(n)) for n, b in enumerate(_bernoulli(28))]
)


def debye_integral(x):
    """D3(x) = int_0^x t^3/(e^t - 1) dt [-] for x > 0, any shape."""
    x = jnp.asarray(x, float)
    xs = jnp.minimum(x, SERIES_SWITCH)[..., None]
    powers = jnp.arange(_SMALL_COEFFS.size, dtype=float)
    small = xs[..., 0] ** 3 * jnp.sum(jnp.asarray(_SMALL_COEFFS) * xs**powers, axis=-1)
    xl = jnp.maximum(x, SERIES_SWITCH)[..., None]
    k = jnp.arange(1, N_TAIL + 1, dtype=float)
    tail = jnp.sum(
        jnp.exp(-k * xl) * (xl**3 / k + 3.0 * xl**2 / k**2 + 6.0 * xl / k**3 + 6.0 / k**4), axis=-1
    )
    large = math.pi**4 / 15.0 - tail
    return jnp.where(x <= SERIES_SWITCH, small, large)


def thermal_energy(temperature, debye_temperature, n_atoms):
    """Debye thermal energy E_th = 9 n R T (T/theta)^3 D3(theta/T) [J mol^-1] (interior.md 1.2).

    temperature, debye_temperature [K] (> 0), n_atoms per formula unit; broadcastable shapes.
    """
    x = debye_temperature / temperature
    return 9.0 * n_atoms * R_GAS * temperature * debye_integral(x) / x**3


def heat_capacity(temperature, debye_temperature, n_atoms):
    """Debye isochoric heat capacity C_V = dE_th/dT [J mol^-1 K^-1].

    C_V = 9 n R [4 D3(x)/x^3 - x/(e^x - 1)], x = theta/T (differentiating E_th above).
    """
    x = debye_temperature / temperature
    return 9.0 * n_atoms * R_GAS * (4.0 * debye_integral(x) / x**3 - x / jnp.expm1(x))
