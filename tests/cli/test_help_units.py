"""Every command's --help shows the units its options name in square brackets (Rich markup used
to swallow lowercase ones: `gravity tof --help` printed "Planet mass ." for "Planet mass [kg].")."""

from __future__ import annotations

import importlib
import re

import pytest
from typer.testing import CliRunner

from planetinfer.cli.introspect import commands
from planetinfer.cli.main import CAPABILITIES

BRACKETS = re.compile(r"\[[^\]]+\]")


COMMANDS = [(path[0], path[1:], command) for path, command in commands()]


def _plain(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("name, path, command", COMMANDS,
                         ids=[" ".join((n, *p)) for n, p, _ in COMMANDS])  # fmt: skip
def test_help_keeps_every_bracketed_unit(name, path, command):
    app = importlib.import_module(f"planetinfer.cli.{name}").app
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    shown = _plain(result.output)
    for param in command.params:
        for unit in BRACKETS.findall(getattr(param, "help", None) or ""):
            assert _plain(unit) in shown, f"{param.name}: {unit} missing from --help"


def test_every_capability_has_commands():
    assert {name for name, _, _ in COMMANDS} == set(CAPABILITIES)
