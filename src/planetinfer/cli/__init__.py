"""The `planetinfer` command line: thin Typer wrappers around the library."""
