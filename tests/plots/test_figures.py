"""Every figure the package makes: produced from small inputs, every panel with data has
labelled axes (units where the quantity has one), a title or a legend says what is shown.

One test per figure function; the figures the commands write call these functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")

RNG = np.random.default_rng(0)


def _panels(fig):
    """Axes that show data (not switched off, not colour bars)."""
    out = []
    for ax in fig.axes:
        if not ax.axison or ax.get_label() == "<colorbar>":
            continue
        if ax.lines or ax.collections or ax.patches or ax.images:
            out.append(ax)
    return out


def assert_labelled(fig, units: dict | None = None):
    """Each data panel names its x quantity (or shares a labelled column) and its y quantity
    (or hides its y ticks, as a histogram on a corner's diagonal); the figure says what it is
    (a title, a suptitle or a legend); units: {label substring: unit text} that must appear."""
    fig.canvas.draw()
    panels = _panels(fig)
    assert panels, "the figure shows nothing"
    for ax in panels:
        x_shown = any(t.get_text() for t in ax.get_xticklabels())
        y_shown = any(t.get_text() for t in ax.get_yticklabels())
        assert ax.get_xlabel() or not x_shown or _column_labelled(fig, ax), ax
        assert ax.get_ylabel() or not y_shown, ax
    described = bool(fig._suptitle and fig._suptitle.get_text()) or fig.legends or any(
        ax.get_title() or ax.get_legend() for ax in fig.axes
    )
    assert described, "no title or legend"
    labels = " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in fig.axes)
    for quantity, unit in (units or {}).items():
        assert quantity in labels and unit in labels, (quantity, unit, labels)
    matplotlib.pyplot.close(fig)


def _column_labelled(fig, ax) -> bool:
    """A panel sharing its x axis with a labelled one below (sharex=True)."""
    return any(other.get_xlabel() for other in ax.get_shared_x_axes().get_siblings(ax))


def test_structure_profiles():
    from planetinfer.plots.structure import profiles

    radius = np.linspace(0, 6.4e6, 40)
    profile = {"radius": radius, "density": np.linspace(13e3, 3e3, 40),
               "pressure": np.linspace(3.6e11, 1e4, 40), "temperature": np.linspace(5e3, 300, 40),
               "gravity": np.linspace(0, 9.8, 40), "layer": (radius > 3.4e6).astype(int)}  # fmt: skip
    fig, axes = profiles(profile, title="1 M_E")
    assert {ax.get_ylabel().split(" [")[0] for ax in axes.flat} == {
        "density", "pressure", "temperature", "gravity"}
    assert_labelled(fig, {"density": "g cm", "pressure": "GPa", "temperature": "[K]",
                          "radius": "R$_\\oplus$"})  # fmt: skip


def test_structure_mass_radius_has_iron_and_water_references():
    from planetinfer.plots.structure import mass_radius

    mass = np.geomspace(0.1, 25, 6)
    curve = {"mass_earth": mass, "radius_earth": mass**0.27, "status": np.zeros(6, int),
             "zeng_2019_radius_earth": None}  # fmt: skip
    fig, ax = mass_radius(curve, label="Earth-like")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("pure iron" in t for t in texts) and any("pure water" in t for t in texts)
    assert_labelled(fig, {"mass": "M$_\\oplus$", "radius": "R$_\\oplus$"})


def test_synth_mass_radius_categorical_classes():
    from planetinfer.plots.synth import CLASSES, mass_radius

    n = 400
    fractions = RNG.dirichlet(np.ones(4), n)
    fractions[: n // 4, 2:] = 0.0
    fractions[n // 4: n // 2, 3] = 0.0
    fractions[n // 2: 3 * n // 4, 2] = 0.0
    frame = pd.DataFrame({"mass_earth": RNG.uniform(0.1, 25, n), "status": 0,
                          "radius_earth": RNG.uniform(0.5, 10, n)})  # fmt: skip
    for i, layer in enumerate(("core", "mantle", "water", "envelope")):
        frame[f"{layer}_mass_fraction"] = fractions[:, i]
    fig, ax = mass_radius(frame)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(texts) == len(CLASSES)  # one readable colour per class, not blended RGB
    assert_labelled(fig, {"mass": "M$_\\oplus$", "radius": "R$_\\oplus$"})
    # a planet above the radius axis is a triangle at its top, not a point lost off the axes
    frame.loc[0, "radius_earth"] = 240.0
    fig, ax = mass_radius(frame, radius_max=30.0)
    tops = [c for c in ax.collections if len(c.get_offsets()) == 1
            and c.get_offsets()[0][1] == pytest.approx(30.0 * 0.97)]  # fmt: skip
    assert len(tops) == 1 and "1 above 30" in ax.get_title()


def _posterior_row():
    mass = RNG.dirichlet([3, 6, 1, 0.5], 500)
    return {"name": "TOI-0", "inputs": {"mass": 5.0, "radius": 2.0, "teq": 700.0},
            "samples": {"mass_fractions": mass, "radius_fractions": mass[:, ::-1]},
            "summary": {"p_no_water": 0.1, "p_no_envelope": 0.2}}  # fmt: skip


def test_interior_corner_has_mass_and_radius_fractions_with_a_key():
    from planetinfer.plots.interior import posterior_corner

    fig, axes = posterior_corner(_posterior_row())
    assert axes.shape == (8, 8) and "TOI-0" in fig._suptitle.get_text()
    assert fig.legends and "68 % credible region" in [t.get_text() for t in fig.legends[0].texts]
    assert_labelled(fig)


def test_interior_summary_predicted_vs_true_and_mc():
    from planetinfer.plots import interior as plots

    row = {"name": "a", "summary": {f"{layer}_mass_fraction": {"p16": 0.1, "p50": 0.2, "p84": 0.3}
                                    for layer in ("core", "mantle", "water", "envelope")}}
    assert_labelled(plots.summary([row, {**row, "name": "b"}])[0])
    truth = RNG.uniform(size=50)
    assert_labelled(plots.predicted_vs_true(truth, truth[:, None] + RNG.normal(0, 0.05, (50, 20)),
                                            "core mass fraction")[0])  # fmt: skip
    assert_labelled(plots.mc_comparison(RNG.uniform(size=200), RNG.uniform(size=200), "core")[0])


def test_escape_rates_marks_the_network_outside_its_grid():
    from planetinfer.plots.escape import plot_rates

    fig, ax = plot_rates({"network": 5e10, "energy-limited": 3e10, "roche": float("nan")},
                         in_domain={"network": False}, title="9 M_E")  # fmt: skip
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "undefined" in texts
    fig.canvas.draw()
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[0] == "network\n(open: outside its grid)" and names[1] == "energy-limited"
    assert ax.get_xscale() == "log"  # no bars from an arbitrary zero
    # every label stays inside the figure (the domain note used to run off the right edge)
    width = fig.get_window_extent().x1
    assert all(t.get_window_extent().x1 <= width for t in ax.texts)
    assert_labelled(fig, {"mass-loss rate": "g s$^{-1}$"})


def test_escape_tracks_show_steps_outside_the_grid():
    from planetinfer.plots.escape import plot_tracks

    age = np.geomspace(0.01, 10, 50)
    track = pd.DataFrame({"age_gyr": age, "r_p_re": 3 - 0.1 * np.log(age), "mdot_g_s": 1e11 / age,
                          "in_domain": age < 1.0, "roche_overflow": False})  # fmt: skip
    fig, axes = plot_tracks({"network": track, "energy-limited": track.assign(in_domain=True)})
    texts = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert any("outside the grid" in t for t in texts)
    assert_labelled(fig, {"radius": "R$_\\oplus$", "age": "Gyr", "mass-loss rate": "g s"})


def test_escape_accuracy():
    from planetinfer.plots.escape import plot_accuracy

    truth = RNG.normal(10, 1, 200)
    results = pd.DataFrame({"protocol": "node-out", "method": np.repeat(["rbf", "network"], 100),
                            "log_mdot_true": truth, "log_mdot_pred": truth + RNG.normal(0, 0.2, 200)})  # fmt: skip
    assert_labelled(plot_accuracy(results, "node-out")[0])


def test_gravity_figures():
    from planetinfer.plots import gravity as plots

    rho = np.sort(RNG.uniform(100, 9000, (30, 64)), axis=1)
    w = RNG.uniform(size=30)
    assert_labelled(plots.tof_profile(rho[0], np.geomspace(1, 1e12, 64))[0], {"density": "g cm"})
    fig, ax = plots.j2_j4(RNG.normal([3.5e-3, -3.4e-5], [1e-6, 1e-6], (30, 2)), w,
                          np.array([3.5e-3, -3.4e-5]), np.diag([1e-12, 1e-12]))  # fmt: skip
    assert len(ax.get_legend().get_texts()) == 3
    assert_labelled(fig, {"weighted count": "accepted profiles"})  # the colour bar says its scale
    assert_labelled(plots.percentile_contours(rho, w)[0], {"density": "g cm"})
    assert_labelled(plots.interval_widths(rho, w)[0], {"interval width": "g cm"})
    assert_labelled(plots.weighted_histogram(rho[:, -1] / 1e3, w, "central density [g cm$^{-3}$]")[0])
    # a density step per level means nothing without the number of levels: the unit names it
    per_level = {"Delta": "per level, N = 64 levels"}
    assert_labelled(plots.intensity(np.linspace(0, 1, 20), RNG.uniform(size=20), 64)[0], per_level)
    rows = [{"c_d": c, "mean": 10 / c, "p95": 20 / c} for c in (50, 100, 200)]
    assert_labelled(plots.counts_versus_criterion(rows, 64)[0], {"c_D": "N = 64 levels"})


def test_mrf_prediction_summary_shows_the_planet_on_the_relation():
    from planetinfer.mrf.predict import load_mass_posterior, predict_mass
    from planetinfer.plots.mrf import plot_prediction_summary

    posterior = load_mass_posterior()
    result = predict_mass(posterior, [2.0, 12.0], [0.1, 0.5], [100.0, 100.0], [0.0, 0.0])
    inputs = {"radius": np.array([2.0, 12.0]), "radius_err": np.array([0.1, 0.5]),
              "flux": np.array([100.0, 100.0])}  # fmt: skip
    fig, axes = plot_prediction_summary(posterior, ["b", "c"], inputs, result["mass_earth"],
                                        np.array([True, False]))  # fmt: skip
    texts = [t.get_text() for t in axes[1].get_legend().get_texts()]
    assert {"68 % interval", "95 % interval"} <= set(texts)
    assert any("outside the fitted range" in t for t in texts)
    assert_labelled(fig, {"mass": "M$_\\oplus$", "radius": "R$_\\oplus$"})


def test_mrf_check_figures():
    from planetinfer.mrf.predict import load_mass_posterior
    from planetinfer.plots import mrf as plots

    posterior = load_mass_posterior(model="ma2021")  # the check figures are of the paper's model
    draws = {k: v[:50] for k, v in posterior.draws.items()}
    radius = np.geomspace(0.6, 20, 60)
    assert_labelled(plots.plot_mass_relation(draws)[0])
    assert_labelled(plots.plot_gamma_posteriors(draws)[0])
    assert_labelled(plots.plot_residuals_vs_radius(radius, RNG.normal(0, 1.5, 60),
                                                   [str(i) for i in range(60)])[0])  # fmt: skip
    assert_labelled(plots.plot_qq(RNG.normal(size=60), {"beta": 1.5, "mu": 0, "alpha": 1})[0])
    assert_labelled(plots.plot_high_error_radii(radius, RNG.uniform(size=60))[0])
    classes = np.array(["contained", "overlapping", "disjoint"] * 20)
    assert_labelled(plots.plot_hotelling(radius**1.5, radius, classes)[0])
    assert_labelled(plots.plot_mass_vs_radius_at_flux(posterior)[0])


def _report():
    q = {"p2.5": 2.0, "p16": 3.0, "p50": 4.0, "p84": 5.0, "p97.5": 6.0}
    return {"planet": "TOI-0 b", "mass": {"quantiles": q},
            "inputs": {"radius": {"value": 2.0, "err": 0.1, "err_lower": 0.1}},
            "escape": {"basis": "present day", "methods": {
                "network": {"mdot_g_s": {"p16": 1e9, "p50": 2e9, "p84": 3e9},
                            "in_domain_fraction": 0.5},
                "energy-limited": {"mdot_g_s": {"p16": 1e9, "p50": 2e9, "p84": 4e9}}}},
            "evolution": {"start_age_gyr": 0.01, "end_age_gyr": 10.0, "n_tracks": 3}}  # fmt: skip


def test_characterise_report_figures():
    from planetinfer import constants as C
    from planetinfer.plots import characterisation as plots

    mass = np.geomspace(0.1, 30, 10)
    curves = {"pure iron": (mass, 0.8 * mass**0.27), "50 % water": (mass, 1.2 * mass**0.27)}
    assert_labelled(plots.mass_radius(_report(), curves)[0], {"mass": "M$_\\oplus$"})
    assert_labelled(plots.rates(_report())[0])
    ages = np.tile(np.geomspace(0.01, 10, 30)[:, None] * C.GYR, (1, 3))
    tracks = {"network": {"age_s": ages, "f_env": np.linspace(0.03, 0.0, 30)[:, None] * np.ones(3)}}
    assert_labelled(plots.envelope_band(_report(), tracks)[0])
    table = pd.DataFrame({"mass_p50": [3.0, 8.0, 20.0], "radius": [1.5, 2.5, 4.0],
                          "interior_status": ["ok", "ok", "outside"], "p_no_envelope": [0.9, 0.2, 0.5],
                          "flux": [10.0, 100.0, 1000.0], "lifetime_p50_gyr_network": [np.nan, 2.0, 0.5]})  # fmt: skip
    assert_labelled(plots.population_mass_radius(table, curves)[0])
    assert_labelled(plots.population_lifetime(table)[0])


def test_mrf_residual_outliers_are_numbered_and_named_in_a_key():
    """Crowded outliers get short numbers on the points and their names in a key beside the axes
    (at most 12 named, the rest counted), so no name prints over another."""
    from planetinfer.plots.mrf import plot_residuals_vs_radius

    radius = np.full(40, 12.0) * RNG.uniform(0.95, 1.05, 40)  # all at one radius: crowded
    residuals = np.r_[RNG.normal(0, 0.1, 20), np.linspace(0.6, 2.5, 20)]
    names = [f"planet {k}" for k in range(40)]
    fig, ax = plot_residuals_vs_radius(radius, residuals, names, 0.5)
    key = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(key) == 13 and key[-1] == "8 more not named"
    numbers = [t.get_text() for t in ax.texts]
    assert sorted(numbers, key=int) == [str(k) for k in range(1, 13)]
    named = {k.split("  ", 1)[1] for k in key[:-1]}
    assert named == {names[i] for i in range(28, 40)}  # the twelve largest residuals
    assert_labelled(fig, {"R_ob": "R$_\\oplus$"})


def test_gravity_histogram_of_one_profile_stays_near_its_value():
    """One accepted profile: the NMoI axis spans a narrow window around it, never below zero."""
    from planetinfer.plots import gravity as plots

    fig, ax = plots.weighted_histogram(np.array([0.226]), np.array([1.0]), "C / (M R$^2$)")
    low, high = ax.get_xlim()
    assert 0.2 < low < 0.226 < high < 0.25
    assert_labelled(fig)
