"""Observed planets from a NASA Exoplanet Archive PSCompPars export, as predict.Planet objects.

Masses pl_bmasse [M_E] (best mass: true mass or M sin i), radii pl_rade [R_E], equilibrium
temperatures pl_eqt [K]; asymmetric errors err1 (upper) and |err2| (lower) become split-normal
uncertainties. Unknown names and rows lacking a needed value are returned as errors, not raised,
so that a batch carries on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planetinfer.catalog import find_planet
from planetinfer.errors import InputError
from planetinfer.interior.predict import Planet

COLUMNS = {"mass": "pl_bmasse", "radius": "pl_rade", "teq": "pl_eqt"}


def planet_from_row(row: pd.Series, inputs: tuple[str, ...]) -> Planet:
    """One Planet from a catalogue row; InputError if a needed value is missing."""
    values, lower, upper = {}, {}, {}
    for name in inputs:
        if name not in COLUMNS:
            raise InputError(f"{name} is not available from the catalogue (inputs: {inputs})")
        column = COLUMNS[name]
        value = float(row.get(column, np.nan))
        if not np.isfinite(value):
            raise InputError(f"planet = {row['pl_name']!r} has no {column} in the catalogue")
        values[name] = value
        up, down = float(row.get(f"{column}err1", np.nan)), float(row.get(f"{column}err2", np.nan))
        upper[name] = abs(up) if np.isfinite(up) else 0.0
        lower[name] = abs(down) if np.isfinite(down) else upper[name]
    return Planet(values, lower, upper, name=str(row["pl_name"]))


def planets_from_catalog(table: pd.DataFrame, names, inputs) -> tuple[list, list]:
    """(planets, errors) for the named planets; errors is a list of (name, message)."""
    planets, errors = [], []
    for name in names:
        try:
            planets.append(planet_from_row(find_planet(table, name), tuple(inputs)))
        except InputError as error:
            errors.append((name, str(error)))
    return planets, errors


def well_measured(table: pd.DataFrame, max_mass: float = 25.0, mass_rel: float = 0.10,
                  radius_rel: float = 0.05) -> pd.DataFrame:  # fmt: skip
    """Planets below max_mass [M_E] with relative mass and radius errors under the given limits
    (ExoMDN's selection: sigma_M < 10 %, sigma_R < 5 %; errors = mean of upper and lower)."""
    m, r = table["pl_bmasse"], table["pl_rade"]
    sm = 0.5 * (table["pl_bmasseerr1"].abs() + table["pl_bmasseerr2"].abs())
    sr = 0.5 * (table["pl_radeerr1"].abs() + table["pl_radeerr2"].abs())
    keep = (m < max_mass) & (sm / m < mass_rel) & (sr / r < radius_rel)
    keep &= m.notna() & r.notna() & sm.notna() & sr.notna()
    return table[keep.fillna(False)]
