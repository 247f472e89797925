"""Progress when stderr is not a terminal (logs, CI, nohup): plain lines, never silence; and the
one-off notice of a first-run compilation."""

from __future__ import annotations

import logging

import numpy as np

from planetinfer import progress


def test_reporter_writes_lines_with_unit_rate_and_detail(capsys, monkeypatch):
    monkeypatch.setattr(progress, "LINE_EVERY_S", 0.0)
    with progress.reporter("interior train", unit="epochs") as show:
        show(1, 3, "val NLL -9.1")
        show(3, 3)
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0].startswith("interior train: 1/3 epochs (") and lines[0].endswith("val NLL -9.1")
    assert lines[-1].startswith("interior train: 3/3 epochs")


def test_reporter_rate_leaves_out_work_done_before_a_resume(capsys, monkeypatch):
    monkeypatch.setattr(progress, "LINE_EVERY_S", 0.0)
    monkeypatch.setattr(progress.time, "perf_counter", iter([0.0, 10.0]).__next__)
    with progress.reporter("synth", unit="planets", already=1000) as show:
        show(1500, 2000)
    assert "synth: 1,500/2,000 planets (50.00/s, 10 s)" in capsys.readouterr().err


def test_stages_and_quiet(capsys):
    with progress.stages("escape evaluate") as show:
        show("node-out fold 1")
    assert "escape evaluate: node-out fold 1 (" in capsys.readouterr().err
    with progress.reporter("x", quiet=True) as show:
        show(1, 2)
    assert capsys.readouterr().err == ""


def test_generation_progress_says_how_the_job_is_split(capsys):
    from planetinfer.synth.progress import GenerationProgress

    with GenerationProgress(40_000, 0, True, 2, "on 2 local workers") as bar:
        bar.part_done({"size": 20_000, "status": {0: 19_000, 5: 1_000}})
        bar.part_done({"size": 20_000, "status": {0: 20_000}})
    err = capsys.readouterr().err
    assert "40,000 planets to solve in 2 parts on 2 local workers" in err
    assert "compiles the structure solver" in err
    assert "synth: 40,000/40,000 planets" in err and "failures 1,000" in err


def test_first_run_compilation_is_announced(tmp_path, monkeypatch, caplog):
    """A kernel not yet in the on-disk cache says it is compiling; the second process (here:
    a cleared in-memory table) reads it back silently."""
    import jax.numpy as jnp

    from planetinfer import compiled

    monkeypatch.setenv("PLANETINFER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("PLANETINFER_NO_CACHE", raising=False)
    args = (jnp.zeros(3),)
    with caplog.at_level(logging.INFO, logger="planetinfer"):
        fn = compiled.exported("test_kernel", lambda x: x + 1.0, args, "", ("eos",))
        np.testing.assert_allclose(fn(*args), 1.0)
    assert any("compiling test_kernel" in r.getMessage() for r in caplog.records)
    caplog.clear()
    monkeypatch.setattr(compiled, "_LOADED", {})
    with caplog.at_level(logging.INFO, logger="planetinfer"):
        compiled.exported("test_kernel", lambda x: x + 1.0, args, "", ("eos",))
    assert not caplog.records


def test_cli_notices_follow_the_current_stderr(capsys):
    """The command line's handler writes to stderr as it is when a notice is logged."""
    progress.show_notices()
    progress.show_notices()  # once only
    progress.notice("compiling something")
    assert capsys.readouterr().err == "compiling something\n"
