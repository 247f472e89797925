"""The fitting sample of Ma & Ghosh (2021, Sec. 2) from a NASA Exoplanet Archive PSCompPars export.

Selection (paper Sec. 2 (i)-(iii), archive pitfalls from the reference sheet, [P] = project choice):

1. true masses only: `pl_bmassprov == 'Mass'` (drops the archive's 'M-R relationship' masses,
   which come from Chen & Kipping 2017 and would be circular, and the Msini values);
2. no limit flags on mass or radius; both uncertainties of mass and radius present;
3. a, T_eff and R_star present (needed by eq. 1);
4. RV or TTV masses [P proxy]: drop discovery methods that never give RV/TTV masses of transiting
   planets (Imaging, Microlensing, Pulsar Timing, Astrometry, Disk Kinematics);
5. M < 13 M_J (Spiegel et al. 2011); 3-sigma cuts M/s_M, R/s_R, F/s_F > 3 (Chen & Kipping 2017);
6. the four prediction targets of Table 3 (HR 858 b, c, d; TOI-813 b) are never fitted.

Errors are symmetrised as s = (s+ + s-)/2 (Sec. 2 (ii)). The flux follows eq. (1),
F/F_earth = (T_eff/T_sun)^4 (R_star/R_sun)^2 (a/1 au)^-2, with T_sun = 5772 K (IAU 2015 B3) [P],
and first-order error propagation [P]. Values are in Earth units (M_earth, R_earth, F_earth),
the units of the paper's model; log10 of them are the model's variables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planetinfer.catalog import normalise_name, read_pscomppars, symmetrised_error
from planetinfer.constants import GM_EARTH, GM_JUPITER, TEFF_SUN
from planetinfer.errors import InputError

M_JUPITER_IN_EARTH = GM_JUPITER / GM_EARTH  # 317.83 (IAU 2015 B3 nominal values)
MASS_LIMIT_EARTH = 13.0 * M_JUPITER_IN_EARTH  # 4131.8 M_earth, deuterium burning (Spiegel+ 2011)
SIGNIFICANCE = 3.0  # 3-sigma cuts (Ma & Ghosh 2021 Sec. 2 (ii); Chen & Kipping 2017)
PREDICTION_TARGETS = ("HR 858 b", "HR 858 c", "HR 858 d", "TOI-813 b")  # Table 3, never fitted
NON_RV_TTV_METHODS = ("Imaging", "Microlensing", "Pulsar Timing", "Astrometry", "Disk Kinematics")

REQUIRED_COLUMNS = (
    "pl_name",
    "discoverymethod",
    "disc_year",
    "pl_bmassprov",
    "pl_bmasse",
    "pl_bmasseerr1",
    "pl_bmasseerr2",
    "pl_bmasselim",
    "pl_rade",
    "pl_radeerr1",
    "pl_radeerr2",
    "pl_radelim",
    "pl_orbsmax",
    "pl_orbsmaxerr1",
    "pl_orbsmaxerr2",
    "st_teff",
    "st_tefferr1",
    "st_tefferr2",
    "st_rad",
    "st_raderr1",
    "st_raderr2",
)


@dataclass(frozen=True)
class SelectionOptions:
    """Choices of the sample selection.

    max_disc_year: keep planets discovered in or before this year (None: all), e.g. 2019 for a
      sample close to the paper's 319 planets (retrieved 8 Sep 2019).
    missing_stellar_errors: 'drop' (default [P]) drops planets lacking an uncertainty on a, T_eff
      or R_star; 'zero' treats a missing uncertainty as zero.
    flux_source: 'equation1' computes every flux from star and orbit (the paper's eq. 1);
      'archive' uses `pl_insol` with its errors where both are given and eq. 1 elsewhere.
    """

    max_disc_year: int | None = None
    missing_stellar_errors: str = "drop"
    flux_source: str = "equation1"

    def __post_init__(self):
        if self.missing_stellar_errors not in ("drop", "zero"):
            raise InputError(
                f"missing_stellar_errors = {self.missing_stellar_errors!r} must be 'drop' or 'zero'"
            )
        if self.flux_source not in ("equation1", "archive"):
            raise InputError(f"flux_source = {self.flux_source!r} must be 'equation1' or 'archive'")


@dataclass(frozen=True)
class MRFSample:
    """Selected planets; arrays of shape (n,) in Earth units (M_earth, R_earth, F_earth)."""

    names: tuple[str, ...]
    mass: np.ndarray
    mass_err: np.ndarray
    radius: np.ndarray
    radius_err: np.ndarray
    flux: np.ndarray
    flux_err: np.ndarray
    disc_year: np.ndarray
    report: tuple[dict, ...] = ()  # one entry per cut: {"cut", "removed", "remaining", "examples"}
    options: SelectionOptions = field(default_factory=SelectionOptions)
    snapshot: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)

    def subset(self, keep: np.ndarray) -> MRFSample:
        """The planets where boolean `keep` (shape (n,)) is true."""
        keep = np.asarray(keep, dtype=bool)
        names = tuple(n for n, k in zip(self.names, keep, strict=True) if k)
        arrays = {
            key: getattr(self, key)[keep]
            for key in ("mass", "mass_err", "radius", "radius_err", "flux", "flux_err", "disc_year")
        }
        return MRFSample(
            names, **arrays, report=self.report, options=self.options, snapshot=self.snapshot
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per planet with the observed values and symmetrised errors."""
        return pd.DataFrame(
            {
                "pl_name": self.names,
                "mass": self.mass,
                "mass_err": self.mass_err,
                "radius": self.radius,
                "radius_err": self.radius_err,
                "flux": self.flux,
                "flux_err": self.flux_err,
                "disc_year": self.disc_year,
            }
        )


def flux_from_star_and_orbit(teff, r_star, a):
    """Incident flux in Earth units, eq. (1) of Ma & Ghosh (2021).

    teff [K], r_star [R_sun], a [au] -> F [F_earth] = (T_eff/T_sun)^4 (R_star/R_sun)^2 (a/au)^-2.
    """
    return (np.asarray(teff) / TEFF_SUN) ** 4 * np.asarray(r_star) ** 2 / np.asarray(a) ** 2


def flux_error(flux, teff, teff_err, r_star, r_star_err, a, a_err):
    """First-order propagated 1-sigma error of eq. (1) [P]; same units as `flux`.

    s_F/F = sqrt((4 s_T/T)^2 + (2 s_R*/R*)^2 + (2 s_a/a)^2).
    """
    rel = np.sqrt(
        (4 * teff_err / teff) ** 2 + (2 * r_star_err / r_star) ** 2 + (2 * a_err / a) ** 2
    )
    return np.asarray(flux) * rel


def _sym(frame: pd.DataFrame, column: str) -> np.ndarray:
    return symmetrised_error(frame[f"{column}err1"], frame[f"{column}err2"])


class _Log:
    """Applies boolean cuts one after another and records what each removed."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.entries: list[dict] = [
            {"cut": "rows in export", "removed": 0, "remaining": len(frame), "examples": []}
        ]

    def keep(self, mask, reason: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        dropped = self.frame.loc[~mask, "pl_name"].astype(str).tolist()
        self.frame = self.frame.loc[mask]
        self.entries.append(
            {
                "cut": reason,
                "removed": len(dropped),
                "remaining": len(self.frame),
                "examples": dropped[:5],
            }
        )


def _flux_columns(frame: pd.DataFrame, options: SelectionOptions):
    """Flux and its error per row: eq. (1) everywhere, or pl_insol where it has errors."""
    teff, r_star, a = (frame[c].to_numpy(float) for c in ("st_teff", "st_rad", "pl_orbsmax"))
    errs = [
        np.nan_to_num(_sym(frame, c), nan=0.0)
        if options.missing_stellar_errors == "zero"
        else _sym(frame, c)
        for c in ("st_teff", "st_rad", "pl_orbsmax")
    ]
    flux = flux_from_star_and_orbit(teff, r_star, a)
    flux_err = flux_error(flux, teff, errs[0], r_star, errs[1], a, errs[2])
    if options.flux_source == "archive" and "pl_insol" in frame.columns:
        insol = frame["pl_insol"].to_numpy(float)
        insol_err = _sym(frame, "pl_insol") if "pl_insolerr1" in frame.columns else np.nan
        usable = np.isfinite(insol) & np.isfinite(insol_err) & (insol > 0)
        flux = np.where(usable, insol, flux)
        flux_err = np.where(usable, insol_err, flux_err)
    return flux, flux_err


def select_sample(frame: pd.DataFrame, options: SelectionOptions | None = None) -> MRFSample:
    """Apply the paper's selection to a PSCompPars table; the report says what each cut removed."""
    options = options or SelectionOptions()
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"catalog lacks the column(s) {', '.join(missing)} needed by mrf")
    log = _Log(frame)
    f = log.frame
    log.keep(f["pl_bmassprov"].eq("Mass"), "mass not a true mass (M-R relationship or Msini)")
    f = log.frame
    log.keep(
        f["pl_bmasselim"].fillna(0).eq(0) & f["pl_radelim"].fillna(0).eq(0),
        "mass or radius is a limit",
    )
    f = log.frame
    ok = np.isfinite(f["pl_bmasse"].to_numpy(float)) & np.isfinite(_sym(f, "pl_bmasse"))
    ok &= np.isfinite(f["pl_rade"].to_numpy(float)) & np.isfinite(_sym(f, "pl_rade"))
    log.keep(ok, "mass or radius or one of their errors missing (archive-computed values)")
    f = log.frame
    ok = np.ones(len(f), bool)
    for column in ("pl_orbsmax", "st_teff", "st_rad"):
        ok &= np.isfinite(f[column].to_numpy(float)) & (f[column].to_numpy(float) > 0)
    log.keep(ok, "a, T_eff or R_star missing (flux of eq. 1 not computable)")
    f = log.frame
    targets = {normalise_name(n) for n in PREDICTION_TARGETS}
    log.keep(~f["pl_name"].map(normalise_name).isin(targets), "prediction target of Table 3")
    if options.max_disc_year is not None:
        f = log.frame
        log.keep(
            f["disc_year"] <= options.max_disc_year, f"discovered after {options.max_disc_year}"
        )
    f = log.frame
    log.keep(~f["discoverymethod"].isin(NON_RV_TTV_METHODS), "discovery method without RV/TTV mass")
    f = log.frame
    log.keep(f["pl_bmasse"] < MASS_LIMIT_EARTH, "mass >= 13 M_J (brown dwarf)")
    f = log.frame
    log.keep(f["pl_bmasse"] / _sym(f, "pl_bmasse") > SIGNIFICANCE, "M / s_M <= 3")
    f = log.frame
    log.keep(f["pl_rade"] / _sym(f, "pl_rade") > SIGNIFICANCE, "R / s_R <= 3")
    f = log.frame
    flux, flux_err = _flux_columns(f, options)
    log.keep(np.isfinite(flux_err), "uncertainty of a, T_eff or R_star missing (dropped [P])")
    f = log.frame
    flux, flux_err = _flux_columns(f, options)
    log.keep(flux / flux_err > SIGNIFICANCE, "F / s_F <= 3")
    f = log.frame
    flux, flux_err = _flux_columns(f, options)
    snapshot = frame.attrs.get("snapshot")
    return MRFSample(
        names=tuple(f["pl_name"].astype(str)),
        mass=f["pl_bmasse"].to_numpy(float),
        mass_err=_sym(f, "pl_bmasse"),
        radius=f["pl_rade"].to_numpy(float),
        radius_err=_sym(f, "pl_rade"),
        flux=np.asarray(flux, float),
        flux_err=np.asarray(flux_err, float),
        disc_year=f["disc_year"].to_numpy(int),
        report=tuple(log.entries),
        options=options,
        snapshot={} if snapshot is None else dict(vars(snapshot)),
    )


def load_sample(path, options: SelectionOptions | None = None) -> MRFSample:
    """Read a PSCompPars CSV export and select the fitting sample (see `select_sample`)."""
    return select_sample(read_pscomppars(path, REQUIRED_COLUMNS), options)


def format_report(sample: MRFSample) -> str:
    """Human-readable table of the cuts: removed and remaining planets per step."""
    lines = [f"{'cut':<72} {'removed':>8} {'remaining':>10}"]
    for entry in sample.report:
        lines.append(f"{entry['cut']:<72} {entry['removed']:>8} {entry['remaining']:>10}")
    return "\n".join(lines)


def planet_inputs(row: pd.Series) -> tuple[float, float, float, float]:
    """(R, s_R, F, s_F) of one catalog row [Earth units]; flux from eq. (1), missing errors = 0.

    Without the stellar and orbital values of eq. (1) the archive's pl_insol is used.
    Raises InputError when the row lacks a radius, or both eq. (1)'s values and pl_insol.
    """
    name = row.get("pl_name", "?")
    radius = float(row.get("pl_rade", np.nan))
    if not np.isfinite(radius) or radius <= 0:
        raise InputError(f"planet = {name!r} has no radius (pl_rade) in the catalog")
    radius_err = float(
        np.nan_to_num(
            symmetrised_error(row.get("pl_radeerr1", np.nan), row.get("pl_radeerr2", np.nan))
        )
    )
    values = [float(row.get(c, np.nan)) for c in ("st_teff", "st_rad", "pl_orbsmax")]
    if not all(np.isfinite(v) and v > 0 for v in values):
        insolation = float(row.get("pl_insol", np.nan))
        if np.isfinite(insolation) and insolation > 0:  # the archive's own flux [S_E]
            error = symmetrised_error(row.get("pl_insolerr1", np.nan),
                                      row.get("pl_insolerr2", np.nan))  # fmt: skip
            return radius, radius_err, insolation, float(np.nan_to_num(error))
        raise InputError(
            f"planet = {name!r} lacks st_teff, st_rad or pl_orbsmax for the flux (eq. 1) and "
            "pl_insol"
        )
    errs = [
        float(
            np.nan_to_num(
                symmetrised_error(row.get(f"{c}err1", np.nan), row.get(f"{c}err2", np.nan))
            )
        )
        for c in ("st_teff", "st_rad", "pl_orbsmax")
    ]
    flux = float(flux_from_star_and_orbit(*values))
    return (
        radius,
        radius_err,
        flux,
        float(flux_error(flux, values[0], errs[0], values[1], errs[1], values[2], errs[2])),
    )
