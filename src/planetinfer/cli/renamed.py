"""Old option spellings, kept for one release (docs/conventions.md, "One vocabulary").

An old spelling is a hidden option beside the new one; given, it prints a one-line
deprecation warning and its value is used.
"""

from __future__ import annotations

import warnings

import typer


def old_option(old: str, new: str, **kwargs):
    """A hidden Typer option for the old spelling `old` of `new` (default None)."""
    return typer.Option(None, old, hidden=True, help=f"Renamed {new}.", **kwargs)


def prefer(new_value, old_value, old: str, new: str):
    """The value to use: the old spelling's (with a warning) when it was given."""
    if old_value is None:
        return new_value
    warnings.warn(f"{old} is renamed {new}; the old spelling goes in the next release",
                  FutureWarning, stacklevel=2)  # fmt: skip
    return old_value
