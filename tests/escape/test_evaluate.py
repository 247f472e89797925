"""Evaluation protocols: folds hold out interior nodes only, metrics are right, runs resume."""

import numpy as np
import pandas as pd
import pytest

from planetinfer.escape import evaluate as ev
from planetinfer.escape import grid


@pytest.fixture(scope="module")
def kf21(shared_data):
    return grid.load_grid(shared_data / "kubyshkina_fossati_2021")


def test_node_out_folds_are_interior_nodes(kf21):
    folds = ev.folds(kf21, "node-out")
    assert len(folds) == 9
    for _, test, _ in folds:
        held = kf21[test]
        assert held["mstar_msun"].nunique() == 1 and held["teq_k"].nunique() == 1
        assert held["mstar_msun"].iloc[0] in (0.6, 0.8, 1.0)
        assert held["teq_k"].iloc[0] in (700.0, 1100.0, 1500.0)
        # the node is absent from training: no duplicate of a held-out group can leak
        train = kf21[~test]
        assert not (
            (train["mstar_msun"] == held["mstar_msun"].iloc[0])
            & (train["teq_k"] == held["teq_k"].iloc[0])
        ).any()


def test_feuv_out_folds_hold_out_interior_levels(kf21):
    folds = ev.folds(kf21, "feuv-out")
    assert [label for label, _, _ in folds] == [f"feuv_level={j}" for j in (2, 3, 4, 5)]
    for _, test, _ in folds:
        for (ms, teq), rows in kf21[test].groupby(["mstar_msun", "teq_k"]):
            levels = kf21[(kf21["mstar_msun"] == ms) & (kf21["teq_k"] == teq)]["feuv_cgs"]
            assert levels.min() < rows["feuv_cgs"].min() and rows["feuv_cgs"].max() < levels.max()
    # reference sheet §2.3: 83 levels over 24 pairs -> 83 - 48 = 35 interior levels in all
    n_levels = sum(
        kf21[t].groupby(["mstar_msun", "teq_k", "feuv_cgs"]).ngroups for _, t, _ in folds
    )
    assert n_levels == 83 - 2 * 24


def test_outlier_row_is_never_scored(kf21):
    for protocol in ev.PROTOCOLS:
        for _, test, scored in ev.folds(kf21, protocol):
            assert kf21.loc[test & scored, "log_mdot"].max() < 20.5


def test_metrics_values():
    delta = np.array([0.0, 0.2, -0.3, 0.5, -1.5])
    m = ev.metrics(delta)
    assert m["within_factor_2"] == pytest.approx(3 / 5)  # log10 2 = 0.301 includes -0.3
    assert m["within_factor_10"] == pytest.approx(4 / 5)
    assert m["median_abs_dex"] == pytest.approx(0.3) and m["max_abs_dex"] == pytest.approx(1.5)


def test_run_protocol_resumes_from_chunks(kf21, tmp_path):
    sub = kf21[kf21["mstar_msun"] == 0.8]
    first = ev.run_protocol(sub, "feuv-out", methods=("nested_1d",), out_dir=tmp_path)
    chunks = sorted((tmp_path / "chunks").glob("*.parquet"))
    assert len(chunks) == first["fold"].nunique() and not list(tmp_path.glob("chunks/*.tmp"))
    again = ev.run_protocol(sub, "feuv-out", methods=("nested_1d",), out_dir=tmp_path)
    pd.testing.assert_frame_equal(first, again)
    summary = ev.summarise(first)
    assert 0.0 < summary["feuv-out"]["nested_1d"]["within_factor_2"] <= 1.0


@pytest.mark.slow
def test_node_out_best_network_beats_other_methods(kf21):
    # Issue 6 acceptance (slow, ~4 min on 2 cores): under leave-one-(M*, Teq)-node-out the best
    # network beats the RBF, the MLink-size network and the classical baseline (measured 89.6 %
    # vs 80.8 / 70.0 / 52.8 % within x2); the 92 % target of the issue is not reached.
    _, summary = ev.evaluate(kf21, ("node-out",))
    scores = {m: e["within_factor_2"] for m, e in summary["node-out"].items()}
    assert scores["best_network"] > max(v for m, v in scores.items() if m != "best_network")
    assert scores["best_network"] > 0.885


def _synthetic_results(deltas_by_method: dict, node_of_row) -> pd.DataFrame:
    parts = []
    for method, delta in deltas_by_method.items():
        n = len(delta)
        parts.append(
            pd.DataFrame(
                {
                    "protocol": "node-out",
                    "fold": [f"node{k}" for k in node_of_row],
                    "method": method,
                    "row": np.arange(n),
                    "mstar_msun": 0.8,
                    "teq_k": 700.0,
                    "feuv_cgs": 100.0,
                    "r_re": 2.0,
                    "m_me": 5.0,
                    "lambda_k": 30.0,
                    "regime": 0,
                    "log_mdot_true": 9.0,
                    "log_mdot_pred": 9.0 + np.asarray(delta),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def test_node_bias_removed_score_is_the_within_node_scatter():
    # node 0 is off by a constant +0.5 dex (outside x2), node 1 by +-0.2 around -0.4: once each
    # node's mean error is subtracted all rows of node 0 are exact and node 1's lie at +-0.2
    node = np.array([0, 0, 0, 1, 1])
    delta = np.array([0.5, 0.5, 0.5, -0.2, -0.6])
    summary = ev.summarise(_synthetic_results({"a": delta}, node))
    entry = summary["node-out"]["a"]
    assert entry["within_factor_2"] == pytest.approx(1 / 5)
    assert entry["within_factor_2_node_bias_removed"] == pytest.approx(1.0)
    assert "missed_by_every_method" not in summary  # one method: nothing to compare


def test_missed_by_every_method_lists_only_common_misses():
    node = np.zeros(4, int)
    deltas = {"a": np.array([1.2, -1.5, 0.1, 2.0]), "b": np.array([-1.1, 0.3, 1.4, 1.01])}
    summary = ev.summarise(_synthetic_results(deltas, node))
    missed = summary["missed_by_every_method"]["node-out"]
    assert len(missed) == 2  # rows 0 and 3; row 1 and 2 are each reached by one method
    assert [m["delta_by_method"]["b"] for m in missed] == pytest.approx([-1.1, 1.01])
