"""Input validation shared by every capability: one clear message naming field, value and range."""

from __future__ import annotations

import math

import numpy as np


def _exact(value: float) -> str:
    """The shortest text that reads back as `value` (100.0001 stays 100.0001; 2.0 is 2)."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


class InputError(ValueError):
    """Bad user input. The message names the field, the value and the valid range."""


def check_range(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
):
    """Raise InputError unless every element of `value` is finite and inside [low, high].

    Returns `value` unchanged so it can be used inline. Works for scalars and arrays.
    """
    array = np.asarray(value, dtype=float)
    unit_text = f" {unit}" if unit else ""
    lo_text = "-inf" if low is None else f"{low:g}"
    hi_text = "inf" if high is None else f"{high:g}"
    # an open end (no bound) is never inclusive: (0, inf), not (0, inf]
    bracket = (
        ("[" if low_inclusive and low is not None else "(")
        + f"{lo_text}, {hi_text}"
        + ("]" if high_inclusive and high is not None else ")")
    )
    bad = ~np.isfinite(array)
    if low is not None:
        bad |= (array < low) if low_inclusive else (array <= low)
    if high is not None:
        bad |= (array > high) if high_inclusive else (array >= high)
    if np.any(bad):
        first = array.reshape(-1)[np.argmax(bad.reshape(-1))]
        shown = "NaN" if math.isnan(first) else _exact(float(first))
        raise InputError(
            f"{name} = {shown}{unit_text} is outside the valid range {bracket}{unit_text}"
        )
    return value


def reject_quantities(where: str, **values) -> None:
    """Raise InputError if any value is an astropy Quantity (or an array of them).

    The low-level functions take plain numbers in fixed units (SI or Earth units, as their
    docstrings say); a Quantity would otherwise have its unit stripped silently. The message
    names the argument and points at the one-call API, which converts Quantities.
    """
    for name, value in values.items():
        if hasattr(value, "unit") and hasattr(value, "to_value"):
            raise InputError(
                f"{name} is an astropy Quantity ({value.unit}); {where} takes plain numbers in "
                f"the units its docstring gives. planetinfer's one-call functions (docs/api.md) "
                "convert Quantities"
            )
