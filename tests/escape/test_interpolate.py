"""Interpolators: exactness at nodes, a tiny trained network, save/load, domain flags."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planetinfer.errors import InputError
from planetinfer.escape import features, fused, grid, model_store
from planetinfer.escape import formulas as F
from planetinfer.escape import interpolate as I
from planetinfer.escape import networks as N


@pytest.fixture(scope="module")
def kf21(shared_data):
    return grid.load_grid(shared_data / "kubyshkina_fossati_2021")


@pytest.fixture(scope="module")
def small(kf21):
    return kf21[np.isclose(kf21["mstar_msun"], 0.8)].reset_index(drop=True)


@pytest.fixture(scope="module")
def tiny_network(small):
    config = replace(N.BEST_CONFIG, width=8, n_ensemble=2, steps=500)
    return I.NetworkInterpolator(config).fit(small)


def test_kubyshkina2018_on_grid(kf21):
    # Reference sheet §1.9: fed F_EUV, the K18 fit is within x2 on 28 % of rows, median 0.57 dex
    u = grid.KF21_UNITS
    mdot = F.kubyshkina2018_rate(
        kf21["feuv_cgs"].to_numpy() * 1e-3,
        kf21["a_au"].to_numpy() * u.au,
        kf21["r_re"].to_numpy() * u.r_earth,
        kf21["lam"].to_numpy(),
    )
    err = np.abs(np.log10(np.asarray(mdot) * 1e3) - kf21["log_mdot"].to_numpy())
    assert np.mean(err <= np.log10(2)) == pytest.approx(0.28, abs=0.01)
    assert np.median(err) == pytest.approx(0.57, abs=0.01)


def test_nested_baseline_exact_at_nodes(small):
    method = I.NestedLinearInterpolator().fit(small)
    rows = small.sample(100, random_state=1)
    np.testing.assert_allclose(method.predict(rows), rows["log_mdot"], atol=1e-9)


def test_rbf_exact_at_nodes_and_search(small):
    sub = small[np.isclose(small["teq_k"], 1100)]
    method = I.RBFInterpolatorMethod("thin_plate_spline", degree=1).fit(sub)
    np.testing.assert_allclose(method.predict(sub), sub["log_mdot"], atol=1e-6)
    valid = small[np.isclose(small["teq_k"], 700)].iloc[::10]
    best, results = I.rbf_search(
        sub.iloc[::3], valid, kernels=("linear", "multiquadric"), epsilons=(0.5, 1.0), degrees=(1,)
    )
    assert len(results) == 3 and 0.0 <= best["within2"] <= 1.0


def test_mlink_network_has_209_parameters():
    # Reza et al. 2025 Eq. 7: 6 -> 3 x 8 -> 1 gives 56 + 72 + 72 + 9 = 209
    assert N.n_parameters(N.MLINK_CONFIG) == 209
    ensemble = N.skeleton(N.MLINK_CONFIG)
    assert sum(layer.weight.size + layer.bias.size for layer in ensemble.layers) == 209


def test_tiny_network_learns(tiny_network, small):
    err = tiny_network.predict(small) - small["log_mdot"].to_numpy()
    spread = small["log_mdot"].std()
    assert np.sqrt(np.mean(err**2)) < 0.35 * spread  # far better than the constant predictor


def test_save_load_round_trip_and_checksum(tiny_network, small, tmp_path):
    header = model_store.save_network(tiny_network, tmp_path, "net", {"seed": 0, "command": "test"})
    loaded = model_store.load_network(header)
    np.testing.assert_array_equal(loaded.predict(small), tiny_network.predict(small))
    assert loaded.header["licence"] == "CC BY-NC 4.0" and loaded.header["seed"] == 0
    weights = tmp_path / "net.eqx"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(InputError, match="checksum mismatch"):
        model_store.load_network(header)


def test_domain_flags(kf21):
    domain = features.GridDomain.from_grid(kf21)
    assert domain.contains(kf21).all()
    q = features.planet_table(
        [0.8, 2.0, 0.8, 0.8],
        [1100, 1100, 1100, 2500],
        [0.03, 0.03, 0.03, 0.03],
        [1e3, 1e3, 1e9, 1e3],
        [3, 3, 3, 3],
        [9, 9, 9, 9],
    )
    assert domain.contains(q).tolist() == [True, False, False, False]
    with pytest.raises(InputError, match="m_me"):
        features.planet_table(0.8, 1100, 0.03, 1e3, 3, -9)


def test_fused_forward_matches_member_by_member_reference(tiny_network, small):
    # fused.py folds normalisation and ensemble into one float32 pass; numpy path (< JAX_FROM
    # rows) and the chunked XLA path (padded to CHUNK) must both agree with the reference
    ref = tiny_network.predict_reference(small)
    np.testing.assert_allclose(tiny_network.predict(small.iloc[:100]), ref[:100], atol=2e-4)
    big = small.sample(fused.JAX_FROM + 77, replace=True, random_state=0)
    np.testing.assert_allclose(
        tiny_network.predict(big), tiny_network.predict_reference(big), atol=2e-4
    )
    assert len(ref) == len(small)


def test_learned_rate_flags_and_warns_outside_grid(tiny_network):
    from planetinfer import constants as C
    from planetinfer.escape import rates

    with pytest.warns(UserWarning, match="outside the grid"):
        mdot, ok = rates.learned_rate(
            tiny_network, 3.0 * C.M_SUN, 1100.0, 0.03 * C.AU, 1.0, 3 * C.R_EARTH, 9 * C.M_EARTH
        )
    assert ok.tolist() == [False] and np.isfinite(mdot).all()


@given(
    column=st.integers(0, 5),
    value=st.one_of(st.floats(max_value=0.0), st.just(float("nan")), st.just(float("inf"))),
)
@settings(max_examples=30, deadline=None)
def test_non_positive_or_non_finite_inputs_are_rejected(column, value):
    args = [0.8, 1100.0, 0.03, 1e3, 3.0, 9.0]
    args[column] = value
    with pytest.raises(InputError, match=features.QUERY_COLUMNS[column]):
        features.planet_table(*args)


def test_energy_limited_offset_matches_formula_and_is_linear_in_log_inputs(small):
    # networks.target_offset is Erkaev et al. 2007 Eq. 1 with eta = 1, R_XUV = R_pl, in cgs;
    # formulas.energy_limited_rate is the SI implementation (grid constants KF21)
    u = grid.KF21_UNITS
    rows = small.iloc[::97]
    si = F.energy_limited_rate(
        rows["feuv_cgs"].to_numpy() * 1e-3,
        rows["m_me"].to_numpy() * u.m_earth,
        rows["r_re"].to_numpy() * u.r_earth,
        rows["r_re"].to_numpy() * u.r_earth,
        rows["k_tidal"].to_numpy(),
        eta=1.0,
        const=F.KF21,
    )
    np.testing.assert_allclose(
        N.target_offset(rows, "energy_limited"), np.log10(np.asarray(si) * 1e3), atol=1e-9
    )
    coef, intercept = N.linear_offset(small, "scaled", "energy_limited")
    x = N.raw_features(small, "scaled")
    np.testing.assert_allclose(
        x @ coef + intercept, N.target_offset(small, "energy_limited"), atol=1e-6
    )
    # log Mdot_EL = log F + 3 log R - log M - log K + c, and log M = log Lambda + log R + log Teq
    # + c': coefficients -1, 1, 2 on log Teq, log F, log R (those on log Lambda, log K and
    # log Lambda*K are split by the least-squares minimum norm, since Lambda*K = Lambda K)
    np.testing.assert_allclose(coef[:3], [-1.0, 1.0, 2.0], atol=1e-6)
    with pytest.raises(ValueError, match="not linear"):  # MLink inputs: raw R and Lambda*K
        N.linear_offset(small, "mlink", "energy_limited")


def test_energy_limited_target_network_fused_and_round_trip(small, tmp_path):
    config = replace(N.BEST_CONFIG, width=8, n_ensemble=2, steps=100)
    assert config.target == "energy_limited"
    model = I.NetworkInterpolator(config).fit(small)
    big = small.sample(fused.JAX_FROM + 5, replace=True, random_state=1)
    np.testing.assert_allclose(model.predict(big), model.predict_reference(big), atol=2e-4)
    loaded = model_store.load_network(model_store.save_network(model, tmp_path, "el", {}))
    np.testing.assert_array_equal(loaded.predict(big), model.predict(big))
