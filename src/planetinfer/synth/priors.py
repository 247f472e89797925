"""Priors of synthetic planets: mass, equilibrium temperature and four layer mass fractions.

A prior is described by a small TOML file (built-ins in `synth/configs/`, or the user's own) and
is reproducible from a seed: `load_prior("planetinfer").sample(n, seed)`. Layer order is core,
mantle, water, envelope (docs/conventions.md). Mass in Earth masses and Teq in K, as the
generated tables store them. The built-in priors and their sources are in docs/synth.md.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError

LAYERS = ("core", "mantle", "water", "envelope")
BUILTIN_PRIORS = ("baumeister2020", "exomdn", "planetinfer")
# The structure solver's input domain (structure/spec.py): masses 1e-6-100 M_E, Teq 1-5000 K.
MASS_DOMAIN_EARTH = (1.0e-6, 100.0)
TEQ_DOMAIN_K = (1.0, 5000.0)
DISTRIBUTIONS = ("uniform", "loguniform", "constant")


@dataclass(frozen=True)
class Distribution:
    """A one-dimensional distribution: uniform or log-uniform on [low, high], or a constant."""

    kind: str
    low: float = math.nan
    high: float = math.nan
    value: float = math.nan

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n draws, shape (n,). Log-uniform: exp of a uniform draw in [ln low, ln high]."""
        if self.kind == "constant":
            return np.full(n, self.value)
        if self.kind == "uniform":
            return self.low + (self.high - self.low) * rng.random(n)
        return np.exp(rng.uniform(math.log(self.low), math.log(self.high), n))

    def cdf(self, x) -> np.ndarray:
        """Cumulative distribution function at x (for goodness-of-fit tests)."""
        x = np.asarray(x, dtype=float)
        if self.kind == "constant":
            return (x >= self.value).astype(float)
        if self.kind == "uniform":
            u = (x - self.low) / (self.high - self.low)
        else:
            u = (np.log(x) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return np.clip(u, 0.0, 1.0)

    def to_dict(self) -> dict:
        if self.kind == "constant":
            return {"distribution": "constant", "value": self.value}
        return {"distribution": self.kind, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class SimplexClass:
    """A share of planets whose present layers are uniform on their simplex (flat Dirichlet)."""

    share: float
    layers: tuple[str, ...]

    @property
    def mask(self) -> np.ndarray:
        return np.array([name in self.layers for name in LAYERS], dtype=float)


@dataclass(frozen=True)
class SimplexComposition:
    """Composition classes: each planet picks a class (by share), then its fractions.

    A flat Dirichlet is drawn as normalised standard exponentials (Devroye 1986, Non-Uniform
    Random Variate Generation, chapter XI.4); absent layers get exactly 0.
    """

    classes: tuple[SimplexClass, ...]

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Return mass fractions (n, 4) and the class index of each planet (n,)."""
        shares = np.array([c.share for c in self.classes])
        index = rng.choice(len(self.classes), size=n, p=shares / shares.sum())
        masks = np.stack([c.mask for c in self.classes])[index]
        draws = rng.standard_exponential((n, 4)) * masks
        return draws / draws.sum(axis=1, keepdims=True), index

    def to_dict(self) -> dict:
        classes = [{"share": c.share, "layers": list(c.layers)} for c in self.classes]
        return {"kind": "simplex", "classes": classes}


@dataclass(frozen=True)
class RemainderComposition:
    """Three layers drawn independently, one layer (the mantle) takes the remainder.

    Baumeister et al. (2020, ApJ 889, 42) section 2.3: a draw whose drawn fractions sum above 1
    is redrawn (rejection), so the accepted draws follow the product prior restricted to sum <= 1.
    """

    remainder: str
    drawn: tuple[tuple[str, Distribution], ...]

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Return mass fractions (n, 4) and a class index (all 0), shape (n,)."""
        fractions = np.zeros((n, 4))
        pending = np.arange(n)
        while pending.size:
            draws = {name: dist.sample(rng, pending.size) for name, dist in self.drawn}
            total = sum(draws.values())
            accepted = total <= 1.0
            for name, values in draws.items():
                fractions[pending[accepted], LAYERS.index(name)] = values[accepted]
            fractions[pending[accepted], LAYERS.index(self.remainder)] = 1.0 - total[accepted]
            pending = pending[~accepted]
        return fractions, np.zeros(n, dtype=int)

    def to_dict(self) -> dict:
        out = {"kind": "remainder", "remainder": self.remainder}
        out.update({name: dist.to_dict() for name, dist in self.drawn})
        return out


@dataclass(frozen=True)
class Prior:
    """A named prior over (mass [M_E], Teq [K], mass fractions (4,)) with its default envelope."""

    name: str
    description: str
    envelope_model: str
    mass: Distribution
    teq: Distribution
    composition: SimplexComposition | RemainderComposition
    source_text: str = ""  # the TOML text it was read from, stored with the data

    def sample(self, n: int, seed) -> dict[str, np.ndarray]:
        """Draw n planets from an integer seed or a numpy SeedSequence.

        Mass, Teq and composition use independent child streams of the seed. Returns a dict:
        mass_earth (n,) [M_E], teq (n,) [K], mass_fractions (n, 4), composition_class (n,).
        """
        if n < 0:
            raise InputError(f"n = {n} is outside the valid range [0, inf)")
        sequence = (
            seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        )
        mass_rng, teq_rng, comp_rng = (
            np.random.Generator(np.random.PCG64(s)) for s in sequence.spawn(3)
        )
        fractions, index = self.composition.sample(comp_rng, n)
        return {
            "mass_earth": self.mass.sample(mass_rng, n),
            "teq": self.teq.sample(teq_rng, n),
            "mass_fractions": fractions,
            "composition_class": index,
        }

    def to_dict(self) -> dict:
        """The normalised configuration (stored in manifest.json and compared on resume)."""
        return {
            "name": self.name,
            "description": self.description,
            "envelope_model": self.envelope_model,
            "mass": self.mass.to_dict(),
            "teq": self.teq.to_dict(),
            "composition": self.composition.to_dict(),
        }


def _distribution(field: str, spec, domain: tuple[float, float]) -> Distribution:
    if not isinstance(spec, dict):
        raise InputError(f"prior config: [{field}] must be a table, got {spec!r}")
    kind = spec.get("distribution")
    if kind not in DISTRIBUTIONS:
        raise InputError(
            f"prior config: {field}.distribution = {kind!r} is not one of {', '.join(DISTRIBUTIONS)}"
        )
    allowed = {"distribution", "value"} if kind == "constant" else {"distribution", "low", "high"}
    _no_unknown_keys(field, spec, allowed)
    try:
        numbers = {key: float(spec[key]) for key in allowed - {"distribution"}}
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            f"prior config: {field} ({kind}) needs numbers {sorted(allowed - {'distribution'})}, got {spec!r}"
        ) from error
    lo, hi = domain
    for key, value in numbers.items():
        if not (math.isfinite(value) and lo <= value <= hi):
            raise InputError(
                f"prior config: {field}.{key} = {value:g} is outside the valid range [{lo:g}, {hi:g}]"
            )
    if kind != "constant" and not numbers["low"] < numbers["high"]:
        raise InputError(
            f"prior config: {field} needs low < high, got low = {numbers['low']:g}, high = {numbers['high']:g}"
        )
    if kind == "loguniform" and numbers["low"] <= 0:
        raise InputError(
            f"prior config: {field}.low = {numbers['low']:g} must be > 0 for a log-uniform distribution"
        )
    return Distribution(kind, **numbers)


def _no_unknown_keys(field: str, spec: dict, allowed: set[str]) -> None:
    unknown = set(spec) - set(allowed)
    if unknown:
        raise InputError(
            f"prior config: unknown key(s) {sorted(unknown)} in [{field}]; allowed: {sorted(allowed)}"
        )


def _layers(field: str, names) -> tuple[str, ...]:
    if (
        not isinstance(names, list)
        or not names
        or any(name not in LAYERS for name in names)
        or len(set(names)) != len(names)
    ):
        raise InputError(
            f"prior config: {field}.layers = {names!r} must be a non-empty list of distinct names from {LAYERS}"
        )
    return tuple(name for name in LAYERS if name in names)


def _composition(spec) -> SimplexComposition | RemainderComposition:
    if not isinstance(spec, dict) or spec.get("kind") not in ("simplex", "remainder"):
        raise InputError('prior config: [composition] needs kind = "simplex" or "remainder"')
    if spec["kind"] == "simplex":
        _no_unknown_keys("composition", spec, {"kind", "classes"})
        classes = spec.get("classes")
        if not isinstance(classes, list) or not classes:
            raise InputError(
                "prior config: composition.classes must be a non-empty list of {share, layers}"
            )
        parsed = []
        for i, entry in enumerate(classes):
            field = f"composition.classes[{i}]"
            if not isinstance(entry, dict):
                raise InputError(f"prior config: {field} must be a table with share and layers")
            _no_unknown_keys(field, entry, {"share", "layers"})
            share = entry.get("share")
            if not isinstance(share, int | float) or not 0.0 < share <= 1.0:
                raise InputError(
                    f"prior config: {field}.share = {share!r} is outside the valid range (0, 1]"
                )
            parsed.append(SimplexClass(float(share), _layers(field, entry.get("layers"))))
        total = sum(c.share for c in parsed)
        if abs(total - 1.0) > 1e-9:
            raise InputError(
                f"prior config: composition class shares sum to {total:.6g}; they must sum to 1"
            )
        return SimplexComposition(tuple(parsed))
    remainder = spec.get("remainder")
    if remainder not in LAYERS:
        raise InputError(
            f"prior config: composition.remainder = {remainder!r} is not one of {LAYERS}"
        )
    _no_unknown_keys("composition", spec, {"kind", "remainder", *LAYERS})
    drawn = tuple(
        (name, _distribution(f"composition.{name}", spec.get(name), (0.0, 1.0)))
        for name in LAYERS
        if name != remainder
    )
    return RemainderComposition(remainder, drawn)


def prior_from_dict(config: dict, source_text: str = "") -> Prior:
    """Build and validate a Prior from a parsed config; InputError names the bad field."""
    if not isinstance(config, dict):
        raise InputError("prior config must be a TOML table")
    _no_unknown_keys(
        "top level", config, {"name", "description", "envelope_model", "mass", "teq", "composition"}
    )
    name = config.get("name")
    if not isinstance(name, str) or not name:
        raise InputError("prior config: name must be a non-empty string")
    envelope = config.get("envelope_model", "cold")
    if envelope not in ("cold", "teq"):
        raise InputError(f"prior config: envelope_model = {envelope!r} is not one of cold, teq")
    return Prior(
        name=name,
        description=str(config.get("description", "")),
        envelope_model=envelope,
        mass=_distribution("mass", config.get("mass"), MASS_DOMAIN_EARTH),
        teq=_distribution("teq", config.get("teq"), TEQ_DOMAIN_K),
        composition=_composition(config.get("composition")),
        source_text=source_text,
    )


def prior_from_toml(text: str) -> Prior:
    """Parse TOML text into a validated Prior."""
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"prior config is not valid TOML: {error}") from error
    return prior_from_dict(config, source_text=text)


def load_prior(spec: str | Path | Prior) -> Prior:
    """A built-in prior by name (baumeister2020, exomdn, planetinfer), or a TOML file's path."""
    if isinstance(spec, Prior):
        return spec
    if isinstance(spec, str) and spec in BUILTIN_PRIORS:
        text = resources.files("planetinfer.synth").joinpath("configs", f"{spec}.toml").read_text()
        return prior_from_toml(text)
    path = Path(spec)
    if path.is_file():
        return prior_from_toml(path.read_text())
    raise InputError(
        f"prior = {str(spec)!r} is neither a built-in prior ({', '.join(BUILTIN_PRIORS)}) nor an existing TOML file"
    )
