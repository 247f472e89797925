"""`planetinfer.predict_mass`: the mass of a planet from its radius and incident flux.

The posterior predictive of the mass-radius-flux relation (Ma & Ghosh 2021, eq. 27; mrf/), from
the shipped fit or a posterior file written by `planetinfer mrf fit`, evaluated with NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from planetinfer import jsonout
from planetinfer.api import inputs as I
from planetinfer.api.result import Result, frame

UNITS = {"radius": "R_E", "radius_err": "R_E", "flux": "S_E", "flux_err": "S_E"}


@lru_cache(maxsize=4)
def load_posterior(path=None, model: str | None = None):
    """An mrf posterior (the shipped one of `model` when path is None), kept in memory."""
    from planetinfer.mrf.predict import load_mass_posterior

    return load_mass_posterior(path, model=None if path is not None else model)


@dataclass(frozen=True)
class MassPrediction(Result):
    """Predictive mass distribution of each planet [M_E].

    names: planet names; inputs: {radius, radius_err, flux, flux_err} (n,) arrays [R_E, S_E];
    quantiles: {"p2.5", "p16", "p50", "p84", "p97.5"} -> (n,) [M_E]; in_domain (n,) bool;
    log10_mass: (n, n_samples) predictive samples of log10 M [M_E]; posterior: its source.
    """

    names: list
    inputs: dict
    quantiles: dict
    in_domain: np.ndarray
    log10_mass: np.ndarray
    posterior: dict
    posterior_path: str | None = None  # the NetCDF given to predict_mass (None: shipped)
    model: str | None = None  # the shipped model used when posterior_path is None

    def __len__(self) -> int:
        return len(self.names)

    def planet_dict(self, i: int) -> dict:
        return {"name": self.names[i],
                **{k: float(v[i]) for k, v in self.inputs.items()},
                "mass_earth": {q: float(v[i]) for q, v in self.quantiles.items()},
                "in_domain": bool(self.in_domain[i])}  # fmt: skip

    def to_dict(self) -> dict:
        units = {**UNITS, "mass_earth": "M_E"}  # the inputs echoed per planet, and the masses
        return jsonout.jsonable({"units": units, "posterior": self.posterior,
                                 "planets": [self.planet_dict(i) for i in range(len(self))]})  # fmt: skip

    def summary(self):
        """pandas DataFrame, one row per planet: inputs, mass_p2.5 ... mass_p97.5, in_domain."""
        rows = [{**{k: float(v[i]) for k, v in self.inputs.items()},
                 **{f"mass_{q}": float(v[i]) for q, v in self.quantiles.items()},
                 "in_domain": bool(self.in_domain[i])} for i in range(len(self))]  # fmt: skip
        return frame(rows, self.names)

    @property
    def samples(self):
        """pandas DataFrame of predictive samples (column mass [M_E]), indexed by planet."""
        import pandas as pd

        index = np.repeat(np.array(self.names, dtype=object), self.log10_mass.shape[1])
        return pd.DataFrame({"mass": 10.0 ** self.log10_mass.reshape(-1)},
                            index=pd.Index(index, name="planet"))  # fmt: skip

    def plot(self):
        """The planets on the predicted mass-radius relation at their flux (left) and their
        predicted masses with 68 and 95 % intervals (right); returns the figure."""
        from planetinfer.plots.mrf import plot_prediction_summary

        fig, _ = plot_prediction_summary(load_posterior(self.posterior_path, self.model), self.names,
                                         self.inputs, self.quantiles, self.in_domain)  # fmt: skip
        return fig


def predict_mass(
    radius,
    flux,
    radius_err=None,
    flux_err=None,
    *,
    samples: int = 1000,
    seed: int = 0,
    posterior=None,
    names=None,
    model: str = "monotone",
) -> MassPrediction:
    """Posterior predictive mass [M_E] of planets of given radius [R_E] and flux [S_E].

    radius, flux and their 1-sigma errors: scalars, arrays, pandas Series (their index names
    the planets) or astropy Quantities (flux in W m^-2 is converted with S_E = L_sun / (4 pi AU^2) = 1361.2 W m^-2).
    samples: predictive samples per planet (at least; the posterior draws are reused);
    posterior: a NetCDF file written by `planetinfer mrf fit` (default: the shipped fit of
    `model`: "monotone", planetinfer's relation, or "ma2021", Ma & Ghosh 2021; docs/mrf.md).
    Each planet's random numbers come from `seed` alone: alone or in a table, the same answer.

    >>> prediction = predict_mass(2.0, 100.0, radius_err=0.1)
    >>> bool(1.0 < prediction.quantiles["p50"][0] < 20.0)
    True
    """
    from planetinfer.errors import check_range
    from planetinfer.mrf.predict import predict_mass as predict

    check_range("samples", samples, 1, 1_000_000)
    given = {"radius": radius, "radius_err": radius_err, "flux": flux, "flux_err": flux_err}
    index = I.planet_index(given)
    values, n = I.broadcast(given, UNITS)
    values = {k: np.zeros(n) if v is None else v for k, v in values.items()}
    post = load_posterior(None if posterior is None else str(posterior), model)
    result = predict(post, values["radius"], values["radius_err"], values["flux"],
                     values["flux_err"], seed=seed, min_samples=samples, keep_samples=True)  # fmt: skip
    return MassPrediction(
        I.planet_names(names, index, n), values, result["mass_earth"], result["in_domain"],
        result["log10_mass_samples"],
        {"source": post.source, "model": post.model, "draws": post.n_draws,
         "samples": result["n_samples"]},
        None if posterior is None else str(posterior), model,
    )  # fmt: skip
