"""`planetinfer.escape_rate` and `planetinfer.evolve`: atmospheric mass loss now and over time.

Units at this edge (as on the CLI): masses [M_E], radii [R_E], M* [M_sun], Teq [K], F_EUV
[erg s^-1 cm^-2], a [AU], ages [Gyr], rates [g s^-1]. Inside, escape/ is SI.

Where the orbit is not given it is derived, and the result says how: from the Kubyshkina &
Fossati grid's a(M*, Teq) table when its folder is given (`grid`), else from Teq and the
main-sequence luminosity L(M*) with zero albedo, a = sqrt(L / (16 pi sigma Teq^4)).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from planetinfer import constants as C
from planetinfer import jsonout
from planetinfer.api import inputs as I
from planetinfer.api.result import Result, frame
from planetinfer.errors import InputError, check_range

RATE_METHODS = ("network", "energy-limited", "core-powered", "roche", "k18")
EVOLVE_METHODS = ("network", "energy-limited", "core-powered", "k18", "roche", "rbf", "nested_1d")
UNITS = {"mass": "M_E", "radius": "R_E", "mstar": "M_sun", "teq": "K",
         "feuv": "erg s^-1 cm^-2", "a_au": "AU"}  # fmt: skip
UNDEFINED = "undefined: the Roche lobe lies inside the planet (R_roche <= R_pl)"
LICENCE = "CC BY-NC 4.0 (network weights trained on the Kubyshkina & Fossati 2021 grid)"


@lru_cache(maxsize=4)
def load_network(model=None):
    """The escape network (shipped when model is None), kept in memory for later calls."""
    from planetinfer.escape import model_store

    return model_store.load_network(model) if model else model_store.load_shipped()


def orbit_from_teq(mstar, teq, grid=None) -> tuple[np.ndarray, str]:
    """(a [AU], how it was derived) for star masses [M_sun] and Teq [K] (arrays)."""
    if grid is not None:
        from planetinfer.escape.grid import load_teq_sma

        return load_teq_sma(grid).sma_au(mstar, teq), "a(M*, Teq) of the grid's teq-sma table"
    from planetinfer.escape.stellar import main_sequence_luminosity

    lum = np.vectorize(main_sequence_luminosity)(mstar)
    a = np.sqrt(lum / (16.0 * np.pi * C.SIGMA_SB * np.asarray(teq) ** 4)) / C.AU
    return a, "Teq and the main-sequence L(M*) (escape/stellar.py), zero albedo"


@dataclass(frozen=True)
class EscapeRates(Result):
    """Mass-loss rates of every method for each planet.

    names; inputs: {mass, radius, mstar, teq, feuv, a_au} (n,) arrays; a_au_source;
    diagnostics: jeans_parameter, roche_radius_rpl (in R_pl), k_tidal, photospheric_pressure_pa
    (n,); rates: method -> (n,) [g s^-1] (NaN where undefined); network_in_domain: (n,) bool.
    """

    names: list
    inputs: dict
    a_au_source: str
    diagnostics: dict
    rates: dict
    network_in_domain: np.ndarray | None

    def __len__(self) -> int:
        return len(self.names)

    def planet_dict(self, i: int) -> dict:
        out = {"name": self.names[i], "inputs": {k: float(v[i]) for k, v in self.inputs.items()},
               "a_au_source": self.a_au_source,
               **{k: float(v[i]) for k, v in self.diagnostics.items()}}  # fmt: skip
        for method, values in self.rates.items():
            entry = {"mdot_g_s": float(values[i])}
            if not np.isfinite(values[i]):
                entry["reason"] = UNDEFINED
            if method == "network":
                entry["in_domain"] = bool(self.network_in_domain[i])
                entry["licence"] = LICENCE
            out[method] = entry
        return out

    def to_dict(self) -> dict:
        units = {"mdot": "g s^-1", "mass": "M_E", "radius": "R_E", "mstar": "M_sun", "teq": "K",
                 "feuv": "erg s^-1 cm^-2", "a_au": "AU", "roche_radius_rpl": "planet radii",
                 "jeans_parameter": "1", "k_tidal": "1"}  # fmt: skip
        planets = [self.planet_dict(i) for i in range(len(self))]
        return jsonout.jsonable({"units": units, "planets": planets})

    def summary(self):
        """pandas DataFrame, one row per planet: inputs, diagnostics, mdot_<method>_g_s."""
        rows = []
        for i in range(len(self)):
            row = {k: float(v[i]) for k, v in {**self.inputs, **self.diagnostics}.items()}
            row.update({f"mdot_{m}_g_s": float(v[i]) for m, v in self.rates.items()})
            if self.network_in_domain is not None:
                row["network_in_domain"] = bool(self.network_in_domain[i])
            rows.append(row)
        return frame(rows, self.names)

    def plot(self, planet: int = 0):
        """Rates of every method for one planet; returns the figure."""
        from planetinfer.plots import escape as plots

        i = {k: float(v[planet]) for k, v in self.inputs.items()}
        name = self.names[planet]
        title = ("" if name in ("planet", "", None) else f"{name}: ") + (
            f"{i['mass']:.3g} M$_\\oplus$, {i['radius']:.3g} R$_\\oplus$, Teq {i['teq']:.0f} K, "
            f"{i['mstar']:.2g} M$_\\odot$, {i['a_au']:.3g} AU, F$_{{EUV}}$ {i['feuv']:.3g} erg s$^{{-1}}$ "
            "cm$^{-2}$")  # fmt: skip
        in_domain = (None if self.network_in_domain is None or "network" not in self.rates
                     else {"network": bool(self.network_in_domain[planet])})  # fmt: skip
        fig, _ = plots.plot_rates({m: float(v[planet]) for m, v in self.rates.items()},
                                  in_domain=in_domain, title=title)  # fmt: skip
        return fig


def escape_rate(mass, radius, mstar, teq, feuv, a_au=None, *, method="all", model=None,
                grid=None, names=None) -> EscapeRates:  # fmt: skip
    """Present-day mass-loss rates [g s^-1] of planets by every method.

    mass [M_E], radius [R_E], mstar [M_sun], teq [K], feuv [erg s^-1 cm^-2] (EUV flux at the
    orbit), a_au [AU] (default: derived, see the module): scalars, arrays, pandas Series or
    astropy Quantities. method: "all" or one of RATE_METHODS; model: an escape network header
    (default: the shipped one, CC BY-NC 4.0 weights); grid: the Kubyshkina & Fossati folder
    (for a(M*, Teq)). Energy-limited, core-powered and Roche-lobe rates are undefined (NaN in
    arrays, null with a reason in JSON) where the Roche lobe lies inside the planet.

    >>> rates = escape_rate(9.0, 3.0, 0.7, 1000.0, 1e4, a_au=0.0151, method="energy-limited")
    >>> bool(rates.rates["energy-limited"][0] > 0)
    True
    """
    from planetinfer.escape import rates as R

    methods = RATE_METHODS if method == "all" else (method,)
    if any(m not in RATE_METHODS for m in methods):
        raise InputError(f"method = {method!r} is not one of {('all', *RATE_METHODS)}")
    given = {"mass": mass, "radius": radius, "mstar": mstar, "teq": teq, "feuv": feuv,
             "a_au": a_au}  # fmt: skip
    index = I.planet_index(given)
    values, n = I.broadcast(given, UNITS)
    for name in ("mass", "radius", "mstar", "teq", "feuv"):
        check_range(name, values[name], 0.0, None, low_inclusive=False, unit=UNITS[name])
    if values["a_au"] is None:
        values["a_au"], source = orbit_from_teq(values["mstar"], values["teq"], grid)
        values["a_au"] = np.broadcast_to(values["a_au"], (n,)).astype(float)
    else:
        check_range("a_au", values["a_au"], 0.0, None, low_inclusive=False, unit="AU")
        source = "given"
    si = {"m_star": values["mstar"] * C.M_SUN, "teq": values["teq"], "a": values["a_au"] * C.AU,
          "f_euv": values["feuv"] * 1e-3, "r_pl": values["radius"] * C.R_EARTH,
          "m_pl": values["mass"] * C.M_EARTH}  # fmt: skip
    analytic = R.analytic_rates(**si)
    diagnostics = {"jeans_parameter": analytic["jeans_parameter"],
                   "roche_radius_rpl": analytic["roche_radius_m"] / si["r_pl"],
                   "k_tidal": analytic["k_tidal"],
                   "photospheric_pressure_pa": analytic["photospheric_pressure_pa"]}  # fmt: skip
    diagnostics = {k: np.broadcast_to(v, (n,)).astype(float) for k, v in diagnostics.items()}
    rates, inside = {}, None
    for m in methods:
        if m == "network":
            mdot, inside = R.learned_rate(load_network(None if model is None else str(model)),
                                          **si)  # fmt: skip
            rates[m] = mdot * 1e3
        else:
            rates[m] = np.broadcast_to(analytic[m] * 1e3, (n,)).astype(float)
    return EscapeRates(I.planet_names(names, index, n), values, source, diagnostics, rates, inside)


STAR_RANGE = (0.4, 1.3)  # [M_sun] the grid's stars (teq-sma table, KF21 grid)


def warn_star_outside(mstar: float) -> None:
    """One-line warning for a star outside the range the stellar history is made for."""
    lo, hi = STAR_RANGE
    if not lo <= mstar <= hi:
        warnings.warn(f"mstar = {mstar:g} M_sun is outside the {lo:g}-{hi:g} M_sun of the grid's "
                      "stars: its L_bol and XUV history (saturated, then t^-1.5) are "
                      "extrapolations, and the track is one", stacklevel=3)  # fmt: skip


@dataclass(frozen=True)
class EvolutionTracks(Result):
    """Envelope evolution of one planet under each escape method.

    inputs: mass [M_E], envelope, mstar [M_sun], a_au [AU], age_max_gyr; stellar_model: how L_bol
    was set; tracks: method -> pandas DataFrame (escape/evolve.py columns, one row per step).
    """

    inputs: dict
    stellar_model: str
    tracks: dict

    def method_summary(self, method: str) -> dict:
        t = self.tracks[method]
        gone = t["f_env"] <= 0
        active = t["f_env"].to_numpy() > 0  # rate evaluations happen while an envelope is left
        overflow = t["roche_overflow"].to_numpy() if "roche_overflow" in t else np.zeros(len(t), bool)
        if overflow.any():
            age = float(t["age_gyr"][overflow].iloc[0])
            return {"teq_k": float(t["teq_k"].iloc[0]), "roche_overflow_at_gyr": age,
                    "final_age_gyr": age, "final_radius_re": None, "final_f_env": None,
                    "envelope_lost_at_gyr": None, "fraction_in_domain": None,
                    "n_steps": int(len(t)),
                    "reason": f"the planet fills its Roche lobe at {age:.3g} Gyr (R_p >= "
                              "a (M_p / 3 M*)^(1/3)): its envelope flows out through L1, which "
                              "no escape rate describes; the track stops there"}  # fmt: skip
        return {
            "teq_k": float(t["teq_k"].iloc[0]),
            "final_age_gyr": float(t["age_gyr"].iloc[-1]),
            "final_radius_re": float(t["r_p_re"].iloc[-1]),
            "final_f_env": float(t["f_env"].iloc[-1]),
            "envelope_lost_at_gyr": float(t["age_gyr"][gone].iloc[0]) if gone.any() else None,
            "fraction_in_domain": (
                float(np.mean(t["in_domain"].to_numpy()[active])) if active.any() else None
            ),  # fmt: skip
            "n_steps": int(len(t)),
        }

    def to_dict(self) -> dict:
        return jsonout.jsonable({"inputs": self.inputs, "stellar_model": self.stellar_model,
                                 "methods": {m: self.method_summary(m) for m in self.tracks}})  # fmt: skip

    def to_frame(self):
        """Every track in one DataFrame with a `method` column."""
        import pandas as pd

        return pd.concat([t.assign(method=m) for m, t in self.tracks.items()], ignore_index=True)

    def plot(self):
        from planetinfer.plots import escape as plots

        i = self.inputs
        title = (f"{i['mass']:g} M$_\\oplus$ with {100 * i['envelope']:g} % H/He at "
                 f"{i['a_au']:g} AU from a {i['mstar']:g} M$_\\odot$ star")  # fmt: skip
        fig, _ = plots.plot_tracks(self.tracks, title=title)
        return fig


def _renamed_envelope(envelope, fenv):
    """The envelope fraction from envelope= or, for one release, the old keyword fenv=."""
    if fenv is not None:
        if envelope is not None:
            raise InputError("envelope: give envelope= or the old fenv=, not both")
        warnings.warn("evolve(fenv=...) is renamed evolve(envelope=...); fenv= will be removed "
                      "in the next release", DeprecationWarning, stacklevel=3)  # fmt: skip
        envelope = fenv
    if envelope is None:
        raise InputError("envelope (initial H/He envelope mass fraction, 0-0.99) is required")
    return envelope


def evolve(mass, envelope=None, mstar=None, a_au=None, *, method="network",
           age_max_gyr: float = 10.0, model=None, grid=None, fenv=None) -> EvolutionTracks:
    """Envelope mass fraction, radius and mass-loss rate of one planet from 10 Myr to
    age_max_gyr, under one or more escape methods (escape/evolve.py).

    mass [M_E] initial total mass, envelope initial H/He envelope mass fraction (the name
    `structure` and `characterise` use; the old keyword fenv= still works, with a
    DeprecationWarning), mstar [M_sun], a_au [AU]; method: one of EVOLVE_METHODS, a
    comma-separated list, or "all"; grid: the Kubyshkina & Fossati folder, needed by rbf and
    nested_1d and used for the stellar luminosity when given (its teq-sma table); without it
    L_bol follows the main-sequence relation, and the result says which (`stellar_model`).

    >>> tracks = evolve(9.0, 0.03, 0.5, 0.0151, method="energy-limited")
    >>> tracks.to_dict()["methods"]["energy-limited"]["envelope_lost_at_gyr"] < 1.0
    True
    """
    from planetinfer.escape import evolve as evo
    from planetinfer.escape import rates as R
    from planetinfer.escape import stellar

    envelope = _renamed_envelope(envelope, fenv)
    for name, value in (("mstar", mstar), ("a_au", a_au)):
        if value is None:
            raise InputError(f"{name} is required")
    mass, envelope, mstar, a_au = (float(I.as_array(v, k, UNITS.get(k, "")))
                                   for k, v in (("mass", mass), ("envelope", envelope),
                                                ("mstar", mstar), ("a_au", a_au)))  # fmt: skip
    check_range("mstar", mstar, 0.0, None, low_inclusive=False, unit="M_sun")
    check_range("a_au", a_au, 0.0, None, low_inclusive=False, unit="AU")
    check_range("mass", mass, 0.0, None, low_inclusive=False, unit="M_E")
    check_range("envelope", envelope, 0.0, 0.99)
    check_range("age_max_gyr", age_max_gyr, 0.02, 20.0, unit="Gyr")
    warn_star_outside(mstar)
    methods = EVOLVE_METHODS if method == "all" else tuple(m.strip() for m in method.split(","))
    if method == "all" and grid is None:  # the grid interpolators need the grid: said, not hidden
        methods = tuple(m for m in methods if m not in ("rbf", "nested_1d"))
        warnings.warn("method = 'all' without the grid folder: rbf and nested_1d left out "
                      "(they interpolate the grid; give grid=... / --grid)", stacklevel=2)  # fmt: skip
    for m in methods:
        if m not in EVOLVE_METHODS:
            raise InputError(f"method {m!r} is not one of {EVOLVE_METHODS} or 'all'")
    if grid is not None:
        from planetinfer.escape.grid import load_teq_sma

        star = stellar.star_from_teq_sma(mstar, load_teq_sma(grid))
        stellar_model = "L_bol from the grid's teq-sma table (MIST main sequence)"
    else:
        star = stellar.star_main_sequence(mstar)
        stellar_model = "L_bol from the main-sequence relation L ~ M^4 (M^2.3 below 0.43 M_sun)"
    settings = evo.EvolutionSettings(age_max=age_max_gyr * C.GYR)
    tracks = {}
    for m in methods:
        learned = None
        if m == "network":
            learned = load_network(None if model is None else str(model))
        elif m in ("rbf", "nested_1d"):
            if grid is None:
                raise InputError(f"method {m} needs the grid folder (grid=... / --grid)")
            from planetinfer.escape.grid import load_grid
            from planetinfer.escape.interpolate import make_method

            learned = make_method(m).fit(load_grid(grid))
        fn = R.rate_function(m, star.mass, learned)
        tracks[m] = evo.evolve_planet(star, a_au * C.AU, mass * C.M_EARTH, envelope, fn,
                                     settings)  # fmt: skip
    inputs = {"mass": mass, "envelope": envelope, "mstar": mstar, "a_au": a_au,
              "age_max_gyr": age_max_gyr}  # fmt: skip
    return EvolutionTracks(inputs, stellar_model, tracks)
