"""WMH26 App. D worked examples (c_D = 100) and properties of the detectors."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planetinfer.gravity.discontinuities import detect, detect_window, intensity_profile

EXAMPLES = [  # App. D.1 examples 1-6, plus the window example of the same section
    ([0, 101, 99, 101, 0], [(1, 3)]),
    ([0, 100, 0, 100, 0], [(1, 1), (3, 3)]),
    ([0, 100, 200, 100, 0], [(1, 3)]),
    ([0, 99, 200, 99, 0], [(2, 2)]),
    ([0, 100, 0, 200, 0, 100, 0], [(1, 5)]),
    ([0, 100, 0, 100, 0, 100, 0], [(1, 1), (3, 3), (5, 5)]),
    ([0, 125, 125, 0, 125, 125, 0], [(1, 5)]),
]


@pytest.mark.parametrize("increments, expected", EXAMPLES)
def test_appendix_d_examples(increments, expected):
    assert [(d.start, d.end) for d in detect(increments, 100.0)] == expected


def _brute_force(d, c):
    """Definitions D.1 enumerated literally (O(K^3))."""
    k = len(d)
    jumps = [
        (a, b)
        for a, b in itertools.combinations_with_replacement(range(k), 2)
        if sum(d[a : b + 1]) >= (b - a + 1) * c
    ]

    def steep(a, b):
        if a == b:
            return True
        mean = sum(d[a : b + 1]) / (b - a + 1)
        left = d[a] >= c or sum(d[a + 1 : b + 1]) / (b - a) < mean
        right = d[b] >= c or sum(d[a:b]) / (b - a) < mean
        return left and right

    clusters = []
    for a, b in sorted(jumps):
        if clusters and a <= clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], b)
        else:
            clusters.append([a, b])
    out = []
    for lo, hi in clusters:
        members = [(a, b) for a, b in jumps if lo <= a and b <= hi and steep(a, b)]
        out.append((min(a for a, _ in members), max(b for _, b in members)))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([0, 20, 60, 99, 100, 101, 150, 250]), min_size=1, max_size=12))
def test_exact_detector_matches_brute_force(d):
    assert [(x.start, x.end) for x in detect(d, 100.0)] == _brute_force(d, 100.0)


@pytest.mark.parametrize("size", range(1, 10))
def test_window_detector_finds_isolated_steps_up_to_nine(size):
    # App. D.1: the window guarantees detection of every discontinuity of size <= 9.
    d = np.concatenate([np.full(20, 5.0), np.full(size, 150.0), np.full(20, 5.0)])
    found = detect_window(d, 100.0)
    assert [(x.start, x.end) for x in found] == [(20, 19 + size)]
    assert found[0].height == pytest.approx(150.0 * size)


def test_location_and_height():
    d = np.zeros(99)
    d[49] = 500.0
    (disc,) = detect(d, 100.0)
    assert disc.location == pytest.approx(1 - 49.5 / 100)
    assert disc.height == 500.0 and disc.width_levels == 1


def test_intensity_averages_over_all_profiles_with_zeros():
    # WMH26 Sect. 3.3 (Fig. 9): a profile without a discontinuity at a location contributes an
    # intensity of zero there. One profile in four has a 2-level step of 300 kg m^-3 per level
    # at r/R ~ 0.4 (increments 28-29 of 47); with 4 bins of 12 levels the bin holding it reads
    # (1/4) * 300 / 12 = 6.25 kg m^-3 per level, and every other bin reads zero.
    increments = np.full(47, 10.0)  # below c_D
    flat = np.concatenate([[0.0], np.cumsum(increments)])
    increments[28:30] = 300.0
    step = np.concatenate([[0.0], np.cumsum(increments)])
    centres, intensity = intensity_profile(np.stack([step, flat, flat, flat]), np.ones(4), bins=4)
    assert centres == pytest.approx([0.125, 0.375, 0.625, 0.875])
    assert intensity == pytest.approx([0.0, 6.25, 0.0, 0.0])
    # doubling the weight of the profile with the step raises its share from 1/4 to 2/5
    _, weighted = intensity_profile(np.stack([step, flat, flat, flat]), [2, 1, 1, 1], bins=4)
    assert weighted[1] == pytest.approx(0.4 * 300.0 / 12.0)
