"""Posterior predictive masses from the shipped fit (planetinfer.mrf.predict)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planetinfer.errors import InputError
from planetinfer.mrf.predict import load_mass_posterior, predict_mass

# Ma & Ghosh 2021, Table 3: inputs (symmetrised) and predicted median / 97.5 % masses [M_earth]
TABLE3 = {
    "HR 858 b": (2.085, 0.066, 989.70, 59.15, 8.72, 30.0),
    "HR 858 c": (1.939, 0.069, 512.0, 27.5, 7.49, 26.0),
    "HR 858 d": (2.164, 0.0845, 217.0, 12.5, 7.98, 27.0),
    "TOI-813 b": (6.71, 0.38, 23.1, 3.85, 13.86, None),
}


@pytest.fixture(scope="module")
def posterior():
    return load_mass_posterior(model="ma2021")  # the paper's model, Table 3


@pytest.fixture(scope="module")
def table3(posterior):
    values = np.array([v[:4] for v in TABLE3.values()]).T
    return predict_mass(posterior, *values, seed=1)


def test_shipped_posterior_header(posterior):
    from planetinfer.mrf.shipped import load_shipped

    _, header = load_shipped()
    assert header["data_snapshot"]["sha256"].startswith("0bd320b5")  # 2024-10-15 export
    assert header["command"].startswith("planetinfer mrf fit")
    assert header["diagnostics"]["divergences"] == 0
    assert posterior.n_draws >= 1000


@pytest.mark.parametrize("index", [0, 1, 2])
def test_hr858_medians_within_0p1_dex_of_table3(table3, index):
    name = list(TABLE3)[index]
    median = table3["mass_earth"]["p50"][index]
    assert abs(math.log10(median / TABLE3[name][4])) < 0.1  # sheet: medians within ~0.1 dex
    upper = table3["mass_earth"]["p97.5"][index]
    assert upper == pytest.approx(TABLE3[name][5], rel=0.25)  # paper's "95 % upper limit"


def test_toi813b_median_near_table3(table3):
    # TOI-813 b sits near the first knot (6.7 R_earth); our fit's region 1 ends at 7.3 R_earth
    # and its median differs from the paper's 13.86 by about 0.1 dex (see docs/mrf.md)
    assert abs(math.log10(table3["mass_earth"]["p50"][3] / 13.86)) < 0.15


def test_quantiles_are_ordered(table3):
    q = np.array([table3["mass_earth"][k] for k in ("p2.5", "p16", "p50", "p84", "p97.5")])
    assert np.all(np.diff(q, axis=0) > 0)


def test_higher_flux_raises_mass_at_fixed_small_radius(posterior):
    # Ma & Ghosh 2021 Sec. 6 / Fig. 10: at fixed small R a higher F raises the median mass
    fluxes = np.array([3.0, 30.0, 300.0, 3000.0])
    pred = predict_mass(posterior, np.full(4, 2.0), 0.0, fluxes, 0.0, seed=2)
    assert np.all(np.diff(pred["mass_earth"]["p50"]) > 0)


@pytest.mark.parametrize(
    ("radius", "flux", "field"),
    [(-1.0, 100.0, "radius"), (float("nan"), 100.0, "radius"), (2.0, 0.0, "flux")],
)
def test_bad_input_is_rejected(posterior, radius, flux, field):
    with pytest.raises(InputError, match=field):
        predict_mass(posterior, radius, 0.1, flux, 1.0)


def test_out_of_domain_warns_and_flags(posterior):
    with pytest.warns(UserWarning, match="outside the fitted"):
        pred = predict_mass(posterior, [2.0, 100.0], 0.0, [100.0, 100.0], 0.0)
    assert pred["in_domain"].tolist() == [True, False]
