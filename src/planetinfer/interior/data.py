"""Training data for the interior networks: load a synth directory or a DataFrame, keep the
solved planets, split by planet id, and build the (inputs, targets) arrays of a representation.

Column layout (planetinfer.synth.store): id, mass_earth, {core,mantle,water,envelope}_mass_fraction,
teq, model, envelope_model, radius_earth, k2, moment_of_inertia, {...}_radius_fraction,
central_pressure_pa, central_temperature_k, status, iterations.

Only rows with status == 0 are used (failed structure solutions, e.g. some hot envelope-rich
planets of the experimental Teq envelope, are excluded; the count is reported in `DataSet.info`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planetinfer.errors import InputError
from planetinfer.interior import transforms

LAYERS = transforms.LAYERS
MASS_COLUMNS = tuple(f"{name}_mass_fraction" for name in LAYERS)
RADIUS_COLUMNS = tuple(f"{name}_radius_fraction" for name in LAYERS)
INPUT_COLUMNS = {"mass": "mass_earth", "radius": "radius_earth", "teq": "teq", "k2": "k2"}
REQUIRED = ("id", *MASS_COLUMNS, *RADIUS_COLUMNS, *INPUT_COLUMNS.values(), "status")
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)  # train, validation, test


@dataclass
class DataSet:
    """Solved planets with their split. frame: status-0 rows; split: (n,) 'train'/'val'/'test'."""

    frame: pd.DataFrame
    split: np.ndarray
    info: dict = field(default_factory=dict)

    def part(self, name: str) -> pd.DataFrame:
        return self.frame[self.split == name]


def id_uniform(ids) -> np.ndarray:
    """Deterministic U[0, 1) number per planet id (SplitMix64 finaliser, Steele et al. 2014)."""
    z = np.asarray(ids, dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def split_by_id(ids) -> np.ndarray:
    """'train' / 'val' / 'test' per planet from a hash of its id (80 / 10 / 10 %)."""
    u = id_uniform(ids)
    train, val, _ = SPLIT_FRACTIONS
    return np.where(u < train, "train", np.where(u < train + val, "val", "test"))


def manifest_summary(path: Path) -> dict:
    """The synth manifest (as a dict) plus its sha256, or {} when the directory has none."""
    manifest_path = Path(path) / "manifest.json"
    if not manifest_path.is_file():
        return {}
    text = manifest_path.read_bytes()
    return {
        "path": str(path),
        "sha256": hashlib.sha256(text).hexdigest(),
        "manifest": json.loads(text),
    }


def read_frame(source) -> tuple[pd.DataFrame, dict]:
    """A synth directory (read with planetinfer.synth.store, imported lazily) or a DataFrame."""
    if isinstance(source, pd.DataFrame):
        return source, {"path": None, "note": "in-memory DataFrame"}
    path = Path(source)
    if not (path / "manifest.json").is_file():
        raise InputError(f"data = {path} is not a synth dataset directory (no manifest.json)")
    from planetinfer.synth.store import read_dataset

    return read_dataset(path), manifest_summary(path)


MAX_RADIUS_EARTH = 20.0


def load(source, max_radius_earth: float = MAX_RADIUS_EARTH) -> DataSet:
    """Load, check columns, keep status == 0 with core and mantle present, split by id.

    Rows with radius above max_radius_earth [R_E] are dropped too: in the 100k planetinfer set
    1.6 % of the status-0 planets (hot, envelope-rich, Teq envelope) have radii of 20 to 5e4 R_E
    and k2 down to 1e-23, which are not physical planets below 25 M_E (docs/interior.md).
    """
    frame, manifest = read_frame(source)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(f"data lacks the column(s) {', '.join(missing)}")
    n_all = len(frame)
    ok = frame["status"].to_numpy() == 0
    finite = np.isfinite(frame[list(RADIUS_COLUMNS) + ["radius_earth", "k2"]].to_numpy()).all(1)
    rocky = (frame["core_mass_fraction"].to_numpy() > 0) & (
        frame["mantle_mass_fraction"].to_numpy() > 0
    )
    small = frame["radius_earth"].to_numpy() <= max_radius_earth
    keep = ok & finite & rocky & small
    kept = frame[keep].reset_index(drop=True)
    info = {
        "rows": n_all,
        "rows_status_ok": int(ok.sum()),
        "rows_used": int(keep.sum()),
        "rows_dropped_nonfinite_or_no_core_or_mantle": int((ok & ~(finite & rocky)).sum()),
        "rows_dropped_radius_above_max": int((ok & finite & rocky & ~small).sum()),
        "max_radius_earth": max_radius_earth,
        "split": "SplitMix64 hash of id: u < 0.8 train, < 0.9 val, else test",
        "data": manifest,
    }
    if len(kept) == 0:
        raise InputError("data has no usable rows (status == 0 with core and mantle present)")
    return DataSet(kept, split_by_id(kept["id"].to_numpy()), info)


def inputs_array(frame: pd.DataFrame, inputs: tuple[str, ...]) -> np.ndarray:
    """(n, n_in) raw inputs in Earth units / K, ordered like `inputs`."""
    return frame[[INPUT_COLUMNS[name] for name in inputs]].to_numpy(dtype=np.float64)


def fractions(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(mass fractions (n, 4), radius fractions (n, 4)); tiny negatives from round-off -> 0."""
    m = np.clip(frame[list(MASS_COLUMNS)].to_numpy(dtype=np.float64), 0.0, None)
    d = np.clip(frame[list(RADIUS_COLUMNS)].to_numpy(dtype=np.float64), 0.0, None)
    return m, d


def targets_array(
    frame: pd.DataFrame, representation: str, envelope: str = "condensed"
) -> tuple[np.ndarray, np.ndarray]:
    """(targets (n, T), keep (n,) bool) for a representation (transforms.encode_*); envelope:
    the envelope coordinate of "patterns" (transforms.ENVELOPE_COORDINATES)."""
    m, d = fractions(frame)
    if representation == "patterns":
        return transforms.encode_patterns(m, d, envelope), np.ones(len(frame), dtype=bool)
    if representation == "exomdn":
        return transforms.encode_exomdn(m, d)
    if representation == "radius1d":
        return transforms.encode_radius1d(m, d), np.ones(len(frame), dtype=bool)
    raise InputError(f"representation = {representation!r} is unknown")
