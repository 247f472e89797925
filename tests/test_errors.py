"""planetinfer.errors.check_range: the one validator every capability uses."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planetinfer.errors import InputError, check_range


def test_message_names_field_value_and_range():
    with pytest.raises(InputError, match=r"mass = -1 M_E is outside the valid range \(0, 25\] M_E"):
        check_range("mass", -1.0, 0.0, 25.0, low_inclusive=False, unit="M_E")


def test_nan_is_rejected_and_named():
    with pytest.raises(InputError, match="teq = NaN"):
        check_range("teq", math.nan, 0.0)


@given(st.floats(min_value=0.0, max_value=1.0))
def test_values_inside_pass_unchanged(value):
    assert check_range("fraction", value, 0.0, 1.0) == value


def test_arrays_report_first_bad_element():
    with pytest.raises(InputError, match="radius = 7"):
        check_range("radius", np.array([1.0, 7.0, 9.0]), 0.0, 5.0)


def test_bad_value_is_printed_exactly_and_open_ends_are_open():
    """100.0001 is not shown as 100 (which would look inside [1e-06, 100]); inf is excluded."""
    with pytest.raises(
        InputError, match=r"mass = 100\.0001 is outside the valid range \[1e-06, 100\]"
    ):
        check_range("mass", 100.0001, 1e-6, 100.0)
    with pytest.raises(InputError, match=r"radius = inf R_E is outside the valid range \(0, inf\)"):
        check_range("radius", math.inf, 0.0, None, low_inclusive=False, unit="R_E")


def test_corrupt_eos_cache_entry_is_recomputed(tmp_path, monkeypatch):
    """A cache file cut short or empty is replaced, never fatal."""
    from planetinfer.eos import cache

    monkeypatch.setenv("PLANETINFER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("PLANETINFER_NO_CACHE", raising=False)
    compute = lambda: {"a": np.arange(10.0)}  # noqa: E731
    cache.cached_arrays("probe", compute)
    (entry,) = tmp_path.glob("*.npz")
    for damage in (entry.read_bytes()[:40], b""):
        entry.write_bytes(damage)
        np.testing.assert_array_equal(cache.cached_arrays("probe", compute)["a"], np.arange(10.0))
