"""One mass-loss interface over analytic formulas and grid interpolators (SI in, kg/s out).

`analytic_rates` evaluates every analytic approximation for arrays of planets;
`learned_rate` evaluates a fitted interpolator (interpolate.py, or the shipped network) with
its in-domain flag; `rate_function` wraps either as the callable evolve.evolve_planet needs.
"""

from __future__ import annotations

import warnings

import numpy as np

from planetinfer.escape import formulas as F
from planetinfer.escape.features import warn_out_of_domain
from planetinfer.escape.grid import FEUV_CGS_TO_SI, KF21_UNITS

ANALYTIC_METHODS = ("energy-limited", "core-powered", "roche", "k18")


def analytic_rates(m_star, teq, a, f_euv, r_pl, m_pl, eta=F.ETA_DEFAULT, p_photo=None) -> dict:
    """Mass-loss rates [kg/s] of the analytic approximations, plus Lambda, R_roche, K.

    SI inputs (kg, K, m, W m^-2). p_photo [Pa] defaults to
    formulas.photospheric_pressure_placeholder (NOT the paper's Eq. 1; see its docstring).
    Rates are NaN where K is undefined (R_roche <= R_pl).
    """
    from planetinfer.errors import reject_quantities

    reject_quantities("escape.rates.analytic_rates", m_star=m_star, teq=teq, a=a, f_euv=f_euv,
                      r_pl=r_pl, m_pl=m_pl)  # fmt: skip
    if p_photo is None:
        p_photo = F.photospheric_pressure_placeholder(m_pl, r_pl, teq)
    lam = F.jeans_parameter(m_pl, r_pl, teq)
    r_roche = F.roche_radius(a, m_pl, m_star)
    k = F.k_tidal(a, m_pl, m_star, r_pl)
    r_eff = F.effective_xuv_radius(m_pl, r_pl, teq, p_photo)
    _, _, cp = F.core_powered_rates(m_pl, r_pl, teq, p_photo)
    out = {
        "jeans_parameter": lam,
        "roche_radius_m": r_roche,
        "k_tidal": k,
        "photospheric_pressure_pa": p_photo,
        "energy-limited": F.energy_limited_rate(f_euv, m_pl, r_pl, r_eff, k, eta),
        "core-powered": cp,
        "roche": F.roche_overflow_rate(m_pl, r_pl, teq, a, m_star, p_photo),
        "k18": F.kubyshkina2018_rate(f_euv, a, r_pl, lam),
    }
    return {key: np.asarray(value, dtype=float) for key, value in out.items()}


def query_from_si(m_star, teq, a, f_euv, r_pl, m_pl) -> dict:
    """Grid-unit query columns (dict of 1-D arrays) from SI inputs, with lam, k_tidal, lambda_k."""
    u = KF21_UNITS
    arrays = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, float)) for v in (m_star, teq, a, f_euv, r_pl, m_pl))
    )
    m_star, teq, a, f_euv, r_pl, m_pl = (v.ravel() for v in arrays)
    lam = np.asarray(F.jeans_parameter(m_pl, r_pl, teq, F.KF21))
    xi = np.asarray(F.roche_radius(a, m_pl, m_star)) / r_pl
    k = np.asarray(F.k_tidal_from_xi(xi))
    return {
        "mstar_msun": m_star / u.m_sun,
        "teq_k": teq,
        "a_au": a / u.au,
        "feuv_cgs": f_euv / FEUV_CGS_TO_SI,
        "r_re": r_pl / u.r_earth,
        "m_me": m_pl / u.m_earth,
        "lam": lam,
        "xi_roche": xi,
        "k_tidal": k,
        "lambda_k": lam * k,
    }


def learned_rate(method, m_star, teq, a, f_euv, r_pl, m_pl, warn=True):
    """(mdot [kg/s], in_domain) of a fitted interpolator for SI inputs (arrays broadcast).

    Planets outside the grid coverage (method.domain) get in_domain = False and a warning.
    """
    query = query_from_si(m_star, teq, a, f_euv, r_pl, m_pl)
    in_domain = method.domain.contains(query)
    if warn:
        warn_out_of_domain(in_domain, getattr(method, "name", "interpolator"))
    with np.errstate(over="ignore"):
        mdot = 10.0 ** np.asarray(method.predict(query), dtype=float) * 1e-3
    return mdot, in_domain


def rate_function(method_name: str, star_mass, learned=None, eta=F.ETA_DEFAULT):
    """Callable (age, m_p, r_p, teq, f_euv, a) -> (mdot [kg/s], in_domain) for evolve_planet.

    method_name: one of ANALYTIC_METHODS, or any other label with `learned` a fitted
    interpolator (network, rbf, nested_1d). star_mass [kg].
    """
    warned = {"done": False}

    def call(age, m_p, r_p, teq, f_euv, a):
        if method_name in ANALYTIC_METHODS:
            rates = analytic_rates(star_mass, teq, a, f_euv, r_p, m_p, eta)
            value = float(rates[method_name][0] if rates[method_name].ndim else rates[method_name])
            return (value if np.isfinite(value) else 0.0), True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mdot, ok = learned_rate(learned, star_mass, teq, a, f_euv, r_p, m_p, warn=False)
        if not ok[0] and not warned["done"]:
            warned["done"] = True
            warnings.warn(
                f"{method_name}: part of the track lies outside the grid coverage (those "
                "steps are flagged in_domain = False)",
                stacklevel=2,
            )
        return float(mdot[0]), bool(ok[0])

    return call
