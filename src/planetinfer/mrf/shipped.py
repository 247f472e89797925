"""The fitted posterior that ships with the package: thinned global draws + JSON header.

The files `posterior/mrf_posterior.nc` (NetCDF, ArviZ) and `posterior/mrf_posterior.json` (header:
command, seed, data snapshot, settings, diagnostics, fitted domain, sha256 of the NetCDF file)
are written by `planetinfer mrf fit ... --ship-dir src/planetinfer/mrf/posterior`. The checksum is
verified on load.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path

from planetinfer.errors import InputError

SHIPPED_NAME = "mrf_posterior"
# file stem of each model's shipped posterior ("monotone" is the default of mrf predict)
SHIPPED_FILES = {"ma2021": SHIPPED_NAME, "monotone": "mrf_monotone"}
MODELS = tuple(SHIPPED_FILES)
DEFAULT_MODEL = "monotone"


def model_file_stem(model: str) -> str:
    """The shipped file stem of a model name; InputError naming the valid ones."""
    if model not in SHIPPED_FILES:
        raise InputError(f"model = {model!r} is not one of {', '.join(MODELS)}")
    return SHIPPED_FILES[model]


def shipped_dir() -> Path:
    """Folder of the shipped posterior inside the installed package."""
    return Path(str(resources.files("planetinfer.mrf") / "posterior"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fitted_domain(idata) -> dict:
    """Range of the fitted sample in log10 R and log10 F (for in_domain flags)."""
    import numpy as np

    data = idata.constant_data
    log_r = np.log10(data["radius"].values)
    log_f = np.log10(data["flux"].values)
    return {
        "log10_radius": [float(log_r.min()), float(log_r.max())],
        "log10_flux": [float(log_f.min()), float(log_f.max())],
    }


def write_shipped(idata, folder, n_draws: int = 1000) -> Path:
    """Thin to ~n_draws global draws, write NetCDF + JSON header with checksum; returns header."""
    from planetinfer.mrf.fit import metadata, thin_globals

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    thinned = thin_globals(idata, n_draws)
    nc_path = folder / f"{SHIPPED_NAME}.nc"
    temporary = nc_path.with_name(nc_path.name + ".tmp")
    thinned.to_netcdf(str(temporary), engine="h5netcdf")
    os.replace(temporary, nc_path)
    meta = metadata(idata)
    header = {
        "description": "Posterior of the Ma & Ghosh (2021) mass-radius-flux model, global "
        "parameters only, thinned; fitted by planetinfer",
        "command": meta.get("command", ""),
        "seed": meta.get("settings", {}).get("seed"),
        "settings": meta.get("settings"),
        "model_config": meta.get("model_config"),
        "selection": meta.get("selection"),
        "data_snapshot": meta.get("snapshot"),
        "n_planets": meta.get("n_planets"),
        "fit_seconds": meta.get("fit_seconds"),
        "cpu_seconds": meta.get("cpu_seconds"),
        "load_average": meta.get("load_average"),
        "diagnostics": meta.get("diagnostics"),
        "domain": fitted_domain(idata),
        "draws_shipped": int(thinned.posterior.sizes["chain"] * thinned.posterior.sizes["draw"]),
        "data_licence": "NASA Exoplanet Archive (free to use, acknowledge; doi:10.26133/NEA13)",
        "sha256": _sha256(nc_path),
    }
    header_path = folder / f"{SHIPPED_NAME}.json"
    header_path.write_text(json.dumps(header, indent=1))
    return header_path


def verified_header(folder=None, stem: str = SHIPPED_NAME) -> dict:
    """The shipped header after checking the NetCDF file against its sha256; InputError when
    a file is missing, the header unreadable or the checksum fails."""
    folder = Path(folder) if folder is not None else shipped_dir()
    nc_path, header_path = folder / f"{stem}.nc", folder / f"{stem}.json"
    if not nc_path.is_file() or not header_path.is_file():
        raise InputError(f"posterior = {nc_path} is not shipped; pass --posterior FILE")
    try:
        header = json.loads(header_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"posterior header {header_path} is not readable JSON: {error}") from error
    if _sha256(nc_path) != header.get("sha256"):
        raise InputError(f"posterior = {nc_path} fails its sha256 check (file changed or corrupt)")
    return header


def load_shipped(folder=None):
    """The shipped posterior as ArviZ InferenceData and its header (checksum verified)."""
    import arviz as az

    folder = Path(folder) if folder is not None else shipped_dir()
    header = verified_header(folder)
    return az.from_netcdf(str(folder / f"{SHIPPED_NAME}.nc"), engine="h5netcdf"), header
