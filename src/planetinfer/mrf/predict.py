"""Posterior predictive mass given radius and flux (Ma & Ghosh 2021, Sec. 6.2, eq. 27), in NumPy.

p(m~ | r~, f~, D) = integral of p(m~ | r~, f~, theta) p(theta | D) d theta. Per posterior draw s
(the paper follows Chen & Kipping's handling of inputs [R]): draw R~ ~ N(R_ob, s_R) and
F~ ~ N(F_ob, s_F), truncated to positive values, then m~ ~ N(C(log R~) + gamma(log R~) log F~,
sigma_M(log R~)) (eqs. 13-18, mrf/relation.py), and report quantiles of 10^m~. Table 3 of the
paper reports the median and the 16th/84th percentiles; its "95 % upper limit" is the 97.5th
percentile [R].

The posterior is read from its NetCDF file with h5py and the predictive is evaluated with NumPy,
so a prediction from a fresh process imports neither JAX nor ArviZ nor pandas. Every planet
draws its random numbers from its own generator seeded with `seed`: a planet gets the same
prediction alone or in a table.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError, check_range, reject_quantities
from planetinfer.mrf.relation import mass_location_scale

QUANTILES = (0.025, 0.16, 0.5, 0.84, 0.975)
QUANTILE_NAMES = ("p2.5", "p16", "p50", "p84", "p97.5")
MASS_SITES = (
    "knots",
    "mass_constant",
    "mass_precision",
    "mass_index_intercept",
    "mass_index_slope",
)
PLANETS_PER_PASS = 256  # planets evaluated together (bounds memory: draws x planets arrays)


@dataclass(frozen=True)
class MassPosterior:
    """Draws of the mass-layer parameters, leading axis = draw (S), plus the fitted domain."""

    draws: dict
    ramp_width: float
    domain: dict  # {"log10_radius": [lo, hi], "log10_flux": [lo, hi]}
    source: str = ""
    model: str = "ma2021"  # "ma2021" (Ma & Ghosh 2021) or "monotone" (mrf/monotone.py)
    support: dict | None = None  # where the fitted planets are (training_support), if known

    @property
    def n_draws(self) -> int:
        return int(next(iter(self.draws.values())).shape[0])


def _thinned(draws: dict, max_draws: int) -> dict:
    """(chain, draw, ...) arrays flattened over draws, evenly thinned to <= max_draws."""
    flat = {k: np.asarray(v).reshape((-1, *np.shape(v)[2:])) for k, v in draws.items()}
    step = max(1, next(iter(flat.values())).shape[0] // max_draws)
    return {k: v[::step] for k, v in flat.items()}


def mass_posterior_from_idata(
    idata, header: dict | None = None, max_draws: int = 4000, source: str = ""
) -> MassPosterior:
    """An ArviZ InferenceData of an mrf fit as a MassPosterior (S <= max_draws draws)."""
    post = idata.posterior
    model = str(post.attrs.get("mrf_model", "ma2021"))
    draws = _thinned({name: post[name].values for name in sites_of(model)}, max_draws)
    if header is None:
        config = json.loads(post.attrs.get("model_config", "{}"))
        domain = {}
        if "constant_data" in idata.groups():
            data = idata.constant_data
            domain = _domain(data["radius"].values, data["flux"].values)
    else:
        config, domain = header.get("model_config", {}), header.get("domain", {})
    support = None
    if "constant_data" in idata.groups():
        support = training_support(idata.constant_data["radius"].values,
                                   idata.constant_data["flux"].values)  # fmt: skip
    return MassPosterior(draws, float(config.get("ramp_width", 0.0)), domain, source, model,
                         support)  # fmt: skip


def sites_of(model: str) -> tuple[str, ...]:
    """The posterior sites a model's predictive needs."""
    if model == "monotone":
        from planetinfer.mrf.monotone import SITES

        return SITES
    return MASS_SITES


SUPPORT_CELL = (0.05, 0.25)  # cell of the support grid in (log10 R, log10 F) [dex]
SUPPORT_WINDOW = (2, 2)  # neighbouring cells counted each way: +-0.1 dex in R, +-0.5 dex in F
MIN_SUPPORT = 3  # fitted planets needed in that window for a prediction to be in the domain


def training_support(radius, flux) -> dict:
    """Counts of fitted planets within +-0.1 dex of radius and +-0.5 dex of flux, on a grid:
    {"origin": (log R, log F) of cell (0, 0), "cell": SUPPORT_CELL, "counts": (nr, nf) int}."""
    log_r, log_f = np.log10(np.asarray(radius, float)), np.log10(np.asarray(flux, float))
    (dr, df), (wr, wf) = SUPPORT_CELL, SUPPORT_WINDOW
    origin = (log_r.min() - (wr + 1) * dr, log_f.min() - (wf + 1) * df)
    i = np.floor((log_r - origin[0]) / dr).astype(int)
    j = np.floor((log_f - origin[1]) / df).astype(int)
    counts = np.zeros((i.max() + wr + 2, j.max() + wf + 2), int)
    np.add.at(counts, (i, j), 1)
    padded = np.pad(counts, ((wr, wr), (wf, wf)))
    window = sum(padded[a:a + counts.shape[0], b:b + counts.shape[1]]
                 for a in range(2 * wr + 1) for b in range(2 * wf + 1))  # fmt: skip
    return {"origin": origin, "cell": SUPPORT_CELL, "counts": window}


def _supported(support: dict, log_r, log_f) -> np.ndarray:
    """Whether at least MIN_SUPPORT fitted planets lie near each (log R, log F); shape of log_r."""
    counts = support["counts"]
    i = np.floor((log_r - support["origin"][0]) / support["cell"][0]).astype(int)
    j = np.floor((log_f - support["origin"][1]) / support["cell"][1]).astype(int)
    inside = (i >= 0) & (i < counts.shape[0]) & (j >= 0) & (j < counts.shape[1])
    found = np.zeros(np.shape(log_r), int)
    found[inside] = counts[i[inside], j[inside]]
    return found >= MIN_SUPPORT


def _domain(radius, flux) -> dict:
    log_r, log_f = np.log10(radius), np.log10(flux)
    return {
        "log10_radius": [float(log_r.min()), float(log_r.max())],
        "log10_flux": [float(log_f.min()), float(log_f.max())],
    }


def read_netcdf(path, header: dict | None = None, max_draws: int = 4000) -> MassPosterior:
    """A posterior NetCDF file (written by `mrf fit` or shipped) read with h5py alone."""
    import h5py

    path = Path(path)
    try:
        with h5py.File(path, "r") as file:
            post = file["posterior"]
            model = post.attrs.get("mrf_model", "ma2021")
            model = model.decode() if isinstance(model, bytes) else str(model)
            draws = _thinned({name: post[name][()] for name in sites_of(model)}, max_draws)
            attrs = post.attrs.get("model_config", "{}")
            config = json.loads(attrs.decode() if isinstance(attrs, bytes) else str(attrs))
            domain, support = {}, None
            if "constant_data" in file and "radius" in file["constant_data"]:
                data = file["constant_data"]
                domain = _domain(data["radius"][()], data["flux"][()])
                support = training_support(data["radius"][()], data["flux"][()])
    except (OSError, KeyError) as error:
        raise InputError(f"posterior = {path} is not a readable mrf posterior: {error}") from error
    if header is not None:
        config, domain = header.get("model_config", config), header.get("domain", domain)
    return MassPosterior(draws, float(config.get("ramp_width", 0.0)), domain, str(path), model,
                         support)  # fmt: skip


def load_mass_posterior(path=None, max_draws: int = 4000, model: str | None = None) -> MassPosterior:
    """A shipped posterior (path None; model "monotone", the default, or "ma2021") or a
    posterior NetCDF written by `mrf fit` (its own model)."""
    if path is None:
        from planetinfer.mrf.shipped import (
            DEFAULT_MODEL,
            model_file_stem,
            shipped_dir,
            verified_header,
        )

        stem = model_file_stem(model or DEFAULT_MODEL)
        folder = shipped_dir()
        header = verified_header(folder, stem)
        posterior = read_netcdf(folder / f"{stem}.nc", header, max_draws)
        return MassPosterior(posterior.draws, posterior.ramp_width, posterior.domain,
                             str(folder / f"{stem}.nc"), posterior.model, posterior.support)  # fmt: skip
    path = Path(path)
    if not path.is_file():
        raise InputError(f"posterior = {path} does not exist")
    return read_netcdf(path, None, max_draws)


def _positive_normal(value, error, normal, uniform):
    """N(value, error) truncated to (0, inf) from given N(0,1) and U(0,1) numbers.

    value, error: (n,); normal, uniform: (S, n). Plain draws value + error z where positive;
    the others by inverse CDF of the truncated normal. error = 0 returns value.
    """
    plain = value + error * normal
    bad = plain <= 0
    if not bad.any():
        return plain
    from scipy.special import ndtr, ndtri

    value, safe = np.broadcast_arrays(value, np.where(error > 0, error, 1.0), subok=False)
    value, safe = (np.broadcast_to(a, plain.shape)[bad] for a in (value, safe))
    low = ndtr(-value / safe)
    out = plain.copy()
    out[bad] = value + safe * ndtri(low + uniform[bad] * (1.0 - low))
    return out


def log_mass_draws(posterior: MassPosterior, radius, radius_err, flux, flux_err,
                   seed: int = 0, repeats: int = 1, with_inputs: bool = False):  # fmt: skip
    """Predictive draws of log10 M [M_E], shape (S * repeats, n), for inputs of shape (n,).

    Each posterior draw is used `repeats` times with fresh (R~, F~, m~) to lower Monte Carlo
    noise. Planet j's random numbers come from np.random.default_rng(seed) alone.
    with_inputs: also return the drawn log10 R and log10 F (same shape), as a tuple of three.
    """
    draws = {k: np.repeat(v, repeats, axis=0) for k, v in posterior.draws.items()}
    size = next(iter(draws.values())).shape[0]
    normal = np.empty((3, size, radius.shape[0]))
    uniform = np.empty((2, size, radius.shape[0]))
    monotone = posterior.model == "monotone"
    chi2 = np.empty((size, radius.shape[0])) if monotone else None
    for j in range(radius.shape[0]):
        rng = np.random.default_rng(seed)
        normal[:, :, j] = rng.standard_normal((3, size))
        uniform[:, :, j] = rng.random((2, size))
        if monotone:  # after the draws both models share: the same stream for each
            chi2[:, j] = rng.chisquare(draws["student_df"])
    log_r = np.log10(_positive_normal(radius, radius_err, normal[0], uniform[0]))
    log_f = np.log10(_positive_normal(flux, flux_err, normal[1], uniform[1]))
    # one parameter set per row: a planet axis of length 1 broadcasts against (size, n)
    params = {k: v[:, None, ...] if v.ndim > 1 else v[:, None] for k, v in draws.items()}
    if monotone:
        from planetinfer.mrf.monotone import predictive_log_mass

        log_m = predictive_log_mass(params, log_r, log_f, normal[2], chi2)
    else:
        loc, scale = mass_location_scale(log_r, log_f, params, posterior.ramp_width)
        log_m = loc + scale * normal[2]
    return (log_m, log_r, log_f) if with_inputs else log_m


def validate_inputs(radius, radius_err, flux, flux_err):
    """Arrays of shape (n,); InputError naming the field for non-finite or out-of-range values."""
    arrays = [
        np.atleast_1d(np.asarray(x, dtype=float)) for x in (radius, radius_err, flux, flux_err)
    ]
    check_range("radius", arrays[0], 0.0, None, low_inclusive=False, unit="R_E")
    check_range("radius_err", arrays[1], 0.0, None, unit="R_E")
    check_range("flux", arrays[2], 0.0, None, low_inclusive=False, unit="S_E")
    check_range("flux_err", arrays[3], 0.0, None, unit="S_E")
    return np.broadcast_arrays(*arrays)


def in_domain(posterior: MassPosterior, radius, flux) -> np.ndarray:
    """True where (log10 R, log10 F) lies inside the fitted sample's ranges; shape (n,)."""
    return _inside_log(posterior, np.log10(radius), np.log10(flux))


def _inside_log(posterior: MassPosterior, log_r, log_f) -> np.ndarray:
    if not posterior.domain:
        return np.ones(np.shape(log_r), bool)
    r_lo, r_hi = posterior.domain["log10_radius"]
    f_lo, f_hi = posterior.domain["log10_flux"]
    inside = (log_r >= r_lo) & (log_r <= r_hi) & (log_f >= f_lo) & (log_f <= f_hi)
    if posterior.support is not None:  # and near enough fitted planets, not only in the box
        inside &= _supported(posterior.support, log_r, log_f)
    return inside


DRAWS_INSIDE = 0.95  # share of the input draws that must lie in the fitted range for in_domain


def predict_mass(
    posterior: MassPosterior,
    radius,
    radius_err,
    flux,
    flux_err,
    seed: int = 0,
    min_samples: int = 1000,
    keep_samples: bool = False,
) -> dict:
    """Quantiles of the predictive mass [M_earth] for n planets.

    radius, radius_err [R_E], flux, flux_err [S_E]: scalars or arrays of shape (n,).
    Returns {"mass_earth": {"p2.5": (n,), ..., "p97.5": (n,)}, "in_domain": (n,) bool (the
    central values and at least 95 % of the input draws inside the fitted range),
    "fraction_in_domain": (n,), "n_samples": int} and, with keep_samples, "log10_mass_samples" (n, n_samples).
    At least `min_samples` predictive samples per planet are drawn (posterior draws reused).
    Out-of-domain inputs give a warning, never an error.
    """
    reject_quantities("mrf.predict.predict_mass", radius=radius, radius_err=radius_err, flux=flux,
                      flux_err=flux_err)  # fmt: skip
    radius, radius_err, flux, flux_err = validate_inputs(radius, radius_err, flux, flux_err)
    repeats = max(1, -(-min_samples // posterior.n_draws))
    quantiles, samples, fractions = [], [], []
    for start in range(0, radius.size, PLANETS_PER_PASS):
        part = slice(start, start + PLANETS_PER_PASS)
        log_m, log_r, log_f = log_mass_draws(posterior, radius[part], radius_err[part],
                                             flux[part], flux_err[part], seed, repeats,
                                             with_inputs=True)  # fmt: skip
        fractions.append(np.mean(_inside_log(posterior, log_r, log_f), axis=0))
        quantiles.append(np.quantile(log_m, QUANTILES, axis=0))
        if keep_samples:
            samples.append(log_m.T)
    log_q = np.concatenate(quantiles, axis=1) if quantiles else np.zeros((len(QUANTILES), 0))
    # in the fitted range: the central values and (with errors) nearly all of the input draws;
    # a radius of 2 +- 5 R_E is not in the range of the fit however central its value
    fraction = np.concatenate(fractions) if fractions else np.zeros(0)
    inside = in_domain(posterior, radius, flux) & (fraction >= DRAWS_INSIDE)
    if not inside.all():
        warnings.warn(
            f"{int((~inside).sum())} of {inside.size} inputs lie outside the fitted (R, F) range "
            f"{posterior.domain}" + (f" or where fewer than {MIN_SUPPORT} fitted planets lie "
            "within 0.1 dex of radius and 0.5 dex of flux" if posterior.support is not None
            else "") + f" (or more than {100 * (1 - DRAWS_INSIDE):.0f} % of their draws do); "
            "their masses are extrapolated (in_domain = false)", stacklevel=2,
        )  # fmt: skip
    out = {
        "mass_earth": {name: 10.0 ** log_q[i] for i, name in enumerate(QUANTILE_NAMES)},
        "in_domain": inside,
        "fraction_in_domain": fraction,
        "n_samples": repeats * posterior.n_draws,
    }
    if keep_samples:
        out["log10_mass_samples"] = np.concatenate(samples) if samples else np.zeros((0, 0))
    return out
