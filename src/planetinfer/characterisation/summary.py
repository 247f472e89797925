"""One flat row per planet for catalogue tables: the headline numbers of a report."""

from __future__ import annotations

import math

FRACTIONS = ("core_mass_fraction", "water_mass_fraction", "envelope_mass_fraction",
             "envelope_radius_fraction")  # fmt: skip


def _get(d, *keys):
    for key in keys:
        if not isinstance(d, dict) or d.get(key) is None:
            return math.nan
        d = d[key]
    return d


def flat_row(report: dict) -> dict:
    """Planet, inputs, mass quantiles, interior medians and P(absent), rates, P(envelope)."""
    inputs, interior = report["inputs"], report["interior"]
    row = {"planet": report["planet"], "status": "ok", "reason": "",
           "mass_kind": inputs["mass_kind"], "radius": inputs["radius"]["value"],
           "teq": inputs["teq"]["value"], "flux": inputs["flux"]["value"],
           "mstar": inputs["mstar"], "a_au": inputs["a_au"],
           "age_gyr": inputs["age_gyr"]["value"],
           "mass_p16": _get(report, "mass", "quantiles", "p16"),
           "mass_p50": _get(report, "mass", "quantiles", "p50"),
           "mass_p84": _get(report, "mass", "quantiles", "p84"),
           "interior_status": interior["status"], "interior_in_domain": interior["in_domain"],
           "p_no_water": _get(interior, "p_no_water"),
           "p_no_envelope": _get(interior, "p_no_envelope")}  # fmt: skip
    for name in FRACTIONS:
        row[f"{name}_p50"] = _get(interior, name, "p50")
    for method in ("energy-limited", "network"):
        row[f"mdot_{method}_p50_g_s"] = _get(report, "escape", "methods", method, "mdot_g_s", "p50")
    evolution = report["evolution"].get("methods", {})
    for method in ("network", "energy-limited"):
        for age in ("5", "10"):
            row[f"p_envelope_{age}gyr_{method}"] = _get(evolution, method, "p_envelope_at_gyr", age)
        row[f"lifetime_p50_gyr_{method}"] = _get(evolution, method, "lifetime_gyr", "p50")
    row["n_flags"] = len(report["flags"])
    return row
