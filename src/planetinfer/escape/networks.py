"""Dense networks regressing log10 Mdot on the escape grid: the MLink-size net and our best net.

Both are ensembles (n >= 1) of equinox MLPs trained by our own code (optax), float32, on the
rows of a grid table (grid.load_grid). Prediction runs in numpy on the extracted weights, so a
batched call costs no JAX dispatch. Inputs and outputs:

* `mlink`: Reza et al. 2025 (Sect. 4.2, Eq. 7): 6 raw inputs in this order
  [M* [M_sun], log10 Teq [K], a [AU], log10 F_EUV [erg/s/cm^2], R_pl [R_E], Lambda*K],
  3 x 8 tanh, a min-max scaled log10 Mdot output (209 parameters). Training deviates from the
  paper's (RMSprop, lr 1e-4, batch 32, 5000 epochs = 1.79 M steps, too slow on 2 CPU cores):
  Adam with cosine decay, batch 512, a few thousand steps (the `steps` setting).
* `physical`: standardised [M*, log10 Teq, log10 F_EUV, log10 R_pl, log10 Lambda, log10 K,
  log10 Lambda*K], a standardised output, a small ensemble of wider tanh MLPs (our design,
  chosen among the variants listed in docs/escape.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pandas as pd

FEATURE_SETS = ("mlink", "physical")
ACTIVATIONS = {"tanh": (jnp.tanh, np.tanh), "silu": (jax.nn.silu, lambda x: x / (1.0 + np.exp(-x)))}


@dataclass(frozen=True)
class NetworkConfig:
    """Hyper-parameters of one network family; recorded in the model header."""

    features: str = "physical"
    width: int = 32
    depth: int = 3
    activation: str = "tanh"
    n_ensemble: int = 3
    steps: int = 4000
    batch: int = 512
    learning_rate: float = 3e-3
    seed: int = 0
    loss: str = "huber"  # "mse" (MLink) or "huber" (delta = 0.05 standardised units)

    def __post_init__(self):
        if self.features not in FEATURE_SETS:
            raise ValueError(f"features = {self.features!r} is not one of {FEATURE_SETS}")
        if self.loss not in ("mse", "huber"):
            raise ValueError(f"loss = {self.loss!r} is not one of ('mse', 'huber')")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation = {self.activation!r} is not one of {list(ACTIVATIONS)}")


MLINK_CONFIG = NetworkConfig(
    features="mlink",
    width=8,
    depth=3,
    activation="tanh",
    n_ensemble=1,
    steps=6000,
    batch=512,
    learning_rate=3e-3,
    loss="mse",
)
HUBER_DELTA = 0.05
BEST_CONFIG = NetworkConfig()


def raw_features(table: pd.DataFrame, features: str) -> np.ndarray:
    """Network inputs (n, 6) (mlink) or (n, 7) (physical) before normalisation."""
    if features == "mlink":  # MLink order and transforms (reference sheet §3.2)
        cols = [
            table["mstar_msun"],
            np.log10(table["teq_k"]),
            table["a_au"],
            np.log10(table["feuv_cgs"]),
            table["r_re"],
            table["lambda_k"],
        ]
    else:
        cols = [
            table["mstar_msun"],
            np.log10(table["teq_k"]),
            np.log10(table["feuv_cgs"]),
            np.log10(table["r_re"]),
            np.log10(table["lam"]),
            np.log10(table["k_tidal"]),
            np.log10(table["lambda_k"]),
        ]
    return np.column_stack([np.asarray(c, dtype=float) for c in cols])


@dataclass(frozen=True)
class Normalisation:
    """x_n = (x - x_shift) / x_scale, y_n = (y - y_shift) / y_scale (MLink: min-max, y only)."""

    x_shift: tuple
    x_scale: tuple
    y_shift: float
    y_scale: float

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, features: str) -> Normalisation:
        if features == "mlink":  # raw inputs; MinMaxScaler on log10 Mdot
            return cls(
                (0.0,) * x.shape[1], (1.0,) * x.shape[1], float(y.min()), float(y.max() - y.min())
            )
        return cls(tuple(x.mean(0)), tuple(x.std(0)), float(y.mean()), float(y.std()))


def _make_ensemble(config: NetworkConfig, n_in: int):
    act = ACTIVATIONS[config.activation][0]
    keys = jax.random.split(jax.random.PRNGKey(config.seed), config.n_ensemble)

    def make(key):
        mlp = eqx.nn.MLP(
            n_in, "scalar", config.width, config.depth, activation=act, key=key, dtype=jnp.float32
        )
        if config.features == "mlink":  # MLink: first layer RandomNormal(0, 1), zero biases
            k1, _ = jax.random.split(key)
            w0 = jax.random.normal(k1, mlp.layers[0].weight.shape, jnp.float32)
            mlp = eqx.tree_at(lambda m: m.layers[0].weight, mlp, w0)
            for i in range(len(mlp.layers)):
                mlp = eqx.tree_at(
                    lambda m, i=i: m.layers[i].bias, mlp, jnp.zeros_like(mlp.layers[i].bias)
                )
        return mlp

    return eqx.filter_vmap(make)(keys)


def n_inputs(features: str) -> int:
    return 6 if features == "mlink" else 7


def skeleton(config: NetworkConfig):
    """The ensemble's structure with shape/dtype leaves only (no computation), for
    `eqx.tree_deserialise_leaves`; fast at CLI cold start."""
    return eqx.filter_eval_shape(_make_ensemble, config, n_inputs(config.features))


def train_ensemble(x: np.ndarray, y: np.ndarray, config: NetworkConfig, progress=None):
    """Train the ensemble on normalised inputs x (n, d) and targets y (n,); MSE or Huber loss.

    Rows are padded to a multiple of 2048 (zero weight) so that folds of similar size share one
    compiled step. progress: optional callable(fraction_done).
    """
    n = x.shape[0]
    n_pad = int(np.ceil(n / 2048) * 2048)
    xp = np.zeros((n_pad, x.shape[1]), np.float32)
    yp = np.zeros(n_pad, np.float32)
    xp[:n], yp[:n] = x, y
    ensemble = _make_ensemble(config, x.shape[1])
    params, static = eqx.partition(ensemble, eqx.is_array)
    schedule = optax.cosine_decay_schedule(config.learning_rate, config.steps, alpha=1e-2)
    opt = optax.adam(schedule)
    state = jax.vmap(opt.init)(params)
    chunk = 500

    @jax.jit
    def run_chunk(params, state, key, xs, ys, n_rows):
        def loss(p, idx):
            model = eqx.combine(p, static)
            residual = jax.vmap(model)(xs[idx]) - ys[idx]
            if config.loss == "huber":  # robust: the score counts rows within x2, not squares
                return jnp.mean(optax.huber_loss(residual, delta=HUBER_DELTA))
            return jnp.mean(residual**2)

        def one_step(carry, step_key):
            params, state = carry
            keys = jax.random.split(step_key, config.n_ensemble)

            def member(p, s, k):
                idx = jax.random.randint(k, (config.batch,), 0, n_rows)
                grads = jax.grad(loss)(p, idx)
                updates, s = opt.update(grads, s, p)
                return optax.apply_updates(p, updates), s

            return jax.vmap(member)(params, state, keys), None

        (params, state), _ = jax.lax.scan(one_step, (params, state), jax.random.split(key, chunk))
        return params, state

    key = jax.random.PRNGKey(config.seed + 1)
    n_chunks = int(np.ceil(config.steps / chunk))
    for i in range(n_chunks):
        params, state = run_chunk(params, state, jax.random.fold_in(key, i), xp, yp, n)
        if progress is not None:
            progress((i + 1) / n_chunks)
    return eqx.combine(params, static)


def extract_weights(ensemble) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(W (E, out, in), b (E, out)), ...] per layer, float32 numpy."""
    return [
        (np.asarray(layer.weight, np.float32), np.asarray(layer.bias, np.float32))
        for layer in ensemble.layers
    ]


def forward_numpy(weights, x: np.ndarray, activation: str) -> np.ndarray:
    """Mean ensemble output (n,) for normalised inputs x (n, d); float32 numpy."""
    act = ACTIVATIONS[activation][1]
    x = np.asarray(x, np.float32)
    total = np.zeros(x.shape[0], np.float32)
    n_members = weights[0][0].shape[0]
    for e in range(n_members):
        h = x
        for i, (w, b) in enumerate(weights):
            h = h @ w[e].T + b[e]
            if i < len(weights) - 1:
                h = act(h)
        total += h.reshape(-1)
    return total / n_members


@partial(jax.jit, static_argnames="activation")
def _forward_jax(weights, x, activation: str):
    act = ACTIVATIONS[activation][0]
    h = jnp.broadcast_to(x, (weights[0][0].shape[0], *x.shape))
    for i, (w, b) in enumerate(weights):
        h = jnp.einsum("eni,eoi->eno", h, w) + b[:, None, :]
        if i < len(weights) - 1:
            h = act(h)
    return jnp.mean(h[..., 0], axis=0)


def forward(weights, x: np.ndarray, activation: str, jax_from: int = 4096) -> np.ndarray:
    """Mean ensemble output (n,), float32: numpy for small batches (no compile, no dispatch),
    one jitted XLA call (fused tanh, all cores) from `jax_from` rows up."""
    x = np.asarray(x, np.float32)
    if x.shape[0] < jax_from:
        return forward_numpy(weights, x, activation)
    w = tuple((jnp.asarray(wi), jnp.asarray(bi)) for wi, bi in weights)
    return np.asarray(_forward_jax(w, jnp.asarray(x), activation))


def n_parameters(config: NetworkConfig, n_in: int = 6) -> int:
    """Trainable parameters per member (MLink Eq. 7: sum (m + 1) n; 209 for 6 -> 3 x 8 -> 1)."""
    sizes = [n_in] + [config.width] * config.depth + [1]
    return sum((m + 1) * k for m, k in zip(sizes[:-1], sizes[1:], strict=True))


def config_to_json(config: NetworkConfig) -> dict:
    return asdict(config)
