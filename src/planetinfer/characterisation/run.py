"""Run the chain for one planet and assemble its report (the JSON schema of docs/characterise.md).

report = {schema, planet, versions, inputs, mass, interior, escape, evolution, flags}: every
number of the HTML report, with null plus a reason where a step has nothing to say.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from planetinfer.characterisation import chain
from planetinfer.characterisation.inputs import PlanetInputs


def run_chain(inputs: PlanetInputs, *, draws: int = 1000, samples: int = 10_000,
              tracks: int = 32, seed: int = 0):  # fmt: skip
    """Characterisation of one planet (api/characterise.py)."""
    from planetinfer.api.characterise import SCHEMA, Characterisation
    from planetinfer.errors import check_range

    check_range("draws", draws, 10, 100_000)
    check_range("samples", samples, 100, 1_000_000)
    check_range("tracks", tracks, 1, 1000)
    settings = chain.ChainSettings(draws=draws, samples=max(samples, draws), tracks=tracks,
                                   seed=seed)  # fmt: skip
    rng = np.random.default_rng(seed)
    mass, mass_section = chain.mass_step(inputs, settings, rng)
    row, posterior, raw = chain.interior_step(inputs, mass, settings, rng)
    used = row.get("input_draws", raw)
    escape = chain.escape_step(inputs, row, raw, used, settings, rng)
    evolution = chain.evolution_step(inputs, row, used, settings, rng)
    interior = {**posterior.planet_dict(0), "model": posterior.model,
                "warnings": row.get("warnings", [])}  # fmt: skip
    interior.pop("inputs", None)
    report = {
        "schema": SCHEMA,
        "planet": inputs.name,
        "versions": versions(posterior.model),
        "settings": {
            "draws": draws,
            "samples": settings.samples,
            "tracks": tracks,
            "seed": seed,
        },  # fmt: skip
        "inputs": inputs.to_dict(),
        "mass": mass_section,
        "interior": interior,
        "escape": {k: v for k, v in escape.items() if not k.startswith("_")},
        "evolution": {k: v for k, v in evolution.items() if not k.startswith("_")},
    }
    report["flags"] = flags(report)
    return Characterisation(report, inputs, posterior, escape.get("_rates", {}),
                            evolution.get("_tracks", {}))  # fmt: skip


def versions(interior_model: dict) -> dict:
    """Package and model versions behind a report."""
    import json

    from planetinfer import __version__
    from planetinfer.escape import model_store
    from planetinfer.mrf.shipped import DEFAULT_MODEL, model_file_stem, shipped_dir

    stem = model_file_stem(DEFAULT_MODEL)  # the relation the mass step predicts with
    mrf_header = json.loads((shipped_dir() / f"{stem}.json").read_text())
    snapshot = Path((mrf_header.get("data_snapshot") or {}).get("path") or "unknown export").name
    escape_header = json.loads(model_store.shipped_header_path().read_text())
    return {"planetinfer": __version__, "interior_network": interior_model["name"],
            "escape_network": escape_header["name"] + " (CC BY-NC 4.0 weights)",
            "mrf_posterior": f"{stem} ({mrf_header.get('model', DEFAULT_MODEL)} relation fitted "
                             f"to {mrf_header.get('n_planets', '?')} planets of {snapshot}, "
                             f"seed {mrf_header.get('seed', '?')})"}  # fmt: skip


def flags(report: dict) -> list[dict]:
    """Every step's domain flags, one line each: {"step", "message"}."""
    out = []
    for note in report["inputs"]["notes"]:
        out.append({"step": "inputs", "message": note})
    mass = report["mass"]
    if mass["kind"] == "minimum_mass":
        out.append({"step": "mass", "message": "the mass is M sin i, a lower limit"})
    if mass.get("in_domain") is False:
        out.append({"step": "mass", "message": "radius and flux lie outside the range of the "
                    "planets the mass-radius-flux relation was fitted to"})  # fmt: skip
    interior = report["interior"]
    if interior["status"] != "ok" or not interior["in_domain"]:
        reason = (interior.get("reason") or interior.get("domain_reason")
                  or "the inputs lie outside the network's training planets")  # fmt: skip
        out.append({"step": "interior", "message": f"interior: {interior['status']}; {reason}"})
    network = report["escape"].get("methods", {}).get("network")
    if network and network.get("in_domain_fraction", 1.0) < 1.0:
        out.append({"step": "escape", "message": f"network: only "
                    f"{100 * network['in_domain_fraction']:.0f} % of the draws lie inside the "
                    "hydrodynamic grid; the rest are extrapolations"})  # fmt: skip
    for section in ("escape", "evolution"):
        if "reason" in report[section]:
            out.append({"step": section, "message": report[section]["reason"]})
        if "note" in report[section]:
            out.append({"step": section, "message": report[section]["note"]})
    return out
