"""The full baumeister2020 model (interior.md 4.5, checks 11, 12, 15, 16) and bad input."""

import numpy as np
import pytest

from planetinfer.errors import InputError
from planetinfer.structure import solve, solve_batch
from planetinfer.structure.status import INVALID_INPUT

R_E_REFERENCE = 6.371e6  # [m] Zeng et al. 2019 and PREM use the mean radius
ZENG_2019_EARTH_LIKE = {1.0: 1.000, 5.0: 1.545, 10.0: 1.832, 25.0: 2.250}  # interior.md 4.2


@pytest.fixture(scope="module")
def earth_like_curve():
    masses = list(ZENG_2019_EARTH_LIKE)
    return solve_batch(masses, [[0.325, 0.675, 0.0, 0.0]] * len(masses))


def test_earth(earth_like_curve):
    # check 15: R within 3 % of 6371 km, CMB within 5 % of 3480 km (PREM), MoI 0.32-0.345,
    # k2 0.90-1.02 (loose on purpose: 300 K adiabat, Baumeister EoS)
    assert earth_like_curve["status"][0] == 0
    assert earth_like_curve["radius"][0] == pytest.approx(6.371e6, rel=0.03)
    assert earth_like_curve["layer_outer_radii"][0][0] == pytest.approx(3.480e6, rel=0.05)
    assert 0.32 <= earth_like_curve["moment_of_inertia"][0] <= 0.345
    assert 0.90 <= earth_like_curve["k2"][0] <= 1.02


def test_zeng_2019_earth_like_curve(earth_like_curve):
    # check 16: within 5 % of Zeng et al. 2019 (PNAS 116, 9723) at 1, 5, 10, 25 M_E
    for i, expected in enumerate(ZENG_2019_EARTH_LIKE.values()):
        assert earth_like_curve["radius"][i] / R_E_REFERENCE == pytest.approx(expected, rel=0.05)


def test_mass_radius_exponent(earth_like_curve):
    # check 11: R ~ M^alpha over 1-10 M_E, any model 0.26-0.30
    radius = earth_like_curve["radius"]
    alpha = np.log(radius[2] / radius[0]) / np.log(10.0)
    assert 0.26 <= alpha <= 0.30


def test_radius_falls_with_core_and_rises_with_water_and_envelope():
    # check 12 (property): monotonic in each composition direction at fixed mass
    fractions = [
        [0.2, 0.8, 0.0, 0.0], [0.4, 0.6, 0.0, 0.0], [0.6, 0.4, 0.0, 0.0],
        [0.3, 0.5, 0.2, 0.0], [0.3, 0.3, 0.4, 0.0],
        [0.3, 0.69, 0.0, 0.01], [0.3, 0.65, 0.0, 0.05],
    ]  # fmt: skip
    out = solve_batch([3.0] * len(fractions), fractions)
    radius = out["radius"]
    assert np.all(out["status"] == 0)
    assert radius[0] > radius[1] > radius[2]  # more core: smaller
    reference = solve_batch([3.0], [[0.3, 0.7, 0.0, 0.0]])["radius"][0]
    assert reference < radius[3] < radius[4]  # more water: larger
    assert reference < radius[5] < radius[6]  # more envelope: larger
    assert np.all((out["k2"] > 0) & (out["k2"] <= 1.5))


def test_teq_envelope_grows_with_teq_and_hard_planets_converge():
    teq = [200.0, 300.0, 500.0, 800.0, 1200.0, 1600.0]
    # a 0.15 % envelope at 1481 K from a 10,000-planet draw of the planetinfer prior: its
    # adiabat and central pressure chase each other, and only the nested retry converges it
    masses = [5.0] * len(teq) + [15.7717]
    fractions = [[0.3, 0.65, 0.0, 0.05]] * len(teq) + [[0.2253, 0.6439, 0.1293, 0.0015]]
    out = solve_batch(masses, fractions, teq + [1481.4781], envelope="teq")
    assert np.all(out["status"] == 0)
    assert np.all(np.diff(out["radius"][: len(teq)]) > 0.0)


def test_single_planet_api_and_profiles():
    result = solve(1.0, core=0.325, mantle=0.675, profiles=True)
    assert result.ok
    assert result.radius_earth == pytest.approx(0.99, abs=0.02)
    assert set(result.profile) >= {
        "radius",
        "mass",
        "pressure",
        "temperature",
        "density",
        "gravity",
    }
    assert result.profile["temperature"][-1] == pytest.approx(300.0)  # the adiabat's anchor
    assert np.all(np.diff(result.profile["radius"]) >= 0)


@pytest.mark.parametrize(
    ("mass", "fractions", "teq", "field"),
    [
        (0.0, [0.3, 0.7, 0.0, 0.0], 255.0, "mass"),
        (-1.0, [0.3, 0.7, 0.0, 0.0], 255.0, "mass"),
        (np.nan, [0.3, 0.7, 0.0, 0.0], 255.0, "mass"),
        (1.0, [-0.1, 1.1, 0.0, 0.0], 255.0, "core mass fraction"),
        (1.0, [0.3, 0.6, 0.0, 0.0], 255.0, "sum"),
        (1.0, [0.3, 0.7, 0.0, 0.0], 0.0, "teq"),
        (1.0, [0.3, 0.7, np.nan, 0.0], 255.0, "water mass fraction"),
    ],
)
def test_bad_input_names_the_field(mass, fractions, teq, field):
    with pytest.raises(InputError, match=field):
        solve_batch([mass], [fractions], [teq])


def test_batch_flags_bad_rows_and_continues():
    out = solve_batch([1.0, -2.0], [[0.325, 0.675, 0, 0], [0.325, 0.675, 0, 0]], on_invalid="flag")
    assert out["status"].tolist() == [0, INVALID_INPUT]
    assert np.isnan(out["radius"][1]) and np.isfinite(out["radius"][0])
