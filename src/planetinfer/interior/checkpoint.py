"""Resumable training: the whole training state, saved after every epoch.

Training a network on a million planets takes hours on a CPU; a killed `interior train` started
again with the same command continues from its last finished epoch instead of from scratch,
with the same result as an uninterrupted run (the minibatch order comes from the saved state of
the random generator).

    <out>/<name>.checkpoint.json         epoch, counters, learning rate, history, generator
                                         state, and what the run is (config, settings, data)
    <out>/<name>.checkpoint-<epoch>.eqx  model, optimiser state and best model so far

The weights of an epoch are written first, then the JSON naming them (atomic rename), then the
previous epoch's weights are removed: a kill at any moment leaves a JSON whose weights exist.
A checkpoint of another run (other config, settings or data) is an error, never silently
mixed; the checkpoint is removed once the trained model is saved.
"""

from __future__ import annotations

import json
from pathlib import Path

from planetinfer.errors import InputError

FORMAT = "planetinfer-interior-checkpoint-1"


class Checkpoint:
    """The checkpoint of one training run: out_dir, model name and the run's fingerprint
    (JSON-able dict: config, settings except the stopping budget, data manifest sha and rows)."""

    def __init__(self, out_dir, name: str, fingerprint: dict):
        self.out_dir = Path(out_dir)
        self.name = name
        self.fingerprint = json.loads(json.dumps(fingerprint))
        self.header = self.out_dir / f"{name}.checkpoint.json"

    def _weights(self, epoch: int) -> Path:
        return self.out_dir / f"{self.name}.checkpoint-{epoch:05d}.eqx"

    def load(self, skeleton):
        """(state dict, (model, opt_state, best_model)) of the last finished epoch, or None.

        skeleton: a (model, opt_state, best_model) tree of the right structure."""
        import equinox as eqx

        if not self.header.is_file():
            return None
        try:
            state = json.loads(self.header.read_text())
        except json.JSONDecodeError as error:
            raise InputError(f"checkpoint {self.header} is unreadable ({error}); remove it to "
                             "start the training again") from error  # fmt: skip
        if state.get("format") != FORMAT or state.get("fingerprint") != self.fingerprint:
            raise InputError(f"--out {self.out_dir} holds a checkpoint of another training run "
                             f"({self.header.name}); remove it or choose another --out")  # fmt: skip
        trees = eqx.tree_deserialise_leaves(self._weights(state["epoch"]), skeleton)
        return state, trees

    def save(self, state: dict, trees) -> None:
        """Write epoch state["epoch"]: weights, then the JSON, then drop the previous weights."""
        import equinox as eqx

        self.out_dir.mkdir(parents=True, exist_ok=True)
        weights = self._weights(state["epoch"])
        tmp = weights.with_name(weights.name + ".tmp")
        eqx.tree_serialise_leaves(tmp, trees)
        tmp.replace(weights)
        record = {"format": FORMAT, "fingerprint": self.fingerprint, **state}
        tmp_header = self.header.with_name(self.header.name + ".tmp")
        tmp_header.write_text(json.dumps(record))
        tmp_header.replace(self.header)
        for old in self.out_dir.glob(f"{self.name}.checkpoint-*.eqx"):
            if old != weights:
                old.unlink(missing_ok=True)

    def remove(self) -> None:
        self.header.unlink(missing_ok=True)
        for old in self.out_dir.glob(f"{self.name}.checkpoint-*.eqx"):
            old.unlink(missing_ok=True)
