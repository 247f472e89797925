"""zarr ensemble store: chunks, resume, manifest check, acceptance and weights."""

import numpy as np
import pytest

from planetinfer.errors import InputError
from planetinfer.gravity import ensemble
from planetinfer.gravity.planets import get_planet
from planetinfer.gravity.sampler import SamplerConfig

CFG = SamplerConfig(n_levels=32, max_epochs=2)  # as in test_sampler and test_cli


def test_store_resume_and_grow(tmp_path):
    path = tmp_path / "n.zarr"
    neptune = get_planet("neptune")
    first = ensemble.sample_ensemble(path, neptune, CFG, 4, seed=2, batch=2, chunk_runs=2)
    assert [s["chunk"] for s in first] == [0, 1]
    assert ensemble.sample_ensemble(path, neptune, CFG, 4, seed=2, batch=2, chunk_runs=2) == []
    grown = ensemble.sample_ensemble(path, neptune, CFG, 6, seed=2, batch=2, chunk_runs=2)
    assert [s["chunk"] for s in grown] == [2]
    data = ensemble.load_ensemble(path)
    assert list(data["run_index"]) == list(range(6))
    # acceptance: d^2 <= 9 and rho <= rho_max; weights exp(-d^2/2) (WMH26 Sect. 3.1)
    expect = (data["d2"] <= 9.0) & (data["rho_final"].max(axis=1) <= 20000.0)
    np.testing.assert_array_equal(data["accepted"], expect)
    np.testing.assert_allclose(data["weight"], np.where(expect, np.exp(-data["d2"] / 2), 0.0))
    assert np.all(np.isfinite(data["nmoi"])) and np.all(data["pressure"][:, -1] > 1e10)
    with pytest.raises(InputError, match="different configuration"):
        ensemble.sample_ensemble(path, neptune, CFG, 6, seed=3, batch=2, chunk_runs=2)
    # pooling stores of the same configuration (here the same store twice) concatenates rows
    pooled = ensemble.load_ensembles([path, path])
    np.testing.assert_array_equal(pooled["run_index"], np.tile(np.arange(6), 2))
    assert pooled["rho_final"].shape == (12, 32)
