"""Time-split evaluation scores (mrf/evaluate.py): coverage, point error and log predictive
density against cases with a known answer."""

from __future__ import annotations

import numpy as np
import pytest

from planetinfer.mrf import evaluate as E


def _calibrated(n=3000, s=2000, spread=0.2, seed=1):
    """Observed log10 masses drawn from the same normal as the predictive draws."""
    rng = np.random.default_rng(seed)
    centre = rng.uniform(0.0, 3.0, n)
    draws = centre[:, None] + spread * rng.standard_normal((n, s))
    observed = 10 ** (centre + spread * rng.standard_normal(n))
    return draws, observed


def test_calibrated_predictive_has_nominal_coverage_and_gaussian_density():
    """A predictive equal to the truth's distribution covers 68 / 95 % (binomial 3 sigma on
    3,000 planets: 2.6 / 1.2 pp) and its mean log density is that of N(0, 0.2) in dex:
    -1/2 - ln(0.2 sqrt(2 pi)) = 0.689 (the KDE bandwidth, 0.04 dex, lowers it by < 0.02)."""
    draws, observed = _calibrated()
    scores = E.score_planets(draws, observed, np.zeros_like(observed))
    assert np.mean(scores["inside68"]) == pytest.approx(0.68, abs=0.026)
    assert np.mean(scores["inside95"]) == pytest.approx(0.95, abs=0.012)
    expected = -0.5 - np.log(0.2 * np.sqrt(2 * np.pi))
    assert np.mean(scores["log_density"]) == pytest.approx(expected, abs=0.03)
    # the median absolute error of a normal is 0.6745 sigma
    assert np.median(scores["abs_log_error"]) == pytest.approx(0.6745 * 0.2, rel=0.06)


def test_a_large_mass_error_is_not_held_against_the_model():
    draws, observed = _calibrated(n=500)
    shifted = observed * 3.0  # off by 0.48 dex
    sharp = E.score_planets(draws, shifted, np.zeros_like(shifted))
    blurred = E.score_planets(draws, shifted, 2.0 * shifted)
    assert np.mean(blurred["inside95"]) > np.mean(sharp["inside95"]) + 0.2
    assert np.mean(blurred["log_density"]) > np.mean(sharp["log_density"])


def test_summary_bins_and_split():
    scores = {"abs_log_error": np.array([0.1, 0.2, 0.3]), "inside68": np.array([1, 0, 1], bool),
              "inside95": np.ones(3, bool), "log_density": np.array([0.0, -1.0, -2.0])}  # fmt: skip
    table = E.summarise(scores, radius=[1.0, 2.0, 12.0], flux=[10.0, 500.0, 900.0])
    assert table["all"]["n"] == 3 and table["R >= 8"]["n"] == 1 and "4 <= R < 8" not in table
    assert table["F >= 100"]["mean_log_density"] == pytest.approx(-1.5)
    assert table["all"]["coverage68"] == pytest.approx(2 / 3)
    # 2 of 3 inside at 68 % is what a calibrated forecast gives most often: p = 1
    assert table["all"]["p68"] == pytest.approx(1.0)
    # 3 of 3 inside at 95 %: P(3) = 0.857, every other count is less likely, so p = 1 as well
    assert table["all"]["p95"] == pytest.approx(1.0)
    # none of 3 inside the 95 % interval: p = P(0) = 0.05^3, the least likely count
    missed = dict(scores, inside95=np.zeros(3, bool))
    assert E.summarise(missed, [1.0, 2.0, 12.0], [10.0, 500.0, 900.0])["all"]["p95"] == \
        pytest.approx(0.05**3)
    text = E.format_table({"ma2021": table})
    assert "1.5 <= R < 4" in text and "LPD" in text


def test_evaluate_fits_on_early_planets_and_scores_later_ones():
    """The split is by discovery year; the fit sees only early planets (the shipped posterior
    stands in for the NUTS fit here); every later planet is scored by every model."""
    from planetinfer.mrf.data import MRFSample
    from planetinfer.mrf.predict import load_mass_posterior

    rng = np.random.default_rng(0)
    n = 40
    radius = rng.uniform(1.0, 15.0, n)
    sample = MRFSample(names=tuple(f"p{i}" for i in range(n)), mass=radius**1.5,
                       mass_err=0.1 * radius**1.5, radius=radius, radius_err=0.05 * radius,
                       flux=rng.uniform(1, 1000, n), flux_err=np.ones(n),
                       disc_year=np.repeat([2015, 2022], n // 2))  # fmt: skip
    seen = []

    def fit(train):
        seen.append(train)
        return load_mass_posterior()

    report = E.evaluate(sample, 2018, {"ma2021": fit}, repeats=1)
    assert len(seen) == 1 and set(seen[0].disc_year) == {2015}
    assert report["n_train"] == 20 and report["n_test"] == 20
    assert set(report["models"]) == {"ma2021", "ma2021, one flux"}
    assert report["models"]["ma2021"]["all"]["n"] == 20
    with pytest.raises(Exception, match="no planet of the sample was discovered after"):
        E.evaluate(sample, 2030, {"ma2021": fit})


def _sample(names, years=None):
    from planetinfer.mrf.data import MRFSample

    n = len(names)
    ones = np.ones(n)
    return MRFSample(names=tuple(names), mass=5 * ones, mass_err=ones, radius=2 * ones,
                     radius_err=0.1 * ones, flux=100 * ones, flux_err=ones,
                     disc_year=np.full(n, 2020) if years is None else np.asarray(years))  # fmt: skip


def test_new_planets_are_those_the_older_sample_lacks():
    new = E.new_planets(_sample(["HD 1 b", "TOI-2 c"]), _sample(["HD 1 b", "TOI-2 c", "K2-3 d"]))
    assert new.names == ("K2-3 d",)


def test_anchor_draws_align_by_name_and_refill_missing_draws(tmp_path):
    path = tmp_path / "anchors.npz"
    draws = np.full((2, 200), 0.5)
    draws[0, 150:] = np.nan  # a tool that returned 150 of 200 draws for planet "b"
    outside = np.full((2, 200), np.nan)  # a tool without any draw
    np.savez(path, names=np.array(["c", "b"]), tool=draws[::-1], none=outside)
    got = E.anchor_draws(path, ["b", "x", "c"])
    assert set(got) == {"tool"}
    rows, table = got["tool"]
    assert rows.tolist() == [True, False, True] and table.shape == (2, 200)
    assert np.all(np.isfinite(table)) and np.all(table == 0.5)
