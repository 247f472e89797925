"""Traced JAX kernels kept on disk, so a fresh process skips Python tracing.

JAX's persistent compilation cache (planetinfer._jaxconfig) saves the compiled machine code,
but to look it up a new process must first trace the Python function to XLA, which for the
structure solver takes longer (~8 s) than compiling it. `exported` keeps the traced program as
well: the first call on a machine traces it with `jax.export` and writes the serialised
StableHLO to <cache>/exported/<key>.jaxexport; later processes read it back and run it, and the
compiled code then comes from the compilation cache. The key covers the kernel's name and
settings, the argument shapes and dtypes, the JAX version and the source code of the packages
the kernel is built from, so an edit or an upgrade never runs a stale program. Any failure to
read or write the cache falls back to the plain traced function (it is only an optimisation).
PLANETINFER_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import jax


def cache_root() -> Path:
    """$PLANETINFER_CACHE_DIR, else ~/.cache/planetinfer (as planetinfer._jaxconfig)."""
    return Path(os.environ.get("PLANETINFER_CACHE_DIR", Path.home() / ".cache" / "planetinfer"))


@functools.lru_cache(maxsize=8)
def source_fingerprint(*packages: str) -> str:
    """SHA-256 of every .py file of the given planetinfer sub-packages."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for package in packages:
        for path in sorted((root / package).glob("*.py")):
            digest.update(f"{package}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _signature(args) -> str:
    leaves, treedef = jax.tree_util.tree_flatten(args)
    shapes = [(tuple(getattr(x, "shape", ())), str(getattr(x, "dtype", type(x).__name__)))
              for x in leaves]  # fmt: skip
    return f"{treedef}|{shapes}"


_LOADED: dict = {}


def exported(name: str, fn, args: tuple, settings: str, packages: tuple[str, ...]):
    """A callable equal to `fn` for arguments shaped like `args` (a tuple of array pytrees).

    name and settings (e.g. the repr of a static configuration) enter the cache key with the
    shapes of `args`, jax.__version__, x64 mode, the backend and the source fingerprint of
    `packages`.
    """
    if os.environ.get("PLANETINFER_NO_CACHE") == "1":
        return fn
    key_text = "|".join([name, settings, _signature(args), jax.__version__,
                         str(jax.config.jax_enable_x64), jax.default_backend(),
                         source_fingerprint(*packages)])  # fmt: skip
    key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    if key in _LOADED:
        return _LOADED[key]
    path = cache_root() / "exported" / f"{name}-{key}.jaxexport"
    leaves, treedef = jax.tree_util.tree_flatten(args)

    def flat_fn(*flat):
        return fn(*jax.tree_util.tree_unflatten(treedef, flat))

    program = _read(path)
    if program is None:
        from planetinfer.progress import notice

        notice(f"compiling {name} for this machine (first run with this version: a minute or "
               "more; later runs load it from the cache)")  # fmt: skip
        try:
            program = jax.export.export(jax.jit(flat_fn))(
                *(jax.ShapeDtypeStruct(x.shape, x.dtype) for x in leaves)
            )
            _write(path, program.serialize())
        except Exception:  # noqa: BLE001 - a kernel that cannot be exported runs traced
            return fn

    def call(*call_args):
        return program.call(*jax.tree_util.tree_leaves(call_args))

    _LOADED[key] = call
    return call


def _read(path: Path):
    try:
        return jax.export.deserialize(bytearray(path.read_bytes()))
    except Exception:  # noqa: BLE001 - missing, truncated or foreign file: trace again
        return None


def _write(path: Path, blob) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(bytes(blob))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache: the next process traces again
