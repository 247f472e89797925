"""Tests of planetinfer.catalog against the NASA Exoplanet Archive exports in ../shared/data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planetinfer.catalog import find_planet, normalise_name, read_pscomppars, symmetrised_error
from planetinfer.errors import InputError

SNAPSHOT = "exoplanet_archive/nasa_pscomppars_2024-10-15.csv"
# sha256 listed in ../shared/data/exoplanet_archive/PROVENANCE.md
SNAPSHOT_SHA256 = "0bd320b5d3943ff8e57a5cdb9d15683fb309d63928137e32d049df51cd96ad40"


@pytest.fixture(scope="module")
def table(shared_data):
    return read_pscomppars(shared_data / SNAPSHOT)


def test_snapshot_identity_matches_provenance(table):
    snapshot = table.attrs["snapshot"]
    assert snapshot.n_rows == 5766  # PROVENANCE.md: 5766 planets
    assert snapshot.sha256 == SNAPSHOT_SHA256
    assert snapshot.timestamp == "Tue Oct 15 09:13:04 2024"


def test_headerless_export_reads(shared_data):
    frame = read_pscomppars(shared_data / "exoplanet_archive/nasa_pscomppars_2025-08.csv")
    assert len(frame) == 5967  # PROVENANCE.md
    assert frame.attrs["snapshot"].timestamp is None


def test_find_planet_ignores_case_and_separators(table):
    row = find_planet(table, "hr858 B")
    assert row["pl_name"] == "HR 858 b"
    assert row["hostname"] == "HR 858"


def test_unknown_planet_is_a_clear_error(table):
    with pytest.raises(InputError, match="not in the catalog; did you mean"):
        find_planet(table, "HR 858 x")


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"pl_name": ["a"], "pl_rade": [1.0]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="pl_bmasse"):
        read_pscomppars(path, required=("pl_rade", "pl_bmasse"))
    with pytest.raises(InputError, match="does not exist"):
        read_pscomppars(tmp_path / "absent.csv")


def test_symmetrised_error_is_mean_of_magnitudes():
    # Wolfgang et al. 2016 / Ma & Ghosh 2021 Sec. 2 (ii): sigma = (sigma+ + sigma-)/2
    assert symmetrised_error(0.068, -0.064) == pytest.approx(0.066)
    assert np.isnan(symmetrised_error(np.nan, -1.0))
    assert normalise_name("TOI-813 b") == normalise_name("toi 813b")
