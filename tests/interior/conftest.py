"""Fixtures of the interior tests: a small solved data set and a tiny trained network."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from planetinfer.constants import R_EARTH

IRON_MASSES = np.array([0.3, 1.0, 5.0, 20.0])  # pure-Fe planets appended to the solved batch


def _random_planets(n: int, seed: int):
    """Masses U(0.3, 20) M_E, Teq U(100, 2000) K, flat-simplex fractions with absent layers."""
    rng = np.random.default_rng(seed)
    mass = rng.uniform(0.3, 20.0, n)
    teq = rng.uniform(100.0, 2000.0, n)
    fractions = rng.dirichlet(np.ones(4), n)
    u = rng.uniform(size=n)
    fractions[u < 0.25, 2] = 0.0
    fractions[(u > 0.2) & (u < 0.45), 3] = 0.0
    return mass, teq, fractions / fractions.sum(1, keepdims=True)


def frame_from_solution(mass, teq, fractions, solved, model="seager2007") -> pd.DataFrame:
    """A DataFrame in the synth layout (planetinfer.synth.store columns)."""
    frame = pd.DataFrame({
        "id": np.arange(len(mass), dtype=np.int64), "mass_earth": mass, "teq": teq,
        "model": model, "envelope_model": "cold", "radius_earth": solved["radius"] / R_EARTH,
        "k2": solved["k2"], "moment_of_inertia": solved["moment_of_inertia"],
        "central_pressure_pa": solved["central_pressure"],
        "central_temperature_k": solved["central_temperature"], "status": solved["status"],
        "iterations": solved["iterations"],
    })  # fmt: skip
    for i, layer in enumerate(("core", "mantle", "water", "envelope")):
        frame[f"{layer}_mass_fraction"] = fractions[:, i]
        frame[f"{layer}_radius_fraction"] = solved["radius_fractions"][:, i]
    return frame


@pytest.fixture(scope="session")
def solved_planets():
    """(frame of 252 random seager2007 planets, (IRON_MASSES, pure-Fe radii [R_E])).

    One solve_batch call (one compilation) for both.
    """
    from planetinfer.structure.solve import solve_batch

    mass, teq, fractions = _random_planets(252, seed=3)
    iron = np.tile([1.0, 0.0, 0.0, 0.0], (IRON_MASSES.size, 1))
    solved = solve_batch(np.concatenate([mass, IRON_MASSES]), np.concatenate([fractions, iron]),
                         np.concatenate([teq, np.full(IRON_MASSES.size, 300.0)]),
                         model="seager2007")  # fmt: skip
    n = mass.size
    part = {k: v[:n] for k, v in solved.items() if isinstance(v, np.ndarray)}
    return frame_from_solution(mass, teq, fractions, part), (
        IRON_MASSES,
        solved["radius"][n:] / R_EARTH,
    )


@pytest.fixture(scope="session")
def tiny_model(solved_planets, tmp_path_factory):
    """A small (mass, radius, teq) network trained for a few epochs and saved to disk."""
    from planetinfer.interior import data, mdn, train

    dataset = data.load(solved_planets[0])
    config = mdn.MDNConfig(("mass", "radius", "teq"), width=32, depth=2, components=2)
    out = tmp_path_factory.mktemp("model")
    path, result, header = train.train_and_save(
        dataset, config, train.TrainSettings(max_epochs=4, batch_size=64), out, "tiny", "pytest"
    )
    assert header["support"]["rows"] > 100 and header["bounds"]["teq"] == [
        float(dataset.frame["teq"].min()), float(dataset.frame["teq"].max())]  # no prior: box
    # 252 training planets are too few for a support table that means anything (a handful of
    # rocky planets): the tests using this network are about mechanics, so it has none
    header = {k: v for k, v in json.loads(path.read_text()).items() if k != "support"}
    path.write_text(json.dumps(header))
    return path, result, header
