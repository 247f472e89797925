"""Strict JSON for every machine-readable output: no bare NaN or Infinity, NumPy converted.

`json.dumps` writes NaN and Infinity as bare tokens that strict parsers (JavaScript, jq,
`json.loads(..., parse_constant=...)`) reject. Every `--json` output, API `.to_json()` and web
answer goes through `dumps`, which writes a non-finite number as null; the caller states why
a value is missing in a reason field next to it (e.g. `"status": "no_valid_draws"`).
"""

from __future__ import annotations

import json
import math
from pathlib import PurePath

import numpy as np


def stamped(payload: dict) -> dict:
    """The payload with the version of planetinfer that made it first (provenance)."""
    from planetinfer import __version__

    return {"planetinfer_version": __version__, **payload}


def jsonable(value):
    """`value` with NumPy scalars/arrays as Python numbers/lists and non-finite floats as None.

    Dicts, lists, tuples are converted recursively; paths become strings.
    """
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, PurePath):
        return str(value)
    return value


def dumps(value, **kwargs) -> str:
    """Strict JSON text of `value` (see jsonable); raises ValueError if anything non-finite is
    left (it cannot be, by construction) and TypeError for an unknown object."""
    return json.dumps(jsonable(value), allow_nan=False, **kwargs)


def loads_strict(text: str):
    """Parse JSON, rejecting NaN and Infinity (as strict parsers do)."""

    def reject(token):
        raise ValueError(f"non-standard JSON constant {token}")

    return json.loads(text, parse_constant=reject)
