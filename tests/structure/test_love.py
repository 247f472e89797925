"""Fluid Love number k2 and moment of inertia (interior.md section 4.3 and checks 17-20)."""

import numpy as np
import pytest

from planetinfer.structure.love import (
    darwin_radau_moment_of_inertia,
    implicit_radau_step,
    k2_from_density_profile,
    k2_homogeneous_layers,
)

# Exact N-homogeneous-layer values, interior.md section 4.3 [derived]; radii normalised to R.
LAYERED_CASES = [
    ([1.0], [1.0], 1.500000),
    ([0.5, 1.0], [2.0, 1.0], 1.205311),
    ([0.5455, 1.0], [11.0, 4.45], 1.042642),
    ([0.3, 1.0], [10.0, 1.0], 0.943815),
    ([0.55, 0.8, 1.0], [11.0, 4.5, 1.5], 0.583727),
]


@pytest.mark.parametrize(("radii", "densities", "expected"), LAYERED_CASES)
def test_exact_layered_system_matches_reference(radii, densities, expected):
    assert k2_homogeneous_layers(radii, densities) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("radii", "densities", "expected"), LAYERED_CASES)
def test_radau_equation_reproduces_exact_layered_values(radii, densities, expected):
    # interior.md check 19: the Radau ODE within 1e-5 of the exact layered values
    r = np.repeat(np.concatenate([[0.0], radii]), 2)[1:-1] * 6.4e6
    rho = np.repeat(np.asarray(densities) * 1000.0, 2)
    k2, _ = k2_from_density_profile(r, rho, substeps=64)
    assert k2 == pytest.approx(expected, abs=1e-5)


def test_homogeneous_sphere_moment_of_inertia():
    k2, moment = k2_from_density_profile([0.0, 1.0e7], [5000.0, 5000.0], substeps=200)
    assert k2 == pytest.approx(1.5, abs=1e-6)  # check 17
    assert moment == pytest.approx(0.4, abs=1e-9)


def test_n1_polytrope():
    # rho ~ sin(pi x)/(pi x): k2 = 15/pi^2 - 1 = 0.519817, MoI = (2/3)(1 - 6/pi^2) (check 18)
    x = np.linspace(0.0, 1.0, 2001)
    k2, moment = k2_from_density_profile(x * 7.0e7, 1000.0 * np.sinc(x), substeps=4)
    assert k2 == pytest.approx(15.0 / np.pi**2 - 1.0, abs=1e-4)
    assert moment == pytest.approx(0.26138, abs=1e-5)


def _prem_profile():
    """PREM density (Dziewonski & Anderson 1981, PEPI 25, 297, Table 1), ocean replaced by the
    2.6 g/cm^3 upper crust, as polynomials in x = r / 6371 km [g cm^-3]."""
    earth = 6371.0
    layers = [
        (1221.5, lambda x: 13.0885 - 8.8381 * x**2),
        (3480.0, lambda x: 12.5815 - 1.2638 * x - 3.6426 * x**2 - 5.5281 * x**3),
        (5701.0, lambda x: 7.9565 - 6.4761 * x + 5.5283 * x**2 - 3.0807 * x**3),
        (5771.0, lambda x: 5.3197 - 1.4836 * x),
        (5971.0, lambda x: 11.2494 - 8.0298 * x),
        (6151.0, lambda x: 7.1089 - 3.8045 * x),
        (6346.6, lambda x: 2.6910 + 0.6924 * x),
        (6356.0, lambda x: 2.9 + 0.0 * x),
        (6371.0, lambda x: 2.6 + 0.0 * x),
    ]
    radii, densities, inner = [], [], 0.0
    for outer, polynomial in layers:
        grid = np.linspace(inner, outer, 200)
        radii.extend(grid * 1e3)
        densities.extend(polynomial(grid / earth) * 1e3)
        inner = outer
    return np.array(radii), np.array(densities)


def test_prem_fluid_love_number_and_moment():
    # interior.md section 4.1: PREM without ocean, fluid k2 = 0.9338 +- 0.002, I/MR^2 = 0.3310
    k2, moment = k2_from_density_profile(*_prem_profile(), substeps=4)
    assert k2 == pytest.approx(0.9338, abs=0.002)
    assert moment == pytest.approx(0.3310, abs=0.001)


def test_darwin_radau_is_close_for_prem():
    # interior.md section 3: Darwin-Radau gives 0.3309 for PREM's k2 (true 0.3310)
    assert float(darwin_radau_moment_of_inertia(0.9338)) == pytest.approx(0.3309, abs=2e-4)


def test_implicit_step_limits():
    # tiny step: eta unchanged; huge step: the quasi-static root of Radau's equation (D = 1 -> 0)
    assert float(implicit_radau_step(0.3, 0.8, 1e-12)) == pytest.approx(0.3, abs=1e-9)
    assert float(implicit_radau_step(0.3, 1.0, 1e6)) == pytest.approx(0.0, abs=1e-3)
