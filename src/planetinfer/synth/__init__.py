"""Synthetic planets: priors, resumable batched generation, Parquet storage (docs/synth.md).

`planetinfer.synth.generate.generate(...)` runs a job; `planetinfer.synth.store.read_dataset(DIR)`
reads it back.
"""

from planetinfer.synth.priors import BUILTIN_PRIORS, Prior, load_prior
from planetinfer.synth.store import read_dataset, read_manifest

__all__ = ["BUILTIN_PRIORS", "Prior", "load_prior", "read_dataset", "read_manifest"]
