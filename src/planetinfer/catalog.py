"""Reading NASA Exoplanet Archive CSV exports (PSCompPars) and looking planets up by name.

The archive's Planetary Systems Composite Parameters table (PSCompPars, doi:10.26133/NEA13) is
exported as CSV with optional `#` comment lines at the top (column descriptions and a timestamp).
Columns follow the archive's names: a value `x`, its upper and lower uncertainties `xerr1` and
`xerr2` (err2 is negative) and a limit flag `xlim`. Values stay in the archive's units here
(Earth masses, Earth radii, au, K, solar radii); conversions belong to the callers.

This research has made use of the NASA Exoplanet Archive, which is operated by the California
Institute of Technology, under contract with NASA under the Exoplanet Exploration Program.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planetinfer.errors import InputError

PSCOMPPARS_DOI = "10.26133/NEA13"


@dataclass(frozen=True)
class CatalogSnapshot:
    """Identity of one archive export: where it came from and what exactly it was."""

    path: str
    sha256: str
    timestamp: str | None  # the archive's "# <date>" header line, when the export has one
    n_rows: int


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file (identifies a data snapshot)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _header_timestamp(path: Path) -> str | None:
    """The second comment line of an archive export is its timestamp, e.g. '# Tue Oct 15 ...'."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.startswith("#"):
                return None
            text = line.lstrip("#").strip()
            if re.match(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d \d{4}$", text):
                return text
    return None


def read_pscomppars(path: str | Path, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a PSCompPars CSV export into a DataFrame, one row per planet.

    `required` lists columns that must be present; a missing one raises InputError naming it.
    The snapshot identity (path, sha256, timestamp, rows) is stored in `frame.attrs["snapshot"]`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"catalog = {path} does not exist (expected a PSCompPars CSV export)")
    try:
        frame = pd.read_csv(path, comment="#", low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise InputError(f"catalog = {path} is not a readable CSV file: {error}") from error
    missing = [name for name in ("pl_name", *required) if name not in frame.columns]
    if missing:
        raise InputError(
            f"catalog = {path} lacks the column(s) {', '.join(missing)} "
            "(expected a NASA Exoplanet Archive PSCompPars export)"
        )
    frame.attrs["snapshot"] = CatalogSnapshot(
        path=str(path),
        sha256=file_sha256(path),
        timestamp=_header_timestamp(path),
        n_rows=len(frame),
    )
    return frame


def normalise_name(name: str) -> str:
    """Planet names compared case-insensitively, with runs of spaces, '-' and '_' ignored."""
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def find_planet(table: pd.DataFrame, name: str) -> pd.Series:
    """The row of planet `name` (e.g. 'HR 858 b', 'toi-813 b'); InputError if unknown."""
    keys = table["pl_name"].map(normalise_name)
    hits = np.flatnonzero(keys.to_numpy() == normalise_name(name))
    if hits.size == 0:
        close = difflib.get_close_matches(str(name), table["pl_name"].astype(str).tolist(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"planet = {name!r} is not in the catalog{hint}")
    return table.iloc[int(hits[0])]


def symmetrised_error(err1, err2) -> np.ndarray:
    """sigma = (sigma_plus + sigma_minus) / 2 (Wolfgang et al. 2016; Ma & Ghosh 2021, Sec. 2 (ii)).

    err1: upper uncertainty (>= 0); err2: lower uncertainty as exported (<= 0). NaN stays NaN.
    """
    return 0.5 * (np.abs(np.asarray(err1, dtype=float)) + np.abs(np.asarray(err2, dtype=float)))
