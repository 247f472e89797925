"""`planetinfer structure` and `structure curve`: JSON keys, files, exit code 2 on bad input."""

import json

import pandas as pd
import pytest

from planetinfer.cli.main import main


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_json_output_has_the_documented_keys(capsys, tmp_path):
    code, out, _ = _run(
        ["structure", "--mass", "1", "--core", "0.325", "--mantle", "0.675", "--water", "0",
         "--envelope", "0", "--teq", "255", "--json", "--profile", str(tmp_path / "p.csv"),
         "--plot", str(tmp_path / "p.png")],
        capsys,
    )  # fmt: skip
    assert code == 0
    result = json.loads(out)
    for key in ("radius_earth", "k2", "moment_of_inertia", "central_pressure_pa",
                "radius_fractions", "status"):  # fmt: skip
        assert key in result
    assert result["status"] == "ok"
    assert result["radius_earth"] == pytest.approx(0.99, abs=0.02)
    profile = pd.read_csv(tmp_path / "p.csv")
    assert {"radius", "pressure", "density", "temperature", "gravity", "layer"} <= set(profile)
    assert (tmp_path / "p.png").stat().st_size > 0


@pytest.mark.parametrize(
    "argv",
    [
        ["structure", "--mass", "1", "--core", "0.5", "--mantle", "0.6"],
        ["structure", "--mass", "0", "--core", "0.3", "--mantle", "0.7"],
        ["structure", "--mass", "1", "--core", "-0.1", "--mantle", "1.1"],
        ["structure", "--mass", "1", "--teq", "0"],
        ["structure", "--mass", "nan"],
        ["structure", "--mass", "1", "--model", "nonsense"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv, capsys):
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_curve_prints_zeng_reference(capsys, tmp_path):
    code, out, _ = _run(
        ["structure", "curve", "--core", "0.325", "--mantle", "0.675", "--mass-min", "1",
         "--mass-max", "10", "--n", "3", "--model", "seager2007", "--out", str(tmp_path / "c.csv"),
         "--plot", str(tmp_path / "mr.png")],
        capsys,
    )  # fmt: skip
    assert code == 0
    assert "Zeng19" in out
    curve = pd.read_csv(tmp_path / "c.csv")
    assert len(curve) == 3 and curve["radius_earth"].is_monotonic_increasing
    assert (tmp_path / "mr.png").stat().st_size > 0
