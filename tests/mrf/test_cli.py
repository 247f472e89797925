"""`planetinfer mrf ...` command line: JSON output, plots and one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest

from planetinfer.cli.main import main

SNAPSHOT = "exoplanet_archive/nasa_pscomppars_2024-10-15.csv"


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_predict_json_has_issue_fields(capsys, tmp_path):
    code, out, _ = run(
        [
            "mrf",
            "predict",
            "--radius",
            "2.085",
            "--radius-err",
            "0.066",
            "--flux",
            "989.7",
            "--flux-err",
            "59",
            "--json",
            "--plot",
            str(tmp_path / "pred.png"),
        ],
        capsys,
    )
    assert code == 0
    payload = json.loads(out)["planets"][0]
    assert set(payload["mass_earth"]) == {"p2.5", "p16", "p50", "p84", "p97.5"}
    assert payload["in_domain"] is True
    assert (tmp_path / "pred.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--radius", "-1", "--flux", "10"], "radius"),
        (["--radius", "nan", "--flux", "10"], "radius"),
        (["--radius", "2"], "--flux"),
        # one error for two planets of different sizes: one per planet is needed
        (["--radius", "2", "--radius", "10", "--radius-err", "0.1", "--flux", "10", "--flux",
          "10"], "--radius-err"),
    ],
)
def test_predict_bad_input_exits_2(capsys, args, message):
    code, _, err = run(["mrf", "predict", *args], capsys)
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_predict_table_missing_columns(capsys, tmp_path):
    """radius and flux are required; the errors are optional (0 when absent)."""
    path = tmp_path / "t.csv"
    path.write_text("radius,radius_err\n2,0.1\n")
    code, _, err = run(["mrf", "predict", "--table", str(path)], capsys)
    assert code == 2 and "lacks the column(s) flux" in err
    path.write_text("radius,flux\n2,100\n")
    code, out, _ = run(["mrf", "predict", "--table", str(path)], capsys)
    assert code == 0 and out.startswith("row 1: M = ")


def test_predict_unknown_planet(capsys, shared_data):
    code, _, err = run(
        ["mrf", "predict", "--planet", "Kepler-99999 b", "--catalog", str(shared_data / SNAPSHOT)],
        capsys,
    )
    assert code == 2 and "not in the catalog" in err


def test_predict_by_planet_name(capsys, shared_data):
    code, out, _ = run(
        [
            "mrf",
            "predict",
            "--planet",
            "HR 858 b",
            "--catalog",
            str(shared_data / SNAPSHOT),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["planets"][0]["radius"] == pytest.approx(2.085, abs=1e-3)


def test_fit_rejects_empty_selection(capsys, shared_data, tmp_path):
    code, _, err = run(
        [
            "mrf",
            "fit",
            "--catalog",
            str(shared_data / SNAPSHOT),
            "--out",
            str(tmp_path / "p.nc"),
            "--max-year",
            "1990",
            "--quiet",
        ],
        capsys,
    )
    assert code == 2 and "planets after selection" in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--latents", "sideways", "latent_parameterisation"), ("--chain-method", "x", "chain_method")],
)
def test_fit_rejects_bad_sampler_options(capsys, tmp_path, option, value, message):
    code, _, err = run(
        ["mrf", "fit", "--catalog", "missing.csv", "--out", str(tmp_path / "p.nc"), option, value],
        capsys,
    )
    assert code == 2 and message in err


@pytest.mark.parametrize("size", [0, 5000])
def test_a_truncated_or_empty_posterior_is_one_line(capsys, tmp_path, size):
    """A posterior NetCDF cut short (or empty): one line naming the file, exit 2."""
    from planetinfer.mrf.shipped import shipped_dir

    path = tmp_path / "cut.nc"
    path.write_bytes((shipped_dir() / "mrf_posterior.nc").read_bytes()[:size])
    code, _, err = run(["mrf", "predict", "--radius", "2", "--flux", "100", "--posterior",
                        str(path)], capsys)  # fmt: skip
    assert code == 2 and err.startswith(f"error: posterior = {path} is not a readable")
    assert len(err.strip().splitlines()) == 1


def test_in_domain_looks_at_the_input_draws():
    """R = 2 +- 5 R_E reaches far outside the fitted radii (its 95 % mass interval spans three
    orders of magnitude): not in domain, although its central value is."""
    import warnings

    import planetinfer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wide = planetinfer.predict_mass(2.0, 100.0, radius_err=5.0)
    narrow = planetinfer.predict_mass(2.0, 100.0, radius_err=0.1)
    assert not wide.in_domain[0] and narrow.in_domain[0]


def test_predict_figure_warns_only_about_the_planets(capsys, tmp_path):
    """Two planets inside the fitted range: no domain warning, although the relation drawn in
    the figure runs outside it (that part is dashed instead)."""
    code, out, err = run(["mrf", "predict", "--radius", "2.085", "--radius", "1.2", "--flux",
                          "989.7", "--flux", "10", "--json", "--plot", str(tmp_path / "p.png")],
                         capsys)  # fmt: skip
    assert code == 0
    assert all(p["in_domain"] for p in json.loads(out)["planets"])
    assert "in_domain" not in err and "outside" not in err
