"""Composition curves for the mass-radius diagram of the report, from our structure model.

Radius against mass at fixed layer mass fractions (structure.curve.mass_radius_curve, the
baumeister2020 preset), for 0.1-30 M_E. The condensed curves are at the preset's 300 K adiabat
anchor; the H/He curve uses the Teq envelope at 500 K (isothermal above 100 bar, adiabatic
below; docs/structure.md): the zero-temperature envelope would put 1 % H/He on the pure-rock
curve, which no warm planet follows. They are computed once by
`python -m planetinfer.characterisation.curves` (about a minute: the solver compiles) and shipped
as data/composition_curves.csv, whose first line records that command, so a report never waits
for the solver.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import numpy as np

# label -> (core, mantle, water, envelope) mass fractions
CURVES = {
    "pure iron": (1.0, 0.0, 0.0, 0.0),
    "Earth-like (32.5 % iron)": (0.325, 0.675, 0.0, 0.0),
    "pure rock": (0.0, 1.0, 0.0, 0.0),
    "50 % water": (0.1625, 0.3375, 0.5, 0.0),
    "1 % H/He on Earth-like, Teq 500 K": (0.32175, 0.66825, 0.0, 0.01),
}
# label -> solver options where a curve needs its own (the envelope's temperature)
OPTIONS = {"1 % H/He on Earth-like, Teq 500 K": {"envelope": "teq", "teq": 500.0}}
MASS_RANGE = (0.1, 30.0, 30)
COMMAND = "python -m planetinfer.characterisation.curves"


def shipped_path() -> Path:
    return Path(
        str(resources.files("planetinfer.characterisation") / "data" / "composition_curves.csv")
    )


def compute() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{label: (mass [M_E], radius [R_E])} from the structure model (converged points only)."""
    from planetinfer.structure.curve import mass_radius_curve

    out = {}
    for label, fractions in CURVES.items():
        curve = mass_radius_curve(fractions, *MASS_RANGE, model="baumeister2020",
                                  **OPTIONS.get(label, {}))  # fmt: skip
        ok = curve["status"] == 0
        out[label] = (curve["mass_earth"][ok], curve["radius_earth"][ok])
    return out


def write(path: Path) -> None:
    from planetinfer import __version__

    lines = [f"# {COMMAND} (planetinfer {__version__}; baumeister2020; the H/He curve with the "
             "Teq envelope at 500 K)",
             "curve,mass_earth,radius_earth"]  # fmt: skip
    for label, (mass, radius) in compute().items():
        lines += [f"{label},{m:.6g},{r:.6g}" for m, r in zip(mass, radius, strict=True)]
    path.write_text("\n".join(lines) + "\n")


def load() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The shipped curves {label: (mass [M_E], radius [R_E])}; empty if the file is missing."""
    path = shipped_path()
    if not path.is_file():
        return {}
    curves: dict[str, list] = {}
    for line in path.read_text().splitlines()[2:]:
        label, mass, radius = line.rsplit(",", 2)
        curves.setdefault(label, []).append((float(mass), float(radius)))
    return {k: (np.array(v)[:, 0], np.array(v)[:, 1]) for k, v in curves.items()}


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else shipped_path())
