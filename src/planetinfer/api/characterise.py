"""`planetinfer.characterise`: one planet through every capability, one report.

What is it made of, how much gas does it hold, is it losing it, and will it still have it in a
few Gyr? The chain (characterise/chain.py) carries the uncertainties as samples from the mass to
the interior, the present-day escape rates and the envelope's evolution; the result prints as
strict JSON (one documented schema, docs/characterise.md) and as a self-contained HTML report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planetinfer import jsonout
from planetinfer.api.result import Result
from planetinfer.characterisation.inputs import PlanetInputs, Value, complete, from_catalog_row

SCHEMA = "planetinfer-characterise-1"


@dataclass(frozen=True)
class Characterisation(Result):
    """The report of one planet: `report` (the JSON dict) plus the samples behind the figures.

    posterior: the InteriorPosterior; rates: method -> (k,) present-day rates [g s^-1];
    tracks: method -> evolve_batch output (arrays); inputs: the PlanetInputs.
    """

    report: dict
    inputs: PlanetInputs
    posterior: object = None
    rates: dict = field(default_factory=dict)
    tracks: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return jsonout.jsonable(self.report)

    def html(self) -> str:
        """The self-contained HTML report (figures embedded, no external URL)."""
        from planetinfer.characterisation.report import render

        return render(self)

    def save_html(self, path) -> None:
        from pathlib import Path

        Path(path).write_text(self.html(), encoding="utf-8")

    def summary_row(self) -> dict:
        """One flat row for catalogue tables (Parquet)."""
        from planetinfer.characterisation.summary import flat_row

        return flat_row(self.report)


def characterise(planet: str | None = None, *, catalog=None, mass=None, mass_err=None,
                 mass_err_lower=None, radius=None, radius_err=None, radius_err_lower=None,
                 teq=None, teq_err=None, flux=None, flux_err=None, mstar=None, rstar=None,
                 teff=None, a_au=None, age_gyr=None, k2=None, k2_err=None,
                 mass_upper_limit=None, draws: int = 1000, samples: int = 10_000,
                 tracks: int = 32, seed: int = 0) -> Characterisation:  # fmt: skip
    """Characterise one planet from a catalogue row or from explicit values.

    planet + catalog: a name looked up in a NASA Exoplanet Archive PSCompPars CSV export (a
    path, or the export already read by planetinfer.catalog.read_pscomppars); only age_gyr may
    be added to it (any other value below is refused with InputError, not ignored). Otherwise
    give radius [R_E]
    and its error, mstar [M_sun], and Teq [K] or what derives it (a_au [AU] with rstar [R_sun]
    and teff [K], or flux [S_E]); mass [M_E] with its errors (omit it, or give only
    mass_upper_limit, to predict it from radius and flux); age_gyr (default: 5 Gyr, stated);
    k2 with k2_err selects the k2 network. draws: input draws; samples: interior samples;
    tracks: evolution draws; seed: every random step.

    >>> report = characterise(mass=8.41, mass_err=0.36, radius=2.733, radius_err=0.033,
    ...                       teq=567.0, mstar=0.182, a_au=0.01505, samples=2000, draws=200,
    ...                       tracks=8).to_dict()
    >>> report["interior"]["status"], report["mass"]["kind"]
    ('ok', 'measured')
    """
    from planetinfer.characterisation.run import run_chain

    if planet is not None:
        from planetinfer.errors import InputError

        if catalog is None:
            raise InputError("planet lookup needs catalog (a PSCompPars CSV export)")
        explicit = {"mass": mass, "mass_err": mass_err, "mass_err_lower": mass_err_lower,
                    "radius": radius, "radius_err": radius_err,
                    "radius_err_lower": radius_err_lower, "teq": teq, "teq_err": teq_err,
                    "flux": flux, "flux_err": flux_err, "mstar": mstar, "rstar": rstar,
                    "teff": teff, "a_au": a_au, "k2": k2, "k2_err": k2_err,
                    "mass_upper_limit": mass_upper_limit}  # fmt: skip
        given = [name for name, value in explicit.items() if value is not None]
        if given:  # said, not silently dropped: a named planet takes the catalogue's values
            raise InputError(f"{given[0]}: a catalogue planet ({planet!r}) takes its values from "
                             "the catalogue (only age_gyr can be added); give the planet's "
                             "values without a name to use your own")  # fmt: skip
        from planetinfer.catalog import find_planet, read_pscomppars

        table = catalog if hasattr(catalog, "columns") else read_pscomppars(catalog)
        inputs = from_catalog_row(find_planet(table, planet), age_gyr)
    else:
        inputs = explicit_inputs(mass=mass, mass_err=mass_err, mass_err_lower=mass_err_lower,
                                 radius=radius, radius_err=radius_err,
                                 radius_err_lower=radius_err_lower, teq=teq, teq_err=teq_err,
                                 flux=flux, flux_err=flux_err, mstar=mstar, rstar=rstar,
                                 teff=teff, a_au=a_au, age_gyr=age_gyr, k2=k2, k2_err=k2_err,
                                 mass_upper_limit=mass_upper_limit)  # fmt: skip
    return run_chain(inputs, draws=draws, samples=samples, tracks=tracks, seed=seed)


def explicit_inputs(*, mass, mass_err, mass_err_lower, radius, radius_err, radius_err_lower,
                    teq, teq_err, flux, flux_err, mstar, rstar, teff, a_au, age_gyr, k2, k2_err,
                    mass_upper_limit, name: str = "planet") -> PlanetInputs:  # fmt: skip
    """PlanetInputs from explicit values (Earth units, K, M_sun, R_sun, AU, Gyr)."""
    from planetinfer.api import inputs as I
    from planetinfer.errors import InputError

    def number(value, label, unit=""):
        return None if value is None else float(I.as_array(value, label, unit))

    def measured(value, err, err_lower, label, unit):
        if value is None:
            return None
        up = number(err, f"{label}_err", unit) or 0.0
        low = number(err_lower, f"{label}_err_lower", unit)
        return Value(number(value, label, unit), up, up if low is None else low, "given")

    if radius is None or mstar is None:
        raise InputError("radius and mstar are required (or a planet name with a catalog)")
    mass_value = measured(mass, mass_err, mass_err_lower, "mass", "M_E")
    if mass_value is not None and mass_value.value <= 0:
        raise InputError(f"mass = {mass_value.value:g} M_E is outside the valid range (0, inf)")
    limit = number(mass_upper_limit, "mass_upper_limit", "M_E")
    kind = "measured" if mass_value is not None else (
        "upper_limit" if limit is not None else "missing")  # fmt: skip
    return complete(
        name, radius=measured(radius, radius_err, radius_err_lower, "radius", "R_E"),
        mass=mass_value, mass_kind=kind, mstar=number(mstar, "mstar", "M_sun"),
        teq=measured(teq, teq_err, None, "teq", "K"),
        flux=measured(flux, flux_err, None, "flux", "S_E"), a_au=number(a_au, "a_au", "AU"),
        rstar=number(rstar, "rstar", "R_sun"), teff=number(teff, "teff", "K"),
        age_gyr=number(age_gyr, "age_gyr", "Gyr"), mass_upper_limit=limit,
        k2=measured(k2, k2_err, None, "k2", ""),
    )  # fmt: skip
