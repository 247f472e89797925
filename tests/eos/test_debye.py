"""Debye integral and derived functions (Debye 1912) against adaptive quadrature and limits."""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from scipy.integrate import quad

from planetinfer.constants import R_GAS
from planetinfer.eos import debye


def test_debye_integral_matches_quadrature():
    """D3(x) to 1e-12 relative against scipy.integrate.quad for 1e-3 <= x <= 200, including both
    sides of the series switch at x = 2."""
    xs = np.concatenate([np.logspace(-3, np.log10(200.0), 60), [1.999999, 2.0, 2.000001]])
    reference = np.array(
        [quad(lambda t: t**3 / np.expm1(t), 0.0, x, epsabs=0.0, epsrel=1e-13)[0] for x in xs]
    )
    np.testing.assert_allclose(np.asarray(debye.debye_integral(xs)), reference, rtol=1e-12)


def test_debye_integral_limit():
    assert float(debye.debye_integral(500.0)) == math.pi**4 / 15.0


def test_heat_capacity_is_derivative_of_energy_and_has_dulong_petit_limit():
    temps = jnp.array([50.0, 300.0, 1000.0, 5000.0])
    step = 1e-4 * temps
    d_energy = (
        debye.thermal_energy(temps + step, 800.0, 3) - debye.thermal_energy(temps - step, 800.0, 3)
    ) / (2.0 * step)
    np.testing.assert_allclose(
        np.asarray(debye.heat_capacity(temps, 800.0, 3)), np.asarray(d_energy), rtol=1e-7
    )
    high = float(debye.heat_capacity(1e6, 800.0, 3))
    np.testing.assert_allclose(high, 3 * 3 * R_GAS, rtol=1e-6)  # 3 n R, n = 3
