"""`planetinfer escape` commands: JSON keys, plots, exit code 2 on bad input, licence in help."""

import json

import pytest

from planetinfer.cli.main import main
from planetinfer.escape import model_store

RATE = [
    "escape",
    "rate",
    "--mstar",
    "0.7",
    "--teq",
    "1000",
    "--feuv",
    "1e4",
    "--mass",
    "9",
    "--radius",
    "3",
    "--a-au",
    "0.0151",
]


def _run(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def test_rate_json_analytic(capsys):
    code, out, _ = _run(RATE + ["--method", "energy-limited", "--json"], capsys)
    data = json.loads(out)["planets"][0]
    assert code == 0
    for key in ("jeans_parameter", "roche_radius_rpl", "k_tidal"):
        assert key in data
    assert data["energy-limited"]["mdot_g_s"] > 0
    # every number says its unit: in its key's suffix or in the units block
    units = json.loads(out)["units"]
    for key, value in data.items():
        if isinstance(value, float):
            assert key.endswith(("_pa", "_g_s")) or key in units, key
    for key in data["inputs"]:
        assert key in units, key


@pytest.mark.skipif(not model_store.shipped_header_path().is_file(), reason="no shipped network")
def test_rate_json_all_methods_with_network(capsys, tmp_path):
    code, out, _ = _run(RATE + ["--json", "--plot", str(tmp_path / "r.png")], capsys)
    data = json.loads(out)["planets"][0]
    assert code == 0 and (tmp_path / "r.png").stat().st_size > 0
    for method in ("network", "energy-limited", "core-powered", "roche", "k18"):
        assert method in data
    assert isinstance(data["network"]["in_domain"], bool)
    # off-grid star mass: flagged, not silently extrapolated
    code, out, _ = _run([*RATE[:3], "3.0", *RATE[4:], "--method", "network", "--json"], capsys)
    assert json.loads(out)["planets"][0]["network"]["in_domain"] is False


@pytest.mark.parametrize(
    ("option", "value"), [("--feuv", "-1"), ("--mass", "-9"), ("--radius", "0")]
)
def test_rate_bad_input_exit_code_2(capsys, option, value):
    argv = list(RATE)
    argv[argv.index(option) + 1] = value
    code, _, err = _run(argv, capsys)
    assert code == 2 and option.lstrip("-") in err


def test_rate_help_mentions_licence(capsys):
    code, out, _ = _run(["escape", "rate", "--help"], capsys)
    assert code == 0 and "CC BY-NC 4.0" in out


def test_evolve_json_and_outputs(capsys, tmp_path):
    argv = [
        "escape",
        "evolve",
        "--mstar",
        "0.5",
        "--a-au",
        "0.0151",
        "--mass",
        "9",
        "--envelope",
        "0.03",
        "--method",
        "energy-limited,core-powered",
        "--json",
        "--plot",
        str(tmp_path / "t.png"),
        "--out",
        str(tmp_path / "t.csv"),
    ]
    code, out, _ = _run(argv, capsys)
    data = json.loads(out)
    assert code == 0 and set(data["methods"]) == {"energy-limited", "core-powered"}
    assert "main-sequence" in data["stellar_model"]  # no --grid: said, not silently switched
    assert data["methods"]["energy-limited"]["envelope_lost_at_gyr"] < 1.0
    assert (tmp_path / "t.png").stat().st_size > 0 and (tmp_path / "t.csv").stat().st_size > 0


def test_evolve_old_fenv_spelling_and_all_without_grid(capsys):
    """--fenv still works for one release (with its warning) and gives what --envelope gives;
    --method all without --grid says that it leaves out the grid interpolators."""
    base = ["escape", "evolve", "--mstar", "0.5", "--a-au", "0.0151", "--mass", "9", "--json"]
    code, new, _ = _run([*base, "--envelope", "0.03", "--method", "energy-limited"], capsys)
    code_old, old, err = _run([*base, "--fenv", "0.03", "--method", "energy-limited"], capsys)
    assert code == code_old == 0 and json.loads(old) == json.loads(new)
    assert "--fenv is renamed --envelope" in err
    code, out, err = _run([*base, "--envelope", "0.03", "--method", "all"], capsys)
    assert code == 0 and "rbf and nested_1d left out" in err
    assert not {"rbf", "nested_1d"} & set(json.loads(out)["methods"])


def test_evaluate_rejects_bad_protocol_and_grid(capsys, tmp_path):
    code, _, err = _run(
        ["escape", "evaluate", "--grid", str(tmp_path), "--protocol", "random"], capsys
    )
    assert code == 2 and "protocol" in err
    bad = tmp_path / "g.dat"
    bad.write_text("1 2 3\n4 5 6\n")
    code, _, err = _run(["escape", "evaluate", "--grid", str(bad)], capsys)
    assert code == 2 and "columns" in err


def test_evaluate_prints_scores_and_oracle_bound(capsys, tmp_path, shared_data):
    # a one-star subset of the grid (M* = 0.8 M_sun) keeps the run to seconds
    from planetinfer.escape import grid

    source = grid.load_grid(shared_data / "kubyshkina_fossati_2021")
    subset = source[source["mstar_msun"] == 0.8][list(grid.COLUMNS)]
    path = tmp_path / "subset.dat"
    path.write_text(subset.to_csv(sep=" ", header=False, index=False))
    argv = ["escape", "evaluate", "--grid", str(path), "--protocol", "feuv-out"]
    argv += ["--methods", "nested_1d,rbf", "--quiet"]
    code, out, _ = _run(argv, capsys)
    assert code == 0 and "within x2 if each node's mean bias were known" in out
    assert "rows every method misses by more than 1 dex" in out
    code, out, _ = _run(argv + ["--json"], capsys)
    summary = json.loads(out)
    for method in ("nested_1d", "rbf"):
        entry = summary["feuv-out"][method]
        # the oracle bound's arithmetic is tested in test_evaluate.py; here: reported per method
        assert 0.0 < entry["within_factor_2_node_bias_removed"] <= 1.0
    assert isinstance(summary["missed_by_every_method"]["feuv-out"], list)
