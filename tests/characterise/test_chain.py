"""characterise: one planet through every capability; the chain equals the APIs called by hand."""

import numpy as np
import pytest

import planetinfer
from planetinfer import constants as C
from planetinfer import jsonout
from planetinfer.catalog import find_planet, read_pscomppars
from planetinfer.characterisation import chain
from planetinfer.characterisation.inputs import from_catalog_row
from planetinfer.errors import InputError

SMALL = {"draws": 200, "samples": 2000, "tracks": 8, "seed": 3}


def _run(catalog, name):
    return planetinfer.characterise(name, catalog=catalog, **SMALL)


def test_measured_mass_planet_with_an_envelope(catalog):
    report = _run(catalog, "Gas b").to_dict()
    assert report["mass"]["kind"] == "measured"
    assert report["interior"]["status"] == "ok"
    assert report["escape"]["methods"]["energy-limited"]["mdot_g_s"]["p50"] > 0
    keeps = report["evolution"]["methods"]["network"]["p_envelope_at_gyr"]
    assert keeps["1"] is None and 0.0 <= keeps["10"] <= keeps["5"] <= 1.0  # 5 Gyr start


def test_upper_limit_mass_comes_from_the_mass_radius_flux_relation(catalog):
    report = _run(catalog, "Limit c").to_dict()
    assert report["mass"]["kind"] == "upper_limit"
    # the report names the relation it predicted with and the export it was fitted to
    assert report["versions"]["mrf_posterior"].startswith("mrf_monotone (monotone relation")
    assert "mass-radius-flux" in report["mass"]["source"]
    assert report["mass"]["quantiles"]["p97.5"] <= 6.0  # truncated at the catalogue's limit


def test_archive_mass_radius_estimate_is_replaced(catalog):
    report = _run(catalog, "Estimated h").to_dict()
    assert report["mass"]["kind"] == "mr_relation"
    assert "not a measurement" in report["mass"]["source"]


def test_bare_rock_has_no_envelope_to_lose(catalog):
    report = _run(catalog, "Rock d").to_dict()
    assert report["escape"]["methods"] == {}
    assert "no H/He envelope to lose" in report["escape"]["reason"]
    assert "reason" in report["evolution"]


def test_giant_outside_the_interior_domain_is_flagged_and_reported(catalog, tmp_path):
    result = _run(catalog, "Giant e")
    report = result.to_dict()
    assert report["interior"]["status"] == "no_valid_draws"
    assert any(flag["step"] == "interior" for flag in report["flags"])
    assert report["escape"]["basis"].startswith("all input draws")
    result.save_html(tmp_path / "giant.html")
    assert "Giant e" in (tmp_path / "giant.html").read_text()


@pytest.mark.parametrize(("name", "missing"), [("NoRadius f", "pl_rade"), ("NoStar g", "st_mass")])
def test_incomplete_rows_name_what_is_missing(catalog, name, missing):
    with pytest.raises(InputError, match=missing):
        _run(catalog, name)


def test_report_is_strict_json_and_offline_html(catalog, tmp_path):
    result = _run(catalog, "Gas b")
    jsonout.loads_strict(result.to_json())
    page = result.html()
    assert "http://" not in page and "https://" not in page
    assert page.count("data:image/png;base64,") == 4  # interior, M-R, rates, evolution


def test_chain_equals_the_apis_called_by_hand(catalog):
    """Same inputs, samples and seed: the interior, rates and tracks equal the capability APIs."""
    from planetinfer.api.escape import escape_rate, load_network
    from planetinfer.escape.evolve import EvolutionSettings
    from planetinfer.escape.evolve_batch import batch_rate_function, evolve_draws
    from planetinfer.interior import predict as P
    from planetinfer.interior import store

    inputs = from_catalog_row(find_planet(read_pscomppars(catalog), "Gas b"))
    settings = chain.ChainSettings(**{k: SMALL[k] for k in ("draws", "samples", "tracks", "seed")})
    result = planetinfer.characterise("Gas b", catalog=catalog, **SMALL)
    # the same random stream, step by step
    rng = np.random.default_rng(SMALL["seed"])
    mass, _ = chain.mass_step(inputs, settings, rng)
    radius = chain.split_normal(inputs.radius, mass.size, rng)
    teq = chain.split_normal(inputs.teq, mass.size, rng)
    raw = np.column_stack([mass, radius, teq])
    planet = P.Planet({"mass": float(np.median(mass)), "radius": float(np.median(radius)),
                       "teq": float(np.median(teq))}, samples=raw, name="Gas b")  # fmt: skip
    row = P.predict(store.load_shipped(("mass", "radius", "teq")), [planet], SMALL["samples"],
                    SMALL["draws"], SMALL["seed"])[0]  # fmt: skip
    assert row["summary"] == result.posterior.rows[0]["summary"]
    # rates: escape_rate on the draws the chain used
    used = row["input_draws"]
    draw, f_env, _ = chain.envelope_draws(row, used)
    pick = draw if draw.size <= settings.rate_draws else rng.choice(draw, settings.rate_draws,
                                                                   replace=False)  # fmt: skip
    star = chain.star_of(inputs)
    feuv = float(star.euv_flux(inputs.age_gyr.value * C.GYR, inputs.a_au * C.AU))
    rates = escape_rate(used[pick, 0], used[pick, 1], inputs.mstar, used[pick, 2], feuv * 1e3,
                        inputs.a_au)  # fmt: skip
    np.testing.assert_array_equal(rates.rates["k18"], result.rates["k18"])
    # tracks: evolve_draws on the chosen posterior samples
    chosen = rng.choice(draw.size, min(settings.tracks, draw.size), replace=False)
    steps = EvolutionSettings(age_start=5.0 * C.GYR, age_max=10.0 * C.GYR)
    tracks = evolve_draws(star, inputs.a_au * C.AU, used[draw[chosen], 0] * C.M_EARTH,
                          f_env[chosen], batch_rate_function("network", star.mass,
                                                             load_network()), steps)  # fmt: skip
    np.testing.assert_array_equal(tracks["final_f_env"], result.tracks["network"]["final_f_env"])


def test_explicit_inputs_derive_teq_and_say_so():
    report = planetinfer.characterise(mass=5.0, mass_err=0.5, radius=2.0, radius_err=0.05,
                                      mstar=1.0, rstar=1.0, teff=5772.0, a_au=0.1,
                                      **SMALL).to_dict()  # fmt: skip
    # zero albedo, full redistribution: Teq = 5772 K sqrt(R_sun / (2 x 0.1 AU)) = 880 K
    assert report["inputs"]["teq"]["value"] == pytest.approx(880.0, rel=2e-3)
    assert any("Teq derived" in note for note in report["inputs"]["notes"])


def test_values_given_beside_a_catalogue_planet_are_refused_not_ignored(catalog):
    """A named planet takes the catalogue's values; a mass given beside it (or a bad one) used to
    be dropped without a word. It is refused, naming the value; an age is still accepted."""
    with pytest.raises(InputError, match="mass: a catalogue planet"):
        planetinfer.characterise("Gas b", catalog=catalog, mass=6.0, **SMALL)
    with pytest.raises(InputError, match="mass: a catalogue planet"):
        planetinfer.characterise("Gas b", catalog=catalog, mass=-3.0, **SMALL)
    report = planetinfer.characterise("Gas b", catalog=catalog, age_gyr=2.0, **SMALL).to_dict()
    assert report["inputs"]["age_gyr"]["value"] == 2.0
