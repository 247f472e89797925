"""`planetinfer gravity` commands: JSON output, figures and exit code 2 on bad input."""

import json

import numpy as np
import pandas as pd
import pytest

from planetinfer.cli.main import main

TOF = [
    "gravity",
    "tof",
    "--mass",
    "14.536",  # Uranus, 8.681e25 kg
    "--radius",
    "3.9765",  # 25,362 km
    "--period",
    "17.24",
    "--levels",
    "64",
]


def _write(path, radius, rho):
    pd.DataFrame({"radius_m": radius, "density_kg_m3": rho}).to_csv(path, index=False)
    return str(path)


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return exc.value.code, capsys.readouterr()


def test_tof_json_and_plot(tmp_path, capsys):
    r = np.linspace(0, 25362e3, 50)
    path = _write(tmp_path / "p.csv", r[::-1], np.full(50, 1326.0))  # rows in any order
    code, out = _run([*TOF, "--profile", path, "--json", "--plot", str(tmp_path / "f.png")], capsys)
    assert code == 0
    result = json.loads(out.out)
    # uniform density: Maclaurin J2 = 1.44e-2 normalised to R_m at m = 0.02886 (ToF4)
    assert result["J2"] == pytest.approx(1.4646e-2, rel=2e-3)
    assert result["nmoi"] == pytest.approx(0.41, abs=0.01)
    assert (tmp_path / "f.png").stat().st_size > 0


@pytest.mark.parametrize(
    "radius, rho, message",
    [
        (np.linspace(0, 1e7, 5), [5000, 4000, 4500, 2000, 100], "must not increase outward"),
        (np.linspace(0, 1e7, 5), [5000, 4000, 3000, -2, -3], "outside the valid range"),
    ],
)
def test_tof_bad_profiles(tmp_path, capsys, radius, rho, message):
    path = _write(tmp_path / "bad.csv", radius, rho)
    code, out = _run([*TOF, "--profile", path], capsys)
    assert code == 2 and message in out.err


def test_tof_bad_columns_and_period(tmp_path, capsys):
    path = tmp_path / "c.csv"
    pd.DataFrame({"r": [0, 1], "density_kg_m3": [2, 1]}).to_csv(path, index=False)
    code, out = _run([*TOF, "--profile", str(path)], capsys)
    assert code == 2 and "radius_m" in out.err
    good = _write(tmp_path / "g.csv", [0, 1e7], [2000, 100])
    argv = [*TOF, "--profile", good]
    argv[argv.index("17.24")] = "0"
    code, out = _run(argv, capsys)
    assert code == 2 and "period = 0 h" in out.err


def test_tof_old_si_spellings_agree(tmp_path, capsys):
    """--mass-kg/--radius-m/--period-s (one release, with a warning) give the same figure."""
    r = np.linspace(0, 25362e3, 50)
    path = _write(tmp_path / "p.csv", r, np.full(50, 1326.0))
    code, new = _run([*TOF, "--profile", path, "--json"], capsys)
    assert code == 0
    from planetinfer.constants import M_EARTH, R_EARTH

    old = ["gravity", "tof", "--mass-kg", repr(14.536 * M_EARTH), "--radius-m",
           repr(3.9765 * R_EARTH), "--period-s", repr(17.24 * 3600), "--levels", "64"]  # fmt: skip
    code, again = _run([*old, "--profile", path, "--json"], capsys)
    assert code == 0 and "--mass-kg is renamed --mass" in again.err
    assert json.loads(again.out)["J2"] == pytest.approx(json.loads(new.out)["J2"], rel=1e-9)


def test_sample_unknown_planet(tmp_path, capsys):
    code, out = _run(
        [
            "gravity",
            "sample",
            "--planet",
            "vulcan",
            "--runs",
            "2",
            "--out",
            str(tmp_path / "x.zarr"),
        ],
        capsys,
    )
    assert code == 2 and "vulcan" in out.err


def test_sample_then_analyze(tmp_path, capsys):
    store = str(tmp_path / "n.zarr")
    code, out = _run(
        [
            "gravity",
            "sample",
            "--planet",
            "neptune",
            "--runs",
            "4",
            "--out",
            store,
            "--levels",
            "32",
            "--batch-size",
            "2",
            "--chunk-runs",
            "2",
            "--max-epochs",
            "2",
            "--quiet",
            "--json",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out.out)["new_runs"] == 4
    code, out = _run(
        ["gravity", "analyze", store, "--out", str(tmp_path / "fig"), "--json"], capsys
    )
    assert code == 0
    result = json.loads(out.out)
    assert result["summary"]["runs"] == 4
    assert (tmp_path / "fig" / "summary.json").exists()
    # provenance: the version, the levels and the criterion the counts depend on
    assert result["n_levels"] == 32 and result["c_d_kg_m3_per_level"] == 100.0
    assert result["planetinfer_version"]
    # four runs are far too few for the paper's statistics: said on stderr and in the summary
    assert "accepted profiles: density peaks" in result["small_sample_warning"]
    assert out.err.count("warning: only") == 1
