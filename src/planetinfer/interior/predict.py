"""Posterior of interior structure for observed planets, vectorised over planets and samples.

Inputs per planet (Earth units, K): central values, optional uncertainties as symmetric or
split-normal (asymmetric) Gaussians with an optional mass-radius correlation, or raw posterior
samples of the inputs. With uncertainties, `n_draws` input draws are made and each gets
`n_per_draw` network samples; the pooled samples are an equal-weight mixture over the draws
(as ExoMDN's predict_with_error). Draws denser than pure iron (Seager et al. 2007 fit), outside
the prior's bounds or where no training planet exists (interior.support) are removed and
counted. A planet whose central inputs lie outside gets a one-line warning saying which way,
in_domain = False and domain_reason; its posterior is still returned.

Split normal with correlation: standard normal pairs with correlation rho (Cholesky) are scaled by
sigma_plus above and sigma_minus below the central value (a Gaussian copula with split-normal
marginals; for sigma_plus = sigma_minus it is the correlated bivariate Gaussian).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from planetinfer.errors import InputError, reject_quantities
from planetinfer.interior import numpy_mdn
from planetinfer.interior.store import LoadedModel
from planetinfer.interior.support import check as support_check
from planetinfer.interior.transforms import LAYERS

INPUT_UNITS = {"mass": " M_E", "radius": " R_E", "teq": " K", "k2": ""}  # for messages

QUANTILES = {"p2.5": 0.025, "p16": 0.16, "p50": 0.5, "p84": 0.84, "p97.5": 0.975}
FRACTION_NAMES = tuple(f"{layer}_mass_fraction" for layer in LAYERS) + tuple(
    f"{layer}_radius_fraction" for layer in LAYERS
)

# Seager et al. 2007 (ApJ 669, 1279), Eq. 23 with Table 4 (Fe, epsilon phase):
# log10 R_s = k1 + (1/3) log10 M_s - k2 M_s^k3, M_s = M / 5.80 M_E, R_s = R / 2.52 R_E.
# Matches our seager2007 structure preset (pure Fe) to within 1 % for 0.1-25 M_E (tests).
SEAGER_FE = {"k1": -0.209594, "k2": 0.0799, "k3": 0.413, "m1": 5.80, "r1": 2.52}


class OutOfDomainWarning(UserWarning):
    """Inputs outside the trained network's domain: results are extrapolations."""


def iron_radius_earth(mass_earth):
    """Radius [R_E] of a pure-iron planet of mass [M_E] (Seager et al. 2007, Eq. 23, Table 4)."""
    p = SEAGER_FE
    ms = np.asarray(mass_earth, dtype=float) / p["m1"]
    return p["r1"] * 10.0 ** (p["k1"] + np.log10(ms) / 3.0 - p["k2"] * ms ** p["k3"])


@dataclass(frozen=True)
class Planet:
    """Observed inputs of one planet: central values and uncertainties, Earth units / K.

    values/sigma_minus/sigma_plus: {input name: float}; sigma 0 means exact. rho_mass_radius:
    correlation of mass and radius errors. samples: optional (n, n_in) raw input samples ordered
    like the model's inputs, used instead of the Gaussian description.
    """

    values: dict
    sigma_minus: dict = field(default_factory=dict)
    sigma_plus: dict = field(default_factory=dict)
    rho_mass_radius: float = 0.0
    samples: np.ndarray | None = None
    name: str = ""

    @property
    def has_errors(self) -> bool:
        sigmas = list(self.sigma_minus.values()) + list(self.sigma_plus.values())
        return self.samples is not None or any(s > 0 for s in sigmas)


def validate_planet(planet: Planet, inputs: tuple[str, ...]) -> None:
    """InputError naming the field for missing, non-finite or non-physical inputs."""
    for name in inputs:
        if name not in planet.values:
            raise InputError(f"{name} is required by this model (inputs: {', '.join(inputs)})")
    for group, where in ((planet.values, ""), (planet.sigma_minus, "_err_lower"),
                         (planet.sigma_plus, "_err")):  # fmt: skip
        reject_quantities("interior.predict.Planet", **{f"{k}{where}": x for k, x in group.items()})
    v = planet.values
    label = f" ({planet.name})" if planet.name else ""
    for name in inputs:
        value, unit = v[name], INPUT_UNITS.get(name, "")
        if not np.isfinite(value) or value <= 0:
            raise InputError(f"{name}{label} = {value:g}{unit} is outside the valid range "
                             f"(0, inf){unit}")  # fmt: skip
        for sig in (planet.sigma_minus.get(name, 0.0), planet.sigma_plus.get(name, 0.0)):
            if not np.isfinite(sig) or sig < 0:
                raise InputError(
                    f"{name} error{label} = {sig:g}{unit} is outside the valid range [0, inf){unit}"
                )
    if not -1.0 < planet.rho_mass_radius < 1.0:
        raise InputError(f"rho_mass_radius = {planet.rho_mass_radius:g} is outside (-1, 1)")
    r_fe = float(iron_radius_earth(v["mass"]))
    if v["radius"] < r_fe:
        raise InputError(
            f"radius{label} = {v['radius']:g} R_E is below the pure-iron radius {r_fe:.4g} R_E for "
            f"mass {v['mass']:g} M_E (Seager et al. 2007): no composition is that dense"
        )


def in_domain(x, domain: dict, inputs: tuple[str, ...], support: dict | None = None):
    """(n,) bool and (n,) reasons (None where inside): inputs inside the bounds, inside the
    training planets' support (interior.support) and the radius at or above pure iron."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    ok, reasons = support_check(x, inputs, domain, support)
    mass, radius = x[:, inputs.index("mass")], x[:, inputs.index("radius")]
    with np.errstate(invalid="ignore", divide="ignore"):
        iron = ok & ~(radius >= iron_radius_earth(np.where(mass > 0, mass, 1.0)))
    for row in np.flatnonzero(iron):
        reasons[row] = f"radius {radius[row]:.3g} R_E is below pure iron at {mass[row]:.3g} M_E"
    return ok & ~iron, reasons


def draw_inputs(planet: Planet, inputs: tuple[str, ...], n_draws: int, rng) -> np.ndarray:
    """(n_draws, n_in) input draws (split-normal marginals, mass-radius correlation)."""
    if planet.samples is not None:
        samples = np.asarray(planet.samples, dtype=float)
        if samples.ndim != 2 or samples.shape[1] != len(inputs):
            raise InputError(f"input samples must have shape (n, {len(inputs)}) for {inputs}")
        return samples[rng.integers(0, samples.shape[0], n_draws)]
    centre = np.array([planet.values[name] for name in inputs])
    # a one-sided description (only sigma_plus or only sigma_minus) is symmetric
    lo = np.array(
        [planet.sigma_minus.get(name, planet.sigma_plus.get(name, 0.0)) for name in inputs]
    )
    hi = np.array(
        [planet.sigma_plus.get(name, planet.sigma_minus.get(name, 0.0)) for name in inputs]
    )
    corr = np.eye(len(inputs))
    i, j = inputs.index("mass"), inputs.index("radius")
    corr[i, j] = corr[j, i] = planet.rho_mass_radius
    z = rng.standard_normal((n_draws, len(inputs))) @ np.linalg.cholesky(corr).T
    return centre + np.where(z > 0, hi, lo) * z


def sample_posterior(model, x, n_per: int, seed: int):
    """Samples of the JAX network (training and validation; `predict` uses the NumPy network)
    for each row of x (n, n_in): dict of (n, n_per, 4) fractions, (n, n_per) pattern.
    Deterministic for a given seed."""
    import jax
    import jax.numpy as jnp

    from planetinfer.interior import mdn

    keys = jax.random.split(jax.random.PRNGKey(seed), x.shape[0])
    out = mdn.sample_batch(model, jnp.asarray(x, jnp.float32), keys, n_per)
    return {k: np.asarray(v) for k, v in out.items()}


def summarise(mass, radius, pattern, valid) -> dict:
    """Quantiles of every fraction and the absent-layer probabilities of one planet's samples."""
    del pattern
    return summarise_many(mass[valid][None], radius[valid][None])[0]


def _sorted_quantiles(values, probabilities):
    """np.quantile(values, probabilities, axis=1) (linear method) via one contiguous sort.
    values: (P, n, k) -> (len(probabilities), P, k)."""
    ordered = np.sort(np.ascontiguousarray(np.moveaxis(values, 1, 2)), axis=-1)  # (P, k, n)
    position = probabilities * (ordered.shape[-1] - 1)
    lower = np.floor(position).astype(int)
    upper = np.minimum(lower + 1, ordered.shape[-1] - 1)
    weight = position - lower
    result = ordered[..., lower] * (1 - weight) + ordered[..., upper] * weight  # (P, k, q)
    return np.moveaxis(result, 2, 0)


def summarise_many(mass, radius) -> list[dict]:
    """Summaries of many planets at once: mass, radius (P, n, 4) -> P dicts (see summarise)."""
    both = np.concatenate([mass, radius], axis=2)  # (P, n, 8)
    n_planets = both.shape[0]
    if both.shape[1] == 0:
        qs = np.full((len(QUANTILES), n_planets, 8), np.nan)
    else:
        qs = _sorted_quantiles(both, np.array(list(QUANTILES.values())))  # (5, P, 8)
    finite = both.shape[1] > 0 and np.all(np.isfinite(mass))
    no_water = np.mean(mass[:, :, 2] == 0, axis=1) if finite else np.full(n_planets, np.nan)
    no_env = np.mean(mass[:, :, 3] == 0, axis=1) if finite else np.full(n_planets, np.nan)
    names = [f"{layer}_{kind}_fraction" for kind in ("mass", "radius") for layer in LAYERS]
    order = [f"{layer}_{kind}_fraction" for layer in LAYERS for kind in ("mass", "radius")]
    out = []
    for p in range(n_planets):
        row = {
            name: dict(zip(QUANTILES, map(float, qs[:, p, names.index(name)]), strict=True))
            for name in order
        }
        row["p_no_water"], row["p_no_envelope"] = float(no_water[p]), float(no_env[p])
        out.append(row)
    return out


# network samples drawn in one pass at most (bounds memory on catalogue runs)
SAMPLES_PER_PASS = 2_000_000
STATUS_OK, STATUS_NO_DRAWS, STATUS_INVALID = "ok", "no_valid_draws", "invalid_input"


def predict(loaded: LoadedModel, planets: list[Planet], n_samples: int = 10_000,
            n_draws: int = 1000, seed: int = 0, on_invalid: str = "raise",
            keep_samples: bool = True) -> list[dict]:  # fmt: skip
    """Posterior samples and summaries for each planet (NumPy network, nothing compiled).

    Returns one dict per planet: name, status ("ok", "no_valid_draws" when every input draw
    was removed, "invalid_input"), in_domain, n_draws_used, n_rejected_iron,
    n_rejected_domain, summary (see summarise; NaN quantiles unless status is "ok"), samples
    (mass_fractions (n, 4), radius_fractions (n, 4), pattern (n,)), and input_draws (k, n_in)
    with samples_per_draw m: sample j was drawn at input draw j // m. A bad planet raises
    InputError, or with on_invalid="flag" gets a row with its error message.
    keep_samples=False drops each pass's samples and input draws once summarised (a catalogue
    of thousands of planets then holds only summaries: memory bounded by one pass).

    Every planet draws its random numbers from its own generator seeded with `seed`, so a
    planet gets the same posterior alone or in any batch.
    """
    inputs = loaded.inputs
    rows, valid = [], []
    for planet in planets:
        try:
            validate_planet(planet, inputs)
        except InputError as error:
            if on_invalid != "flag":
                raise
            rows.append(_flagged_row(planet, str(error)))
            continue
        rows.append(None)
        valid.append((len(rows) - 1, planet))
    # the central values of every planet are checked against the support in one call
    centres = np.array([[planet.values[name] for name in inputs] for _, planet in valid])
    inside, reasons = in_domain(centres.reshape(-1, len(inputs)), loaded.domain, inputs,
                                loaded.support)  # fmt: skip
    work = []
    for (i, planet), ok, reason in zip(valid, inside, reasons, strict=True):
        rows[i], x, n_per, rng = _prepare(planet, loaded, n_samples, n_draws, seed,
                                          (bool(ok), reason))  # fmt: skip
        work.append((i, x, n_per, rng))
    for group in _passes(work):
        _sample_group(loaded, [(rows[i], x, n_per, rng) for i, x, n_per, rng in group])
        if not keep_samples:
            for i, *_ in group:
                rows[i]["samples"] = _no_samples()
                rows[i]["input_draws"] = rows[i]["input_draws"][:0]
    return rows


def _no_samples() -> dict:
    empty = np.zeros((0, 4), np.float32)
    return {"mass_fractions": empty, "radius_fractions": empty, "pattern": np.zeros(0, int)}


def _prepare(planet: Planet, loaded: LoadedModel, n_samples: int, n_draws: int, seed: int,
             centre_check: tuple[bool, str | None]):  # fmt: skip
    """(row without samples, kept input draws (k, n_in), samples per draw, generator).

    centre_check: (in_domain, reason) of the central values (in_domain)."""
    inputs, domain, support = loaded.inputs, loaded.domain, loaded.support
    rng = np.random.default_rng(seed)
    centre = np.array([[planet.values[name] for name in inputs]])
    inside, reason = centre_check
    if not inside:
        warnings.warn(f"{planet.name or 'planet'}: {reason}; the posterior is an "
                      "extrapolation (in_domain = false)", OutOfDomainWarning,
                      stacklevel=3)  # fmt: skip
    if planet.has_errors:
        x = draw_inputs(planet, inputs, n_draws, rng)
        n_per = max(1, -(-n_samples // n_draws))
    else:
        x, n_per = centre, n_samples
    mass, radius = x[:, inputs.index("mass")], x[:, inputs.index("radius")]
    iron = ~(radius >= iron_radius_earth(np.where(mass > 0, mass, 1.0)))
    if planet.has_errors:
        outside = ~in_domain(x, domain, inputs, support)[0] & ~iron
    else:
        outside = np.zeros(len(x), bool)
    keep = ~iron & ~outside
    row = {"name": planet.name, "status": STATUS_OK if keep.any() else STATUS_NO_DRAWS,
           "in_domain": inside, "domain_reason": reason, "n_rejected_iron": int(iron.sum()),
           "n_rejected_domain": int(outside.sum()), "n_draws_used": int(keep.sum()),
           "input_draws": x[keep], "samples_per_draw": n_per}  # fmt: skip
    return row, x[keep], n_per, rng


def _passes(work):
    """Group planets into passes of at most SAMPLES_PER_PASS network samples, in order."""
    group, size = [], 0
    for item in work:
        count = item[1].shape[0] * item[2]
        if group and size + count > SAMPLES_PER_PASS:
            yield group
            group, size = [], 0
        group.append(item)
        size += count
    if group:
        yield group


def _sample_group(loaded: LoadedModel, group) -> None:
    """Sample and summarise the planets of one pass; fills each row's samples and summary."""
    model = loaded.numpy_model
    rep = model.config.representation
    by_n_per = {}
    for entry in group:
        by_n_per.setdefault(entry[2], []).append(entry)
    for n_per, members in by_n_per.items():
        draws = [numpy_mdn.random_draws(rep, x.shape[0], n_per, rng) for _, x, _, rng in members]
        out = numpy_mdn.sample_from_draws(
            model,
            np.concatenate([x for _, x, _, _ in members]),
            np.concatenate([d[0] for d in draws]),
            np.concatenate([d[1] for d in draws]),
        )
        start = 0
        for row, x, _, _ in members:
            part = {k: v[start : start + x.shape[0]] for k, v in out.items()}
            start += x.shape[0]
            row["samples"] = {k: v.reshape((-1,) + v.shape[2:]) for k, v in part.items()}
    sizes = {row["samples"]["pattern"].shape[0] for row, *_ in group}
    for size in sizes:  # planets with equally many samples are summarised together
        same = [row for row, *_ in group if row["samples"]["pattern"].shape[0] == size]
        stacked = [np.stack([row["samples"][f"{k}_fractions"] for row in same])
                   for k in ("mass", "radius")]  # fmt: skip
        for row, summary in zip(same, summarise_many(*stacked), strict=True):
            row["summary"] = summary


def _flagged_row(planet: Planet, message: str) -> dict:
    nan = np.full((0, 4), np.nan)
    return {
        "name": planet.name, "status": STATUS_INVALID, "in_domain": False, "error": message,
        "n_rejected_iron": 0,
        "n_rejected_domain": 0, "n_draws_used": 0,
        "summary": summarise(nan, nan, np.zeros(0, int), np.zeros(0, bool)),
        "samples": {"mass_fractions": nan, "radius_fractions": nan, "pattern": np.zeros(0, int)},
    }  # fmt: skip
