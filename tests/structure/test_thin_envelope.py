"""The Teq envelope vanishes continuously: an envelope too light to reach the radiative-convective
boundary (100 bar) is an isothermal layer from its own base pressure, and one whose base pressure
is below the transit pressure (100 mbar) adds nothing (shoot.isothermal_transit_radius)."""

import numpy as np
import pytest

from planetinfer.constants import R_EARTH
from planetinfer.structure import status
from planetinfer.structure.solve import solve_batch

ENVELOPE_FRACTIONS = [0.0, 1e-300, 1e-20, 1e-12, 1e-10, 1e-8, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2]


@pytest.fixture(scope="module")
def earth_like_with_envelopes():
    """1 M_E, core 0.325, the rest mantle, envelope fractions above, at 255, 1000 and 1800 K."""
    teqs = [255.0, 1000.0, 1800.0]
    fractions = np.array([[0.325, 0.675 - f, 0.0, f] for f in ENVELOPE_FRACTIONS])
    rows = np.tile(fractions, (len(teqs), 1))
    teq = np.repeat(teqs, len(ENVELOPE_FRACTIONS))
    out = solve_batch(np.ones(len(rows)), rows, teq, envelope="teq")
    shape = (len(teqs), len(ENVELOPE_FRACTIONS))
    return {key: out[key].reshape(shape) for key in ("radius", "k2", "status")}


def test_vanishing_envelope_gives_the_condensed_planet(earth_like_with_envelopes):
    radius = earth_like_with_envelopes["radius"] / R_EARTH
    k2 = earth_like_with_envelopes["k2"]
    # 1e-2 of H/He on 1 M_E at 1800 K does not stay bound (status 5); everything lighter does
    assert np.all(earth_like_with_envelopes["status"][:, :-1] == status.OK)
    condensed = radius[:, 0]
    # up to 1e-8 of the mass the envelope's weight (~1e3 Pa) is below the 1e4 Pa transit
    # pressure: the condensed planet, to the solver's tolerance and the 100-bar surface
    tiny = slice(1, ENVELOPE_FRACTIONS.index(1e-8) + 1)
    width = tiny.stop - tiny.start
    np.testing.assert_allclose(radius[:, tiny], np.repeat(condensed[:, None], width, 1), rtol=1e-4)
    np.testing.assert_allclose(k2[:, tiny], np.repeat(k2[:, :1], width, 1), rtol=1e-3)


def test_radius_grows_monotonically_with_the_envelope(earth_like_with_envelopes):
    radius = earth_like_with_envelopes["radius"]
    first_with_layer = ENVELOPE_FRACTIONS.index(1e-8)
    steps = np.diff(radius[:, first_with_layer:-1], axis=1)
    assert np.all(steps > 0.0)
    assert np.all(radius[:2, -1] > radius[:2, -2])
    # the old model jumped to 1.61 R_E at 1000 K for any envelope: now 1e-6 of the mass
    # (base pressure ~1.2e5 Pa, 2.4 scale heights of ~360 km) adds well under a fifth of that
    tiny_layer = radius[1, ENVELOPE_FRACTIONS.index(1e-6)] / R_EARTH
    assert 1.0 < tiny_layer < 1.2


def test_thick_envelopes_keep_the_rcb_model():
    """Above ~1e-4 of the mass the envelope reaches 100 bar: the full isothermal layer of
    ln(P_rcb / P_transit) = 6.9 scale heights sits on the rcb radius, as before."""
    out = solve_batch([5.0], [[0.2, 0.5, 0.0, 0.3]], 600.0, envelope="teq")
    assert out["status"][0] == status.OK
    assert 2.5 < out["radius"][0] / R_EARTH < 6.0


def test_negligible_layers_are_solved_as_absent():
    """A core of 1e-300 or 1e-20 of the mass is below float64 resolution: same as no core."""
    fractions = [[0.0, 1.0, 0, 0], [1e-300, 1.0, 0, 0], [1e-20, 1.0, 0, 0], [1e-15, 1.0, 0, 0]]
    out = solve_batch(np.ones(4), fractions, 255.0)
    assert np.all(out["status"] == status.OK)
    np.testing.assert_allclose(out["radius"], out["radius"][0], rtol=1e-6)
    assert out["mass_fractions"][1, 0] == 1e-300  # the caller's fractions are reported
