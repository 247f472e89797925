"""docs/conventions.md "One vocabulary" matches the command-line program: every option shared by
two or more commands is in the table, with exactly the commands that have it; every seed
defaults to 0; boolean options are plain flags (no --x/--no-x pairs)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from planetinfer.cli.introspect import commands

TABLE = Path(__file__).resolve().parents[2] / "docs" / "conventions.md"
COMPLETION = ("--install-completion", "--show-completion")  # Typer's own; no group offers them
ROW = re.compile(r"^\| `(--[a-z0-9-]+)` \| [^|]+ \| ([^|]+) \|$", re.M)


def _commands():
    """(command name, click command) of every command that takes options."""
    return [(" ".join(path), command) for path, command in commands(with_groups=True)]


def _visible_options():
    used = defaultdict(set)
    for name, command in _commands():
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    used[opt].add(name)
    return used


def test_the_table_matches_the_program():
    table = {opt: {c.strip() for c in commands.split(",")}
             for opt, commands in ROW.findall(TABLE.read_text())}  # fmt: skip
    used = _visible_options()
    shared = {opt: names for opt, names in used.items() if len(names) > 1}
    assert set(shared) == set(table), (set(shared) ^ set(table))
    for opt, names in table.items():
        assert used[opt] == names, (opt, used[opt] ^ names)


def test_seeds_default_to_zero_and_flags_are_plain():
    for name, command in _commands():
        for param in command.params:
            if "--seed" in param.opts:
                assert param.default == 0, name
            assert not any(o.startswith("--no-no-") for o in param.secondary_opts or ()), name
            if getattr(param, "is_flag", False) and param.secondary_opts:
                raise AssertionError(f"{name} {param.opts}: a --x/--no-x pair")


def test_help_shows_flags_without_a_value():
    """`--json` is a flag: help must not write `<bool>` beside it, as if it took a value."""
    from planetinfer.cli.main import main

    for argv in (["structure", "--help"], ["mrf", "predict", "--help"]):
        out = _help(main, argv)
        json_line = next(line for line in out.splitlines() if "--json" in line)
        assert "<bool>" not in json_line and "Print" in json_line, json_line
        assert "<float>" in out or "<list[float]>" in out or "FLOAT" in out  # valued ones keep it
        assert not any(c in out for c in COMPLETION)


def _help(main, argv) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
        main(argv)
    return buffer.getvalue()
