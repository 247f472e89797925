"""`planetinfer.solve_structure`: radius, k2 and moment of inertia of layered planets.

The forward model of structure/ (hydrostatic, layered: iron core, silicate mantle, water,
H/He envelope; Baumeister et al. 2020 or Seager et al. 2007 equations of state), vectorised
over planets. Units at this edge: mass [M_E], Teq [K], radii [R_E]; layer fractions by mass.

The name is not `structure` because `planetinfer.structure` is the package of the solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planetinfer import jsonout
from planetinfer.api import inputs as I
from planetinfer.api.result import Result, frame

LAYERS = ("core", "mantle", "water", "envelope")
SCALARS = ("radius_earth", "k2", "moment_of_inertia", "central_pressure_pa",
           "central_temperature_k")  # fmt: skip


@dataclass(frozen=True)
class StructureTable(Result):
    """Solved planets: inputs and outputs as (n,) arrays, radius fractions (n, 4).

    inputs: mass [M_E], core, mantle, water, envelope (mass fractions), teq [K];
    outputs: radius_earth [R_E], k2, moment_of_inertia (C/MR^2), central_pressure_pa,
    central_temperature_k, radius_fractions (n, 4) (layer thickness / R), status (n,) int
    (0 ok; see structure.STATUS_MEANING); profiles: radial profiles when asked for.
    """

    names: list
    inputs: dict
    outputs: dict
    model: dict
    profiles: dict | None = None

    def __len__(self) -> int:
        return len(self.names)

    def __getattr__(self, name):  # radius_earth, k2, ... as attributes
        outputs = self.__dict__.get("outputs", {})
        if name in outputs:
            return outputs[name]
        raise AttributeError(name)

    def planet_dict(self, i: int) -> dict:
        from planetinfer.structure import STATUS_MEANING

        status = int(self.outputs["status"][i])
        out = {"name": self.names[i],
               "mass_earth": float(self.inputs["mass"][i]),
               "mass_fractions": {k: float(self.inputs[k][i]) for k in LAYERS},
               "teq_k": float(self.inputs["teq"][i]),
               **{k: float(self.outputs[k][i]) for k in SCALARS},
               "radius_fractions": dict(zip(LAYERS, map(float, self.outputs["radius_fractions"][i]),
                                            strict=True)),
               "status": STATUS_MEANING[status], "status_code": status}  # fmt: skip
        if status != 0:
            out["reason"] = f"the solve failed: {STATUS_MEANING[status]}"
        else:
            found = self.problems(i)
            out["physical"] = not found
            if found:
                out["warnings"] = found
        return out

    def problems(self, i: int) -> list[str]:
        """The physical bounds planet i breaks (structure/plausibility.py); empty if none."""
        from planetinfer.constants import M_EARTH, R_EARTH
        from planetinfer.structure.plausibility import problems

        return problems(float(self.outputs["radius_earth"][i]) * R_EARTH,
                        float(self.outputs["k2"][i]), float(self.outputs["moment_of_inertia"][i]),
                        float(self.inputs["mass"][i]) * M_EARTH, float(self.inputs["teq"][i]),
                        float(self.inputs["envelope"][i]),
                        self.model.get("envelope_model", "cold"))  # fmt: skip

    def to_dict(self) -> dict:
        return jsonout.jsonable(
            {"model": self.model, "planets": [self.planet_dict(i) for i in range(len(self))]}
        )

    def to_frame(self):
        """pandas DataFrame, one row per planet: inputs, outputs, radius fractions, status and
        physical (solved and inside the bounds of structure/plausibility.py)."""
        rows = []
        for i in range(len(self)):
            row = {k: float(v[i]) for k, v in self.inputs.items()}
            row.update({k: float(self.outputs[k][i]) for k in SCALARS})
            row.update({f"{layer}_radius_fraction": float(self.outputs["radius_fractions"][i, j])
                        for j, layer in enumerate(LAYERS)})  # fmt: skip
            row["status"] = int(self.outputs["status"][i])
            row["physical"] = row["status"] == 0 and not self.problems(i)
            rows.append(row)
        return frame(rows, self.names)

    def plot(self, planet: int = 0):
        """Radial profiles of one planet (solve with profiles=True); returns the figure."""
        from planetinfer.errors import InputError
        from planetinfer.plots.structure import profiles

        if self.profiles is None:
            raise InputError("no profiles: call solve_structure(..., profiles=True)")
        from planetinfer.plots._common import composition_label

        row = self.planet_dict(planet)
        fractions = [row["mass_fractions"][layer] for layer in LAYERS]
        name = "" if row["name"] in ("planet", "", None) else f"{row['name']}: "
        title = (f"{name}{row['mass_earth']:.3g} M$_\\oplus$, "
                 f"{composition_label(fractions)}, Teq {row['teq_k']:.0f} K\n"
                 f"R = {row['radius_earth']:.3f} R$_\\oplus$, "
                 f"k2 = {row['k2']:.3f}, C/MR$^2$ = {row['moment_of_inertia']:.3f}")  # fmt: skip
        fig, _ = profiles({k: v[planet] for k, v in self.profiles.items()}, title=title)
        return fig


def solve_structure(mass, core, mantle, water=0.0, envelope=0.0, teq=255.0, *,
                    model: str = "baumeister2020", envelope_model: str = "cold",
                    profiles: bool = False, names=None) -> StructureTable:  # fmt: skip
    """Structure of layered planets from mass [M_E], layer mass fractions and Teq [K].

    mass, core, mantle, water, envelope, teq: scalars, arrays, pandas Series or Quantities;
    the four fractions must sum to 1 for every planet. model: "baumeister2020" or
    "seager2007"; envelope_model: "cold" (zero-temperature H/He) or "teq" (isothermal at Teq
    above the radiative-convective boundary). A planet that fails to converge comes back with
    status != 0 and NaN outputs; it never raises. Uses JAX (compiled once per machine; later
    processes load the compiled solver from the cache).

    >>> earth = solve_structure(1.0, core=0.325, mantle=0.675)
    >>> round(float(earth.radius_earth[0]), 2)
    0.99
    """
    from planetinfer.constants import R_EARTH
    from planetinfer.errors import InputError
    from planetinfer.structure import solve_batch

    given = {"mass": mass, "core": core, "mantle": mantle, "water": water,
             "envelope": envelope, "teq": teq}  # fmt: skip
    index = I.planet_index(given)
    values, n = I.broadcast(given, {"mass": "M_E", "teq": "K"})
    fractions = np.stack([values[k] for k in LAYERS], axis=1)
    total = fractions.sum(axis=1)
    if np.any(np.abs(total - 1.0) > 1e-6):
        i = int(np.argmax(np.abs(total - 1.0) > 1e-6))
        raise InputError(f"mass fractions core {fractions[i, 0]:g}, mantle {fractions[i, 1]:g}, "
                         f"water {fractions[i, 2]:g}, envelope {fractions[i, 3]:g} sum to "
                         f"{total[i]:.6g}; they must sum to 1")  # fmt: skip
    out = solve_batch(values["mass"], fractions, values["teq"], model=model,
                      envelope=envelope_model, profiles=profiles)  # fmt: skip
    outputs = {"radius_earth": out["radius"] / R_EARTH, "k2": out["k2"],
               "moment_of_inertia": out["moment_of_inertia"],
               "central_pressure_pa": out["central_pressure"],
               "central_temperature_k": out["central_temperature"],
               "radius_fractions": out["radius_fractions"], "status": out["status"],
               "layer_outer_radii_m": out["layer_outer_radii"]}  # fmt: skip
    profile = None
    if profiles:
        profile = {k: v.reshape(n, -1) for k, v in out["profile"].items()}
        profile["layer"] = np.broadcast_to(
            np.repeat(np.arange(4), out["profile"]["radius"].shape[-1]), (n, profile["radius"].shape[1]))  # fmt: skip
        if envelope_model == "teq":
            profile = _with_isothermal_layer(profile, values, out["status"], model)
    return StructureTable(I.planet_names(names, index, n), values, outputs,
                          {"model": model, "envelope_model": envelope_model}, profile)  # fmt: skip


def _with_isothermal_layer(profile: dict, values: dict, status, model: str) -> dict:
    """The profiles with the Teq envelope's isothermal layer appended (structure/
    isothermal_profile.py); planets without one repeat their top row (a layer of no thickness,
    which figures and tables leave out). The solved envelope's rows get the temperature of the
    envelope model: the adiabat T = Teq (rho/rho_rcb)^(gamma_ad - 1) below the RCB
    (eos/envelope.py), which its equation of state uses, not Teq throughout."""
    from planetinfer.constants import M_EARTH
    from planetinfer.eos.envelope import envelope_temperature
    from planetinfer.structure.isothermal_profile import ROWS, isothermal_rows
    from planetinfer.structure.presets import build_model

    config = build_model(model, envelope="teq")
    in_envelope = profile["layer"] == 3
    if in_envelope.any():
        teq = np.asarray(values["teq"], float)[:, None]
        adiabat = np.asarray(envelope_temperature(profile["pressure"], profile["density"], teq,
                                                  p_rcb=config.p_rcb))  # fmt: skip
        profile = {**profile, "temperature": np.where(in_envelope, adiabat, profile["temperature"])}
    keys = ("radius", "mass", "pressure", "temperature", "density", "gravity")
    extra = {k: np.repeat(profile[k][:, -1:], ROWS, axis=1) for k in keys}
    for i in range(profile["radius"].shape[0]):
        mass = float(values["mass"][i]) * M_EARTH
        rows = None if status[i] != 0 else isothermal_rows(
            float(profile["radius"][i, -1]), mass, mass * float(values["envelope"][i]),
            float(values["teq"][i]), config.p_rcb, config.surface_pressure)  # fmt: skip
        for k in keys if rows is not None else ():
            extra[k][i] = rows[k]
    out = {k: np.concatenate([profile[k], extra[k]], axis=1) for k in keys}
    out["layer"] = np.concatenate([profile["layer"], np.full((len(out["radius"]), ROWS), 3)],
                                  axis=1)  # fmt: skip
    return out
