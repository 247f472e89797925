"""The characterise chain for one planet: mass -> interior -> escape now -> evolution.

Uncertainties travel as samples from one step to the next, and every step calls the same public
functions as the single-capability API (api/mass.py, interior.predict, api/escape.py,
escape/evolve_batch.py), so its numbers equal theirs for the same samples and seed:

1. mass draws: the measured mass (split normal, truncated at 0), or, with no usable mass (none,
   an upper limit, or the archive's own mass-radius estimate), the mrf posterior predictive
   from radius and flux, truncated at the catalogue's upper limit when there is one;
2. interior: the (M, R, Teq[, k2]) network's posterior over joint draws of mass, radius, Teq;
3. escape now: every method's present-day rate over the input draws behind the posterior
   samples that hold an envelope (all draws when the interior is unavailable; none when
   P(envelope) < 1 %), with the star's EUV flux at the orbit from its luminosity and age
   (escape/stellar.py);
4. evolution: envelope tracks of `tracks` posterior samples with an envelope, from the present
   age to 10 Gyr, for the learned network and the energy-limited rate.

Every step flags what lies outside its domain and the chain carries on with the rest.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from planetinfer import constants as C
from planetinfer.characterisation.inputs import PlanetInputs, Value

QUANTILES = {"p2.5": 2.5, "p16": 16.0, "p50": 50.0, "p84": 84.0, "p97.5": 97.5}
RATE_METHODS = ("energy-limited", "core-powered", "roche", "k18", "network")
TRACK_METHODS = ("network", "energy-limited")
CHECK_AGES_GYR = (1.0, 5.0, 10.0)
END_AGE_GYR = 10.0
# below this P(envelope) the planet is treated as bare: rates over a handful of draws would
# describe the network's tails, not the planet
NO_ENVELOPE_BELOW = 0.01


@dataclass(frozen=True)
class ChainSettings:
    """draws: input draws per planet; samples: interior posterior samples; tracks: evolution
    draws; rate_draws: draws the present-day rates are evaluated on; seed: every random step."""

    draws: int = 1000
    samples: int = 10_000
    tracks: int = 32
    rate_draws: int = 1000
    seed: int = 0


def quantiles(values) -> dict | None:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    return {k: float(v) for k, v in zip(QUANTILES, np.percentile(values, list(QUANTILES.values())),
                                        strict=True)}  # fmt: skip


def split_normal(value: Value, n: int, rng) -> np.ndarray:
    """n draws of a split-normal value (err above, err_lower below), redrawn where <= 0."""
    z = rng.standard_normal(n)
    draws = value.value + np.where(z > 0, value.err, value.err_lower) * z
    for _ in range(100):  # truncation at 0 by rejection (rarely more than one pass)
        bad = draws <= 0
        if not bad.any():
            break
        z = rng.standard_normal(int(bad.sum()))
        draws[bad] = value.value + np.where(z > 0, value.err, value.err_lower) * z
    return np.where(draws > 0, draws, value.value)


def mass_step(inputs: PlanetInputs, settings: ChainSettings, rng) -> tuple[np.ndarray, dict]:
    """(mass draws [M_E] (n,), the mass section of the report)."""
    n = settings.draws
    if inputs.mass is not None:
        section = {"source": "measured" if inputs.mass_kind == "measured" else
                   "catalogue minimum mass (M sin i), used as the mass", "kind": inputs.mass_kind}  # fmt: skip
        draws = split_normal(inputs.mass, n, rng)
        return draws, {**section, "quantiles": quantiles(draws), "in_domain": None}
    from planetinfer.api.mass import predict_mass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prediction = predict_mass(inputs.radius.value, inputs.flux.value,
                                  radius_err=_mean_err(inputs.radius),
                                  flux_err=_mean_err(inputs.flux), samples=n, seed=settings.seed)  # fmt: skip
    draws = 10.0 ** prediction.log10_mass[0]
    if inputs.mass_kind == "upper_limit":
        why = f"only an upper limit ({inputs.mass_upper_limit:g} M_E)"
    elif inputs.mass_kind == "mr_relation":
        why = "the catalogue mass comes from a mass-radius relation, not a measurement"
    else:
        why = "no mass given"
    source = f"predicted by the mass-radius-flux relation from radius and flux ({why})"
    if inputs.mass_upper_limit is not None:
        below = draws[draws <= inputs.mass_upper_limit]
        if below.size:
            draws = rng.choice(below, n)
            source += "; draws above the upper limit removed"
    section = {"source": source, "kind": inputs.mass_kind, "quantiles": quantiles(draws),
               "in_domain": bool(prediction.in_domain[0]),
               "warnings": [str(w.message) for w in caught]}  # fmt: skip
    return draws, section


def _mean_err(value: Value) -> float:
    return 0.5 * (value.err + value.err_lower)


def interior_step(inputs: PlanetInputs, mass: np.ndarray, settings: ChainSettings, rng):
    """(predict row, InteriorPosterior, input draws (n, n_in)) for the joint input draws."""
    from planetinfer.api.interior import InteriorPosterior, load_model
    from planetinfer.interior import predict as P

    names = ("mass", "radius", "teq") + (("k2",) if inputs.k2 is not None else ())
    loaded = load_model(None, names)
    columns = {"mass": mass, "radius": split_normal(inputs.radius, mass.size, rng),
               "teq": split_normal(inputs.teq, mass.size, rng)}  # fmt: skip
    if inputs.k2 is not None:
        columns["k2"] = split_normal(inputs.k2, mass.size, rng)
    raw = np.column_stack([columns[k] for k in loaded.inputs])
    central = {k: float(np.median(columns[k])) for k in loaded.inputs}
    planet = P.Planet(central, samples=raw, name=inputs.name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = P.predict(loaded, [planet], settings.samples, settings.draws, settings.seed,
                         on_invalid="flag")  # fmt: skip
    rows[0]["warnings"] = [str(w.message) for w in caught]
    # the figure's title: the values of the report's input table where there is one (a
    # predicted mass has none: the median of its draws)
    shown = {**central, "radius": inputs.radius.value, "teq": inputs.teq.value}
    if inputs.mass is not None and "mass" in shown:
        shown["mass"] = inputs.mass.value
    if inputs.k2 is not None and "k2" in shown:
        shown["k2"] = inputs.k2.value
    rows[0]["inputs"] = shown
    return rows[0], InteriorPosterior.from_rows(rows, loaded), raw


def envelope_draws(row: dict, raw: np.ndarray):
    """(indices into the input draws of samples with an envelope, their envelope fractions,
    P(envelope)); None when the interior has no samples."""
    if row["status"] != "ok":
        return None
    f_env = row["samples"]["mass_fractions"][:, 3].astype(float)
    draw = np.arange(f_env.size) // row["samples_per_draw"]
    has = f_env > 0
    return draw[has], f_env[has], float(np.mean(has))


def star_of(inputs: PlanetInputs):
    from planetinfer.escape.stellar import Star

    return Star(inputs.mstar * C.M_SUN, inputs.lstar_lsun * C.L_SUN)


def escape_step(inputs: PlanetInputs, row: dict, raw: np.ndarray, used: np.ndarray,
                settings: ChainSettings, rng) -> dict:  # fmt: skip
    """Present-day rates of every method over the draws that hold an envelope."""
    from planetinfer.api.escape import escape_rate

    star = star_of(inputs)
    age_s = inputs.age_gyr.value * C.GYR
    feuv = float(star.euv_flux(age_s, inputs.a_au * C.AU)) * 1e3  # W m^-2 -> erg s^-1 cm^-2
    stellar = {"feuv_cgs": feuv, "age_gyr": inputs.age_gyr.value, "lstar_lsun": inputs.lstar_lsun,
               "xuv_history": "L_X = 10^-3.5 L_bol until 0.1 Gyr, then t^-1.5; "
                              "L_EUV from L_X (Sanz-Forcada et al. 2011)"}  # fmt: skip
    env = envelope_draws(row, used)
    if env is None:
        basis = "all input draws (the interior posterior is unavailable)"
        pick, p_env = np.arange(raw.shape[0]), None
    else:
        pick, _, p_env = env
        if p_env < NO_ENVELOPE_BELOW:
            return {"basis": "none", "p_envelope": p_env, "stellar": stellar, "methods": {},
                    "reason": f"P(envelope) = {p_env:.3f} < {NO_ENVELOPE_BELOW:g}: no H/He "
                              "envelope to lose"}  # fmt: skip
        basis = "input draws behind the posterior samples with an envelope"
        raw = used
    pick = rng.choice(pick, min(settings.rate_draws, pick.size), replace=False) if (
        pick.size > settings.rate_draws) else pick  # fmt: skip
    mass, radius, teq = (raw[pick, i] for i in range(3))  # columns as interior_step orders them
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rates = escape_rate(mass, radius, inputs.mstar, teq, feuv, inputs.a_au)
    methods = {}
    for m in RATE_METHODS:
        values = rates.rates[m]
        entry = {"mdot_g_s": quantiles(values), "n_defined": int(np.isfinite(values).sum())}
        if m == "network":
            entry["in_domain_fraction"] = float(np.mean(rates.network_in_domain))
        methods[m] = entry
    return {"basis": basis, "p_envelope": p_env, "n_draws": int(pick.size), "stellar": stellar,
            "jeans_parameter": quantiles(rates.diagnostics["jeans_parameter"]),
            "methods": methods, "warnings": sorted({str(w.message) for w in caught}),
            "_rates": rates.rates}  # fmt: skip


def evolution_step(inputs: PlanetInputs, row: dict, used: np.ndarray,
                   settings: ChainSettings, rng) -> dict:  # fmt: skip
    """Envelope tracks of posterior samples with an envelope, present age -> 10 Gyr."""
    from planetinfer.api.escape import load_network
    from planetinfer.escape.evolve import EvolutionSettings
    from planetinfer.escape.evolve_batch import batch_rate_function, evolve_draws

    start = inputs.age_gyr.value
    env = envelope_draws(row, used)
    if env is None:
        return {"reason": "needs the envelope fraction of the interior posterior, unavailable"}
    draw, f_env, p_env = env
    if p_env < NO_ENVELOPE_BELOW:
        return {"reason": f"P(envelope) = {p_env:.3f} < {NO_ENVELOPE_BELOW:g}: no envelope to "
                          "evolve", "p_envelope_now": p_env}  # fmt: skip
    if start >= END_AGE_GYR:
        return {"reason": f"the star is already {start:g} Gyr old (tracks end at 10 Gyr)"}
    chosen = rng.choice(draw.size, min(settings.tracks, draw.size), replace=False)
    mass, f_env = used[draw[chosen], 0], f_env[chosen]
    star = star_of(inputs)
    steps = EvolutionSettings(age_start=start * C.GYR, age_max=END_AGE_GYR * C.GYR)
    out = {"start_age_gyr": start, "end_age_gyr": END_AGE_GYR, "n_tracks": int(chosen.size),
           "p_envelope_now": p_env, "methods": {}, "_tracks": {}}  # fmt: skip
    if np.any(f_env > 0.2) or np.any(mass > 20.0):
        out["note"] = ("some tracks lie outside the Lopez & Fortney 2014 radius fit "
                       "(f_env 0.1-20 %, 1-20 M_E)")  # fmt: skip
    for method in TRACK_METHODS:
        learned = load_network() if method == "network" else None
        fn = batch_rate_function(method, star.mass, learned)
        tracks = evolve_draws(star, inputs.a_au * C.AU, mass * C.M_EARTH, f_env, fn, steps)
        # a draw that fills its Roche lobe loses its envelope through L1: counted as lost there
        roche = tracks["roche_overflow_at_s"] / C.GYR
        lost = np.where(np.isfinite(roche), roche, tracks["lost_at_s"] / C.GYR)
        keeps = {f"{t:g}": (float(np.mean(np.isnan(lost) | (lost > t))) * p_env if t >= start
                            else None) for t in CHECK_AGES_GYR}  # fmt: skip
        calls = tracks["n_rate_calls"].sum()
        out["methods"][method] = {
            "p_envelope_at_gyr": keeps,
            "lifetime_gyr": quantiles(lost[np.isfinite(lost)] - start),
            "fraction_lost_by_end": float(np.mean(np.isfinite(lost))),
            "fraction_in_domain": float(tracks["n_in_domain"].sum() / calls) if calls else None,
            "fraction_roche_overflow": float(np.mean(np.isfinite(roche))),
        }
        out["_tracks"][method] = tracks
    return out
