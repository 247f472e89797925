"""characterise --all: skipped rows with reasons, resumable runs, the index page; the snapshot."""

import json

import pandas as pd
import pytest

from planetinfer.characterisation.catalogue import run_catalogue
from planetinfer.cli.main import main

SMALL = {"draws": 100, "samples": 1000, "tracks": 4}


def test_catalogue_run_flags_bad_rows_and_resumes(catalog, tmp_path):
    out = tmp_path / "run"
    first = run_catalogue(catalog, out, chunk=2, **SMALL)
    summary = pd.read_parquet(out / "summary.parquet")
    assert first["planets"] == len(summary) == 6  # Giant e is above 25 M_E: not selected
    skipped = summary[summary["status"] == "skipped"].set_index("planet")["reason"]
    assert "pl_rade" in skipped["NoRadius f"] and "st_mass" in skipped["NoStar g"]
    page = (out / "index.html").read_text()
    assert "http://" not in page and "https://" not in page and "Gas b" in page
    parts = sorted((out / "parts").glob("part-*.parquet"))
    kept = {p: p.stat().st_mtime_ns for p in parts[1:]}
    parts[0].unlink()  # a run killed before this chunk finished
    again = run_catalogue(catalog, out, chunk=2, **SMALL)
    assert again == first
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())  # finished chunks not redone
    with pytest.raises(Exception, match="other settings"):
        run_catalogue(catalog, out, chunk=2, draws=200, samples=1000, tracks=4)


def test_cli_one_planet_and_catalogue(catalog, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["characterise", "Gas b", "--catalog", str(catalog), "--draws", "100", "--samples",
              "1000", "--tracks", "4", "--json", "--out", str(tmp_path / "r.html")])  # fmt: skip
    assert info.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["planet"] == "Gas b" and (tmp_path / "r.html").stat().st_size > 0
    with pytest.raises(SystemExit) as info:
        main(["characterise", "--catalog", str(catalog), "--all", "--out", str(tmp_path / "all"),
              "--limit", "2", "--draws", "100", "--samples", "1000", "--tracks", "4",
              "--quiet", "--json"])  # fmt: skip
    assert info.value.code == 0 and json.loads(capsys.readouterr().out)["planets"] == 2


def test_documented_examples_from_the_snapshot(shared_data):
    """docs/characterise.md: the four example planets' statuses (2025-08 snapshot)."""
    import planetinfer

    path = shared_data / "exoplanet_archive" / "nasa_pscomppars_2025-08.csv"
    reports = {name: planetinfer.characterise(name, catalog=path).to_dict()
               for name in ("GJ 1214 b", "TOI-270 d", "HD 209458 b", "TRAPPIST-1 e")}  # fmt: skip
    gj = reports["GJ 1214 b"]
    assert gj["mass"]["kind"] == "measured" and gj["interior"]["p_no_envelope"] < 0.01
    assert 0.02 < gj["interior"]["envelope_mass_fraction"]["p50"] < 0.07
    assert reports["HD 209458 b"]["interior"]["status"] == "no_valid_draws"
    assert "no H/He envelope to lose" in reports["TRAPPIST-1 e"]["escape"]["reason"]
    assert reports["TOI-270 d"]["interior"]["p_no_envelope"] < 0.2


def test_population_figures_with_no_envelope_lost():
    """A catalogue where no planet loses its envelope (every lifetime NaN) still gets its index
    figures: the lifetime panel says why it is empty (log axes need data)."""
    import numpy as np
    import pandas as pd

    from planetinfer.plots import characterisation as plots

    table = pd.DataFrame({"flux": [20.7], "lifetime_p50_gyr_network": [np.nan],
                          "mass_p50": [np.nan], "radius": [2.7], "interior_status": ["ok"],
                          "p_no_envelope": [0.1]})  # fmt: skip
    fig, ax = plots.population_lifetime(table)
    fig.canvas.draw()
    assert "no planet loses its envelope" in ax.texts[0].get_text()
    fig, ax = plots.population_mass_radius(table, {})
    fig.canvas.draw()
