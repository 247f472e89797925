"""`planetinfer synth generate | info | plot`: outputs, and exit code 2 on bad input."""

import json

import pytest

from planetinfer.cli.main import main
from planetinfer.synth import store

GENERATE = ["synth", "generate", "--n", "16", "--part-size", "8", "--model", "seager2007",
            "--envelope-model", "cold", "--seed", "5", "--quiet"]  # fmt: skip


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "data"
    with pytest.raises(SystemExit) as exit_info:
        main([*GENERATE, "--out", str(out), "--json"])
    assert exit_info.value.code == 0
    return out


def test_info_json(dataset, capsys):
    code, out, _ = _run(["synth", "info", str(dataset), "--json"], capsys)
    assert code == 0
    info = json.loads(out)
    assert info["rows"] == 16 and info["unique_ids"] == 16
    assert sum(info["status_counts"].values()) == 16
    assert info["prior"]["name"] == "planetinfer" and info["manifest"]["seed"] == 5
    low, high = info["ranges"]["mass_earth"]
    assert 0.1 <= low <= high <= 25.0
    code, out, _ = _run(["synth", "info", str(dataset)], capsys)
    assert code == 0 and "status 0 (ok)" in out


def test_plot(dataset, capsys, tmp_path):
    figure = tmp_path / "mr.png"
    code, _, _ = _run(["synth", "plot", str(dataset), "--plot", str(figure), "--curves", "zeng"],
                      capsys)  # fmt: skip
    assert code == 0 and figure.stat().st_size > 10_000
    code, _, err = _run(["synth", "plot", str(dataset), "--plot", str(figure), "--curves", "x"],
                        capsys)  # fmt: skip
    assert code == 2 and "--curves" in err


def test_plot_with_curves_of_the_data_set_model(dataset, capsys, tmp_path):
    """Pure-iron and pure-water curves solved with the data set's own preset (seager2007)."""
    figure = tmp_path / "mr_model.png"
    code, out, _ = _run(["synth", "plot", str(dataset), "--plot", str(figure)], capsys)
    assert code == 0 and figure.stat().st_size > 10_000 and "wrote" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--prior", "martian"], "neither a built-in prior"),
        (["--n", "0"], "n = 0"),
        (["--n", "-5"], "n = -5"),
        (["--model", "zeng"], "model"),
        (["--workers", "0"], "workers"),
    ],
)
def test_bad_input_exit_code_2(extra, message, capsys, tmp_path):
    code, _, err = _run([*GENERATE, "--out", str(tmp_path / "x"), *extra], capsys)
    assert code == 2 and message in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_malformed_config_exit_code_2(capsys, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('name = "bad"\n[mass]\ndistribution = "uniform"\nlow = 3\nhigh = 1\n')
    code, _, err = _run([*GENERATE, "--out", str(tmp_path / "x"), "--prior", str(config)], capsys)
    assert code == 2 and "low < high" in err


def test_directory_of_another_job_exit_code_2(dataset, capsys):
    before = {p.name: p.read_bytes() for p in dataset.iterdir()}
    code, _, err = _run([*GENERATE, "--seed", "6", "--out", str(dataset)], capsys)
    assert code == 2 and "another job" in err and "seed" in err
    assert before == {p.name: p.read_bytes() for p in dataset.iterdir()}
    assert store.read_manifest(dataset)["seed"] == 5


def test_info_of_a_directory_without_manifest(capsys, tmp_path):
    code, _, err = _run(["synth", "info", str(tmp_path)], capsys)
    assert code == 2 and "manifest.json" in err


def test_resume_with_progress_bar_keeps_stdout_json(dataset, capsys):
    """A finished job run again writes nothing; the progress bar goes to stderr, not stdout."""
    argv = [arg for arg in GENERATE if arg != "--quiet"]
    code, out, _ = _run([*argv, "--out", str(dataset), "--json"], capsys)
    summary = json.loads(out)
    assert code == 0 and summary["parts_written"] == 0 and summary["parts_skipped"] == 2


def test_old_spellings_still_work_with_a_warning(dataset, capsys, tmp_path):
    """`synth plot --out` (renamed --plot, one vocabulary): works for one release, one line."""
    figure = tmp_path / "old.png"
    code, _, err = _run(["synth", "plot", str(dataset), "--out", str(figure), "--curves", "none"],
                        capsys)  # fmt: skip
    assert code == 0 and figure.stat().st_size > 0
    assert err.strip() == "warning: --out is renamed --plot; the old spelling goes in the next release"
