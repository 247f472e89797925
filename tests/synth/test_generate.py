"""planetinfer.synth.generate: reproducible, resumable after SIGKILL, failures kept as rows.

The solver runs with the cheap `seager2007` preset and 8-planet parts (one small compiled kernel,
cached on disk), since these tests are about generation and storage, not the physics.
"""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from planetinfer.errors import InputError
from planetinfer.synth import store
from planetinfer.synth.generate import generate, plan
from planetinfer.synth.priors import load_prior

JOB = {"prior": "planetinfer", "model": "seager2007", "envelope": "cold", "part_size": 8, "seed": 5}
N_KILL = 400  # 50 parts: long enough to be killed in the middle


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted in-process run of the job the SIGKILL test interrupts."""
    out = tmp_path_factory.mktemp("synth") / "reference"
    summary = generate(n=N_KILL, out=out, progress=False, **JOB)
    return out, summary


def _command(out):
    return [sys.executable, "-m", "planetinfer", "synth", "generate", "--n", str(N_KILL),
            "--out", str(out), "--prior", JOB["prior"], "--model", JOB["model"], "--envelope-model",
            JOB["envelope"], "--part-size", str(JOB["part_size"]), "--seed", str(JOB["seed"]),
            "--quiet"]  # fmt: skip


def test_columns_and_summary(reference):
    out, summary = reference
    frame = store.read_dataset(out)
    assert list(frame.columns) == store.COLUMNS.names
    assert summary["n_parts"] == 50 and summary["parts_written"] == 50
    np.testing.assert_array_equal(frame["id"], np.arange(N_KILL))
    assert set(frame["model"]) == {"seager2007"} and set(frame["envelope_model"]) == {"cold"}
    ok = frame[frame["status"] == 0]
    fractions = ok[[f"{k}_radius_fraction" for k in ("core", "mantle", "water", "envelope")]]
    np.testing.assert_allclose(fractions.sum(axis=1), 1.0, atol=1e-9)  # conventions.md
    # absent layers have zero thickness
    assert np.all(ok.loc[ok["water_mass_fraction"] == 0, "water_radius_fraction"] == 0)
    manifest = store.read_manifest(out)
    assert manifest["counts"]["rows"] == N_KILL and manifest["complete"] is True
    assert sum(summary["status_counts"].values()) == N_KILL


def test_draws_match_prior_with_part_seeds(reference):
    """Part i is drawn from SeedSequence([seed, i]), independent of the other parts."""
    out, _ = reference
    frame = store.read_dataset(out)
    draws = load_prior("planetinfer").sample(8, np.random.SeedSequence([JOB["seed"], 3]))
    np.testing.assert_array_equal(frame["mass_earth"].to_numpy()[24:32], draws["mass_earth"])
    np.testing.assert_array_equal(frame["core_mass_fraction"].to_numpy()[24:32],
                                  draws["mass_fractions"][:, 0])  # fmt: skip


def test_sigkill_then_resume_equals_uninterrupted(reference, tmp_path):
    ref_out, _ = reference
    out = tmp_path / "killed"
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    process = subprocess.Popen(_command(out), env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 240
    while len(store.finished_parts(out)) < 3 and process.poll() is None:
        assert time.monotonic() < deadline, "the job wrote no parts in 240 s"
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, process.stderr.read().decode()
    done = store.finished_parts(out)
    assert 3 <= len(done) < 50, f"not killed in the middle: {len(done)} parts"
    (out / "part-00049.parquet.tmp").write_bytes(b"half a part")  # a part in flight at the kill
    resumed = subprocess.run(_command(out), env=env, capture_output=True, check=False)
    assert resumed.returncode == 0, resumed.stderr.decode()
    frame, expected = store.read_dataset(out), store.read_dataset(ref_out)
    assert frame["id"].is_unique and len(frame) == N_KILL
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    for index in range(50):  # bit-identical Parquet contents
        assert (
            store.part_path(out, index).read_bytes() == store.part_path(ref_out, index).read_bytes()
        )
    assert not list(out.glob("*.tmp"))


def test_rerun_skips_finished_parts(reference):
    out, _ = reference
    summary = generate(n=N_KILL, out=out, progress=False, **JOB)
    assert summary["parts_written"] == 0 and summary["parts_skipped"] == 50


def test_another_job_in_the_directory_is_an_error(reference):
    out, _ = reference
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for change in ({"seed": 6}, {"model": "baumeister2020"}, {"part_size": 16}):
        with pytest.raises(InputError, match="another job"):
            generate(n=N_KILL, out=out, progress=False, **{**JOB, **change})
    with pytest.raises(InputError, match="another job"):
        generate(n=N_KILL + 1, out=out, progress=False, **JOB)
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}  # nothing overwritten


HOT_SMALL = """
name = "hot_small"
envelope_model = "teq"
[mass]
distribution = "loguniform"
low = 0.01
high = 1.0
[teq]
distribution = "uniform"
low = 1000.0
high = 5000.0
[composition]
kind = "simplex"
[[composition.classes]]
share = 0.5
layers = ["core", "mantle", "envelope"]
[[composition.classes]]
share = 0.5
layers = ["core", "mantle"]
"""


def test_failed_solves_are_kept_as_rows(tmp_path):
    """Hot small planets with envelopes: the Teq envelope is unbound (status 5, docs/structure.md).

    Their rows stay, with NaN outputs and their status; rocky planets of the same job converge.
    """
    path = tmp_path / "hot.toml"
    path.write_text(HOT_SMALL)
    out = tmp_path / "hot"
    summary = generate(path, 32, out, model="seager2007", part_size=8, seed=2, progress=False)
    frame = store.read_dataset(out)
    assert len(frame) == 32 and summary["n"] == 32 and summary["envelope_model"] == "teq"
    failed = frame[frame["status"] != 0]
    assert len(failed) >= 4 and set(failed["status"]) <= {1, 2, 3, 5}
    assert failed["radius_earth"].isna().all() and failed["k2"].isna().all()
    rocky = frame[frame["envelope_mass_fraction"] == 0]
    assert (rocky["status"] == 0).all() and np.isfinite(rocky["radius_earth"]).all()
    assert sum(summary["status_counts"].values()) == 32


def test_bad_arguments(tmp_path):
    prior = load_prior("planetinfer")
    for kwargs, message in (({"n": 0}, "n = 0"), ({"n": 10, "part_size": 0}, "part_size"),
                            ({"n": 10, "model": "nope"}, "model"),
                            ({"n": 10, "envelope": "warm"}, "envelope"),
                            ({"n": 10, "seed": -1}, "seed")):  # fmt: skip
        arguments = {"model": "seager2007", "envelope": None, "part_size": 8, "seed": 1,
                     "batch_size": None, **kwargs}  # fmt: skip
        with pytest.raises(InputError, match=message):
            plan(prior, out=tmp_path / "x", **arguments)
    assert not (tmp_path / "x").exists()
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "part-00000.parquet").write_bytes(b"x")
    with pytest.raises(InputError, match="no manifest"):
        generate(n=8, out=tmp_path / "parts", progress=False, **JOB)


def test_local_dask_cluster_matches_in_process(reference, tmp_path):
    pytest.importorskip("dask.distributed")
    ref_out, _ = reference
    out = tmp_path / "dask"
    generate(n=24, out=out, progress=False, workers=1, **JOB)
    frame = store.read_dataset(out)
    expected = store.read_dataset(ref_out).iloc[:24].reset_index(drop=True)
    # n differs (24 vs 400) but parts 0-2 are the same work units
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    lazy = store.read_dataset(out, dask=True)
    assert lazy.npartitions == 3
    computed = lazy.compute().reset_index(drop=True)
    strings = {"model": object, "envelope_model": object}  # Dask reads Arrow-backed strings
    pd.testing.assert_frame_equal(computed.astype(strings), frame.astype(strings), check_exact=True)


def _copy(reference, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(reference[0], out)
    return out


def test_a_corrupt_part_is_named_on_read_and_recomputed_on_resume(reference, tmp_path):
    out = _copy(reference, tmp_path)
    part = store.part_path(out, 3)
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])  # cut short
    with pytest.raises(InputError, match="part-00003.parquet is corrupt: its sha256"):
        store.read_dataset(out)
    with pytest.warns(UserWarning, match="part 3 of .* was corrupt"):
        summary = generate(n=N_KILL, out=out, progress=False, **JOB)
    assert summary["parts_written"] == 1
    pd.testing.assert_frame_equal(store.read_dataset(out), store.read_dataset(reference[0]))


def test_a_part_without_checksum_is_read_if_sound(reference, tmp_path):
    out = _copy(reference, tmp_path)
    store.checksum_path(store.part_path(out, 0)).unlink()
    assert len(store.read_dataset(out)) == N_KILL
    empty = store.part_path(out, 1)
    store.checksum_path(empty).unlink()
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="part-00001.parquet is corrupt: it is not readable"):
        store.read_dataset(out)


def test_resume_after_a_kill_between_part_and_checksum(reference, tmp_path):
    """Killed after a part's rename but before its checksum's: the resumed job keeps the part,
    writes its checksum, removes the checksum's half-written temporary and recomputes nothing."""
    out = _copy(reference, tmp_path)
    record = store.checksum_path(store.part_path(out, 2))
    expected = record.read_text()
    record.unlink()
    record.with_name(record.name + ".tmp").write_text('{"sha2')
    summary = generate(n=N_KILL, out=out, progress=False, **JOB)
    assert summary["parts_written"] == 0
    assert record.read_text() == expected
    assert not list(out.glob("*.tmp"))


def test_a_second_writer_stops_at_once(tmp_path):
    from planetinfer.locking import exclusive

    out = tmp_path / "locked"
    with exclusive(out):
        with pytest.raises(InputError, match="another job .* is writing there"):
            generate(n=16, out=out, progress=False, **JOB)
    assert not store.finished_parts(out)


def test_a_second_writer_process_gets_one_line_and_exit_2(tmp_path):
    """`synth generate` into a directory another process holds: exit 2, one line, no part."""
    from planetinfer.locking import exclusive

    out = tmp_path / "shared"
    with exclusive(out):
        second = subprocess.run(_command(out), capture_output=True, text=True, timeout=300)
    assert second.returncode == 2
    assert "another job" in second.stderr and len(second.stderr.splitlines()) == 1
    assert not store.finished_parts(out)
