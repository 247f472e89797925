"""The shipped networks: checksums, size, provenance, and the Earth acceptance check."""

from __future__ import annotations

import numpy as np
import pytest

from planetinfer.interior import predict as P
from planetinfer.interior import store


def _shipped(inputs):
    if not store.shipped_path(inputs).is_file():
        pytest.skip(f"no shipped network for {inputs} (train it with `planetinfer interior train`)")
    return store.load_shipped(inputs)


@pytest.mark.parametrize("inputs", store.SHIPPED_INPUT_SETS)
def test_shipped_model_loads_with_provenance_and_is_small(inputs):
    loaded = _shipped(inputs)
    header = loaded.header
    assert tuple(header["inputs"]) == inputs
    assert header["command"].startswith("planetinfer interior train")
    assert "manifest" in header["data"]["data"] and header["seed"] is not None
    weights = loaded.path.parent / header["weights_file"]
    assert weights.stat().st_size < 5_000_000  # a few MB at most


@pytest.mark.parametrize("inputs", store.SHIPPED_INPUT_SETS)
def test_earth_interior_inside_95_percent_and_envelope_less_likely(inputs):
    """Earth (1 M_E, 1 R_E, 255 K, k2 0.933, 1 % errors) for all four networks. Earth's core
    mass fraction 0.325 and core radius fraction 0.547 (PREM), no water and no envelope, lie
    inside every 95 % interval, and p(no envelope) exceeds the training prior's. k2 = 0.933 is
    Earth's fluid Love number as used by Baumeister et al. 2020 (Lambeck 1980)."""
    loaded = _shipped(inputs)
    values = {"mass": 1.0, "radius": 1.0, "teq": 255.0, "k2": 0.933}
    v = {n: values[n] for n in inputs}
    s = {n: 0.01 * values[n] for n in inputs}
    row = P.predict(loaded, [P.Planet(v, s, s)], 20_000, 2000, seed=0)[0]
    truth = {"core_mass_fraction": 0.325, "core_radius_fraction": 0.547,
             "mantle_mass_fraction": 0.675, "mantle_radius_fraction": 0.453,
             "water_mass_fraction": 0.0, "envelope_mass_fraction": 0.0,
             "water_radius_fraction": 0.0, "envelope_radius_fraction": 0.0}  # fmt: skip
    for name, value in truth.items():
        q = row["summary"][name]
        assert q["p2.5"] <= value <= q["p97.5"], (name, q)
    assert row["summary"]["p_no_envelope"] > loaded.header["prior_absence"]["p_no_envelope"]
    assert np.isfinite(row["summary"]["p_no_water"])


@pytest.mark.parametrize("body, mass, radius, teq, core", [
    # Earth: PREM, CMF 0.325
    ("Earth", 1.0, 1.0, 255.0, (0.325, 0.325)),
    # Venus: no measured core; Venus models take Earth's bulk composition, CMF about 0.30
    ("Venus", 0.815, 0.95, 226.0, (0.30, 0.30)),
    # Mars: core radius 1830 km of mean density 5.7-6.3 g cm^-3 (Staehler et al. 2021,
    # Science 373, 443): CMF 0.23-0.25
    ("Mars", 0.107, 0.532, 210.0, (0.23, 0.25)),
])  # fmt: skip
def test_terrestrial_core_fractions_inside_68_percent(body, mass, radius, teq, core):
    """(M, R, Teq) network, 1 % errors: the core mass fraction inside the 68 % interval."""
    loaded = _shipped(("mass", "radius", "teq"))
    values = {"mass": mass, "radius": radius, "teq": teq}
    sigma = {name: 0.01 * value for name, value in values.items()}
    row = P.predict(loaded, [P.Planet(values, sigma, sigma, name=body)], 20_000, 2000, seed=0)[0]
    q = row["summary"]["core_mass_fraction"]
    assert row["in_domain"] and q["p16"] <= core[0] and core[1] <= q["p84"], (body, q)
