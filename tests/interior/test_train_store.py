"""interior/data.py, train.py and store.py: split, training, save/load round trip, corruption."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from planetinfer.errors import InputError
from planetinfer.interior import data, predict, store


def test_split_is_deterministic_and_near_80_10_10():
    ids = np.arange(100_000)
    split = data.split_by_id(ids)
    assert np.array_equal(split, data.split_by_id(ids))
    shares = [np.mean(split == s) for s in ("train", "val", "test")]
    np.testing.assert_allclose(shares, [0.8, 0.1, 0.1], atol=0.005)  # binomial sd 0.001
    # a planet's split does not depend on which other planets are present
    assert np.array_equal(data.split_by_id(ids[5000:6000]), split[5000:6000])


def test_load_keeps_status_zero_rows_only(solved_planets):
    frame = solved_planets[0].copy()
    frame.loc[:9, "status"] = 3
    loaded = data.load(frame)
    assert loaded.info["rows"] == len(frame) and loaded.info["rows_used"] == len(frame) - 10
    assert np.all(loaded.frame["status"] == 0)


def test_load_rejects_missing_columns_and_directories(tmp_path, solved_planets):
    with pytest.raises(InputError, match="k2"):
        data.load(solved_planets[0].drop(columns=["k2"]))
    with pytest.raises(InputError, match="manifest.json"):
        data.load(tmp_path)


def test_training_lowers_validation_loss_and_records_provenance(tiny_model):
    path, result, header = tiny_model
    history = np.array(result.history)
    assert history[-1, 2] < history[0, 2]  # validation NLL went down
    assert header["seed"] == 0 and header["command"] == "pytest"  # the default seed
    assert header["inputs"] == ["mass", "radius", "teq"]
    assert len(header["weights_sha256"]) == 64 if "weights_sha256" in header else True
    saved = json.loads(path.read_text())
    assert saved["weights_sha256"] == store.sha256_file(path.parent / saved["weights_file"])


def test_save_load_round_trip_gives_identical_samples(tiny_model):
    path, result, _ = tiny_model
    loaded = store.load(path)
    x = np.array([[1.0, 1.0, 255.0], [5.0, 2.0, 800.0]])
    a = predict.sample_posterior(result.model, x, 500, seed=11)
    b = predict.sample_posterior(loaded.model, x, 500, seed=11)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


def test_corrupted_or_incompatible_files_give_clear_errors(tiny_model, tmp_path):
    path = tiny_model[0]
    copy = tmp_path / "m"
    shutil.copytree(path.parent, copy)
    weights = copy / "tiny.eqx"
    raw = bytearray(weights.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    weights.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="corrupted"):
        store.load(copy / "tiny.json")
    (copy / "tiny.json").write_text("{not json")
    with pytest.raises(InputError, match="not a readable JSON"):
        store.load(copy / "tiny.json")
    (copy / "tiny.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(InputError, match="format"):
        store.load(copy / "tiny.json")
    with pytest.raises(InputError, match="does not exist"):
        store.load(tmp_path / "absent.json")


def test_gradient_clipping_bounds_the_adam_moments():
    """clip_norm scales the gradient to that global norm before Adam: after one step the second
    moment is (1 - beta2) g^2 <= (1 - 0.999) clip_norm^2; without clipping it keeps the raw size."""
    import jax.numpy as jnp
    import optax

    from planetinfer.interior.train import _adam

    params = {"w": jnp.zeros(3)}
    grads = {"w": jnp.array([3.0e8, -4.0e8, 0.0])}  # global norm 5e8
    second_moments = {}
    for clip in (None, 2.0):
        optimiser = optax.inject_hyperparams(_adam(clip))(learning_rate=1e-3)
        state = optimiser.init(params)
        updates, state = optimiser.update(grads, state, params)
        assert np.all(np.abs(np.asarray(updates["w"])) <= 1e-3 * (1 + 1e-6))  # Adam's step size
        adam_state = state.inner_state if clip is None else state.inner_state[1]
        second_moments[clip] = float(np.max(adam_state[0].nu["w"]))
    assert second_moments[2.0] <= 1e-3 * 2.0**2 * (1 + 1e-6)
    assert second_moments[None] == pytest.approx(1e-3 * 4.0e8**2, rel=1e-5)


def test_a_killed_training_resumes_from_its_checkpoint(solved_planets, tmp_path):
    """Two epochs, a 'kill' (the checkpoint is kept), then the same run to four epochs: the same
    network and history as four epochs in one go (the generator state is in the checkpoint)."""
    import jax

    from planetinfer.interior import data, mdn, train
    from planetinfer.interior.checkpoint import Checkpoint

    dataset = data.load(solved_planets[0])
    config = mdn.MDNConfig(("mass", "radius"), width=16, depth=1, components=2)
    settings = train.TrainSettings(max_epochs=4, batch_size=64, patience=50)
    whole = train.train(dataset, config, settings, checkpoint=Checkpoint(tmp_path / "a", "n", {}))
    checkpoint = Checkpoint(tmp_path / "b", "n", {})
    train.train(dataset, config, train.TrainSettings(max_epochs=2, batch_size=64, patience=50),
                checkpoint=checkpoint)  # fmt: skip
    assert json.loads(checkpoint.header.read_text())["epoch"] == 2
    assert len(list((tmp_path / "b").glob("n.checkpoint-*.eqx"))) == 1
    resumed = train.train(dataset, config, settings, checkpoint=checkpoint)
    assert [row[:4] for row in resumed.history] == [row[:4] for row in whole.history]
    for a, b in zip(jax.tree_util.tree_leaves(whole.model), jax.tree_util.tree_leaves(resumed.model),
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    with pytest.raises(InputError, match="checkpoint of another training run"):
        train.train(dataset, config, settings, checkpoint=Checkpoint(tmp_path / "b", "n", {"x": 1}))
