"""`planetinfer structure` and `structure curve`: JSON keys, files, exit code 2 on bad input."""

import json

import numpy as np
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
    assert {"radius_m", "mass_kg", "pressure_pa", "density_kg_m3", "temperature_k",
            "gravity_m_s2", "layer"} <= set(profile)  # fmt: skip
    assert set(profile["layer"]) == {"core", "mantle"}  # the empty water and envelope left out
    assert profile["radius_m"].max() == pytest.approx(result["radius_earth"] * 6.3781e6, rel=1e-9)
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
        # options of `structure` before `curve` would be ignored: refused instead
        ["structure", "--core", "0.9", "--mantle", "0.1", "curve", "--n", "2"],
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


def test_a_structure_profile_feeds_gravity_tof(capsys, tmp_path):
    """`structure --profile` is what `gravity tof --profile` reads. For Earth's composition spun
    at the sidereal day, the theory of figures' J2 must equal k2 q / 3, the first-order relation
    between the fluid Love number and J2 (Munk & MacDonald 1960; the reference sheet's secular
    3 J2 / q), with k2 from the structure solver: two independent codes, 1 % (the neglected
    O(q) terms are ~0.3 %)."""
    profile = tmp_path / "earth.csv"
    code, out, _ = _run(["structure", "--mass", "1", "--json", "--profile", str(profile)], capsys)
    assert code == 0
    earth = json.loads(out)
    code, out, _ = _run(["gravity", "tof", "--profile", str(profile), "--mass", "1",
                         "--radius", repr(earth["radius_earth"]), "--period", "23.9345",
                         "--json"], capsys)  # fmt: skip
    assert code == 0
    field = json.loads(out)
    assert field["converged"]
    assert field["profile_mass_over_mass"] == pytest.approx(1.0, abs=2e-3)
    omega = 2.0 * 3.141592653589793 / (23.9345 * 3600.0)
    q = omega**2 * (earth["radius_earth"] * 6.3781e6) ** 3 / 3.986004e14
    assert field["J2"] == pytest.approx(earth["k2"] * q / 3.0, rel=0.01)
    assert field["nmoi"] == pytest.approx(earth["moment_of_inertia"], rel=0.01)


def test_a_failed_solve_exits_1_without_figure(capsys, tmp_path):
    """A hot, light planet with a thick envelope has no bound atmosphere (status 5): the JSON
    says so, the error line names the reason, and no figure or profile is written."""
    argv = ["structure", "--mass", "2.34035", "--core", "0.127676", "--mantle", "0.396145",
            "--water", "0.317118", "--envelope", "0.159061", "--teq", "1276.16",
            "--envelope-model", "teq", "--json", "--plot", str(tmp_path / "f.png"),
            "--profile", str(tmp_path / "f.csv")]  # fmt: skip
    code, out, err = _run(argv, capsys)
    assert code == 1
    assert json.loads(out)["status_code"] == 5
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "unbound" in errors[0]
    assert not (tmp_path / "f.png").exists() and not (tmp_path / "f.csv").exists()


def test_an_envelope_beyond_its_sonic_point_is_not_physical(capsys):
    """0.27 M_E with 38 % H/He at 1470 K converges to a radius of hundreds of R_E and k2 above
    3/2: the result carries physical = false and the reasons, and the CLI warns."""
    argv = ["structure", "--mass", "0.274663", "--core", "0.146931", "--mantle", "0.464556",
            "--water", "0.01138", "--envelope", "0.377133", "--teq", "1470.34",
            "--envelope-model", "teq", "--json"]  # fmt: skip
    code, out, err = _run(argv, capsys)
    result = json.loads(out)
    assert code == 0 and result["status"] == "ok"
    assert result["physical"] is False
    assert any("sonic point" in w for w in result["warnings"])
    assert "warning:" in err and "sonic point" in err
    code, out, err = _run(["structure", "--mass", "1", "--json"], capsys)
    assert json.loads(out)["physical"] is True and "warnings" not in json.loads(out)


def test_teq_envelope_profile_reaches_the_transit_radius(capsys, tmp_path):
    """With the Teq envelope the profile continues through the isothermal layer up to the
    reported radius at 100 mbar, and those rows are hydrostatic: dP/dr = -rho g within 2 %
    (finite differences on 24 rows)."""
    profile = tmp_path / "p.csv"
    code, out, _ = _run(["structure", "--mass", "5", "--core", "0.3", "--mantle", "0.6",
                         "--water", "0.08", "--envelope", "0.02", "--teq", "800",
                         "--envelope-model", "teq", "--json", "--profile", str(profile)],
                        capsys)  # fmt: skip
    assert code == 0
    table = pd.read_csv(profile)
    top = table[table["layer"] == "envelope"].tail(24)
    assert top["radius_m"].iloc[-1] == pytest.approx(json.loads(out)["radius_earth"] * 6.3781e6,
                                                     rel=1e-9)  # fmt: skip
    assert top["pressure_pa"].iloc[-1] == pytest.approx(1.0e4)
    assert (top["temperature_k"] == 800.0).all()
    r, p = top["radius_m"].to_numpy(), top["pressure_pa"].to_numpy()
    rho_g = (top["density_kg_m3"] * top["gravity_m_s2"]).to_numpy()
    slope = np.diff(np.log(p)) / np.diff(r)  # d ln P / dr = -rho g / P
    expected = -0.5 * (rho_g[1:] / p[1:] + rho_g[:-1] / p[:-1])
    np.testing.assert_allclose(slope, expected, rtol=0.02)
    # below the RCB (100 bar) the envelope follows its adiabat T = Teq (rho/rho_rcb)^(gamma - 1)
    # (eos/envelope.py, gamma_ad = 1.429 for ideal H2 + He at X = 0.71), not Teq
    deep = table[(table["layer"] == "envelope") & (table["pressure_pa"] > 1.5e7)]
    assert len(deep) > 10 and (deep["temperature_k"] > 800.0).all()
    log_t, log_rho = np.log(deep["temperature_k"]), np.log(deep["density_kg_m3"])
    moles_h2, moles_he = 0.71 / 2.016, 0.29 / 4.0026  # per gram; C_v = 5/2 R (H2), 3/2 R (He)
    gamma_minus_one = (moles_h2 + moles_he) / (2.5 * moles_h2 + 1.5 * moles_he)  # 0.4293
    np.testing.assert_allclose(np.diff(log_t) / np.diff(log_rho), gamma_minus_one, rtol=1e-3)


def test_bare_structure_shows_its_help_like_the_other_groups(capsys):
    """`planetinfer structure` alone prints its help (as `planetinfer mrf` does, with the same exit
    code) instead of an error about --mass; with any option given, the missing --mass is named."""
    code, out, _ = _run(["structure"], capsys)
    other, _, _ = _run(["mrf"], capsys)
    assert code == other == 2 and "Usage: planetinfer structure" in out and "--mass" in out
    code, _, err = _run(["structure", "--core", "0.3"], capsys)
    assert code == 2 and err.startswith("error: --mass is required")
