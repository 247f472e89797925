"""Envelope evolution of many draws of one planet at once (arrays), as escape/evolve.py.

The same structure (rocky core plus the Lopez & Fortney 2014 envelope), the same star and the
same step rule as `evolve.evolve_planet`, applied to k draws (total mass, envelope fraction) in
lockstep: each draw keeps its own age and step, and one vectorised rate evaluation serves all
draws still holding an envelope. A draw's track equals `evolve_planet`'s for the same inputs to
round-off (tests); a few dozen posterior draws cost about as much as one scalar track.
"""

from __future__ import annotations

import numpy as np

from planetinfer.escape import formulas as F
from planetinfer.escape import rates as R
from planetinfer.escape.evolve import EvolutionSettings, planet_radius
from planetinfer.escape.stellar import Star


def batch_rate_function(method_name: str, star_mass: float, learned=None):
    """(age, m_p, r_p, teq, f_euv, a) arrays -> (mdot [kg/s] (k,), in_domain (k,) bool).

    Analytic methods (rates.ANALYTIC_METHODS) give 0 where undefined, as rates.rate_function;
    any other label evaluates `learned` (a fitted interpolator or the shipped network).
    """

    def call(age, m_p, r_p, teq, f_euv, a):
        if method_name in R.ANALYTIC_METHODS:
            value = R.analytic_rates(star_mass, teq, a, f_euv, r_p, m_p)[method_name]
            value = np.broadcast_to(value, np.shape(m_p))
            return np.where(np.isfinite(value), value, 0.0), np.ones(np.shape(m_p), bool)
        return R.learned_rate(learned, star_mass, teq, a, f_euv, r_p, m_p, warn=False)

    return call


def evolve_draws(star: Star, a: float, m_total, f_env, rate_fn,
                 settings: EvolutionSettings = EvolutionSettings()) -> dict:  # fmt: skip
    """Integrate k draws of one planet; a [m]; m_total [kg] (k,); f_env (k,) initial fractions.

    Returns arrays: lost_at_s (k,) age at which the envelope is gone (NaN if it survives to
    settings.age_max), roche_overflow_at_s (k,) age at which the draw fills its Roche lobe and
    its track stops (NaN if never), final_f_env (k,), final_radius_m (k,), n_rate_calls (k,) and
    n_in_domain (k,) (rate evaluations, and those inside the method's domain), and the tracks
    age_s, f_env, radius_m as (steps, k) arrays (NaN after a draw's track has ended).
    """
    m_total = np.asarray(m_total, dtype=float)
    f_env = np.clip(np.asarray(f_env, dtype=float), 0.0, 0.99)
    m_core, m_env = m_total * (1.0 - f_env), m_total * f_env
    teq, f_bol = float(star.teq(a)), float(star.bolometric_flux(a))
    k = m_total.shape[0]
    age = np.full(k, settings.age_start)
    lost_at = np.where(m_env > 0.0, np.nan, settings.age_start)  # no envelope: gone at start
    calls, inside = np.zeros(k, int), np.zeros(k, int)
    running = np.ones(k, bool)
    history = []
    roche_at = np.full(k, np.nan)
    while running.any():
        r_p = planet_radius(m_core, m_env, f_bol, age)
        history.append((np.where(running, age, np.nan), np.where(running, m_env / (m_core + m_env),
                        np.nan), np.where(running, r_p, np.nan)))  # fmt: skip
        # a draw that fills its Roche lobe stops there, flagged (as evolve.evolve_planet)
        overflow = running & (m_env > 0.0) & (r_p >= F.roche_radius(a, m_core + m_env, star.mass))
        roche_at = np.where(overflow, age, roche_at)
        running &= ~overflow
        live = running & (m_env > 0.0)
        mdot = np.zeros(k)
        if live.any():
            rate, ok = rate_fn(age[live], (m_core + m_env)[live], r_p[live], teq,
                               star.euv_flux(age[live], a), a)  # fmt: skip
            mdot[live] = np.maximum(np.asarray(rate, dtype=float), 0.0)
            calls[live] += 1
            inside[live] += np.asarray(ok, dtype=bool)
        running &= (age < settings.age_max * (1 - 1e-12)) & (m_env > 0.0)
        dt = np.minimum(settings.max_dlogt * age, settings.age_max - age)
        with np.errstate(divide="ignore", invalid="ignore"):
            dt = np.where(mdot > 0.0, np.minimum(dt, settings.max_frac * m_env / mdot), dt)
        dt = np.where(mdot > 0.0, np.maximum(dt, 1e-6 * age), dt)
        loss = np.where(running, np.minimum(mdot * dt, m_env), 0.0)
        m_env = m_env - loss
        age = np.where(running, age + dt, age)
        remnant = running & (m_env > 0.0) & (m_env / (m_core + m_env) <= settings.f_env_min)
        m_env = np.where(remnant, 0.0, m_env)
        newly_gone = running & (m_env <= 0.0) & np.isnan(lost_at)
        lost_at = np.where(newly_gone, age, lost_at)
    ages, fractions, radii = (np.array(column) for column in zip(*history, strict=True))
    return {
        "lost_at_s": lost_at,
        "roche_overflow_at_s": roche_at,
        "final_f_env": m_env / (m_core + m_env),
        "final_radius_m": planet_radius(m_core, m_env, f_bol, settings.age_max),
        "n_rate_calls": calls,
        "n_in_domain": inside,
        "age_s": ages,
        "f_env": fractions,
        "radius_m": radii,
    }
