"""Mantle mineral proportions for Mg/Si and Mg# (Baumeister et al. 2020, ApJ 889, 42, 2.1.2).

Reading taken (default, `reading="mg"`): molar Mg/Si = 1.131 counts magnesium only, as the words
"molar Mg/Si ratio" say; Fe follows from Mg# = Mg/(Mg+Fe): Fe/Si = (Mg/Si)(1 - Mg#)/Mg#.
The alternative `reading="mg_plus_fe"` treats 1.131 as (Mg+Fe)/Si. interior.md 1.3 [derived]:
  reading "mg":        (Mg+Fe)/Si = 1.2567; upper 0.2567 ol + 0.7433 en per mol Si
                       (mass 0.329/0.671); lower 1 pv + 0.2567 mw (mass 0.903/0.097).
  reading "mg_plus_fe": upper 0.131 ol + 0.869 en; lower 1 pv + 0.131 mw.
Silicon balance: olivine (Mg,Fe)2SiO4 and enstatite (Mg,Fe)SiO3 share 1 Si,
2 n_ol + n_en = (Mg+Fe)/Si; bridgmanite (Mg,Fe)SiO3 takes all Si and magnesiowuestite (Mg,Fe)O
the rest of (Mg+Fe). All phases carry the same x_Fe = 1 - Mg# (Fe-Mg exchange neglected).
"""

from __future__ import annotations

from typing import NamedTuple

from planetinfer.eos import materials as mat

MG_SI_BAUMEISTER = 1.131  # molar Mg/Si (Baumeister et al. 2020; Sotin et al. 2007)
MG_NUMBER_BAUMEISTER = 0.9  # Mg# = Mg/(Mg+Fe) (Baumeister et al. 2020)


class Assemblage(NamedTuple):
    """Phases (Fe-substituted Material rows) with molar amounts per mol Si and mass fractions."""

    phases: tuple
    moles_per_si: tuple
    mass_fractions: tuple


def cations_per_si(mg_si: float, mg_number: float, reading: str = "mg") -> float:
    """(Mg+Fe)/Si [-] for the chosen reading of the Mg/Si ratio."""
    if reading == "mg":
        return mg_si / mg_number
    if reading == "mg_plus_fe":
        return mg_si
    raise ValueError(f"reading = {reading!r}; valid: 'mg', 'mg_plus_fe'")


def _assemblage(rows, moles) -> Assemblage:
    masses = [n * r.molar_mass for n, r in zip(moles, rows, strict=True)]
    total = sum(masses)
    return Assemblage(tuple(rows), tuple(moles), tuple(m / total for m in masses))


def upper_mantle(
    mg_si: float = MG_SI_BAUMEISTER, mg_number: float = MG_NUMBER_BAUMEISTER, reading: str = "mg"
) -> Assemblage:
    """Olivine + enstatite (bm3_thermal rows) at x_Fe = 1 - Mg#."""
    x_fe = 1.0 - mg_number
    n_ol = cations_per_si(mg_si, mg_number, reading) - 1.0
    if not 0.0 <= n_ol <= 1.0:
        raise ValueError(f"(Mg+Fe)/Si = {n_ol + 1:g} outside [1, 2]: no ol + en assemblage")
    rows = (mat.with_iron(mat.get("olivine"), x_fe), mat.with_iron(mat.get("enstatite"), x_fe))
    return _assemblage(rows, (n_ol, 1.0 - n_ol))


def lower_mantle(
    mg_si: float = MG_SI_BAUMEISTER,
    mg_number: float = MG_NUMBER_BAUMEISTER,
    reading: str = "mg",
    eos: str = "bm3_thermal",
) -> Assemblage:
    """Bridgmanite + magnesiowuestite at x_Fe = 1 - Mg#.

    eos "bm3_thermal" (default, Baumeister et al. 2020): T-dependent BM3 rows derived from the
    Table A MGD parameters (materials.thermal_bm3_from_mgd); eos "mgd": the Table A MGD rows
    themselves (Sotin et al. 2007).
    """
    if eos not in ("bm3_thermal", "mgd"):
        raise ValueError(f"eos = {eos!r}; valid: 'bm3_thermal', 'mgd'")
    suffix = "_bm3t" if eos == "bm3_thermal" else ""
    x_fe = 1.0 - mg_number
    n_mw = cations_per_si(mg_si, mg_number, reading) - 1.0
    if n_mw < 0.0:
        raise ValueError(f"(Mg+Fe)/Si = {n_mw + 1:g} < 1: no pv + mw assemblage")
    rows = (
        mat.with_iron(mat.get("bridgmanite" + suffix), x_fe),
        mat.with_iron(mat.get("magnesiowustite" + suffix), x_fe),
    )
    return _assemblage(rows, (1.0, n_mw))
