"""Every --json output is strict JSON (no bare NaN or Infinity) and one-line CLI errors."""

import ast
from pathlib import Path

import numpy as np
import pytest

from planetinfer import jsonout
from planetinfer.cli.main import main

CLI_DIR = Path(__file__).resolve().parents[2] / "src" / "planetinfer" / "cli"


def _run(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def _profile(tmp_path):
    path = tmp_path / "uranus.csv"
    r = np.linspace(0.0, 25_362e3, 40)
    np.savetxt(path, np.column_stack([r, 1300.0 * (1.2 - (r / r[-1]) ** 2)]), delimiter=",",
               header="radius_m,density_kg_m3", comments="")  # fmt: skip
    return str(path)


COMMANDS = {
    "interior predict": ["interior", "predict", "--mass", "1", "--radius", "1", "--teq", "255",
                         "--samples", "500", "--json"],
    "interior predict, no valid draw": ["interior", "predict", "--mass", "30", "--radius", "5",
                                        "--teq", "500", "--mass-err", "0.1", "--samples", "200",
                                        "--draws", "20", "--json"],
    "mrf predict": ["mrf", "predict", "--radius", "2", "--flux", "100", "--json"],
    "escape rate, Roche overflow": ["escape", "rate", "--mstar", "0.7", "--teq", "1000", "--feuv",
                                    "1e4", "--mass", "9", "--radius", "3", "--a-au", "0.005",
                                    "--json"],
    "escape evolve": ["escape", "evolve", "--mstar", "0.5", "--a-au", "0.0151", "--mass", "9",
                      "--envelope", "0.03", "--method", "energy-limited", "--json"],
    "gravity tof, impossible spin": ["gravity", "tof", "--mass", "14.5", "--radius", "3.98",
                                     "--period", "0.1667", "--json"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(COMMANDS))
def test_json_parses_strictly(name, capsys, tmp_path):
    argv = list(COMMANDS[name])
    if argv[0] == "gravity":
        argv += ["--profile", _profile(tmp_path)]
    code, out, _ = _run(argv, capsys)
    assert code == 0
    jsonout.loads_strict(out)


def test_no_command_writes_json_without_the_strict_writer():
    """Every json.dumps in the CLI goes through planetinfer.jsonout (static check)."""
    for path in CLI_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "dumps":
                assert isinstance(node.value, ast.Name) and node.value.id == "jsonout", path


@pytest.mark.parametrize(
    "argv",
    [["structure", "--mass", "abc"], ["interior", "predict", "--nonsense", "1"],
     ["interior", "nope"], ["nope"], ["escape", "rate", "--mstar", "1"],
     ["mrf", "predict", "--samples", "x"]],
)  # fmt: skip
def test_command_line_errors_are_one_line_and_exit_2(argv, capsys):
    code, _, err = _run(argv, capsys)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["interior", "train", "--data", "x", "--out", "y", "--epochs", "0"],
     ["interior", "train", "--data", "x", "--out", "y", "--learning-rate", "nan"],
     ["interior", "train", "--data", "x", "--out", "y", "--width", "-1"],
     ["interior", "calibrate", "--model", "interior_mass_radius", "--data", "x", "--out", "y",
      "--planets", "0"],
     ["interior", "validate", "--model", "interior_mass_radius", "--data", "x", "--out", "y",
      "--planets", "-1"],
     ["escape", "train", "--grid", "x", "--out", "y", "--steps", "0"]],
)  # fmt: skip
def test_numeric_options_are_validated_before_any_work(argv, capsys):
    code, _, err = _run(argv, capsys)
    option = next(
        a for a in argv if a.startswith("--") and a not in ("--data", "--out", "--model", "--grid")
    )
    assert code == 2 and option.lstrip("-").replace("-", "_") in err


@pytest.mark.parametrize(
    ("argv", "option"),
    [(["interior", "predict", "--mass", "1", "--radius", "1", "--plot", "{dir}"], "--plot"),
     (["interior", "predict", "--mass", "1", "--radius", "1", "--plot", "{dir}/c.xyz"], "--plot"),
     (["mrf", "predict", "--radius", "2", "--flux", "10", "--out", "{dir}/p.txt"], "--out"),
     (["structure", "--mass", "1", "--profile", "{dir}/p.txt"], "--profile"),
     (["escape", "evolve", "--mstar", "0.5", "--a-au", "0.02", "--mass", "9", "--envelope", "0.03",
       "--out", "{dir}/t.xlsx"], "--out"),
     (["characterise", "--radius", "2", "--mstar", "1", "--a-au", "0.1", "--out", "{dir}/r.txt"],
      "--out"),
     (["mrf", "fit", "--catalog", "{dir}/none.csv", "--out", "{dir}"], "--out")],
)  # fmt: skip
def test_output_paths_are_checked_before_the_work(argv, option, capsys, tmp_path):
    code, _, err = _run([a.replace("{dir}", str(tmp_path)) for a in argv], capsys)
    assert code == 2 and err.startswith(f"error: {option}") and err.count("\n") == 1


def test_missing_parent_folders_are_created(capsys, tmp_path):
    target = tmp_path / "new" / "sub" / "pred.json"
    code, _, _ = _run(["mrf", "predict", "--radius", "2", "--flux", "10", "--out", str(target)],
                      capsys)  # fmt: skip
    assert code == 0 and target.is_file()
