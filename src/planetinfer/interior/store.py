"""Save and load interior networks: <name>.json header + <name>.eqx equinox weights (no pickles).

The header holds the architecture, the input set, the training domain, the seed, the data
manifest, the exact command, the training history and the sha256 of the weights file, which is
verified on load. Shipped networks live in planetinfer/interior/models/ and are found by input
set: `interior_mass_radius_teq.json` etc.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from planetinfer import __version__
from planetinfer.errors import InputError
from planetinfer.interior.config import MDNConfig

FORMAT = "planetinfer-interior-mdn-1"
SHIPPED_INPUT_SETS = (
    ("mass", "radius"),
    ("mass", "radius", "k2"),
    ("mass", "radius", "teq"),
    ("mass", "radius", "teq", "k2"),
)


@dataclass(frozen=True)
class LoadedModel:
    """A network's header (domain, provenance) and config as read from disk, checksum verified.

    The weights are read when first used: `numpy_model` (prediction, no JAX) or `model` (the
    equinox network, for training and validation; built from header shapes, nothing compiled).
    `dataclasses.replace(loaded, config=...)` gives the same weights under another config.
    """

    header: dict
    path: Path
    config: MDNConfig

    @property
    def weights_path(self) -> Path:
        return self.path.parent / self.header["weights_file"]

    @cached_property
    def numpy_model(self):
        from planetinfer.interior.numpy_mdn import NumpyMDN

        return NumpyMDN.from_file(self.weights_path, self.config)

    @cached_property
    def model(self):
        import equinox as eqx

        from planetinfer.interior import mdn

        try:
            return eqx.tree_deserialise_leaves(self.weights_path, mdn.skeleton(self.config))
        except (TypeError, ValueError, RuntimeError) as error:
            raise InputError(f"model = {self.path} is incompatible: {error}") from error

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.config.inputs

    @property
    def domain(self) -> dict:
        """Bounds of the inputs {name: [low, high]}: the training prior's ("bounds"), or for a
        header written before they were recorded, the box of the training inputs."""
        return self.header.get("bounds", self.header["domain"])

    @cached_property
    def support(self) -> dict | None:
        """Data support of the training planets (interior.support, tables as arrays), None when
        not recorded."""
        from planetinfer.interior.support import as_arrays

        return as_arrays(self.header.get("support"))


def default_name(inputs) -> str:
    return "interior_" + "_".join(inputs)


def sha256_file(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save(model, out_dir, name: str, header_extra: dict) -> Path:
    """Write an equinox InteriorMDN to <out_dir>/<name>.eqx (atomically) and <name>.json;
    returns the header path."""
    import equinox as eqx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / f"{name}.eqx"
    tmp = out_dir / f"{name}.eqx.tmp"
    eqx.tree_serialise_leaves(tmp, model)
    tmp.replace(weights)
    header = {
        "format": FORMAT,
        "name": name,
        "config": model.config.to_json(),
        "weights_file": weights.name,
        "weights_sha256": sha256_file(weights),
        "package_version": __version__,
        **header_extra,
    }
    path = out_dir / f"{name}.json"
    tmp_header = out_dir / f"{name}.json.tmp"
    tmp_header.write_text(json.dumps(header, indent=1))
    tmp_header.replace(path)
    return path


def rewrite_header(loaded: LoadedModel, out_dir, updates: dict):
    """Write loaded's header with `updates` merged into out_dir (weights copied when out_dir is
    another directory; their checksum is unchanged). Returns (header path, header)."""
    import shutil

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / loaded.header["weights_file"]
    if weights.resolve() != loaded.weights_path.resolve():
        shutil.copyfile(loaded.weights_path, weights)
    header = {**loaded.header, **updates}
    path = out_dir / f"{header['name']}.json"
    tmp = out_dir / f"{header['name']}.json.tmp"
    tmp.write_text(json.dumps(header, indent=1))
    tmp.replace(path)
    return path, header


def load(path) -> LoadedModel:
    """Load a network from its header path (or a directory holding exactly one header).

    Raises InputError for a missing, unreadable, incompatible or corrupted (checksum) file.
    """
    path = Path(path)
    if path.is_dir():
        headers = sorted(path.glob("*.json"))
        if len(headers) != 1:
            raise InputError(f"model = {path}: expected one .json header, found {len(headers)}")
        path = headers[0]
    if not path.is_file():
        raise InputError(f"model = {path} does not exist")
    try:
        header = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"model = {path} is not a readable JSON header: {error}") from error
    if header.get("format") != FORMAT:
        raise InputError(f"model = {path} has format {header.get('format')!r}, expected {FORMAT!r}")
    weights = path.parent / header["weights_file"]
    if not weights.is_file():
        raise InputError(f"model weights {weights} are missing")
    digest = sha256_file(weights)
    if digest != header["weights_sha256"]:
        raise InputError(
            f"model weights {weights} are corrupted: sha256 {digest[:16]}... does not match the "
            f"header's {header['weights_sha256'][:16]}..."
        )
    try:
        config = MDNConfig.from_json(header["config"])
    except (TypeError, ValueError, KeyError) as error:
        raise InputError(f"model = {path} is incompatible with this version: {error}") from error
    return LoadedModel(header, path, config)


def models_dir() -> Path:
    return Path(str(resources.files("planetinfer.interior") / "models"))


def shipped_path(inputs) -> Path:
    return models_dir() / f"{default_name(inputs)}.json"


def load_shipped(inputs) -> LoadedModel:
    """The shipped network for an input set, e.g. ("mass", "radius", "teq")."""
    inputs = tuple(inputs)
    if inputs not in SHIPPED_INPUT_SETS:
        raise InputError(f"inputs = {','.join(inputs)} is not one of the shipped input sets "
                         f"{[','.join(s) for s in SHIPPED_INPUT_SETS]}")  # fmt: skip
    path = shipped_path(inputs)
    if not path.is_file():
        raise InputError(
            f"no shipped interior network for inputs {','.join(inputs)} in this installation; "
            "train one with `planetinfer interior train` and pass --model"
        )
    return load(path)


def resolve(name_or_path, inputs=None) -> LoadedModel:
    """A model from a path, a shipped name (interior_mass_radius_teq), or the input set."""
    if name_or_path is None:
        return load_shipped(inputs)
    candidate = Path(name_or_path)
    if candidate.exists():
        return load(candidate)
    shipped = models_dir() / f"{name_or_path}.json"
    if shipped.is_file():
        return load(shipped)
    raise InputError(f"model = {name_or_path} is neither a file nor a shipped model name")
