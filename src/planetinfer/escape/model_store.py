"""Save and load trained escape networks: JSON header + equinox weights + sha256 checksum.

The weights are derived from the Kubyshkina & Fossati 2021 grid (CC BY-NC 4.0), so they carry
the same licence; the header says so. No pickles: `eqx.tree_serialise_leaves` only.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np

from planetinfer import __version__, weights
from planetinfer.errors import InputError
from planetinfer.escape import networks as N
from planetinfer.escape.features import GridDomain
from planetinfer.escape.interpolate import NetworkInterpolator

LICENCE_NOTE = (
    "Weights derived from the Kubyshkina & Fossati (2021) grid of hydrodynamic upper-atmosphere "
    "models (Zenodo 4643823), licensed CC BY-NC 4.0: these weights are licensed CC BY-NC 4.0 "
    "too (attribution, non-commercial use only), separately from the planetinfer code (MIT). "
    "Cite Kubyshkina et al. 2018 (A&A 619, A151) and Kubyshkina & Fossati 2021 (RNAAS 5, 74)."
)
SHIPPED_NAME = "escape_best_network"


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save_network(model: NetworkInterpolator, out_dir, name: str, provenance: dict) -> Path:
    """Write <name>.eqx and <name>.json (header) to out_dir; returns the header path.

    provenance: seed, data_md5, data_source, command, training_seconds, ... (stored as given).
    """
    import equinox as eqx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights_path = out_dir / f"{name}.eqx"
    tmp = weights_path.with_suffix(".eqx.tmp")
    eqx.tree_serialise_leaves(tmp, model.ensemble)
    tmp.replace(weights_path)
    header = {
        "format": "planetinfer-escape-network-1",
        "name": model.name,
        "config": N.config_to_json(model.config),
        "normalisation": {
            "x_shift": list(model.norm.x_shift),
            "x_scale": list(model.norm.x_scale),
            "y_shift": model.norm.y_shift,
            "y_scale": model.norm.y_scale,
        },
        "target_offset": None
        if model.offset is None
        else {"coef": [float(c) for c in model.offset[0]], "intercept": model.offset[1]},
        "domain": model.domain.to_json(),
        "output": "log10 Mdot [g s^-1]",
        "weights_file": weights_path.name,
        "weights_sha256": _sha256(weights_path),
        "package_version": __version__,
        "licence": "CC BY-NC 4.0",
        "licence_note": LICENCE_NOTE,
        **provenance,
    }
    header_path = out_dir / f"{name}.json"
    header_path.write_text(json.dumps(header, indent=2))
    return header_path


def load_network(header_path) -> NetworkInterpolator:
    """Load a saved network from its header path or the shipped name; raises InputError if the
    weights' checksum does not match.

    The weights are read with NumPy (planetinfer.weights), so loading imports no JAX.
    """
    header_path = Path(header_path)
    if not header_path.is_file() and str(header_path) == SHIPPED_NAME:  # the shipped name
        header_path = shipped_header_path()
    if not header_path.is_file():
        raise InputError(f"model = {str(header_path)!r} is neither a network header file nor "
                         f"the shipped name {SHIPPED_NAME!r}")  # fmt: skip
    header = json.loads(header_path.read_text())
    weights_path = header_path.parent / header["weights_file"]
    digest = _sha256(weights_path)
    if digest != header["weights_sha256"]:
        raise InputError(
            f"checksum mismatch for {weights_path}: {digest} != "
            f"{header['weights_sha256']} (corrupted or modified weights)"
        )
    config = N.NetworkConfig(**header["config"])
    layers, _ = weights.mlp_layers(weights.read_leaves(weights_path), config.depth + 1)
    model = NetworkInterpolator(config, name=header["name"])
    norm = header["normalisation"]
    model.norm = N.Normalisation(
        tuple(norm["x_shift"]), tuple(norm["x_scale"]), norm["y_shift"], norm["y_scale"]
    )
    offset = header.get("target_offset")
    model.offset = None if offset is None else (np.asarray(offset["coef"]), offset["intercept"])
    model.set_weights([(np.asarray(w, np.float32), np.asarray(b, np.float32)) for w, b in layers])
    model.domain = GridDomain.from_json(header["domain"])
    model.header = header
    return model


def shipped_header_path() -> Path:
    return Path(str(resources.files("planetinfer.escape") / "models" / f"{SHIPPED_NAME}.json"))


def load_shipped() -> NetworkInterpolator:
    """The network shipped in the package (trained by `planetinfer escape train`)."""
    path = shipped_header_path()
    if not path.is_file():
        raise InputError(
            "no shipped escape network in this installation; train one with "
            "`planetinfer escape train --grid PATH --out MODEL_DIR` and pass --model"
        )
    return load_network(path)
