"""Shared test fixtures: where ../shared/data lives, and float64 JAX."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import planetinfer._jaxconfig  # noqa: E402,F401  (float64 before any test builds arrays)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data (NASA Exoplanet Archive snapshots, Kubyshkina & Fossati grid).

    Tests that need it skip with a clear reason when it is absent (it is never committed).
    """
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (it is not part of the repository)")
    return SHARED_DATA
