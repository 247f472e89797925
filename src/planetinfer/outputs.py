"""Output paths checked before any work starts, the same way in every command.

A file's missing parent folders are created; an output folder is checked to be creatable and
left to the command to create. A folder where a file goes, a file where a folder goes, an unknown
figure or table format, or a folder that cannot be written is an InputError naming the option,
so a long job never fails at its last step. The functions double as Typer option callbacks
(`typer.Option(None, callback=outputs.figure_file)`): they run while the command line is parsed.
"""

from __future__ import annotations

import os
from pathlib import Path

from planetinfer.errors import InputError

# the formats matplotlib writes (matplotlib.figure.Figure.savefig)
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".svgz", ".jpg", ".jpeg", ".eps", ".ps", ".pgf",
                   ".tif", ".tiff", ".webp", ".raw", ".rgba")  # fmt: skip


def _writable_folder(folder: Path, label: str, create: bool) -> None:
    """The folder exists (created when `create`) or can be created: its nearest existing
    ancestor is a writable folder."""
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                f"{label}: cannot create the folder {folder} ({error.strerror})"
            ) from error
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{label}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise InputError(f"{label}: the folder {existing} is not writable")


def output_file(path, option: str = "out", suffixes: tuple[str, ...] | None = None):
    """`path` (or None) checked as a file to write: not a folder, a known suffix, a writable
    parent (created if missing)."""
    if path is None:
        return None
    path = Path(path)
    label = f"--{option.replace('_', '-')} {path}"
    if path.is_dir():
        raise InputError(f"{label} is a folder; give a file name")
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise InputError(f"{label}: unknown format {path.suffix or '(none)'!r}; use one of "
                         f"{', '.join(suffixes)}")  # fmt: skip
    _writable_folder(path.parent if str(path.parent) else Path("."), label, create=True)
    return path


def output_folder(path, option: str = "out"):
    """`path` (or None) checked as a folder to write into: a folder, or creatable (the command
    creates it once its other inputs are valid)."""
    if path is None:
        return None
    path = Path(path)
    _writable_folder(path, f"--{option.replace('_', '-')} {path}", create=False)
    return path


def figure_file(value):
    """Typer callback of --plot: a figure file in a format matplotlib writes."""
    return output_file(value, "plot", FIGURE_SUFFIXES)


def csv_file(value):
    return output_file(value, "out", (".csv",))


def json_file(value):
    return output_file(value, "out", (".json",))


def parquet_file(value):
    return output_file(value, "out", (".parquet",))


def table_file(value):
    """A track table: CSV or Parquet."""
    return output_file(value, "out", (".csv", ".parquet"))


def netcdf_file(value):
    return output_file(value, "out", (".nc",))


def folder(value):
    """Typer callback of an --out folder."""
    return output_folder(value, "out")
