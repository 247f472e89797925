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


@pytest.mark.parametrize("inputs", [("mass", "radius", "teq"), ("mass", "radius")])
def test_earth_interior_inside_95_percent_and_envelope_less_likely(inputs):
    """Issue 4 acceptance: Earth (1 M_E, 1 R_E, 255 K, 1 % errors). Earth's core mass fraction
    0.325 and core radius fraction 0.547 (PREM), no water and no envelope, lie inside every 95 %
    interval, and p(no envelope) exceeds the training prior's."""
    loaded = _shipped(inputs)
    values = {"mass": 1.0, "radius": 1.0, "teq": 255.0}
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
