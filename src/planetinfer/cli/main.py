"""Entry point of the `planetinfer` program.

Each capability owns one module `planetinfer.cli.<capability>` exposing a Typer app named `app`;
it is registered here under the capability's name. Bad input (InputError) becomes one line on
stderr and exit code 2.
"""

from __future__ import annotations

import importlib
import sys

import click
import typer

from planetinfer import __version__
from planetinfer.errors import InputError

CAPABILITIES = ("structure", "synth", "interior", "gravity", "escape", "mrf")

app = typer.Typer(
    name="planetinfer",
    help="Characterise planets in seconds: structure, interior, gravity, escape, mass-radius-flux.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"planetinfer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version."
    ),
) -> None:
    """planetinfer command line."""


def _register_capabilities() -> None:
    for name in CAPABILITIES:
        module_name = f"planetinfer.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # capability not installed in this build
            raise
        app.add_typer(module.app, name=name)


_register_capabilities()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 2 with a one-line message on bad input."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="planetinfer")
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
