"""interior.support: the prior's bounds and the training planets' support decide in_domain."""

import json

import numpy as np
import pytest

from planetinfer.interior import support as S

BOUNDS = {"mass": [0.1, 25.0], "radius": [0.0, 20.0], "teq": [100.0, 2000.0]}


@pytest.fixture(scope="module")
def table():
    """Training planets with 1 <= R <= 2 + 0.1 M at every Teq: a known support."""
    rng = np.random.default_rng(0)
    mass = 10 ** rng.uniform(-1, np.log10(25), 200_000)
    teq = rng.uniform(100, 2000, mass.size)
    radius = 1.0 + rng.uniform(0, 1, mass.size) * (1.0 + 0.1 * mass)
    x = np.column_stack([mass, radius, teq])
    return S.build_support(x, ("mass", "radius", "teq"), BOUNDS)


def test_support_is_strict_json(table):
    text = json.dumps(table, allow_nan=False)
    assert json.loads(text)["format"] == S.FORMAT
    assert np.array(table["radius_max"], float).shape == (S.MASS_BINS, S.TEQ_BINS)


def test_inside_and_outside_the_training_planets(table):
    inputs = ("mass", "radius", "teq")
    x = np.array([[5.0, 2.0, 400.0],  # inside
                  [5.0, 9.7, 400.0],  # far above the largest 5 M_E planet (2.5 R_E)
                  [5.0, 0.8, 400.0],  # below the smallest (1 R_E)
                  [5.0, 2.0, 100.0],  # the prior's edge is inside
                  [5.0, 2.0, 99.0],  # below the prior
                  [0.05, 1.5, 400.0]])  # below the prior's mass
    ok, reasons = S.check(x, inputs, BOUNDS, table)
    assert ok.tolist() == [True, False, False, True, False, False]
    assert reasons[0] is None
    assert reasons[1].startswith("no training planet of 5 M_E at 400 K is larger than")
    assert "smaller than" in reasons[2]
    assert reasons[4] == "teq = 99 is outside the prior's [100, 2000]"
    assert reasons[5].startswith("mass = 0.05 is outside")


def test_empty_bins_are_outside():
    x = np.array([[1.0, 1.0], [1.1, 1.2]])
    support = S.build_support(x, ("mass", "radius"), {"mass": [0.1, 25.0], "radius": [0, 20]})
    ok, reasons = S.check(np.array([[20.0, 3.0]]), ("mass", "radius"),
                          {"mass": [0.1, 25.0], "radius": [0, 20]}, support)
    assert not ok[0] and reasons[0] == "no training planet of 20 M_E"


def test_k2_support():
    rng = np.random.default_rng(1)
    mass = 10 ** rng.uniform(-1, np.log10(25), 100_000)
    radius = mass**0.27 * rng.uniform(1.0, 1.3, mass.size)
    k2 = rng.uniform(0.2, 0.9, mass.size)
    inputs = ("mass", "radius", "k2")
    bounds = {"mass": [0.1, 25.0], "radius": [0.0, 20.0], "k2": [0.0, 1.5]}
    support = S.build_support(np.column_stack([mass, radius, k2]), inputs, bounds)
    ok, reasons = S.check(np.array([[1.0, 1.1, 0.5], [1.0, 1.1, 1.2], [1.0, 1.1, 1.6]]), inputs,
                          bounds, support)
    assert ok.tolist() == [True, False, False]
    assert "has k2 above" in reasons[1]
    assert reasons[2] == "k2 = 1.6 is outside the prior's [0, 1.5]"
