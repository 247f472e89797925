"""Evolution of a planet's envelope under atmospheric escape (in-house loop, SI inside).

Structure: rocky core R_core = R_E (M_core/M_E)^0.25 plus an H/He envelope of thickness
R_env from the Lopez & Fortney 2014 fit (ApJ 792, 1, Eq. 2-3; solar-metallicity ages exponent
-0.11; valid 1-20 M_E, f_env 0.1-20 %, 0.1-1000 F_E, 100 Myr-10 Gyr):
    R_env = 2.06 R_E (M_p/M_E)^-0.21 (f_env/0.05)^0.59 (F_p/F_E)^0.044 (age/5 Gyr)^-0.11.
Ages below 100 Myr use the 100 Myr radius (outside the fit). Teq and the bolometric flux come
from the orbit and the star's (constant) L_bol; F_EUV(t) from stellar.Star.

Integration: explicit steps in time, each capped so that the envelope loses at most `max_frac`
of itself and the time grows by at most a factor (1 + `max_dlogt`); the loss of each step is
exactly rate x step, so M_env(t) + integrated loss = M_env(0) holds to round-off. The track stops
when f_env <= `f_env_min` (envelope gone) or at `age_max`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planetinfer import constants as C
from planetinfer.errors import check_range
from planetinfer.escape import formulas as F
from planetinfer.escape.stellar import Star

F_EARTH = C.S_EARTH  # bolometric flux at Earth [W m^-2]


def core_radius(m_core):
    """Rocky core radius [m], R_E (M/M_E)^0.25 (Lopez & Fortney 2014 Eq. 1 core scaling)."""
    return C.R_EARTH * (np.asarray(m_core) / C.M_EARTH) ** 0.25


def envelope_thickness_lf14(m_p, f_env, f_bol, age):
    """Lopez & Fortney 2014 envelope thickness [m]; m_p [kg], f_bol [W m^-2], age [s]."""
    f_env = np.maximum(np.asarray(f_env, dtype=float), 0.0)
    age_gyr = np.maximum(np.asarray(age) / C.GYR, 0.1)
    return (
        2.06
        * C.R_EARTH
        * (np.asarray(m_p) / C.M_EARTH) ** -0.21
        * (f_env / 0.05) ** 0.59
        * (np.asarray(f_bol) / F_EARTH) ** 0.044
        * (age_gyr / 5.0) ** -0.11
    )


def planet_radius(m_core, m_env, f_bol, age):
    """Total radius [m] = core + LF14 envelope (core radius when m_env = 0)."""
    m_p = m_core + m_env
    return core_radius(m_core) + envelope_thickness_lf14(m_p, m_env / m_p, f_bol, age)


@dataclass(frozen=True)
class EvolutionSettings:
    """Integration settings; times in s."""

    age_start: float = 0.01 * C.GYR
    age_max: float = 10.0 * C.GYR
    max_frac: float = 0.01
    max_dlogt: float = 0.02
    f_env_min: float = 1.0e-4


def evolve_planet(star: Star, a, m_total, f_env, rate_fn, settings=EvolutionSettings()):
    """Integrate one planet. Returns a DataFrame, one row per step (SI plus convenience units).

    star: stellar.Star; a [m]; m_total [kg] initial total mass; f_env initial envelope mass
    fraction; rate_fn(age, m_p, r_p, teq, f_euv, a) -> (mdot [kg/s], in_domain bool), the
    escape backend (rates.rate_function). Columns: age_s, m_p_kg, m_env_kg, f_env, r_p_m,
    teq_k, f_euv_w_m2,
    mdot_kg_s, lost_kg (integrated loss so far), in_domain, roche_overflow (the planet fills its
    Roche lobe, R_p >= a (M_p / 3 M*)^(1/3): the track stops there with mdot NaN), plus age_gyr,
    r_p_re, m_p_me, mdot_g_s and f_euv_erg_s_cm2 in the units the command line speaks.
    """
    check_range("a", a, 0.0, None, low_inclusive=False, unit="m")
    check_range("m_total", m_total, 0.0, None, low_inclusive=False, unit="kg")
    check_range("f_env", f_env, 0.0, 0.99)
    m_core = m_total * (1.0 - f_env)
    m_env = m_total * f_env
    teq = float(star.teq(a))
    f_bol = float(star.bolometric_flux(a))
    age, lost, rows = settings.age_start, 0.0, []
    while True:
        m_p = m_core + m_env
        r_p = float(planet_radius(m_core, m_env, f_bol, age))
        f_euv = float(star.euv_flux(age, a))
        if m_env > 0.0 and r_p >= F.roche_radius(a, m_p, star.mass):
            # the planet fills its Roche lobe: gas leaves through L1 on a dynamical time, which no
            # escape rate here describes (they are undefined, xi <= 1): the track stops, flagged
            rows.append((age, m_p, m_env, m_env / m_p, r_p, teq, f_euv, np.nan, lost, False, True))
            break
        if m_env > 0.0:
            mdot, ok = rate_fn(age, m_p, r_p, teq, f_euv, a)
            mdot = max(float(mdot), 0.0)
        else:
            mdot, ok = 0.0, True
        rows.append((age, m_p, m_env, m_env / m_p, r_p, teq, f_euv, mdot, lost, bool(ok), False))
        if age >= settings.age_max * (1 - 1e-12):
            break
        if m_env <= 0.0:  # envelope gone (or none): nothing changes any more; close the track
            r_end = float(planet_radius(m_core, 0.0, f_bol, settings.age_max))
            rows.append(
                (
                    settings.age_max,
                    m_p,
                    0.0,
                    0.0,
                    r_end,
                    teq,
                    float(star.euv_flux(settings.age_max, a)),
                    0.0,
                    lost,
                    True,
                    False,
                )
            )
            break
        dt = min(settings.max_dlogt * age, settings.age_max - age)
        if mdot > 0.0:
            dt = min(dt, settings.max_frac * m_env / mdot)
            dt = max(dt, 1e-6 * age)  # never stall; the last step may remove the envelope
        loss = min(mdot * dt, m_env)
        m_env -= loss
        lost += loss
        age += dt
        if m_env / (m_core + m_env) <= settings.f_env_min and m_env > 0.0:
            lost += m_env  # the remnant below f_env_min is removed (envelope gone)
            m_env = 0.0
    track = pd.DataFrame(
        rows,
        columns=[
            "age_s",
            "m_p_kg",
            "m_env_kg",
            "f_env",
            "r_p_m",
            "teq_k",
            "f_euv_w_m2",
            "mdot_kg_s",
            "lost_kg",
            "in_domain",
            "roche_overflow",
        ],
    )
    track["age_gyr"] = track["age_s"] / C.GYR
    track["r_p_re"] = track["r_p_m"] / C.R_EARTH
    track["m_p_me"] = track["m_p_kg"] / C.M_EARTH
    track["mdot_g_s"] = track["mdot_kg_s"] * 1e3
    track["f_euv_erg_s_cm2"] = track["f_euv_w_m2"] * 1e3  # the unit --feuv takes
    return track
