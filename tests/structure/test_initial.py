"""Starting central pressure from uniform-density shells (structure/initial.py)."""

import numpy as np
import pytest
from scipy.integrate import quad

from planetinfer.constants import M_EARTH, G
from planetinfer.eos.tables import tabulate
from planetinfer.structure import solve_batch
from planetinfer.structure.initial import layered_ln_central_pressure, uniform_shell_pressures


def test_homogeneous_sphere_has_the_textbook_central_pressure():
    # P_c = (2 pi / 3) G rho^2 R^2 for a uniform sphere; empty layers add nothing
    rho = 5000.0
    bottom, top = uniform_shell_pressures(M_EARTH, np.array([0.0, 1.0, 0.0, 0.0]), np.full(4, rho))
    radius = (3.0 * M_EARTH / (4.0 * np.pi * rho)) ** (1.0 / 3.0)
    assert float(bottom[0]) == pytest.approx(2.0 * np.pi / 3.0 * G * rho**2 * radius**2, rel=1e-12)
    assert float(top[3]) == pytest.approx(0.0, abs=1e-6 * float(bottom[0]))


def test_two_shells_match_direct_integration_of_hydrostatic_equilibrium():
    densities = np.array([11000.0, 4000.0, 1500.0, 200.0])
    fractions = np.array([0.3, 0.5, 0.15, 0.05])
    bottom, top = uniform_shell_pressures(5.0 * M_EARTH, fractions, densities)
    masses = 5.0 * M_EARTH * np.cumsum(fractions)
    outer = np.cbrt(
        np.cumsum(np.diff(np.concatenate([[0.0], masses])) / densities) * 3 / (4 * np.pi)
    )
    inner = np.concatenate([[0.0], outer[:3]])

    def enclosed(r):
        layer = np.searchsorted(outer, r)
        below = masses[layer - 1] if layer > 0 else 0.0
        return below + 4.0 / 3.0 * np.pi * densities[layer] * (r**3 - inner[layer] ** 3)

    for layer in range(4):
        drop = quad(lambda r, i=layer: G * enclosed(r) * densities[i] / r**2,
                    inner[layer], outer[layer])[0]  # fmt: skip
        assert float(bottom[layer] - top[layer]) == pytest.approx(drop, rel=1e-9)


def test_guess_is_exact_for_incompressible_layers():
    # constant-density tables: the shells are the planet, so the guess is the solver's answer
    # (up to the solver's own discretisation, ~1e-5 in ln Pc at 64 steps per layer)
    constant = [tabulate(lambda p, t, r=rho: r + 0.0 * p, None, log10_p_range=(0.0, 15.0),
                         n_pressure=64) for rho in (11000.0, 4500.0, 1500.0, 1000.0)]  # fmt: skip
    fractions = np.array([0.3, 0.5, 0.2, 0.0])
    out = solve_batch([1.0], [fractions], model="seager2007", tables=constant)
    guess = float(layered_ln_central_pressure(M_EARTH, fractions, constant, np.full(4, 300.0), 1e5))
    assert guess == pytest.approx(np.log(out["central_pressure"][0]), abs=1e-4)


def test_guess_is_within_a_tenth_in_ln_pc_for_seager2007():
    # the bound quoted in initial.py (99 % of 10,000 random planets; these span the extremes:
    # pure iron and pure water at 25 M_E, a thick envelope, a 0.01 M_E rock)
    from planetinfer.structure.presets import build_model, load_tables

    masses = np.array([25.0, 25.0, 10.0, 0.01])
    fractions = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0.3, 0.4, 0.0, 0.3], [0.3, 0.7, 0, 0]])
    out = solve_batch(masses, fractions, model="seager2007")
    tables = load_tables(build_model("seager2007"))
    for mass, row, pressure in zip(masses, fractions, out["central_pressure"], strict=True):
        guess = layered_ln_central_pressure(
            mass * M_EARTH, row.astype(float), tables, np.full(4, 300.0), 1.0e5
        )
        assert float(guess) == pytest.approx(np.log(pressure), abs=0.1)
