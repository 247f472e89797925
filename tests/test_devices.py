"""Batches split over several XLA devices give the planets the one-device solve gives
(structure/solve.py, planetinfer/devices.py)."""

import importlib

import jax
import numpy as np
import pytest

from planetinfer.devices import DEVICES_VARIABLE, default_cpu_devices

solve_module = importlib.import_module("planetinfer.structure.solve")


def test_device_count_variable(monkeypatch):
    monkeypatch.setenv(DEVICES_VARIABLE, "3")
    assert default_cpu_devices() == 3
    monkeypatch.setenv(DEVICES_VARIABLE, "not a number")
    assert default_cpu_devices() >= 1  # falls back to the usable cores


@pytest.mark.skipif(jax.local_device_count() < 2, reason="JAX has one device on this machine")
def test_split_batch_equals_single_device_batch(monkeypatch):
    rng = np.random.default_rng(3)
    masses = 10.0 ** rng.uniform(-1.0, 1.3, 16)
    fractions = rng.dirichlet(np.ones(4), 16)
    monkeypatch.setattr(solve_module, "MIN_PLANETS_PER_DEVICE", 10**9)
    single = solve_module.solve_batch(masses, fractions, model="seager2007", batch_size=16)
    monkeypatch.setattr(solve_module, "MIN_PLANETS_PER_DEVICE", 4)
    assert len(solve_module._devices_for(16)) >= 2
    split = solve_module.solve_batch(masses, fractions, model="seager2007", batch_size=16)
    np.testing.assert_array_equal(split["status"], single["status"])
    for key in ("radius", "k2", "central_pressure", "moment_of_inertia"):
        np.testing.assert_allclose(split[key], single[key], rtol=1e-12)
