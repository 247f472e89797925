"""Reader and validator for the Kubyshkina & Fossati 2021 grid of hydrodynamic escape models.

The grid (Zenodo 4643823, CC BY-NC 4.0; Kubyshkina et al. 2018, A&A 619, A151; Kubyshkina &
Fossati 2021, RNAAS 5, 74) is read from a user path and never shipped with the package.
Columns keep the grid's units and say so in their names (`mstar_msun`, `feuv_cgs`, ...); the
physics in `formulas.py` is SI, and conversions happen here, at the file edge, with the grid's
own constants (`KF21_UNITS`, reference sheet §1.1), so that Lambda reproduces column 7.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError
from planetinfer.escape import formulas as F

GRID_FILE = "input_interpol_26-03-2021.dat"
TEQ_SMA_FILE = "teq-sma.txt"
GRID_MD5 = "6d0359fcd09edacc2dd5f582eec8d048"  # Zenodo 4643823 copy (PROVENANCE.md)
TEQ_SMA_MD5 = "c12fff3e42ed493fb259a6f77aff22c9"
DATA_ENV_VAR = "PLANETINFER_KF21_DIR"
COLUMNS = (
    "mstar_msun",
    "teq_k",
    "a_au",
    "feuv_cgs",
    "r_re",
    "m_me",
    "mdot_g_s",
    "lam",
    "interp_index",
)


@dataclass(frozen=True)
class GridUnits:
    """Unit values used by the grid's own code [SI] (reference sheet §1.1, from cgs)."""

    r_earth: float = 6.378e6  # [m]
    m_earth: float = 5.9722e24  # [kg]
    m_sun: float = 1.98855e30  # [kg]
    au: float = 1.4960e11  # [m]


KF21_UNITS = GridUnits()
FEUV_CGS_TO_SI = 1.0e-3  # erg s^-1 cm^-2 -> W m^-2
MDOT_CGS_TO_SI = 1.0e-3  # g s^-1 -> kg s^-1


def default_data_dir() -> Path:
    """The grid folder: $PLANETINFER_KF21_DIR, else ../shared/data/kubyshkina_fossati_2021."""
    if os.environ.get(DATA_ENV_VAR):
        return Path(os.environ[DATA_ENV_VAR])
    root = Path(__file__).resolve().parents[3]
    return root.parent / "shared" / "data" / "kubyshkina_fossati_2021"


def _resolve(path, filename: str) -> Path:
    path = Path(default_data_dir() if path is None else path)
    if path.is_dir():
        path = path / filename
    if not path.is_file():
        raise InputError(f"grid file {path} not found (set --grid or ${DATA_ENV_VAR})")
    return path


def md5sum(path: Path) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def derived_columns(table, units: GridUnits = KF21_UNITS):
    """Add log10 Mdot, Lambda recomputed, R_roche/R_pl, Erkaev K, Lambda*K and a regime label.

    regime: 0 = XUV-driven (Mdot <= 1e9 g/s), 2 = boil-off / Roche overflow (Mdot >= 1e12 g/s),
    1 = in between (thresholds of Reza et al. 2025 App. B for Lambda_RTP).
    """
    out = table.copy()
    m_pl = out["m_me"].to_numpy() * units.m_earth
    r_pl = out["r_re"].to_numpy() * units.r_earth
    a = out["a_au"].to_numpy() * units.au
    m_star = out["mstar_msun"].to_numpy() * units.m_sun
    out["log_mdot"] = np.log10(out["mdot_g_s"].to_numpy())
    out["lam_calc"] = np.asarray(F.jeans_parameter(m_pl, r_pl, out["teq_k"].to_numpy(), F.KF21))
    out["xi_roche"] = np.asarray(F.roche_radius(a, m_pl, m_star)) / r_pl
    out["k_tidal"] = np.asarray(F.k_tidal_from_xi(out["xi_roche"].to_numpy()))
    out["lambda_k"] = out["lam"] * out["k_tidal"]
    mdot = out["mdot_g_s"].to_numpy()
    out["regime"] = np.where(mdot <= 1e9, 0, np.where(mdot >= 1e12, 2, 1)).astype(np.int8)
    return out


def validate_table(table) -> None:
    """Raise InputError naming the first problem: columns, NaNs, non-positive values, duplicates."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"grid is missing columns {missing}; expected {list(COLUMNS)}")
    for name in COLUMNS[:8]:
        values = table[name].to_numpy(dtype=float)
        if not np.all(np.isfinite(values)) or np.any(values <= 0):
            row = int(np.argmax(~np.isfinite(values) | (values <= 0)))
            raise InputError(
                f"grid column {name} row {row} = {values[row]!r} must be finite and > 0"
            )
    if not set(np.unique(table["interp_index"])) <= {0, 1, 2}:
        raise InputError("grid column interp_index must take values 0, 1, 2")
    inputs = list(COLUMNS[:6])  # a planet and its star: one model per combination
    repeated = table.duplicated(inputs, keep="first").to_numpy()
    if repeated.any():
        row = int(np.argmax(repeated))
        raise InputError(f"grid row {row} repeats the inputs ({', '.join(inputs)}) of an earlier "
                         "row: one hydrodynamic model per planet and star")  # fmt: skip


def load_grid(path=None, *, check_md5: bool = False):
    """Read the 9-column whitespace grid file (or the folder holding it) into a DataFrame.

    Adds `derived_columns`. Attributes `attrs["source"]`, `attrs["md5"]` record the file.
    Raises InputError on a missing file, a wrong number of columns or bad values.
    """
    file = _resolve(path, GRID_FILE)
    try:
        raw = np.loadtxt(file, ndmin=2)
    except ValueError as error:
        raise InputError(f"grid file {file} is not a numeric table: {error}") from error
    if raw.shape[1] != len(COLUMNS):
        raise InputError(
            f"grid file {file} has {raw.shape[1]} columns; expected {len(COLUMNS)} ({COLUMNS})"
        )
    import pandas as pd

    table = pd.DataFrame(raw, columns=list(COLUMNS))
    table["interp_index"] = table["interp_index"].astype(int)
    validate_table(table)
    digest = md5sum(file)
    if check_md5 and digest != GRID_MD5:
        raise InputError(f"grid file {file} md5 {digest} differs from the published {GRID_MD5}")
    out = derived_columns(table)
    out.attrs.update(source=str(file), md5=digest)
    return out


@dataclass(frozen=True)
class TeqSmaRelation:
    """a(M*, Teq) of the grid (MIST main-sequence stars, zero albedo; Reza et al. 2025 Sect. 2.1).

    mstar: (n_m,) [M_sun]; teq: (n_t,) [K]; log_a: (n_m, n_t) log10 a [AU].
    Interpolation is linear in (M*, log Teq) on log10 a, exact at the table nodes.
    """

    mstar: np.ndarray
    teq: np.ndarray
    log_a: np.ndarray

    def _check(self, mstar, teq=None):
        lo, hi = float(self.mstar[0]), float(self.mstar[-1])
        if np.any(~((np.asarray(mstar) >= lo - 1e-12) & (np.asarray(mstar) <= hi + 1e-12))):
            raise InputError(
                f"mstar = {np.asarray(mstar).ravel()[0]:g} M_sun is outside the "
                f"teq-sma table range [{lo:g}, {hi:g}] M_sun"
            )
        if teq is not None:
            tlo, thi = float(self.teq[0]), float(self.teq[-1])
            t = np.asarray(teq)
            if np.any(~((t >= tlo) & (t <= thi))):
                raise InputError(
                    f"teq = {t.ravel()[0]:g} K is outside the teq-sma table range "
                    f"[{tlo:g}, {thi:g}] K"
                )

    def sma_au(self, mstar, teq):
        """Semi-major axis [AU] for star mass [M_sun] and Teq [K] (arrays broadcast)."""
        self._check(mstar, teq)
        m, t = np.broadcast_arrays(np.asarray(mstar, float), np.asarray(teq, float))
        from scipy.interpolate import RegularGridInterpolator

        interp = RegularGridInterpolator((self.mstar, np.log10(self.teq)), self.log_a)
        pts = np.stack([m.ravel(), np.log10(t.ravel())], axis=-1)
        return (10.0 ** interp(pts)).reshape(m.shape)

    def teq_k(self, mstar, a_au):
        """Inverse relation: Teq [K] for star mass [M_sun] and orbit [AU] (one star at a time).

        Raises InputError when the orbit lies outside the table's Teq range for that star.
        """
        self._check(mstar)
        log_t = np.log10(self.teq)
        log_a_m = np.array(
            [np.interp(float(mstar), self.mstar, self.log_a[:, j]) for j in range(self.teq.size)]
        )  # decreasing with Teq
        la = np.log10(np.asarray(a_au, float))
        if np.any(la > log_a_m[0]) or np.any(la < log_a_m[-1]):
            raise InputError(
                f"a = {np.asarray(a_au).ravel()[0]:g} AU is outside "
                f"[{10 ** log_a_m[-1]:.4g}, {10 ** log_a_m[0]:.4g}] AU, the "
                f"teq-sma range for mstar = {float(mstar):g} M_sun"
            )
        return 10.0 ** np.interp(la, log_a_m[::-1], log_t[::-1])

    def bolometric_luminosity(self, mstar):
        """L_bol [W] implied by the table, Teq^4 = L / (16 pi sigma a^2) (zero albedo): the
        median over the table's Teq nodes (a is the centre of a main-sequence interval)."""
        a_m = self.sma_au(np.full(self.teq.shape, float(mstar)), self.teq) * KF21_UNITS.au
        lum = 16.0 * np.pi * F.KF21.stefan_boltzmann * self.teq**4 * a_m**2
        return float(np.median(lum))


def load_teq_sma(path=None) -> TeqSmaRelation:
    """Read teq-sma.txt (M* [M_sun], Teq [K], a [AU]; 10 x 28 rows) from a file or folder."""
    file = _resolve(path, TEQ_SMA_FILE)
    raw = np.loadtxt(file, ndmin=2)
    if raw.shape[1] != 3:
        raise InputError(f"{file} has {raw.shape[1]} columns; expected 3 (mstar, teq, a)")
    mstar, teq = np.unique(raw[:, 0]), np.unique(raw[:, 1])
    if mstar.size * teq.size != raw.shape[0]:
        raise InputError(f"{file} is not a full (mstar x teq) table")
    order = np.lexsort((raw[:, 1], raw[:, 0]))
    log_a = np.log10(raw[order, 2]).reshape(mstar.size, teq.size)
    return TeqSmaRelation(mstar, teq, log_a)
