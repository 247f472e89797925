"""Planet presets: cited values, covariance, overrides and TOML files."""

import numpy as np
import pytest

from planetinfer.errors import InputError
from planetinfer.gravity.planets import get_planet, load_planet, resolve_planet


def test_uranus_french2024_covariance():
    u = get_planet("Uranus")
    assert u.j2 == pytest.approx(3509.291e-6) and u.j4 == pytest.approx(-35.522e-6)
    cov = u.covariance
    assert cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]) == pytest.approx(0.9861)  # French 2024
    assert u.gm == pytest.approx(5793950.61e9)  # Jacobson & Park 2025, planet GM
    # the reference radius is never the mean radius (reference sheet Sect. 4.3 rule)
    assert u.radius_mean == 25362e3 and u.reference_radius == 25559e3


def test_neptune_wang2023():
    n = get_planet("neptune")
    assert (n.j2, n.sigma_j2, n.j4, n.sigma_j4) == pytest.approx(
        (3401.655e-6, 3.994e-6, -33.294e-6, 10.0e-6)
    )
    assert n.correlation == 0.0 and n.reference_radius == 25225e3
    assert n.gm < 6836527.10e9  # planet GM, not the system value (Jacobson 2009)


def test_override_and_toml(tmp_path):
    assert get_planet("uranus", period_s=62064.0).period_s == 62064.0
    path = tmp_path / "p.toml"
    path.write_text('[planet]\nbase = "neptune"\nname = "n2"\nsigma_j4 = 2.9e-6\n')
    p = resolve_planet(str(path))
    assert p.name == "n2" and p.sigma_j4 == 2.9e-6 and p.j2 == 3401.655e-6
    path.write_text('[planet]\nname = "x"\n')
    with pytest.raises(InputError, match="misses"):
        load_planet(path)


def test_bad_input():
    with pytest.raises(InputError, match="unknown"):
        get_planet("pluto")
    with pytest.raises(InputError, match="period_s"):
        get_planet("uranus", period_s=-1.0)
    with pytest.raises(InputError, match="unknown"):
        get_planet("uranus", colour="blue")
