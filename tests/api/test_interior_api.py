"""planetinfer.interior_posterior against the lower-level interior functions."""

import numpy as np
import pandas as pd
import pytest

import planetinfer
from planetinfer import jsonout
from planetinfer.interior import predict as P
from planetinfer.interior import store

MASS = np.array([1.0, 5.0, 8.0])
RADIUS = np.array([1.0, 1.6, 2.6])
TEQ = np.array([255.0, 600.0, 900.0])


def test_equals_predict_called_by_hand():
    """Same planet, model and seed: the API's quantiles equal interior.predict.predict's."""
    post = planetinfer.interior_posterior(5.0, 1.6, 600.0, mass_err=0.4, radius_err=0.05,
                                          samples=3000, draws=300, seed=4)  # fmt: skip
    planet = P.Planet({"mass": 5.0, "radius": 1.6, "teq": 600.0},
                      {"mass": 0.4, "radius": 0.05, "teq": 0.0},
                      {"mass": 0.4, "radius": 0.05, "teq": 0.0}, name="planet")  # fmt: skip
    row = P.predict(store.load_shipped(("mass", "radius", "teq")), [planet], 3000, 300, seed=4)[0]
    assert post.rows[0]["summary"] == row["summary"]


def test_vectorised_equals_per_planet():
    batch = planetinfer.interior_posterior(MASS, RADIUS, TEQ, mass_err=0.1 * MASS,
                                           radius_err=0.02 * RADIUS, samples=2000, draws=200)  # fmt: skip
    for i in range(len(MASS)):
        alone = planetinfer.interior_posterior(MASS[i], RADIUS[i], TEQ[i], mass_err=0.1 * MASS[i],
                                               radius_err=0.02 * RADIUS[i], samples=2000,
                                               draws=200)  # fmt: skip
        assert alone.rows[0]["summary"] == batch.rows[i]["summary"]


def test_series_index_names_planets_and_frames_have_one_row_each():
    mass = pd.Series(MASS, index=["a", "b", "c"])
    post = planetinfer.interior_posterior(mass, RADIUS, TEQ, samples=500)
    table = post.summary()
    assert list(table.index) == ["a", "b", "c"]
    assert {"core_mass_fraction_p50", "p_no_water", "in_domain", "status"} <= set(table.columns)
    assert set(post.samples.index.unique()) == {"a", "b", "c"}
    assert len(post.samples) == 3 * 500


def test_k2_selects_the_k2_network():
    post = planetinfer.interior_posterior(1.0, 1.0, 255.0, 0.93, samples=500)
    assert post.model["inputs"] == ["mass", "radius", "teq", "k2"]
    assert planetinfer.interior_posterior(1.0, 1.0, samples=200).model["inputs"] == [
        "mass",
        "radius",
    ]


def test_one_sided_error_is_symmetric():
    """Only an upper error given: draws spread both ways (a symmetric Gaussian)."""
    planet = P.Planet({"mass": 5.0, "radius": 1.6}, sigma_plus={"mass": 0.5, "radius": 0.0})
    draws = P.draw_inputs(planet, ("mass", "radius"), 4000, np.random.default_rng(0))
    assert np.mean(draws[:, 0] < 5.0) == pytest.approx(0.5, abs=0.03)


def test_no_valid_draw_gives_a_status_and_strict_json():
    """Every draw outside the prior's bounds (30 M_E > 25 M_E): status no_valid_draws,
    quantiles null in strict JSON."""
    with pytest.warns(UserWarning, match=r"mass = 30 is outside the prior's \[0.1, 25\]"):
        post = planetinfer.interior_posterior(30.0, 5.0, 500.0, mass_err=0.1, samples=200,
                                              draws=50)  # fmt: skip
    planet = post.to_dict()["planets"][0]
    assert planet["status"] == "no_valid_draws" and "reason" in planet
    parsed = jsonout.loads_strict(post.to_json())
    assert parsed["planets"][0]["core_mass_fraction"]["p50"] is None


def test_bad_input_names_the_field():
    from planetinfer.errors import InputError

    with pytest.raises(InputError, match="mass"):
        planetinfer.interior_posterior(-1.0, 1.0, 255.0)
    with pytest.raises(InputError, match="lengths"):
        planetinfer.interior_posterior([1.0, 2.0], [1.0, 1.1, 1.2])


def test_corner_plot_has_both_kinds_labelled_and_zoomed():
    post = planetinfer.interior_posterior(8.41, 2.733, 567.0, mass_err=0.36, radius_err=0.033,
                                          samples=2000, draws=200, names="GJ 1214 b")  # fmt: skip
    fig = post.plot()
    axes = fig.axes
    assert len(axes) == 64  # mass and radius fractions: an 8 x 8 corner
    assert axes[56].get_xlabel() == "core mass fraction"
    assert axes[63].get_xlabel() == "envelope radius fraction"
    assert axes[27].get_xlim()[1] < 0.2  # the envelope mass fraction axis zooms on ~0.04
    assert "GJ 1214 b" in fig.texts[0].get_text()
