"""Planet presets for the gravity sampler (Uranus, Neptune), every constant with its source.

Conventions (docs/gravity.md): GM is the planet's own value (never the system value with the
moons); `radius_mean` is the volumetric mean radius R_m of the outer level (the ToF levels are
l_k = R_m (1 - k/N)); J_2n are normalised to `reference_radius`, which is never used as the
planet radius. Presets can be overridden key by key or replaced by a TOML file:

    [planet]
    base = "uranus"            # optional: start from a preset
    name = "uranus-voyager-period"
    period_s = 62064.0
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from planetinfer.constants import G
from planetinfer.errors import InputError, check_range

KM = 1.0e3
KM3 = 1.0e9


@dataclass(frozen=True)
class Planet:
    """Observed constraints of one planet, SI units; J_2n normalised to `reference_radius`."""

    name: str
    gm: float  # planet GM [m^3 s^-2]
    radius_mean: float  # volumetric mean radius of the 1-bar level [m]
    reference_radius: float  # normalisation radius of the J_2n [m]
    period_s: float  # rotation period [s]
    j2: float
    j4: float
    sigma_j2: float
    sigma_j4: float
    correlation: float = 0.0  # corr(J2, J4)
    rho_max: float = 20000.0  # largest acceptable density [kg m^-3] (WMH26 Sect. 2.2)
    radius_equatorial: float | None = None  # observed 1-bar equatorial radius [m], for comparison
    sources: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        check_range("gm", self.gm, 0.0, None, low_inclusive=False, unit="m^3 s^-2")
        check_range("radius_mean", self.radius_mean, 0.0, None, low_inclusive=False, unit="m")
        check_range(
            "reference_radius", self.reference_radius, 0.0, None, low_inclusive=False, unit="m"
        )
        check_range("period_s", self.period_s, 0.0, None, low_inclusive=False, unit="s")
        check_range("sigma_j2", self.sigma_j2, 0.0, None, low_inclusive=False)
        check_range("sigma_j4", self.sigma_j4, 0.0, None, low_inclusive=False)
        check_range(
            "correlation", self.correlation, -1.0, 1.0, low_inclusive=False, high_inclusive=False
        )
        check_range("rho_max", self.rho_max, 0.0, None, low_inclusive=False, unit="kg m^-3")

    @property
    def mass(self) -> float:
        """M = GM / G [kg] (G: CODATA 2018, as used by WMH26)."""
        return self.gm / G

    @property
    def j_obs(self) -> np.ndarray:
        """(J2, J4), shape (2,)."""
        return np.array([self.j2, self.j4])

    @property
    def covariance(self) -> np.ndarray:
        """Covariance of (J2, J4), shape (2, 2)."""
        off = self.correlation * self.sigma_j2 * self.sigma_j4
        return np.array([[self.sigma_j2**2, off], [off, self.sigma_j4**2]])

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


URANUS = Planet(
    name="uranus",
    gm=5793950.61 * KM3,
    radius_mean=25362.0 * KM,
    reference_radius=25559.0 * KM,
    period_s=17.247864 * 3600.0,
    j2=3509.291e-6,
    j4=-35.522e-6,
    sigma_j2=0.412e-6,
    sigma_j4=0.466e-6,
    correlation=0.9861,
    radius_equatorial=25559.0 * KM,
    sources={
        "gm": "Jacobson & Park 2025, AJ 169, 65 (URA182), planet GM 5793950.61 +- 2.16 km^3/s^2",
        "radius_mean": "Seidelmann et al. 2007, CMDA 98, 155: 25362 +- 7 km",
        "reference_radius": "French et al. 2024, Icarus 411, 115957 (= Lindal et al. 1987 R_eq)",
        "period_s": "Lamy et al. 2025, Nature Astronomy: 17.247864 +- 0.000010 h",
        "j2,j4,correlation": "French et al. 2024, Icarus 411, 115957 (J6 fixed at 0.5e-6)",
        "radius_equatorial": "Lindal et al. 1987, JGR 92, 14987: 25559 +- 4 km",
        "rho_max": "WMH26 Sect. 2.2",
    },
)

NEPTUNE = Planet(
    name="neptune",
    gm=6835099.97 * KM3,
    radius_mean=24622.0 * KM,
    reference_radius=25225.0 * KM,
    period_s=15.9663 * 3600.0,
    j2=3401.655e-6,
    j4=-33.294e-6,
    sigma_j2=3.994e-6,
    sigma_j4=10.000e-6,
    correlation=0.0,
    radius_equatorial=24764.0 * KM,
    sources={
        "gm": "JPL Horizons 2021 planet GM 6835099.97 +- 10 km^3/s^2 (Jacobson 2009, AJ 137, "
        "4322, system GM 6836527.10 minus Triton)",
        "radius_mean": "Seidelmann et al. 2007: 24622 +- 19 km",
        "reference_radius": "Jacobson 2009; Wang et al. 2023 (25225 km)",
        "period_s": "Karkoschka 2011, Icarus 215, 439: 15.9663 +- 0.0002 h",
        "j2,j4": "Wang et al. 2023, A&A 671, A70 (from Triton); no correlation published",
        "radius_equatorial": "Seidelmann et al. 2007: 24764 +- 15 km",
        "rho_max": "WMH26 Sect. 2.2",
    },
)

# The configuration the WMH26 authors' code used (reference sheet Sect. 4.3), for reproduction
# only: it takes the equatorial radius (Uranus) or R_ref (Neptune) as the mean radius R_m and, for
# Neptune, the system GM. Prefer `uranus` / `neptune`.
URANUS_WMH26 = dataclasses.replace(
    URANUS,
    name="uranus-wmh26",
    gm=86.8127e24 * G,
    radius_mean=25559.0 * KM,
    period_s=62080.0,
    sources={
        "all": "WMH26 authors' configuration (Helled & Fortney 2020 mass, 62080 s, "
        "R_m = 25559 km); French et al. 2024 J2, J4"
    },
)
# Neptune's R_m: WMH26 Sect. 2.2 prints Delta l = R/N = 24186 m (N = 1024), i.e. R = 24766 km,
# Lindal (1992) equatorial radius: the analogue of Uranus' 25559 km (Delta l = 24960 m). The
# authors' public development code used R_ref = 25225 km instead; with that radius our NMoI is
# 0.227 (64 runs), far below the paper's 0.23597, while 24766 km reproduces it (docs/gravity.md).
NEPTUNE_WMH26 = dataclasses.replace(
    NEPTUNE,
    name="neptune-wmh26",
    gm=6836525.21 * KM3,
    radius_mean=24766.0 * KM,
    sources={
        "all": "WMH26 configuration (GM 6836525.21 km^3/s^2 of the authors' code; R_m = 24766 km "
        "from the Delta l = 24186 m of WMH26 Sect. 2.2); Wang et al. 2023 J2, J4; Karkoschka "
        "2011 period"
    },
)

PRESETS = {p.name: p for p in (URANUS, NEPTUNE, URANUS_WMH26, NEPTUNE_WMH26)}


def get_planet(preset: str, /, **overrides) -> Planet:
    """Preset by name (case-insensitive), with optional field overrides (SI units)."""
    key = preset.strip().lower()
    if key not in PRESETS:
        raise InputError(f"planet = {preset!r} is unknown; valid presets: {sorted(PRESETS)}")
    return override(PRESETS[key], **overrides)


def override(planet: Planet, **changes) -> Planet:
    """Copy of `planet` with fields replaced; unknown field names raise InputError."""
    names = {f.name for f in dataclasses.fields(Planet)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise InputError(f"planet field(s) {unknown} unknown; valid fields: {sorted(names)}")
    return dataclasses.replace(planet, **changes)


def load_planet(path: str | Path) -> Planet:
    """Planet from a TOML file with a [planet] table (optional `base` preset, then fields)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"planet file = {str(path)!r} does not exist")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    table = dict(data.get("planet", {}))
    if not table:
        raise InputError(f"planet file = {str(path)!r} has no [planet] table")
    base = table.pop("base", None)
    if base is not None:
        return get_planet(base, **table)
    required = {
        "name",
        "gm",
        "radius_mean",
        "reference_radius",
        "period_s",
        "j2",
        "j4",
        "sigma_j2",
        "sigma_j4",
    }
    missing = sorted(required - set(table))
    if missing:
        raise InputError(f"planet file {str(path)!r} misses field(s) {missing}")
    return override(URANUS, **{"sources": {}, "radius_equatorial": None, **table})


def resolve_planet(spec: str) -> Planet:
    """A preset name or a path to a TOML file."""
    if spec.lower().endswith(".toml"):
        return load_planet(spec)
    return get_planet(spec)
