"""`planetinfer.interior_posterior`: layer mass and radius fractions from mass, radius, Teq, k2.

One call, vectorised over planets, on the shipped mixture density networks (interior/), in
Earth units and K like the CLI. The network is evaluated with NumPy (nothing is compiled), so
the first call in a fresh process answers in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from planetinfer import jsonout
from planetinfer.api import inputs as I
from planetinfer.api.result import Result, frame
from planetinfer.errors import InputError

UNITS = {"mass": "M_E", "radius": "R_E", "teq": "K", "k2": "",
         "mass_err": "M_E", "radius_err": "R_E", "teq_err": "K", "k2_err": "",
         "mass_err_lower": "M_E", "radius_err_lower": "R_E"}  # fmt: skip


@lru_cache(maxsize=8)
def _shipped(inputs: tuple[str, ...]):
    from planetinfer.interior import store

    return store.load_shipped(inputs)


def load_model(model=None, inputs: tuple[str, ...] = ("mass", "radius", "teq")):
    """A LoadedModel: `model` as a header path or shipped name, or the shipped network for the
    input set (kept in memory for later calls)."""
    from planetinfer.interior import store

    if model is None:
        return _shipped(tuple(inputs))
    return store.resolve(str(model), tuple(inputs))


@dataclass(frozen=True)
class InteriorPosterior(Result):
    """Posterior of the four layer mass and radius fractions of each planet.

    rows: one dict per planet as interior.predict.predict returns them (samples and summary);
    model: name, path and inputs of the network. Use summary(), samples, plot(), to_dict().
    """

    rows: list
    model: dict

    @classmethod
    def from_rows(cls, rows: list[dict], loaded) -> InteriorPosterior:
        model = {"name": loaded.header.get("name"), "path": str(loaded.path),
                 "inputs": list(loaded.inputs),
                 "calibrated": loaded.config.calibration is not None}  # fmt: skip
        return cls(rows, model)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def names(self) -> list[str]:
        return [row["name"] for row in self.rows]

    def planet_dict(self, i: int) -> dict:
        """Planet i: name, status, inputs, in_domain, draw counts, quantiles, P(absent)."""
        row = self.rows[i]
        out = {"name": row["name"], "status": row["status"], "in_domain": row["in_domain"],
               "domain_reason": row.get("domain_reason"), "inputs": row.get("inputs", {}),
               "n_draws_used": row["n_draws_used"],
               "n_rejected_iron": row["n_rejected_iron"],
               "n_rejected_domain": row["n_rejected_domain"], **row["summary"]}  # fmt: skip
        if "error" in row:
            out["reason"] = row["error"]
        elif row["status"] == "no_valid_draws":
            out["reason"] = ("every input draw lies outside the training planets or is denser "
                             "than pure iron: no posterior")  # fmt: skip
            if row.get("domain_reason"):
                out["reason"] += f" ({row['domain_reason']})"
        return out

    def to_dict(self) -> dict:
        return jsonout.jsonable(
            {"units": {k: v or "1" for k, v in UNITS.items()}, "model": self.model,
             "planets": [self.planet_dict(i) for i in range(len(self))]}  # fmt: skip
        )

    def summary(self):
        """pandas DataFrame, one row per planet: status, in_domain, every fraction's quantiles
        (<layer>_<mass|radius>_fraction_<p2.5|p16|p50|p84|p97.5>), p_no_water, p_no_envelope."""
        flat = []
        for i in range(len(self)):
            planet = self.planet_dict(i)
            row = {k: v for k, v in planet.items() if not isinstance(v, dict) and k != "name"}
            for key, value in planet["inputs"].items():
                row[key] = value
            for key, value in self.rows[i]["summary"].items():
                if isinstance(value, dict):
                    row.update({f"{key}_{q}": v for q, v in value.items()})
            flat.append(row)
        return frame(flat, self.names)

    @property
    def samples(self):
        """pandas DataFrame of every posterior sample: the eight fractions and the presence
        pattern (0 all layers, 1 no water, 2 no envelope, 3 neither), indexed by planet."""
        from planetinfer.interior.transforms import LAYERS

        blocks, index = [], []
        for row in self.rows:
            s = row["samples"]
            columns = {f"{layer}_{kind}_fraction": s[f"{kind}_fractions"][:, j]
                       for kind in ("mass", "radius") for j, layer in enumerate(LAYERS)}  # fmt: skip
            columns["pattern"] = s["pattern"]
            blocks.append(columns)
            index += [row["name"]] * len(s["pattern"])
        merged = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
        return _samples_frame(merged, index)

    def plot(self, planet: int = 0, kind: str = "both"):
        """Corner plot of planet `planet`'s fractions (kind "mass", "radius" or "both"), zoomed
        on the posterior, with quantile lines and 68/95 % contours; returns the figure."""
        from planetinfer.plots import interior as plots

        row = self.rows[planet]
        if row["samples"]["pattern"].size == 0:
            reason = self.planet_dict(planet).get("reason", "no samples were kept")
            raise InputError(f"planet {row['name'] or planet} has no posterior samples to plot "
                             f"(status {row['status']}: {reason})")  # fmt: skip
        fig, _ = plots.posterior_corner(row, kind=kind, model=self.model)
        return fig


def _samples_frame(columns: dict, index: list[str]):
    import pandas as pd

    return pd.DataFrame(columns, index=pd.Index(index, name="planet"))


def interior_posterior(
    mass,
    radius,
    teq=None,
    k2=None,
    *,
    mass_err=None,
    radius_err=None,
    teq_err=None,
    k2_err=None,
    mass_err_lower=None,
    radius_err_lower=None,
    rho: float = 0.0,
    samples: int = 10_000,
    draws: int = 1000,
    seed: int = 0,
    model=None,
    names=None,
) -> InteriorPosterior:
    """Posterior of the layer mass and radius fractions of one planet or many.

    mass [M_E], radius [R_E], teq [K] (selects a Teq network), k2 (fluid Love number, selects a
    k2 network): scalars, arrays, pandas Series (their index names the planets) or astropy
    Quantities. mass_err, radius_err, teq_err, k2_err: 1-sigma errors (upper errors when
    mass_err_lower or radius_err_lower is given: a split normal);
    rho: correlation of the mass and radius errors. With errors, `draws` input draws per planet
    each get samples/draws network samples; without, `samples` samples at the central values.
    model: a header path or shipped name (default: the shipped network for the inputs given).
    Each planet's random numbers come from `seed` alone: a planet gets the same posterior alone
    or in a batch.

    >>> post = interior_posterior(1.0, 1.0, 255.0, mass_err=0.01, radius_err=0.01, samples=2000)
    >>> post.to_dict()["planets"][0]["in_domain"]
    True
    >>> round(float(post.summary()["core_mass_fraction_p50"].iloc[0]), 1)
    0.3
    """
    from planetinfer.errors import check_range
    from planetinfer.interior import predict as P

    check_range("samples", samples, 1, 10_000_000)
    check_range("draws", draws, 1, 1_000_000)
    check_range("rho", rho, -1.0, 1.0, low_inclusive=False, high_inclusive=False)
    given = {"mass": mass, "radius": radius, "teq": teq, "k2": k2, "mass_err": mass_err,
             "radius_err": radius_err, "teq_err": teq_err, "k2_err": k2_err,
             "mass_err_lower": mass_err_lower, "radius_err_lower": radius_err_lower}  # fmt: skip
    index = I.planet_index(given)
    values, n = I.broadcast(given, UNITS)
    wanted = ("mass", "radius") + tuple(k for k in ("teq", "k2") if values[k] is not None)
    loaded = load_model(model, wanted)
    missing = [k for k in loaded.inputs if values.get(k) is None]
    if missing:
        raise InputError(f"model {loaded.path.name} needs {', '.join(missing)} as well")
    planet_names = I.planet_names(names, index, n)
    planets = [_planet(values, loaded.inputs, rho, i, planet_names[i]) for i in range(n)]
    rows = P.predict(loaded, planets, n_samples=samples, n_draws=draws, seed=seed)
    for row, planet in zip(rows, planets, strict=True):
        row["inputs"] = echo_inputs(planet, loaded.inputs)
    return InteriorPosterior.from_rows(rows, loaded)


def _planet(values: dict, inputs, rho: float, i: int, name: str):
    """interior.predict.Planet i of the broadcast inputs (errors None -> exact)."""
    from planetinfer.interior.predict import Planet

    def at(key):
        array = values.get(key)
        return None if array is None else float(array[i])

    central = {k: at(k) for k in inputs}
    upper = {k: at(f"{k}_err") or 0.0 for k in inputs}
    lower = dict(upper)
    for k in ("mass", "radius"):
        if k in inputs and at(f"{k}_err_lower") is not None:
            lower[k] = at(f"{k}_err_lower")
    return Planet(central, lower, upper, rho, None, name=name)


def echo_inputs(planet, inputs) -> dict:
    """The inputs as used, for the output: values and (upper, lower) errors."""
    out = {}
    for k in inputs:
        out[k] = planet.values[k]
        out[f"{k}_err"] = planet.sigma_plus.get(k, 0.0)
        if planet.sigma_minus.get(k, 0.0) != planet.sigma_plus.get(k, 0.0):
            out[f"{k}_err_lower"] = planet.sigma_minus[k]
    return out
