"""Teq-dependent H/He envelope (envelope.py; issue 2 scope 3)."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from planetinfer.constants import R_GAS
from planetinfer.eos import envelope, library, tables, tfd


def test_mu_and_gamma_of_ideal_h2_he():
    """X = 0.71: mu = 2.355 g/mol, gamma = 1.429 (H2 5/2 R, He 3/2 R; brief: ~2.355, ~1.43)."""
    mu, gamma = envelope.ideal_gas_properties(0.71)
    assert mu == pytest.approx(2.355e-3, abs=1e-6)
    assert gamma == pytest.approx(1.4293, abs=1e-4)
    assert envelope.ideal_gas_properties(1.0)[1] == pytest.approx(1.4)  # pure H2: 7/5


def test_ideal_gas_limit_at_transit_pressure():
    """At 1e4 Pa the cold term vanishes: rho = P mu / (R Teq) to 1e-12."""
    mu, _ = envelope.ideal_gas_properties()
    for teq in (50.0, 500.0, 3000.0):
        rho = float(envelope.envelope_density(1e4, teq))
        assert rho == pytest.approx(1e4 * mu / (R_GAS * teq), rel=1e-12)


def test_pressure_is_recovered_from_density_and_temperature():
    """P_cold(rho) + rho (R/mu) T(rho) = P, with T from envelope_temperature (1e-9)."""
    mu, _ = envelope.ideal_gas_properties()
    pressures = np.logspace(2.0, 14.0, 25)
    for teq in (100.0, 1500.0):
        rho = envelope.envelope_density(pressures, teq)
        temperature = envelope.envelope_temperature(pressures, rho, teq)
        recovered = envelope.cold_pressure(rho) + rho * R_GAS / mu * temperature
        np.testing.assert_allclose(np.asarray(recovered), pressures, rtol=1e-9)


def test_isothermal_above_rcb_and_adiabatic_below():
    _, gamma = envelope.ideal_gas_properties()
    teq, p_rcb = 800.0, 1e7
    pressures = np.array([1e4, 1e6, 1e7, 1e9, 1e11])
    rho = envelope.envelope_density(pressures, teq, p_rcb)
    temperature = np.asarray(envelope.envelope_temperature(pressures, rho, teq, p_rcb))
    np.testing.assert_allclose(temperature[:3], teq)
    rho_rcb = float(envelope.rcb_density(teq, p_rcb))
    np.testing.assert_allclose(
        temperature[3:], teq * (np.asarray(rho[3:]) / rho_rcb) ** (gamma - 1)
    )
    assert np.all(np.diff(temperature[2:]) > 0.0)


def test_cold_curve_is_monotonic_and_below_tfd():
    """Running minimum from high P: P_cold nondecreasing, 0 below rho_min = 204.86 kg/m^3, and
    the monotonic curve never lies above TFD's rho(P)."""
    log_rho, log_p, rho_min = envelope.cold_curve_nodes()
    assert rho_min == pytest.approx(204.86, abs=0.01)
    assert np.all(np.diff(log_rho) > 0.0) and np.all(np.diff(log_p) > 0.0)
    assert float(envelope.cold_pressure(200.0)) == 0.0
    pressures = np.exp(log_p)
    composition = envelope.hydrogen_helium_composition()
    assert np.all(np.exp(log_rho) <= np.asarray(tfd.density(pressures, *composition)) * (1 + 1e-12))


def test_envelope_table():
    table = library.h_he_envelope_table()
    values = np.asarray(table.values)
    assert table.axis_name == "teq" and values.shape == (2048, 60, 2)
    assert table.t_min == 50.0 and table.t_min + 59 * table.dt == pytest.approx(3000.0)
    assert np.all(values[..., 1] == 0.0) and np.all(values[..., 0] > 0.0)
    assert np.all(np.diff(values[..., 0], axis=0) >= 0.0)  # rho nondecreasing in P
    assert np.all(np.diff(values[..., 0], axis=1) <= 0.0)  # and nonincreasing in Teq
    # 1e4 Pa is not a node: rho ~ P there, so linear interpolation in log10 P errs by ~2e-5
    rho, _ = jax.jit(tables.evaluate)(table, 4.0, 300.0)
    assert float(rho) == pytest.approx(float(envelope.envelope_density(1e4, 300.0)), rel=1e-4)
