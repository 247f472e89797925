"""Training: Adam on the mean negative log-likelihood (Baumeister et al. 2020, Eq. 8), early stopping
and learning-rate reduction on the validation loss, deterministic seed, optional time budget.

Minibatches of one epoch run inside one compiled `lax.scan`; the best model on the validation
loss is kept (as Keras' EarlyStopping(restore_best_weights) would do).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax

from planetinfer.interior import data as D
from planetinfer.interior import heads, mdn
from planetinfer.interior.support import support_header
from planetinfer.interior.transforms import MAX_DIM


@dataclass(frozen=True)
class TrainSettings:
    """Optimiser and stopping rules (ExoMDN release: Adam 1e-3, patience 8, LR x0.1 after 4)."""

    seed: int = 0
    batch_size: int = 512
    learning_rate: float = 1e-3
    max_epochs: int = 200
    patience: int = 8
    lr_factor: float = 0.3
    lr_patience: int = 3
    min_learning_rate: float = 1e-6
    max_seconds: float = float("inf")
    # global-norm gradient clipping (None: off). Full-covariance mixtures give occasional huge
    # gradients (a component collapsing on a few rows); unclipped, the resulting loss spikes
    # trigger learning-rate reductions long before the network has converged
    clip_norm: float | None = None

    def to_json(self) -> dict:
        out = asdict(self)
        out["max_seconds"] = None if np.isinf(self.max_seconds) else self.max_seconds
        return out


@dataclass
class TrainResult:
    model: mdn.InteriorMDN
    history: list = field(default_factory=list)
    domain: dict = field(default_factory=dict)
    seconds: float = 0.0
    best_epoch: int = 0
    best_val_nll: float = float("nan")
    stopped: str = ""


def normalisation(config: mdn.MDNConfig, x_raw: np.ndarray, targets: np.ndarray):
    """Feature mean/sd and per-block target mean/sd from the training rows."""
    feats = np.asarray(mdn.input_features(x_raw, config.inputs), dtype=np.float64)
    x_shift, x_scale = feats.mean(0), feats.std(0) + 1e-6
    dims = heads.block_dims(config.representation)
    y_shift = np.zeros((len(dims), MAX_DIM))
    y_scale = np.ones((len(dims), MAX_DIM))
    rep = config.representation
    for b, dim in enumerate(dims):
        if rep == "patterns":
            rows = np.rint(targets[:, 0]) == b
            values = targets[rows, 1 : 1 + dim]
        elif rep == "exomdn":
            values = targets[:, :6]
        else:
            values = targets[:, b : b + 1]
        if values.shape[0] > 1:
            y_shift[b, :dim] = values.mean(0)
            y_scale[b, :dim] = values.std(0) + 1e-6
    return x_shift, x_scale, y_shift, y_scale


def domain_of(config: mdn.MDNConfig, x_raw: np.ndarray) -> dict:
    """Training-domain box of the raw inputs: {name: [min, max]} in Earth units / K."""
    return {
        name: [float(x_raw[:, i].min()), float(x_raw[:, i].max())]
        for i, name in enumerate(config.inputs)
    }


def _adam(clip_norm: float | None):
    """Adam, after global-norm gradient clipping when clip_norm is given."""

    def make(learning_rate):
        if clip_norm is None:
            return optax.adam(learning_rate)
        return optax.chain(optax.clip_by_global_norm(clip_norm), optax.adam(learning_rate))

    return make


def _loss(model, x, t):
    total, _ = mdn.log_prob(model, x, t)
    return -jnp.mean(total)


@eqx.filter_jit
def _epoch(model, opt_state, optimiser, xb, tb):
    """One pass over minibatches xb (n_b, B, n_in), tb (n_b, B, T); returns mean training loss."""
    params, static = eqx.partition(model, eqx.is_inexact_array)

    def step(carry, batch):
        params, opt_state = carry
        loss, grads = jax.value_and_grad(lambda p: _loss(eqx.combine(p, static), *batch))(params)
        updates, opt_state = optimiser.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), loss

    (params, opt_state), losses = jax.lax.scan(step, (params, opt_state), (xb, tb))
    return eqx.combine(params, static), opt_state, jnp.mean(losses)


@eqx.filter_jit
def _nll_sum(model, x, t):
    total, conditional = mdn.log_prob(model, x, t)
    return -jnp.sum(total), -jnp.sum(conditional)


def mean_nll(model, x_raw, targets, chunk: int = 512) -> tuple[float, float]:
    """Mean NLL (total, conditional) over rows, evaluated in fixed-size padded chunks."""
    n = x_raw.shape[0]
    sums = np.zeros(2)
    for start in range(0, n, chunk):
        xs, ts = x_raw[start : start + chunk], targets[start : start + chunk]
        pad = chunk - xs.shape[0] if n > chunk else 0
        if pad:
            xs = np.concatenate([xs, np.repeat(xs[-1:], pad, 0)])
            ts = np.concatenate([ts, np.repeat(ts[-1:], pad, 0)])
        a, b = _nll_sum(model, jnp.asarray(xs, jnp.float32), jnp.asarray(ts, jnp.float32))
        if pad:  # remove the padded rows' contribution
            ea, eb = _nll_sum(model, jnp.asarray(xs[-1:]), jnp.asarray(ts[-1:]))
            a, b = a - pad * ea, b - pad * eb
        sums += [float(a), float(b)]
    return sums[0] / n, sums[1] / n


def prepare(dataset: D.DataSet, config: mdn.MDNConfig, part: str):
    """(x_raw (n, n_in), targets (n, T)) of one split, rows the representation can model."""
    frame = dataset.part(part)
    targets, keep = D.targets_array(frame, config.representation, config.envelope)
    return D.inputs_array(frame, config.inputs)[keep], targets[keep]


def train(dataset: D.DataSet, config: mdn.MDNConfig, settings: TrainSettings, progress=None,
          init: mdn.InteriorMDN | None = None, checkpoint=None):  # fmt: skip
    """Fit a network on dataset's train split, early-stopping on its validation split.

    progress: optional callable(epoch, train_loss, val_loss, learning_rate).
    init: optional trained network to continue from (its config and normalisation are kept).
    checkpoint: optional interior.checkpoint.Checkpoint, saved after every epoch and resumed
    from when it holds an earlier run of the same training.
    """
    start_time = time.perf_counter()
    x_train, t_train = prepare(dataset, config, "train")
    x_val, t_val = prepare(dataset, config, "val")
    if init is None:
        norm = normalisation(config, x_train, t_train)
        model = mdn.init_model(config, jax.random.PRNGKey(settings.seed), *norm)
    else:
        model = init
    optimiser = optax.inject_hyperparams(_adam(settings.clip_norm))(
        learning_rate=settings.learning_rate
    )
    opt_state = optimiser.init(eqx.filter(model, eqx.is_inexact_array))
    rng = np.random.default_rng(settings.seed)
    batch = min(settings.batch_size, x_train.shape[0])
    n_batches = x_train.shape[0] // batch
    best = (np.inf, model, 0)
    since_best = since_lr = 0
    lr = settings.learning_rate
    result = TrainResult(model=model, domain=domain_of(config, x_train))
    first_epoch = 1
    saved = None if checkpoint is None else checkpoint.load((model, opt_state, model))
    if saved is not None:
        state, (model, opt_state, best_model) = saved
        best = (state["best_val_nll"], best_model, state["best_epoch"])
        since_best, since_lr, lr = state["since_best"], state["since_lr"], state["learning_rate"]
        rng.bit_generator.state = state["rng_state"]
        result.history = state["history"]
        opt_state.hyperparams["learning_rate"] = jnp.asarray(lr)
        start_time -= state["elapsed_s"]  # the time budget counts every session of the run
        first_epoch = state["epoch"] + 1
    for epoch in range(first_epoch, settings.max_epochs + 1):
        order = rng.permutation(x_train.shape[0])[: n_batches * batch].reshape(n_batches, batch)
        model, opt_state, train_loss = _epoch(
            model, opt_state, optimiser, jnp.asarray(x_train[order], jnp.float32),
            jnp.asarray(t_train[order], jnp.float32),
        )  # fmt: skip
        val_loss = mean_nll(model, x_val, t_val)[0]
        result.history.append(
            [epoch, float(train_loss), val_loss, lr, time.perf_counter() - start_time]
        )
        if progress is not None:
            progress(epoch, float(train_loss), val_loss, lr)
        if val_loss < best[0] - 1e-4:
            best, since_best, since_lr = (val_loss, model, epoch), 0, 0
        else:
            since_best += 1
            since_lr += 1
        if since_best >= settings.patience:
            result.stopped = f"early stopping after {settings.patience} epochs without improvement"
            break
        if since_lr >= settings.lr_patience and lr > settings.min_learning_rate:
            lr = max(lr * settings.lr_factor, settings.min_learning_rate)
            opt_state.hyperparams["learning_rate"] = jnp.asarray(lr)
            since_lr = 0
        if checkpoint is not None:
            checkpoint.save({"epoch": epoch, "best_val_nll": float(best[0]),
                             "best_epoch": best[2], "since_best": since_best,
                             "since_lr": since_lr, "learning_rate": lr,
                             "rng_state": rng.bit_generator.state, "history": result.history,
                             "elapsed_s": time.perf_counter() - start_time},
                            (model, opt_state, best[1]))  # fmt: skip
        if time.perf_counter() - start_time > settings.max_seconds:
            result.stopped = f"time budget of {settings.max_seconds:g} s reached"
            break
    else:
        result.stopped = f"max_epochs = {settings.max_epochs} reached"
    result.best_val_nll, result.model, result.best_epoch = best
    result.seconds = time.perf_counter() - start_time
    return result


TEQ_MARGINALISED = (
    "Teq is not an input of this network: trained on the same planets as the Teq networks, so "
    "its posterior is marginalised over the training prior of Teq."
)


def prior_absence(dataset: D.DataSet) -> dict:
    """Fractions of training planets without water / envelope (the prior the network learns)."""
    m, _ = D.fractions(dataset.part("train"))
    return {
        "p_no_water": float(np.mean(m[:, 2] == 0)),
        "p_no_envelope": float(np.mean(m[:, 3] == 0)),
    }


def train_and_save(dataset: D.DataSet, config: mdn.MDNConfig, settings: TrainSettings, out_dir,
                   name: str, command: str, progress=None, init=None):  # fmt: skip
    """Train, evaluate on the test split and write the model with its provenance header.

    init: optional store.LoadedModel to continue training from (recorded in the header).
    """
    from planetinfer.interior import store
    from planetinfer.interior.checkpoint import Checkpoint

    budget = ("max_epochs", "max_seconds")  # may change between sessions of one run
    fingerprint = {"config": config.to_json(), "data": dataset.info.get("data", {}).get("sha256"),
                   "rows": dataset.info.get("rows_used"),
                   "settings": {k: v for k, v in settings.to_json().items() if k not in budget},
                   "init": None if init is None else init.header["weights_sha256"]}  # fmt: skip
    checkpoint = Checkpoint(out_dir, name, fingerprint)
    result = train(dataset, config, settings, progress, None if init is None else init.model,
                   checkpoint)  # fmt: skip
    x_test, t_test = prepare(dataset, config, "test")
    test_nll = mean_nll(result.model, x_test, t_test)
    header = {
        **support_header(dataset, config, result.domain),  # interior/support.py
        "inputs": list(config.inputs),
        "input_units": {
            "mass": "M_E (log10 inside)",
            "radius": "R_E (log10 inside)",
            "teq": "K",
            "k2": "fluid Love number",
        },  # fmt: skip
        "domain": result.domain,
        "seed": settings.seed,
        "training": settings.to_json(),
        "command": command,
        "data": dataset.info,
        "rows": {part: int(np.sum(dataset.split == part)) for part in ("train", "val", "test")},
        "status_filter": "trained on rows with status == 0 only (failed structure solutions "
        "excluded), core and mantle present",
        "prior_absence": prior_absence(dataset),
        "teq_note": None if "teq" in config.inputs else TEQ_MARGINALISED,
        "history_columns": ["epoch", "train_nll", "val_nll", "learning_rate", "elapsed_s"],
        "history": result.history,
        "best_epoch": result.best_epoch,
        "best_val_nll": result.best_val_nll,
        "test_nll": {"total": test_nll[0], "conditional": test_nll[1]},
        "stopped": result.stopped,
        "training_seconds": result.seconds,
        "seconds_per_epoch": _seconds_per_epoch(result.history),
    }
    if init is not None:
        header["initialised_from"] = {
            "path": str(init.path), "weights_sha256": init.header["weights_sha256"],
            "command": init.header.get("command"), "history": init.header.get("history"),
            "training_seconds": init.header.get("training_seconds"),
        }  # fmt: skip
    path = store.save(result.model, out_dir, name, header)
    checkpoint.remove()  # the run is complete: its model is saved
    return path, result, header


def _seconds_per_epoch(history: list) -> float:
    """Median wall time of the epochs after the first (which includes compilation)."""
    if len(history) < 3:
        return float("nan")
    return float(np.median(np.diff([row[4] for row in history[1:]])))
