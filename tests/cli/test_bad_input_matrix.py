"""Every command, every numeric option: a value that is not a number, an unknown option and a
missing required option end in one line on stderr and exit code 2 (no traceback), through the
real entry point. Value errors (out of range) of the main commands as well."""

from __future__ import annotations

import pytest

from planetinfer.cli.introspect import commands
from planetinfer.cli.main import CAPABILITIES, main


def _kind(param) -> str:
    """"float", "integer", ...: from click's type, or from Typer's annotation (typer >= 0.2x
    parameters carry a type descriptor instead)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if annotation in (float, int):
        return {float: "float", int: "integer"}[annotation]
    return getattr(getattr(param, "type", None), "name", "")


def _filler(param, tmp_path) -> list[str]:
    """Arguments that satisfy a required parameter without being the one under test."""
    kind = _kind(param)
    value = "1" if kind in ("float", "integer") else str(tmp_path / "x")
    return [param.opts[0], value] if param.opts[0].startswith("-") else [value]


CASES = []
for path, command in commands():
    for param in command.params:
        if _kind(param) in ("float", "integer") and param.opts[0][:2] == "--":
            CASES.append((path, command, param))


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return exit_info.value.code, capsys.readouterr().err


@pytest.mark.parametrize("path, command, param", CASES,
                         ids=[f"{' '.join(p)} {q.opts[0]}" for p, _, q in CASES])  # fmt: skip
def test_a_non_number_is_one_line_and_exit_2(path, command, param, capsys, tmp_path):
    args = []
    for other in command.params:
        if other.required and other is not param:
            args += _filler(other, tmp_path)
    code, err = _run([*path, *args, param.opts[0], "abc"], capsys)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error:"), err
    assert "Traceback" not in err


@pytest.mark.parametrize("path", sorted({p for p, _ in commands()}), ids=" ".join)
def test_unknown_option_and_missing_options(path, capsys):
    code, err = _run([*path, "--no-such-option", "1"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("argv, field", [
    (["structure", "--mass", "-1", "--core", "0.3", "--mantle", "0.7"], "mass"),
    (["structure", "--mass", "1", "--core", "0.3", "--mantle", "0.5"], "fraction"),
    (["mrf", "predict", "--radius", "-2", "--flux", "100"], "radius"),
    (["mrf", "predict", "--radius", "inf", "--flux", "100"], "radius"),
    (["escape", "rate", "--mass", "-5", "--radius", "2", "--mstar", "1", "--teq", "800",
      "--feuv", "100", "--a-au", "0.05"], "mass"),
    (["escape", "evolve", "--mstar", "1", "--a-au", "0.05", "--mass", "5", "--envelope", "1.5"],
     "envelope"),
    (["synth", "generate", "--n", "0", "--out", "OUT"], "n"),
    (["characterise", "--mass", "5", "--radius", "-2", "--teq", "500", "--mstar", "1"], "radius"),
])  # fmt: skip
def test_out_of_range_values_name_the_field(argv, field, capsys, tmp_path):
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code, err = _run(argv, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert field in err and "Traceback" not in err


def test_the_matrix_reaches_every_capability():
    assert len(CASES) > 80  # introspection found the numeric options
    assert {path[0] for path, _, _ in CASES} >= set(CAPABILITIES) - {"serve"}
