"""`planetinfer interior predict`: JSON output, figure, catalogue rows, one-line errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planetinfer.cli.main import main


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_predict_json_has_every_fraction_and_flags(tiny_model, capsys, tmp_path):
    model = str(tiny_model[0])
    code, out, _ = _run(["interior", "predict", "--mass", "1", "--radius", "1", "--teq", "255",
                         "--mass-err", "0.05", "--radius-err", "0.02", "--samples", "2000",
                         "--model", model, "--json", "--plot", str(tmp_path / "c.png")], capsys)  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    result = payload["planets"][0]
    assert payload["model"]["inputs"] == ["mass", "radius", "teq"]
    assert result["inputs"]["mass"] == 1.0 and result["status"] == "ok"
    for layer in ("core", "mantle", "water", "envelope"):
        for kind in ("mass", "radius"):
            assert set(result[f"{layer}_{kind}_fraction"]) == {"p2.5", "p16", "p50", "p84", "p97.5"}
    assert 0 <= result["p_no_water"] <= 1 and 0 <= result["p_no_envelope"] <= 1
    assert result["in_domain"] is True
    assert (tmp_path / "c.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--mass", "-1", "--radius", "1", "--teq", "255"], "mass (planet) = -1 M_E"),
     (["--mass", "1", "--radius", "0.5", "--teq", "255"], "radius"),
     (["--mass", "1", "--radius", "nan", "--teq", "255"], "radius (planet) = nan R_E"),
     (["--mass", "1", "--radius", "1", "--teq", "-5"], "teq (planet) = -5 K")],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_code_2(tiny_model, capsys, args, field):
    """One line naming the field, its value and unit, exit code 2."""
    code, _, err = _run(["interior", "predict", *args, "--model", str(tiny_model[0])], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"error: {field}")


def test_catalogue_unknown_planet_is_flagged_not_fatal(tiny_model, capsys, tmp_path):
    catalog = tmp_path / "cat.csv"
    pd.DataFrame({
        "pl_name": ["Test b"], "pl_bmasse": [2.0], "pl_bmasseerr1": [0.1], "pl_bmasseerr2": [-0.1],
        "pl_rade": [1.3], "pl_radeerr1": [0.03], "pl_radeerr2": [-0.02], "pl_eqt": [600.0],
        "pl_eqterr1": [20.0], "pl_eqterr2": [-20.0],
    }).to_csv(catalog, index=False)  # fmt: skip
    out = tmp_path / "r.parquet"
    code, stdout, err = _run(["interior", "predict", "--catalog", str(catalog), "--planets",
                              "Test b,Nowhere 9 z", "--model", str(tiny_model[0]), "--samples",
                              "500", "--draws", "100", "--out", str(out), "--json"], capsys)  # fmt: skip
    assert code == 0 and "Nowhere 9 z" in err
    rows = json.loads(stdout)["planets"]
    assert rows[0]["name"] == "Test b" and "reason" not in rows[0]
    # the catalogue's values are echoed as used (split errors kept)
    assert rows[0]["inputs"]["mass"] == 2.0 and rows[0]["inputs"]["radius_err"] == 0.03
    assert rows[0]["inputs"]["radius_err_lower"] == 0.02
    assert "not in the catalog" in rows[1]["reason"] and rows[1]["status"] == "invalid_input"
    table = pd.read_parquet(out)
    assert list(table.index) == ["Test b", "Nowhere 9 z"]
    assert "core_mass_fraction_p50" in table.columns
    # the repeatable --planet (as in mrf predict) names the same planets
    code, again, _ = _run(["interior", "predict", "--catalog", str(catalog), "--planet", "Test b",
                           "--planet", "Nowhere 9 z", "--model", str(tiny_model[0]), "--samples",
                           "500", "--draws", "100", "--json"], capsys)  # fmt: skip
    assert code == 0 and [p["name"] for p in json.loads(again)["planets"]] == ["Test b",
                                                                             "Nowhere 9 z"]
    assert json.loads(again)["planets"][0]["inputs"] == rows[0]["inputs"]


def test_catalogue_all_planets_keeps_summaries_and_reasons(tiny_model, capsys, tmp_path):
    """--planets all: every planet with a mass and a radius, in catalogue order; a row without
    Teq gets its reason; the result holds summaries, not samples."""
    catalog = tmp_path / "cat.csv"
    pd.DataFrame({
        "pl_name": ["A b", "B c", "C d"], "pl_bmasse": [2.0, 5.0, None],
        "pl_bmasseerr1": [0.1, 0.3, None], "pl_bmasseerr2": [-0.1, -0.3, None],
        "pl_rade": [1.3, 2.2, 1.0], "pl_radeerr1": [0.03, 0.05, 0.1],
        "pl_radeerr2": [-0.02, -0.05, -0.1], "pl_eqt": [600.0, None, 300.0],
        "pl_eqterr1": [20.0, None, 5.0], "pl_eqterr2": [-20.0, None, -5.0],
    }).to_csv(catalog, index=False)  # fmt: skip
    code, stdout, err = _run(["interior", "predict", "--catalog", str(catalog), "--planets", "all",
                              "--model", str(tiny_model[0]), "--samples", "300", "--draws", "50",
                              "--json"], capsys)  # fmt: skip
    assert code == 0
    rows = json.loads(stdout)["planets"]
    assert [r["name"] for r in rows] == ["A b", "B c"]  # C d has no mass
    assert rows[0]["status"] == "ok" and rows[0]["core_mass_fraction"]["p50"] is not None
    assert rows[1]["status"] == "invalid_input" and "pl_eqt" in rows[1]["reason"]
    assert "B c" in err


def test_validation_report_prints_its_table(tiny_model, solved_planets, tmp_path):
    """`interior validate` without --json prints the NLL table and the coverage it promises."""
    from planetinfer.cli.interior import _validation_table
    from planetinfer.interior import data, store
    from planetinfer.interior import validate as V

    report = V.report(store.load(tiny_model[0]), data.load(solved_planets[0]), tmp_path,
                      n_planets=20, n_samples=50)  # fmt: skip
    text = _validation_table(report, tmp_path)
    assert "tiny" in text and "null" in text and "core_mass_fraction" in text
    nll = next(row for row in report["nll_table"] if row["name"] == "tiny")["nll_own_space"]
    assert f"{nll:9.3f}" in text
    assert (tmp_path / "report.json").exists() and (tmp_path / "predicted_vs_true.png").exists()
