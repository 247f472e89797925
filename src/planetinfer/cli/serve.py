"""`planetinfer serve`: the local web page (FastAPI + uvicorn; optional extra `web`)."""

from __future__ import annotations

from pathlib import Path

import typer

from planetinfer.errors import InputError

app = typer.Typer(
    rich_markup_mode="markdown",
    help="A local web page that characterises planets as you type.",
    add_completion=False,
)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind (default: this machine only)."),
    port: int = typer.Option(8000, help="TCP port."),
    catalog: Path = typer.Option(
        None, help="PSCompPars CSV export: planets to look up by name on the page."
    ),
) -> None:
    """Start the web page and its JSON API (interior, mass, escape, characterise)."""
    from planetinfer.errors import check_range

    check_range("port", port, 1, 65535)
    try:
        import uvicorn

        from planetinfer.web.app import create_app
    except ImportError as error:
        raise InputError(
            f"the web page needs the `web` extra ({error.name} is missing): "
            "pip install 'planetinfer[web]'"
        ) from error
    application = create_app(catalog)
    where = "this machine only" if host in ("127.0.0.1", "localhost", "::1") else "the network"
    typer.echo(f"planetinfer web page on http://{host}:{port}/ (bound to {host}: {where}); "
               "JSON API docs at /docs; Ctrl-C stops it", err=True)  # fmt: skip
    uvicorn.run(application, host=host, port=port, log_level="warning")
