"""Entry point of the `planetinfer` program.

Each capability owns one module `planetinfer.cli.<capability>` exposing a Typer app named `app`.
The root app lists the capabilities with their one-line help from `CAPABILITIES` and imports a
capability's module only when it runs, so `planetinfer --help` loads neither JAX, SciPy, pandas
nor matplotlib, and `planetinfer mrf predict` loads nothing of the other capabilities.

Every failure the user can cause ends in one line on stderr and exit code 2: bad values
(InputError), and every command-line parsing error (unknown option or command, missing option,
`--mass abc`), whichever click the installed Typer uses (its own vendored copy or click).
Python warnings are printed as one line, `warning: <message>`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings

import typer

from planetinfer import __version__
from planetinfer.errors import InputError

# capability -> one-line help shown by `planetinfer --help` (without importing the module)
CAPABILITIES = {
    "characterise": "One planet or a catalogue through every capability: one report.",
    "structure": "Layered-planet structure: radius, k2, moment of inertia, profiles.",
    "synth": "Synthetic planets: generate (resumable, Dask), info, plot.",
    "interior": "Interior structure posteriors from mass, radius, Teq (+ k2).",
    "gravity": "Gravity field: theory of figures and agnostic density profiles.",
    "escape": "Atmospheric escape: mass-loss rates, evaluation, evolution tracks.",
    "mrf": "Mass-radius-flux relation (Ma & Ghosh 2021): fit, check, predict.",
    "serve": "A local web page that characterises planets as you type.",
}

app = typer.Typer(
    rich_markup_mode="markdown",
    name="planetinfer",
    help="Characterise planets in seconds: structure, interior, gravity, escape, mass-radius-flux.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _flags_show_no_value_type() -> None:
    """Help lists a flag (`--json`, `--quiet`) without a value type: Typer 0.29's rich help
    writes `<bool>` beside it, which reads as if it took a value (`--json true` is refused)."""
    from typer import core

    value_type = getattr(core.TyperOption, "display_type_rich", None)
    if value_type is None:  # older Typer: its help already shows flags bare
        return

    def flag_bare(self, ctx):
        return None if self.is_flag else value_type(self, ctx)

    core.TyperOption.display_type_rich = flag_bare


_flags_show_no_value_type()


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


def _installed(name: str) -> bool:
    return importlib.util.find_spec(f"planetinfer.cli.{name}") is not None


def _forwarder(name: str):
    """A root command that hands its arguments to the capability's own Typer app."""

    def forward(ctx: typer.Context) -> None:
        module = importlib.import_module(f"planetinfer.cli.{name}")
        command = typer.main.get_command(module.app)
        code = command.main(
            args=list(ctx.args), prog_name=f"planetinfer {name}", standalone_mode=False
        )
        if isinstance(code, int) and code:
            raise typer.Exit(code)

    forward.__doc__ = CAPABILITIES[name]
    return forward


for _name in CAPABILITIES:
    if _installed(_name):
        app.command(
            name=_name,
            help=CAPABILITIES[_name],
            add_help_option=False,
            context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        )(_forwarder(_name))


def _exception_types(name: str) -> tuple[type, ...]:
    """The class `name` of click and of Typer's vendored click, whichever are installed."""
    found = []
    for module in ("click.exceptions", "typer._click.exceptions"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    text = " ".join(str(message).split())
    print(f"warning: {text}", file=sys.stderr if file is None else file)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 2 with a one-line message on bad input or a bad command line."""
    warnings.showwarning = _one_line_warning
    from planetinfer.progress import show_notices

    show_notices()
    usage_errors = _exception_types("ClickException")
    aborts = _exception_types("Abort")
    exits = _exception_types("Exit")
    try:
        result = app(args=argv, standalone_mode=False, prog_name="planetinfer")
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except usage_errors as error:
        typer.echo(f"error: {' '.join(error.format_message().split())}", err=True)
        sys.exit(2 if getattr(error, "exit_code", 2) in (1, 2) else error.exit_code)
    except aborts:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except exits as error:
        sys.exit(getattr(error, "exit_code", 0))
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
