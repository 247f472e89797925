"""What characterise starts from: a planet's measured values, their errors and their provenance.

From a NASA Exoplanet Archive PSCompPars row (catalog.py) or from explicit values. Any missing
input is derived where physics allows, and the derivation is recorded in `notes`:

* Teq = Teff sqrt(R* / (2 a)), zero albedo and full heat redistribution (e.g. Seager 2010,
  Exoplanet Atmospheres, Eq. 3.9);
* incident flux S / S_E = (L* / L_sun) / (a / AU)^2 with S_E = L_sun / (4 pi AU^2) (IAU 2015
  nominal solar values, planetinfer.constants), or from Teq by S = 4 sigma Teq^4 (the same
  zero-albedo balance);
* a from the orbital period by Kepler's third law, a^3 = G M* P^2 / (4 pi^2), or from Teq and
  the stellar luminosity by the same balance; L* = 4 pi R*^2 sigma Teff^4, or the
  main-sequence L(M*) of escape/stellar.py when R* or Teff is missing;
* the stellar age: st_age when the export has it, else an assumed 5 Gyr (the default PSCompPars
  export carries no age; the report says so).

Masses: `pl_bmassprov` says what the catalogue's mass is. "Mass" (and "Msin(i)/sin(i)") is a
measurement; "Msini" a minimum mass, used as the mass and flagged; "M-R relationship" is not a
measurement (the archive derived it from the radius), so it is replaced by our mass-radius-flux
prediction; `pl_bmasselim = 1` marks an upper limit, which truncates that prediction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planetinfer import constants as C
from planetinfer.errors import InputError, check_range

ASSUMED_AGE_GYR = 5.0


@dataclass(frozen=True)
class Value:
    """A value with its 1-sigma errors (upper, lower; 0 when unknown) and where it came from."""

    value: float
    err: float = 0.0
    err_lower: float = 0.0
    source: str = "given"

    def to_dict(self) -> dict:
        return {"value": self.value, "err": self.err, "err_lower": self.err_lower,
                "source": self.source}  # fmt: skip


@dataclass(frozen=True)
class PlanetInputs:
    """Everything the chain needs for one planet (Earth units, K, M_sun, R_sun, AU, Gyr).

    mass: None when no usable measurement exists (mass_kind says why); mass_upper_limit [M_E]
    when the catalogue gives one; mass_kind: measured, minimum_mass, upper_limit,
    mr_relation (catalogue mass derived from the radius) or missing.
    """

    name: str
    radius: Value
    teq: Value
    flux: Value
    mass: Value | None
    mass_kind: str
    mstar: float
    a_au: float
    age_gyr: Value
    lstar_lsun: float
    mass_upper_limit: float | None = None
    k2: Value | None = None
    notes: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        out = {"name": self.name, "mass_kind": self.mass_kind,
               "mass": None if self.mass is None else self.mass.to_dict(),
               "mass_upper_limit": self.mass_upper_limit, "radius": self.radius.to_dict(),
               "teq": self.teq.to_dict(), "flux": self.flux.to_dict(), "mstar": self.mstar,
               "a_au": self.a_au, "lstar_lsun": self.lstar_lsun,
               "age_gyr": self.age_gyr.to_dict(), "notes": list(self.notes)}  # fmt: skip
        if self.k2 is not None:
            out["k2"] = self.k2.to_dict()
        return out


def luminosity_lsun(mstar, rstar, teff) -> tuple[float, str]:
    """L* [L_sun] from R* and Teff (Stefan-Boltzmann), else the main-sequence L(M*)."""
    if _ok(rstar) and _ok(teff):
        return rstar**2 * (teff / C.TEFF_SUN) ** 4, "L* = 4 pi R*^2 sigma Teff^4"
    from planetinfer.escape.stellar import main_sequence_luminosity

    return main_sequence_luminosity(mstar) / C.L_SUN, "L* from the main-sequence relation L(M*)"


def _ok(x) -> bool:
    return x is not None and math.isfinite(x) and x > 0


def complete(name: str, *, radius: Value, mass: Value | None, mass_kind: str, mstar: float,
             teq: Value | None = None, flux: Value | None = None, a_au: float | None = None,
             rstar: float | None = None, teff: float | None = None, age_gyr: float | None = None,
             period_days: float | None = None,
             mass_upper_limit: float | None = None, k2: Value | None = None) -> PlanetInputs:  # fmt: skip
    """Fill in Teq, flux, a and the age where they are missing; InputError if impossible."""
    notes = []
    check_range("radius", radius.value, 0.0, None, low_inclusive=False, unit="R_E")
    check_range("mstar", mstar, 0.0, None, low_inclusive=False, unit="M_sun")
    lum, how = luminosity_lsun(mstar, rstar, teff)
    if not (_ok(rstar) and _ok(teff)):
        notes.append(f"stellar luminosity: {how} (R* or Teff missing)")
    if not _ok(a_au) and _ok(period_days):  # Kepler's third law
        period_s = period_days * 86400.0
        a_au = (C.G * mstar * C.M_SUN * period_s**2 / (4 * math.pi**2)) ** (1 / 3) / C.AU
        notes.append("semi-major axis derived from the orbital period (Kepler's third law)")
    if teq is None and _ok(a_au):
        value = (lum * C.L_SUN / (16 * math.pi * C.SIGMA_SB * (a_au * C.AU) ** 2)) ** 0.25
        teq = Value(value, source="derived: Teq from L* and a, zero albedo")
        notes.append("Teq derived from the star and the orbit (zero albedo, full redistribution)")
    if teq is None and flux is not None:
        value = (flux.value * C.S_EARTH / (4 * C.SIGMA_SB)) ** 0.25
        teq = Value(value, source="derived: Teq = (S / 4 sigma)^(1/4)")
        notes.append("Teq derived from the incident flux (zero albedo)")
    if teq is None:
        raise InputError(f"planet = {name!r} has no Teq, and neither a nor a flux to derive it")
    check_range("teq", teq.value, 0.0, None, low_inclusive=False, unit="K")
    if not _ok(a_au):
        a_au = math.sqrt(lum * C.L_SUN / (16 * math.pi * C.SIGMA_SB * teq.value**4)) / C.AU
        notes.append("semi-major axis derived from Teq and L* (zero albedo)")
    if flux is None:
        value = lum / a_au**2
        flux = Value(value, source="derived: S = L* / a^2")
        notes.append("incident flux derived from L* and a")
    if age_gyr is None or not _ok(age_gyr):
        age = Value(ASSUMED_AGE_GYR, source="assumed (no stellar age given)")
        notes.append(f"stellar age unknown: {ASSUMED_AGE_GYR:g} Gyr assumed")
    else:
        age = Value(age_gyr, source="given")
    return PlanetInputs(name, radius, teq, flux, mass, mass_kind, mstar, a_au, age, lum,
                        mass_upper_limit, k2, tuple(notes))  # fmt: skip


def _measured(row, column: str, label: str) -> Value | None:
    value = _float(row.get(column))
    if not _ok(value):
        return None
    up, down = _float(row.get(f"{column}err1")), _float(row.get(f"{column}err2"))
    up = abs(up) if math.isfinite(up) else 0.0
    down = abs(down) if math.isfinite(down) else up
    return Value(value, up, down, f"catalogue: {label}")


def _float(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def from_catalog_row(row, age_gyr: float | None = None) -> PlanetInputs:
    """PlanetInputs of one PSCompPars row; InputError naming what is missing."""
    name = str(row.get("pl_name"))
    radius = _measured(row, "pl_rade", "pl_rade")
    if radius is None:
        raise InputError(f"planet = {name!r} has no radius (pl_rade) in the catalogue")
    mstar = _float(row.get("st_mass"))
    if not _ok(mstar):
        raise InputError(f"planet = {name!r} has no stellar mass (st_mass) in the catalogue")
    mass = _measured(row, "pl_bmasse", "pl_bmasse")
    provenance = str(row.get("pl_bmassprov", "Mass"))
    limit = _float(row.get("pl_bmasselim", 0.0))
    upper = None
    if mass is None:
        kind = "missing"
    elif limit == 1:
        kind, upper, mass = "upper_limit", mass.value, None
    elif provenance == "M-R relationship":
        kind, mass = "mr_relation", None
    elif provenance == "Msini":
        kind = "minimum_mass"
    else:
        kind = "measured"
    age = _float(row.get("st_age")) if age_gyr is None else age_gyr
    return complete(
        name, radius=radius, mass=mass, mass_kind=kind, mstar=mstar,
        teq=_measured(row, "pl_eqt", "pl_eqt"), flux=_measured(row, "pl_insol", "pl_insol"),
        a_au=_float(row.get("pl_orbsmax")), rstar=_float(row.get("st_rad")),
        teff=_float(row.get("st_teff")), age_gyr=age, mass_upper_limit=upper,
        period_days=_float(row.get("pl_orbper")),
    )  # fmt: skip
