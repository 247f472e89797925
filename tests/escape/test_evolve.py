"""Evolution tracks: invariants (no envelope, mass conservation) and the stellar XUV law."""

import warnings

import numpy as np
import pytest

from planetinfer import constants as C
from planetinfer.escape import evolve, rates, stellar
from planetinfer.escape.evolve import EvolutionSettings, evolve_planet
from planetinfer.escape.rates import rate_function

STAR = stellar.star_main_sequence(0.5)
SETTINGS = EvolutionSettings(age_max=10 * C.GYR)


def _track(method, f_env, mass=9.0, a_au=0.0151):
    fn = rates.rate_function(method, STAR.mass)
    return evolve.evolve_planet(STAR, a_au * C.AU, mass * C.M_EARTH, f_env, fn, SETTINGS)


def test_planet_without_envelope_does_not_change():
    track = _track("energy-limited", 0.0)
    assert np.all(track["m_p_kg"] == track["m_p_kg"].iloc[0])
    assert np.all(track["mdot_kg_s"] == 0.0)
    assert np.ptp(track["r_p_m"]) == 0.0
    assert track["age_gyr"].iloc[-1] == pytest.approx(10.0)


@pytest.mark.parametrize("method", ["energy-limited", "core-powered", "k18"])
def test_mass_conserved_between_envelope_and_integrated_rate(method):
    # Issue 6 acceptance: envelope loss equals the integrated rate to 1e-6
    track = _track(method, 0.03)
    m0 = track["m_p_kg"].iloc[0]
    np.testing.assert_allclose(track["m_p_kg"] + track["lost_kg"], m0, rtol=1e-6, atol=0)
    # the integrated rate: sum of rate x step over the steps (explicit scheme)
    dt = np.diff(track["age_s"].to_numpy())
    loss = np.minimum(track["mdot_kg_s"].to_numpy()[:-1] * dt, track["m_env_kg"].to_numpy()[:-1])
    env_drop = track["m_env_kg"].iloc[0] - track["m_env_kg"].iloc[-1]
    gone = track["m_env_kg"].iloc[-1] == 0.0
    assert loss.sum() == pytest.approx(env_drop, rel=1e-6 if not gone else 0.02)
    assert np.all(np.diff(track["m_env_kg"]) <= 0)


def test_energy_limited_strips_paper_planet_22():
    # Reza et al. 2025 Sect. 8: model 22 (9 M_E, 0.5 M_sun, 0.0151 AU) loses its envelope
    # within ~1 Gyr under the energy-limited formula
    track = _track("energy-limited", 0.03)
    gone = track.loc[track["f_env"] <= 0, "age_gyr"]
    assert len(gone) and gone.iloc[0] < 1.0


def test_lopez_fortney_radius_anchor():
    # Lopez & Fortney 2014 Eq. 3 at its pivot (f_env = 5 %, F = F_E, 5 Gyr):
    # R_env = 2.06 R_E (M/M_E)^-0.21
    r_env = evolve.envelope_thickness_lf14(5 * C.M_EARTH, 0.05, evolve.F_EARTH, 5 * C.GYR)
    assert float(r_env) == pytest.approx(2.06 * C.R_EARTH * 5**-0.21, rel=1e-12)


def test_xuv_history_saturated_then_power_law():
    xuv = stellar.XuvHistory()
    ages = np.array([0.01, 0.05, 0.1, 1.0, 10.0]) * C.GYR
    lx = STAR.xray_luminosity(ages)
    assert lx[0] == lx[1] == lx[2] == pytest.approx(xuv.lx_lbol_sat * STAR.l_bol)
    assert lx[3] / lx[2] == pytest.approx(10**-1.5, rel=1e-12)
    assert lx[4] / lx[3] == pytest.approx(10**-1.5, rel=1e-12)
    assert np.all(np.diff(STAR.euv_flux(ages, 0.05 * C.AU)) <= 0)


def test_teq_from_orbit_matches_grid_relation(shared_data):
    # teq-sma: (0.5 M_sun, 1000 K) -> 0.014175 AU; L_bol implied by the table reproduces it
    from planetinfer.escape import grid

    relation = grid.load_teq_sma(shared_data / "kubyshkina_fossati_2021")
    star = stellar.star_from_teq_sma(0.5, relation)
    assert float(star.teq(0.014175 * C.AU)) == pytest.approx(1000.0, rel=0.02)


def test_evolve_draws_equals_evolve_planet_draw_by_draw():
    """The vectorised tracks (evolve_batch.py) reproduce evolve_planet for every draw."""
    from planetinfer.escape import model_store
    from planetinfer.escape.evolve_batch import batch_rate_function, evolve_draws
    from planetinfer.escape.stellar import star_main_sequence

    star = star_main_sequence(0.6)
    a = 0.03 * C.AU
    masses = np.array([4.0, 6.0, 9.0, 12.0]) * C.M_EARTH
    f_env = np.array([0.002, 0.01, 0.03, 0.0])
    settings = EvolutionSettings(age_start=0.5 * C.GYR)
    net = model_store.load_shipped()
    for method, learned in (("energy-limited", None), ("network", net)):
        batch = evolve_draws(star, a, masses, f_env, batch_rate_function(method, star.mass, learned),
                             settings)  # fmt: skip
        for i in range(len(masses)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                track = evolve_planet(star, a, masses[i], f_env[i],
                                      rate_function(method, star.mass, learned), settings)  # fmt: skip
            gone = track["f_env"] <= 0
            expected = track["age_s"][gone].iloc[0] if gone.any() else np.nan
            np.testing.assert_allclose(batch["lost_at_s"][i], expected, rtol=1e-7)  # round-off
            np.testing.assert_allclose(batch["final_f_env"][i], track["f_env"].iloc[-1],
                                       rtol=1e-7, atol=1e-12)  # fmt: skip


def test_a_planet_filling_its_roche_lobe_stops_flagged():
    """5 M_E with 2 % H/He at 0.005 AU from a Sun: R_p > a (M_p / 3 M*)^(1/3) at once. It used to
    keep its envelope for 10 Gyr (energy-limited rate undefined, taken as 0)."""
    import planetinfer
    from planetinfer.escape.evolve_batch import batch_rate_function, evolve_draws

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tracks = planetinfer.evolve(5.0, 0.02, 1.0, 0.005, method="energy-limited")
    summary = tracks.to_dict()["methods"]["energy-limited"]
    assert summary["roche_overflow_at_gyr"] == pytest.approx(0.01)
    assert summary["final_f_env"] is None and "Roche lobe" in summary["reason"]
    assert tracks.tracks["energy-limited"]["roche_overflow"].iloc[-1]
    tracks.plot().canvas.draw()  # the figure marks the stop (no log axis without a rate)
    star = stellar.star_main_sequence(1.0)
    fn = batch_rate_function("energy-limited", star.mass)
    out = evolve_draws(star, 0.005 * C.AU, np.array([5.0, 5.0]) * C.M_EARTH,
                       np.array([0.02, 0.0]), fn, SETTINGS)  # fmt: skip
    assert np.isfinite(out["roche_overflow_at_s"][0]) and np.isnan(out["roche_overflow_at_s"][1])


def test_a_star_outside_the_grid_stars_is_warned():
    import planetinfer

    with pytest.warns(UserWarning, match="mstar = 3 M_sun is outside the 0.4-1.3 M_sun"):
        planetinfer.evolve(5.0, 0.02, 3.0, 0.1, method="energy-limited")
