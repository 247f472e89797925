"""Every planetinfer command and Python snippet in README.md and docs/ still works: a renamed
option or function breaks this test, not a reader. Commands are parsed against the real
command-line app (options, types, choices; nothing runs); Python snippets run at small sizes
with the files they name made first (tutorials are executed by the documentation build)."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import typer

# --- extraction of the commands and snippets of the pages ---

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PAGES = [p for p in PAGES if "_build" not in p.parts]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"(?<!`)`(planetinfer [^`]+)`(?!`)")
SHELLS = {"bash", "sh", "console", "shell"}
PLACEHOLDER = re.compile(r"\[|\||\.\.\.|<|\{| / ")  # optional parts or alternatives: not one command


def _logical_lines(block: str):
    """Shell lines with backslash continuations joined, comments and prompts removed."""
    for line in block.replace("\\\n", " ").splitlines():
        line = line.strip().removeprefix("$ ")
        if line and not line.startswith("#"):
            yield line


def _commands_of_line(line: str):
    """The `planetinfer ...` commands of one shell line (split at &&, ;), as argument lists."""
    for part in re.split(r"&&|;", line):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            continue
        if words and words[0] == "planetinfer":
            yield words[1:]


def cli_commands():
    """(page, line text, args) of every planetinfer command shown in a shell block or inline."""
    found = []
    for page in PAGES:
        text = page.read_text()
        name = str(page.relative_to(ROOT))
        for match in FENCE.finditer(text):
            if match.group(1) not in SHELLS:
                continue
            for line in _logical_lines(match.group(2)):
                found += [(name, line, args) for args in _commands_of_line(line)]
        outside = FENCE.sub("", text)
        for match in INLINE.finditer(outside):
            line = match.group(1)
            if not PLACEHOLDER.search(line):
                found += [(name, line, args) for args in _commands_of_line(line)]
    return found


def python_snippets():
    """(page, index, code) of every ```python block outside the executed tutorials."""
    found = []
    for page in PAGES:
        text = page.read_text()
        if text.startswith("---\njupytext:"):
            continue  # a notebook: executed by the documentation build
        for i, match in enumerate(m for m in FENCE.finditer(text) if m.group(1) == "python"):
            found.append((str(page.relative_to(ROOT)), i, match.group(2)))
    return found


COMMANDS = cli_commands()
SNIPPETS = python_snippets()


def parse(args: list[str]) -> None:
    """Parse a planetinfer command line like the program would, without running it."""
    if not args or args[0] in ("--help", "--version"):
        return
    from planetinfer.cli.main import CAPABILITIES

    name = args[0]
    assert name in CAPABILITIES, f"unknown command {name!r}"
    command = typer.main.get_command(importlib.import_module(f"planetinfer.cli.{name}").app)
    ctx = command.make_context(f"planetinfer {name}", list(args[1:]), resilient_parsing=True)
    while hasattr(command, "resolve_command"):
        # the subcommand's name: _protected_args in Typer's click, protected_args in click's
        protected = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", None)
        rest = [*(protected or []), *ctx.args]
        if not rest:
            break
        sub_name, command, sub_args = command.resolve_command(ctx, rest)
        ctx = command.make_context(sub_name, sub_args, parent=ctx, resilient_parsing=True)
    assert not ctx.args or "--help" in args, f"unexpected arguments {ctx.args}"


def test_the_pages_show_commands_and_snippets():
    assert len(COMMANDS) > 40 and len(SNIPPETS) > 8


@pytest.mark.parametrize("page, line, args", COMMANDS,
                         ids=[f"{p}:{' '.join(a[:2])}" for p, _, a in COMMANDS])  # fmt: skip
def test_command_parses(page, line, args):
    try:
        parse(args)
    except Exception as error:  # click's UsageError or BadParameter from either click copy
        pytest.fail(f"{page}: `{line}` no longer parses: {error}")


def test_the_readme_command_runs():
    """The README's main job, for real: an interior posterior of an Earth twin."""
    exe = shutil.which("planetinfer") or [sys.executable, "-m", "planetinfer.cli.main"]
    out = subprocess.run([exe, "interior", "predict", "--mass", "1", "--radius", "1", "--teq",
                          "255"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "core_mass_fraction" in out.stdout


# what a snippet assumes (files, variables) and the small sizes it runs at
CATALOGUE = [{"pl_name": "TOI-270 d", "pl_bmasse": 4.78, "pl_bmasseerr1": 0.43,
              "pl_bmasseerr2": -0.43, "pl_bmasselim": 0, "pl_bmassprov": "Mass",
              "pl_rade": 2.133, "pl_radeerr1": 0.058, "pl_radeerr2": -0.058, "pl_eqt": 387.0,
              "pl_orbper": 11.38, "pl_orbsmax": 0.0733, "st_mass": 0.386, "st_rad": 0.38,
              "st_teff": 3506.0}]  # fmt: skip
SETUP = {
    "docs/structure.md": "import numpy as np\nmasses = np.array([1.0, 5.0])\n"
    "fractions = np.array([[0.325, 0.675, 0, 0], [0.2, 0.5, 0.3, 0]])\nteq = 300.0\n",
}
SMALL = {"100_000": "400", "20_000": "200"}
NEEDS_A_CLUSTER = "dask_jobqueue"


@pytest.mark.parametrize("page, index, code", SNIPPETS,
                         ids=[f"{p}[{i}]" for p, i, _ in SNIPPETS])  # fmt: skip
def test_python_snippet_runs(page, index, code, tmp_path, monkeypatch):
    if NEEDS_A_CLUSTER in code:
        compile(code, page, "exec")
        pytest.skip("needs a SLURM cluster: compiled only")
    for big, small in SMALL.items():
        code = code.replace(big, small)
    monkeypatch.chdir(tmp_path)
    pd.DataFrame(CATALOGUE).to_csv("PSCompPars.csv", index=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": f"snippet_{index}"}
    exec(compile(SETUP.get(page, "") + code, f"{page}[{index}]", "exec"), namespace)


def test_the_docs_build_module_refuses_without_a_source(tmp_path, capsys):
    from planetinfer import docs

    assert docs.main(["--source", str(tmp_path)]) == 2
    assert "has no conf.py" in capsys.readouterr().err


@pytest.mark.skipif(os.environ.get("PLANETINFER_TEST_DOCS") != "1",
                    reason="the full site build runs as its own CI step (.ci/run)")
def test_the_site_builds(tmp_path):
    from planetinfer import docs

    assert docs.main(["--source", str(ROOT / "docs"), "--out", str(tmp_path / "html")]) == 0
