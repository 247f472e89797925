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


def test_a_second_writer_stops_at_once(tmp_path):
    """Two sample jobs on one store: the second stops before any work (locking.exclusive)."""
    from planetinfer.locking import exclusive

    path = tmp_path / "busy.zarr"
    with exclusive(path):
        with pytest.raises(InputError, match="another job .* is writing there"):
            ensemble.sample_ensemble(path, get_planet("neptune"), CFG, 2, batch=2, chunk_runs=2)
    assert not (path / "done").exists()


def test_growing_inside_a_chunk_runs_only_the_new_runs(tmp_path):
    """A 2-run store grown to 4 runs with chunks of 4: runs 2 and 3 are sampled (they used to be
    left empty, run_index -1, and counted by analyze) and equal a fresh 4-run store's."""
    neptune = get_planet("neptune")
    grown, fresh = tmp_path / "grown.zarr", tmp_path / "fresh.zarr"
    ensemble.sample_ensemble(grown, neptune, CFG, 2, seed=2, batch=2, chunk_runs=4)
    assert ensemble.finished_runs(grown) == 2
    added = ensemble.sample_ensemble(grown, neptune, CFG, 4, seed=2, batch=2)  # keeps chunk 4
    assert [(s["chunk"], s["runs"], s["end"]) for s in added] == [(0, 2, 4)]
    ensemble.sample_ensemble(fresh, neptune, CFG, 4, seed=2, batch=2, chunk_runs=4)
    a, b = ensemble.load_ensemble(grown), ensemble.load_ensemble(fresh)
    assert list(a["run_index"]) == [0, 1, 2, 3] and ensemble.finished_runs(grown) == 4
    np.testing.assert_allclose(a["d2"], b["d2"], rtol=1e-9)


def test_default_chunks_let_small_jobs_resume():
    assert ensemble.default_chunk_runs(10_000, 64) == 256  # a refilled pool of 64, four times
    assert ensemble.default_chunk_runs(100, 64) == 64  # at least one pool
    assert ensemble.default_chunk_runs(20, 64) == 20


def test_sigkill_then_resume_equals_an_uninterrupted_store(tmp_path):
    """`gravity sample` killed (SIGKILL) once its first chunks are written, then run again: the
    store holds every run once, equal to an uninterrupted run (chunk markers are written last)."""
    import signal
    import subprocess
    import sys
    import time

    neptune = get_planet("neptune")
    reference = tmp_path / "reference.zarr"
    ensemble.sample_ensemble(reference, neptune, CFG, 8, seed=4, batch=2, chunk_runs=2)
    killed = tmp_path / "killed.zarr"
    command = [sys.executable, "-m", "planetinfer", "gravity", "sample", "--planet", "neptune",
               "--runs", "8", "--out", str(killed), "--levels", "32", "--batch-size", "2",
               "--chunk-runs", "2", "--max-epochs", "2", "--seed", "4", "--quiet"]  # fmt: skip
    job = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and job.poll() is None:
        if len(list((killed / "done").glob("chunk-*.json"))) >= 1:
            break
        time.sleep(0.05)
    job.send_signal(signal.SIGKILL)
    job.wait()
    subprocess.run(command, check=True, timeout=300)
    a, b = ensemble.load_ensemble(reference), ensemble.load_ensemble(killed)
    assert list(b["run_index"]) == list(range(8))
    np.testing.assert_allclose(b["d2"], a["d2"], rtol=1e-9)
