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
