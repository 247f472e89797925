"""Sample selection (planetinfer.mrf.data) against the counts of the mrf reference sheet."""

from __future__ import annotations

import numpy as np
import pytest

from planetinfer.catalog import read_pscomppars
from planetinfer.errors import InputError
from planetinfer.mrf.data import (
    MASS_LIMIT_EARTH,
    PREDICTION_TARGETS,
    REQUIRED_COLUMNS,
    SelectionOptions,
    flux_from_star_and_orbit,
    planet_inputs,
    select_sample,
)

SNAPSHOT = "exoplanet_archive/nasa_pscomppars_2024-10-15.csv"
PAPER_FLAGGED = ("HATS-61 b", "Kepler-87 b", "WASP-140 b", "WTS-1 b", "TRAPPIST-1 f")


@pytest.fixture(scope="module")
def table(shared_data):
    return read_pscomppars(shared_data / SNAPSHOT, REQUIRED_COLUMNS)


@pytest.mark.parametrize(
    ("year", "missing", "expected"),
    [(2019, "drop", 545), (2019, "zero", 618), (2020, "drop", 613), (2020, "zero", 688)],
)
def test_counts_match_reference_sheet(table, year, expected, missing):
    # reference sheet mrf.md Sec. 2, "Sample counts" table (2024-10-15 export, eq. 1 flux)
    sample = select_sample(
        table, SelectionOptions(max_disc_year=year, missing_stellar_errors=missing)
    )
    assert len(sample) == expected


def test_full_snapshot_count_within_one_of_sheet(table):
    # sheet: 907 (strict), 983 (lenient); its base has 1259 planets where our base has 1258
    assert abs(len(select_sample(table)) - 907) <= 1
    lenient = select_sample(table, SelectionOptions(missing_stellar_errors="zero"))
    assert abs(len(lenient) - 983) <= 1


def test_sample_properties_match_sheet(table):
    sample = select_sample(table, SelectionOptions(max_disc_year=2019))
    log_f = np.log10(sample.flux)
    # sheet: log10 F from -1.09 to 4.65, 72 % with R > 7.8, 90 % quantile of s_M 0.240
    assert log_f.min() == pytest.approx(-1.09, abs=0.01)
    assert log_f.max() == pytest.approx(4.65, abs=0.01)
    assert np.mean(sample.radius > 7.8) == pytest.approx(0.72, abs=0.005)
    assert np.quantile(sample.mass_err / sample.mass, 0.9) == pytest.approx(0.240, abs=0.001)
    assert set(PAPER_FLAGGED) <= set(sample.names)


def test_selection_properties(table):
    sample = select_sample(table)
    assert not set(PREDICTION_TARGETS) & set(sample.names)
    assert np.all(sample.mass < MASS_LIMIT_EARTH)
    for value, error in (
        (sample.mass, sample.mass_err),
        (sample.radius, sample.radius_err),
        (sample.flux, sample.flux_err),
    ):
        assert np.all(value / error > 3.0)
    report = sample.report
    assert report[0]["remaining"] == len(table)
    assert report[-1]["remaining"] == len(sample)
    assert sum(e["removed"] for e in report) == len(table) - len(sample)
    mass_r = [e for e in report if e["cut"].startswith("mass not a true mass")][0]
    assert mass_r["removed"] == 2883 + 875 + 19  # sheet: M-R relationship, Msini, Msin(i)/sin(i)


def test_flux_equation_one():
    # eq. (1): the Sun at 1 au gives 1 F_earth; F scales as T^4 R^2 / a^2
    assert flux_from_star_and_orbit(5772.0, 1.0, 1.0) == pytest.approx(1.0)
    assert flux_from_star_and_orbit(2 * 5772.0, 3.0, 2.0) == pytest.approx(16 * 9 / 4)


def test_flux_agrees_with_archive_insolation(table):
    # sheet: median pl_insol / eq. (1) ratio 0.994 over the archive (cross-check only)
    frame = table.dropna(subset=["pl_insol", "st_teff", "st_rad", "pl_orbsmax"])
    ratio = frame["pl_insol"] / flux_from_star_and_orbit(
        frame["st_teff"], frame["st_rad"], frame["pl_orbsmax"]
    )
    assert np.median(ratio) == pytest.approx(0.994, abs=0.01)


def test_planet_inputs_of_hr858b(table):
    from planetinfer.catalog import find_planet

    radius, radius_err, flux, flux_err = planet_inputs(find_planet(table, "HR 858 b"))
    # Vanderburg et al. 2019 (Table 3 inputs): R = 2.085 +0.068/-0.064, F = 989.7 +62.5/-55.8
    assert radius == pytest.approx(2.085, abs=1e-3)
    assert radius_err == pytest.approx(0.066, abs=1e-3)
    assert flux == pytest.approx(989.7, rel=0.05)


def test_planet_inputs_use_pl_insol_without_the_star():
    """A row without st_teff (TOI-6324 b in the 2025-08 export) takes the archive's pl_insol
    and its symmetrised error; without both, the message names what is missing."""
    import pandas as pd

    row = pd.Series({"pl_name": "X b", "pl_rade": 1.06, "pl_radeerr1": 0.04,
                     "pl_radeerr2": -0.04, "st_teff": np.nan, "st_rad": 0.4, "pl_orbsmax": 0.01,
                     "pl_insol": 1200.0, "pl_insolerr1": 100.0, "pl_insolerr2": -80.0})  # fmt: skip
    assert planet_inputs(row) == pytest.approx((1.06, 0.04, 1200.0, 90.0))
    with pytest.raises(InputError, match="and pl_insol"):
        planet_inputs(row.drop("pl_insol"))
