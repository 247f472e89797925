"""planetinfer.solve_structure and gravity_moments against the solvers they wrap."""

import numpy as np
import pytest

import planetinfer
from planetinfer.constants import M_EARTH, R_EARTH, G
from planetinfer.structure import solve_batch


def test_solve_structure_equals_solve_batch_and_is_vectorised():
    table = planetinfer.solve_structure([1.0, 5.0], [0.325, 0.3], [0.675, 0.7],
                                        model="seager2007")  # fmt: skip
    direct = solve_batch([1.0, 5.0], [[0.325, 0.675, 0, 0], [0.3, 0.7, 0, 0]], 255.0,
                         model="seager2007")  # fmt: skip
    np.testing.assert_array_equal(table.radius_earth, direct["radius"] / R_EARTH)
    np.testing.assert_array_equal(table.k2, direct["k2"])
    frame = table.to_frame()
    assert list(frame["status"]) == [0, 0] and "core_radius_fraction" in frame


def test_fractions_must_sum_to_one():
    from planetinfer.errors import InputError

    with pytest.raises(InputError, match="sum to"):
        planetinfer.solve_structure(1.0, 0.5, 0.6)


def test_gravity_moments_of_a_uniform_sphere_match_maclaurin():
    """Uniform density: J2 = 1.4646e-2 normalised to R_m at m = 0.02886 (ToF4, as the CLI test)."""
    radius_re, mass_me = 1.0, 1.0
    gm = G * mass_me * M_EARTH
    m = 0.02886  # rotation parameter w^2 R^3 / GM
    period_h = 2 * np.pi / np.sqrt(m * gm / (radius_re * R_EARTH) ** 3) / 3600.0
    rho = mass_me * M_EARTH / (4 / 3 * np.pi * (radius_re * R_EARTH) ** 3)
    moments = planetinfer.gravity_moments([0.0, 1.0], [rho, rho], mass=mass_me,
                                          mean_radius=radius_re, period=period_h)  # fmt: skip
    assert moments.values["J2"] == pytest.approx(1.4646e-2, rel=2e-3)
    assert moments.to_dict()["converged"] is True


def test_gravity_moments_report_the_density_they_solved_with():
    """A profile twice too heavy is rescaled to the given mass: the same J2, and the density
    returned (and drawn) is the rescaled one, not the input."""
    radius, rho = np.array([0.0, 2.0, 4.0]), np.array([3000.0, 1500.0, 200.0])
    args = {"mass": 14.5, "mean_radius": 4.0, "period": 17.24}
    once = planetinfer.gravity_moments(radius, rho, **args)
    twice = planetinfer.gravity_moments(radius, 2.0 * rho, **args)
    assert twice.values["profile_mass_over_mass"] == pytest.approx(
        2.0 * once.values["profile_mass_over_mass"], rel=1e-12)  # fmt: skip
    assert twice.values["J2"] == pytest.approx(once.values["J2"], rel=1e-9)
    np.testing.assert_allclose(twice.density, once.density, rtol=1e-12)
    assert (twice.values["mass_earth"], twice.values["period_h"]) == (14.5, 17.24)


def test_a_profile_that_does_not_reach_the_mean_radius_is_said():
    """The ToF levels span mean_radius: a profile ending 15 % inside it (or beyond it) is
    warned about in one line, not silently padded (or cut); one ending at it is not."""
    import warnings

    radius, rho = np.array([0.0, 2.0, 3.4]), np.array([3000.0, 1500.0, 200.0])
    args = {"mass": 14.5, "period": 17.24}
    with pytest.warns(UserWarning, match="profile ends at 3.4 R_E but mean_radius is 4 R_E"):
        planetinfer.gravity_moments(radius, rho, mean_radius=4.0, **args)
    with pytest.warns(UserWarning, match="rows beyond it are left out"):
        planetinfer.gravity_moments(radius, rho, mean_radius=3.0, **args)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        planetinfer.gravity_moments(radius, rho, mean_radius=3.4, **args)


def test_impossible_spin_is_flagged_not_silent():
    moments = planetinfer.gravity_moments([0.0, 4.0], [1300.0, 1300.0], mass=14.5,
                                          mean_radius=4.0, period=0.1)  # fmt: skip
    result = moments.to_dict()
    assert result["converged"] is False and "reason" in result
