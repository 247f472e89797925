"""Physical checks of the default mass prediction (the shipped "monotone" relation): a larger
planet at the same flux is never predicted lighter, and Earth is where it should be."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from planetinfer.mrf.predict import load_mass_posterior, predict_mass


@pytest.fixture(scope="module")
def posterior():
    return load_mass_posterior()


def test_the_default_is_the_monotone_relation(posterior):
    assert posterior.model == "monotone" and posterior.source.endswith("mrf_monotone.nc")


@pytest.mark.parametrize("flux", [0.1, 1.0, 10.0, 100.0, 1000.0, 10_000.0])
def test_median_mass_never_falls_with_radius_at_fixed_flux(posterior, flux):
    """Across 0.5-20 R_E (200 radii): the predictive median is non-decreasing, to the Monte Carlo
    noise of 4,000 draws (0.01 dex)."""
    radius = np.geomspace(0.5, 20.0, 200)
    with warnings.catch_warnings():  # radii below 0.64 R_E lie outside the fitted range
        warnings.simplefilter("ignore")
        median = predict_mass(posterior, radius, 0.0, np.full(radius.size, flux), 0.0,
                              min_samples=4000)["mass_earth"]["p50"]  # fmt: skip
    assert np.all(np.diff(np.log10(median)) >= -0.01), np.min(np.diff(np.log10(median)))


def test_earth_is_inside_the_68_percent_interval(posterior):
    """1 R_E at 1 S_E: 1 M_E inside the central 68 % interval (the paper's relation gives
    4.2 [1.2, 13.6] M_E)."""
    q = predict_mass(posterior, 1.0, 0.0, 1.0, 0.0, min_samples=4000)["mass_earth"]
    assert q["p16"][0] <= 1.0 <= q["p84"][0]


def test_paper_model_is_kept_by_name():
    paper = load_mass_posterior(model="ma2021")
    assert paper.model == "ma2021" and paper.source.endswith("mrf_posterior.nc")



def test_in_domain_needs_fitted_planets_nearby(posterior):
    """Inside the box of the fitted sample is not enough: a 4 R_E planet at Earth's flux has no
    fitted planet within 0.1 dex of radius and 0.5 dex of flux; a 2.2 R_E one at 150 S_E has
    many."""
    from planetinfer.mrf.predict import MIN_SUPPORT, _supported

    with pytest.warns(UserWarning, match="fewer than 3 fitted planets"):
        result = predict_mass(posterior, [4.0, 2.2], 0.0, [1.0, 150.0], 0.0)
    assert result["in_domain"].tolist() == [False, True]
    counts = posterior.support["counts"]
    assert counts.sum() >= MIN_SUPPORT and _supported(posterior.support, np.log10([2.2]),
                                                      np.log10([150.0]))[0]  # fmt: skip
