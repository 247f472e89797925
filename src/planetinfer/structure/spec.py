"""Immutable description of a planet to solve, validated when built (SI units)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planetinfer.constants import M_EARTH
from planetinfer.errors import InputError, check_range

LAYERS = ("core", "mantle", "water", "envelope")  # centre outwards
FRACTION_SUM_TOLERANCE = 1e-6
MASS_RANGE_EARTH = (1e-6, 100.0)  # M_E; the EoS tables cover the central pressures of this range
TEQ_RANGE = (1.0, 5000.0)  # K


def validate_inputs(mass_kg, mass_fractions, teq) -> None:
    """Raise InputError naming the field when any planet's inputs are invalid.

    mass_kg: (n,) [kg]; mass_fractions: (n, 4) core, mantle, water, envelope [-]; teq: (n,) [K].
    """
    mass_earth = np.asarray(mass_kg, dtype=float) / M_EARTH
    check_range("mass", mass_earth, *MASS_RANGE_EARTH, unit="M_E")
    fractions = np.atleast_2d(np.asarray(mass_fractions, dtype=float))
    if fractions.shape[-1] != 4:
        raise InputError(
            f"mass_fractions must have 4 columns {LAYERS}, got shape {fractions.shape}"
        )
    for column, name in enumerate(LAYERS):
        check_range(f"{name} mass fraction", fractions[:, column], 0.0, 1.0)
    sums = fractions.sum(axis=1)
    bad = np.abs(sums - 1.0) > FRACTION_SUM_TOLERANCE
    if np.any(bad):
        raise InputError(
            f"mass fractions sum to {sums[np.argmax(bad)]:.6g}; they must sum to 1 "
            f"(within {FRACTION_SUM_TOLERANCE:g})"
        )
    check_range("teq", teq, *TEQ_RANGE, unit="K")


@dataclass(frozen=True)
class PlanetSpec:
    """One planet: total mass [kg], layer mass fractions (core, mantle, water, envelope), Teq [K]."""

    mass: float
    core: float
    mantle: float
    water: float = 0.0
    envelope: float = 0.0
    teq: float = 255.0

    def __post_init__(self):
        validate_inputs([self.mass], [self.mass_fractions], [self.teq])

    @property
    def mass_fractions(self) -> tuple[float, float, float, float]:
        return (self.core, self.mantle, self.water, self.envelope)

    @classmethod
    def from_earth_units(cls, mass_earth: float, core, mantle, water=0.0, envelope=0.0, teq=255.0):
        """Build from mass in Earth masses (the CLI's unit)."""
        check_range("mass", mass_earth, *MASS_RANGE_EARTH, unit="M_E")
        return cls(float(mass_earth) * M_EARTH, core, mantle, water, envelope, teq)
