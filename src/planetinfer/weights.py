"""Read the weights of a saved network with NumPy alone (no JAX, no equinox).

`equinox.tree_serialise_leaves` writes the array leaves of a model one after another, each in
NumPy's `.npy` format, in the order of `jax.tree_util.tree_leaves` (non-array leaves such as
activation functions are skipped). Reading them back in that order gives the weights without
building the model, which is what lets a shipped network answer in milliseconds from a fresh
process. The checksum of the file is verified by the caller (the model stores) before this runs.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from planetinfer.errors import InputError


def read_leaves(path) -> list[np.ndarray]:
    """Every array leaf of an equinox-serialised file, in order (no pickles are allowed)."""
    data = Path(path).read_bytes()
    stream = io.BytesIO(data)
    leaves = []
    try:
        while stream.tell() < len(data):
            leaves.append(np.load(stream, allow_pickle=False))
    except (ValueError, EOFError, OSError) as error:
        raise InputError(f"model weights {path} are not a readable leaf file: {error}") from error
    return leaves


def mlp_layers(leaves: list[np.ndarray], n_layers: int) -> tuple[list[tuple], list[np.ndarray]]:
    """Split leaves into n_layers (weight (out, in), bias (out,)) pairs and the remaining leaves.

    For an ensemble (vmapped MLPs) the pairs carry a leading member axis.
    """
    if len(leaves) < 2 * n_layers:
        raise InputError(f"model weights hold {len(leaves)} arrays, fewer than {2 * n_layers}")
    pairs = [(leaves[2 * i], leaves[2 * i + 1]) for i in range(n_layers)]
    return pairs, leaves[2 * n_layers :]
