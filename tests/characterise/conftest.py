"""A small synthetic PSCompPars catalogue covering every path of the chain."""

import pandas as pd
import pytest

BASE = {"pl_orbper": 10.0, "pl_orbsmax": 0.05, "pl_eqt": 800.0, "pl_eqterr1": 20.0,
        "pl_eqterr2": -20.0, "pl_insol": 70.0, "st_teff": 5200.0, "st_rad": 0.8, "st_mass": 0.85,
        "pl_bmasselim": 0, "pl_bmassprov": "Mass", "pl_radeerr1": 0.05, "pl_radeerr2": -0.05,
        "pl_bmasseerr1": 0.5, "pl_bmasseerr2": -0.5}  # fmt: skip
PLANETS = [
    {"pl_name": "Gas b", "pl_bmasse": 8.0, "pl_rade": 2.7},  # measured, holds an envelope
    {"pl_name": "Limit c", "pl_bmasse": 6.0, "pl_rade": 2.0, "pl_bmasselim": 1},  # upper limit
    {"pl_name": "Rock d", "pl_bmasse": 1.0, "pl_rade": 1.0, "pl_bmasseerr1": 0.01,
     "pl_bmasseerr2": -0.01, "pl_radeerr1": 0.01, "pl_radeerr2": -0.01, "pl_eqt": 255.0},
    {"pl_name": "Giant e", "pl_bmasse": 232.0, "pl_rade": 15.6},  # outside the interior domain
    {"pl_name": "NoRadius f", "pl_bmasse": 5.0, "pl_rade": None},  # bad row
    {"pl_name": "NoStar g", "pl_bmasse": 5.0, "pl_rade": 2.0, "st_mass": None},  # bad row
    {"pl_name": "Estimated h", "pl_bmasse": 5.5, "pl_rade": 2.2, "pl_bmassprov": "M-R relationship"},
]  # fmt: skip


@pytest.fixture(scope="session")
def catalog(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalog") / "pscomppars.csv"
    pd.DataFrame([{**BASE, **p} for p in PLANETS]).to_csv(path, index=False)
    return path
