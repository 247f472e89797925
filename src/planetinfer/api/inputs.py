"""The edge of the Python API: numbers, NumPy arrays, pandas Series and astropy Quantities in,
float arrays in the API's units out (Earth masses and radii, K, S_E, M_sun, AU, ...).

A Quantity is converted to the unit the argument is documented in (a radius in km becomes R_E);
a Quantity of the wrong kind (a mass given for a radius) is an InputError naming the argument.
astropy is never imported here unless the caller already passed a Quantity (so it is loaded).
"""

from __future__ import annotations

import sys

import numpy as np

from planetinfer import constants as C
from planetinfer.errors import InputError

# API unit name -> how astropy spells it (astropy.units attribute path, scale)
ASTROPY_UNITS = {
    "M_E": ("M_earth", 1.0),
    "R_E": ("R_earth", 1.0),
    "M_J": ("M_jup", 1.0),
    "R_J": ("R_jup", 1.0),
    "M_sun": ("M_sun", 1.0),
    "R_sun": ("R_sun", 1.0),
    "K": ("K", 1.0),
    "AU": ("AU", 1.0),
    "Gyr": ("Gyr", 1.0),
    "h": ("h", 1.0),
    "s": ("s", 1.0),
    "kg": ("kg", 1.0),
    "m": ("m", 1.0),
    "kg m^-3": ("kg / m3", 1.0),
    "erg s^-1 cm^-2": ("erg / (s cm2)", 1.0),
    # insolation in units of S_E = L_sun / (4 pi AU^2) = 1361.2 W m^-2 (constants.S_EARTH)
    "S_E": ("W / m2", C.S_EARTH),
    "": ("", 1.0),
}


def is_quantity(value) -> bool:
    """True for an astropy Quantity (checked without importing astropy)."""
    units = sys.modules.get("astropy.units")
    return units is not None and isinstance(value, units.Quantity)


def to_unit(value, name: str, unit: str):
    """`value` as plain numbers in `unit` (a key of ASTROPY_UNITS); Quantities converted."""
    if not is_quantity(value):
        return value
    import astropy.units as u

    target_name, scale = ASTROPY_UNITS[unit]
    target = u.Unit(target_name) if target_name else u.dimensionless_unscaled
    equivalencies = u.temperature() if unit == "K" else []
    try:
        return value.to_value(target, equivalencies=equivalencies) / scale
    except u.UnitConversionError as error:
        raise InputError(
            f"{name} is given in {value.unit}, which cannot be converted to {unit or 'a number'}"
        ) from error


def as_array(value, name: str, unit: str = "") -> np.ndarray:
    """A float array (any shape, scalars 0-d) of `value` in `unit`; InputError for text."""
    value = to_unit(value, name, unit)
    if hasattr(value, "to_numpy"):  # pandas Series / Index
        value = value.to_numpy()
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise InputError(f"{name} = {value!r} is not a number or an array of numbers") from error


def planet_index(values: dict) -> list | None:
    """The index of the first pandas Series among the inputs (planet names), or None."""
    for value in values.values():
        index = getattr(value, "index", None)
        if index is not None and hasattr(value, "to_numpy"):
            return list(index)
    return None


def broadcast(values: dict, units: dict) -> tuple[dict, int]:
    """Convert every non-None input (as_array) and broadcast them to one 1-D length n.

    values: {name: value or None}; units: {name: unit}. Returns ({name: (n,) array or None}, n).
    """
    arrays = {k: as_array(v, k, units.get(k, "")) for k, v in values.items() if v is not None}
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError as error:
        shapes = {k: a.shape for k, a in arrays.items()}
        raise InputError(f"inputs of different lengths cannot be paired: {shapes}") from error
    if len(shape) > 1:
        raise InputError(f"inputs must be scalars or 1-D arrays, got shape {shape}")
    n = int(shape[0]) if shape else 1
    out = {k: (np.broadcast_to(arrays[k], (n,)).astype(float) if k in arrays else None)
           for k in values}  # fmt: skip
    return out, n


def planet_names(names, index, n: int) -> list[str]:
    """Names for n planets: given names, else a Series index, else "planet 0", ..."""
    if names is not None:
        names = [names] if isinstance(names, str) else [str(x) for x in names]
        if len(names) != n:
            raise InputError(f"names has {len(names)} entries for {n} planets")
        return names
    if index is not None and len(index) == n:
        return [str(x) for x in index]
    return ["planet"] if n == 1 else [f"planet {i}" for i in range(n)]
