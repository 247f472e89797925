"""interior/predict.py: input errors, domain guard, iron bound, uncertainty draws."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planetinfer.errors import InputError
from planetinfer.interior import predict as P
from planetinfer.interior import store


@pytest.fixture(scope="module")
def loaded(tiny_model):
    return store.load(tiny_model[0])


def test_iron_fit_matches_seager2007_structure_preset(solved_planets):
    """Seager et al. 2007 Eq. 23 (Fe) vs our seager2007 preset, pure Fe: within 1.5 %."""
    masses, radii = solved_planets[1]
    np.testing.assert_allclose(P.iron_radius_earth(masses), radii, rtol=0.015)


def test_earth_like_point_prediction_summaries(loaded):
    row = P.predict(loaded, [P.Planet({"mass": 1.0, "radius": 1.0, "teq": 255.0})], 2000)[0]
    assert row["in_domain"] and row["samples"]["mass_fractions"].shape == (2000, 4)
    for name in P.FRACTION_NAMES:
        q = list(row["summary"][name].values())
        assert np.all(np.diff(q) >= 0) and 0 <= q[0] and q[-1] <= 1
    np.testing.assert_allclose(row["samples"]["mass_fractions"].sum(1), 1.0, rtol=1e-5)
    p_no_water = np.mean(row["samples"]["mass_fractions"][:, 2] == 0)
    assert row["summary"]["p_no_water"] == pytest.approx(p_no_water)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"mass": -1.0, "radius": 1.0, "teq": 255.0}, "mass"),
        ({"mass": 1.0, "radius": float("nan"), "teq": 255.0}, "radius"),
        ({"mass": 1.0, "radius": 0.6, "teq": 255.0}, "pure-iron"),
        ({"mass": 1.0, "radius": 1.0}, "teq is required"),
    ],
)
def test_bad_input_raises_clear_error(loaded, values, match):
    with pytest.raises(InputError, match=match):
        P.predict(loaded, [P.Planet(values)], 10)


def test_bad_rows_are_flagged_in_a_batch(loaded):
    planets = [P.Planet({"mass": -1.0, "radius": 1.0, "teq": 255.0}, name="bad"),
               P.Planet({"mass": 2.0, "radius": 1.3, "teq": 500.0}, name="good")]  # fmt: skip
    rows = P.predict(loaded, planets, 100, on_invalid="flag")
    assert "error" in rows[0] and not rows[0]["in_domain"]
    assert np.isnan(rows[0]["summary"]["core_mass_fraction"]["p50"])
    assert "error" not in rows[1] and np.isfinite(rows[1]["summary"]["core_mass_fraction"]["p50"])


def test_out_of_domain_warns_and_flags(loaded):
    with pytest.warns(P.OutOfDomainWarning):
        row = P.predict(loaded, [P.Planet({"mass": 40.0, "radius": 3.0, "teq": 255.0})], 100)[0]
    assert row["in_domain"] is False


def test_draws_denser_than_iron_are_removed_and_counted(loaded):
    planet = P.Planet(
        {"mass": 1.0, "radius": 0.83, "teq": 255.0}, {"radius": 0.05}, {"radius": 0.05}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", P.OutOfDomainWarning)
        row = P.predict(loaded, [planet], 2000, n_draws=1000, seed=1)[0]
    # P(R < 0.7919) for R ~ N(0.83, 0.05): Phi(-0.762) = 0.223
    assert row["n_rejected_iron"] == pytest.approx(223, abs=45)
    assert row["n_draws_used"] + row["n_rejected_iron"] + row["n_rejected_domain"] == 1000


@given(st.floats(0.01, 0.5), st.floats(0.01, 0.5), st.floats(-0.9, 0.9))
@settings(max_examples=10, deadline=None)
def test_split_normal_draws_have_the_requested_shape(lower, upper, rho):
    planet = P.Planet({"mass": 5.0, "radius": 2.0}, {"mass": lower, "radius": 0.1},
                      {"mass": upper, "radius": 0.1}, rho)  # fmt: skip
    x = P.draw_inputs(planet, ("mass", "radius"), 40_000, np.random.default_rng(0))
    above = x[:, 0] > 5.0
    assert np.mean(above) == pytest.approx(0.5, abs=0.02)
    # the half-normal scale on each side: E|x - mu| = sigma sqrt(2/pi)
    assert np.mean(x[above, 0] - 5.0) == pytest.approx(upper * np.sqrt(2 / np.pi), rel=0.05)
    assert np.mean(5.0 - x[~above, 0]) == pytest.approx(lower * np.sqrt(2 / np.pi), rel=0.05)
    if lower == upper:
        assert np.corrcoef(x.T)[0, 1] == pytest.approx(rho, abs=0.03)


def test_sorted_quantiles_equal_numpy_linear_quantiles():
    values = np.random.default_rng(0).uniform(size=(3, 101, 8))
    probabilities = np.array(list(P.QUANTILES.values()))
    np.testing.assert_array_equal(
        P._sorted_quantiles(values, probabilities), np.quantile(values, probabilities, axis=1)
    )
