"""Shared test fixtures: where ../shared/data lives, and float64 JAX."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import planetinfer._jaxconfig  # noqa: E402,F401  (float64 before any test builds arrays)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# Property tests check values, not speed: a loaded CI machine (or a first JAX compile inside an
# example) must not fail them on Hypothesis' 200 ms per-example deadline.
from hypothesis import settings  # noqa: E402

settings.register_profile("planetinfer", deadline=None)
settings.load_profile("planetinfer")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data (NASA Exoplanet Archive snapshots, Kubyshkina & Fossati grid).

    Tests that need it skip with a clear reason when it is absent (it is never committed).
    """
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (it is not part of the repository)")
    return SHARED_DATA
