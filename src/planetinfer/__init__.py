"""planetinfer: characterise planets in seconds from what telescopes and spacecraft measure.

The one-call API (planetinfer.api) is exported here lazily: `import planetinfer` loads no
capability; `planetinfer.interior_posterior(...)` imports the interior code on first use.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

from planetinfer.api import EXPORTS as _EXPORTS  # noqa: E402

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planetinfer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"planetinfer.api.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
