"""Every command of the program, for the checks that walk them (help texts, vocabulary, bad
input). Imports each capability's CLI module: not for the start-up path."""

from __future__ import annotations

import importlib


def commands(with_groups: bool = False) -> list[tuple[tuple[str, ...], object]]:
    """[(path, click command)]: every command that runs, e.g. (("interior", "predict"), cmd).

    with_groups: also the groups that take options of their own (`structure`)."""
    import typer

    from planetinfer.cli.main import CAPABILITIES

    found = []
    for name in CAPABILITIES:
        root = typer.main.get_command(importlib.import_module(f"planetinfer.cli.{name}").app)
        stack = [((name,), root)]
        while stack:
            path, command = stack.pop()
            children = getattr(command, "commands", {})
            stack += [((*path, sub), child) for sub, child in children.items()]
            own = with_groups and any(p.name not in ("help",) and not _completion(p)
                                      for p in command.params)  # fmt: skip
            if not children or own:
                found.append((path, command))
    return found


def _completion(param) -> bool:
    return any(opt in ("--install-completion", "--show-completion") for opt in param.opts)
