"""Dense networks regressing log10 Mdot on the escape grid: the MLink-size net and our best net.

Both are ensembles (n >= 1) of equinox MLPs trained by our own code (optax), float32, on the
rows of a grid table (grid.load_grid). Prediction runs through fused.py (the ensemble folded
into one float32 forward pass); `forward_numpy` is the member-by-member reference. Inputs and outputs:

* `mlink`: Reza et al. 2025 (Sect. 4.2, Eq. 7): 6 raw inputs in this order
  [M* [M_sun], log10 Teq [K], a [AU], log10 F_EUV [erg/s/cm^2], R_pl [R_E], Lambda*K],
  3 x 8 tanh, a min-max scaled log10 Mdot output (209 parameters). Training deviates from the
  paper's (RMSprop, lr 1e-4, batch 32, 5000 epochs = 1.79 M steps, too slow on 2 CPU cores):
  Adam with cosine decay, batch 512, a few thousand steps (the `steps` setting).
* `physical`: standardised [M*, log10 Teq, log10 F_EUV, log10 R_pl, log10 Lambda, log10 K,
  log10 Lambda*K] (the previous best network).
* `scaled` (our best network, BEST_CONFIG): standardised [log10 Teq, log10 F_EUV, log10 R_pl,
  log10 Lambda, log10 K, log10 Lambda*K] and the target log10(Mdot / Mdot_EL), the ratio to the
  energy-limited rate (`target_offset`), i.e. a heating efficiency, standardised; a small
  ensemble of 3 x 32 tanh MLPs (chosen among the variants listed in docs/escape.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

# activation name -> NumPy function (the JAX one is looked up by _jax_activation when training)
ACTIVATIONS = {"tanh": np.tanh, "silu": lambda x: x / (1.0 + np.exp(-x))}

# Inputs per feature set: (query-table column, True if the input is its log10).
FEATURE_SPECS = {
    # MLink order and transforms (reference sheet §3.2)
    "mlink": (
        ("mstar_msun", False),
        ("teq_k", True),
        ("a_au", False),
        ("feuv_cgs", True),
        ("r_re", False),
        ("lambda_k", False),
    ),
    "physical": (
        ("mstar_msun", False),
        ("teq_k", True),
        ("feuv_cgs", True),
        ("r_re", True),
        ("lam", True),
        ("k_tidal", True),
        ("lambda_k", True),
    ),
    # No M* (and no a): the star reaches the models through F_EUV, Teq and the Roche
    # potential (K); leaving M* out does not degrade leave-one-node-out (docs/escape.md).
    "scaled": (
        ("teq_k", True),
        ("feuv_cgs", True),
        ("r_re", True),
        ("lam", True),
        ("k_tidal", True),
        ("lambda_k", True),
    ),
}

LOSSES = ("mse", "huber")

# What the network regresses: log10 Mdot itself, or its ratio to the energy-limited rate.
TARGETS = ("raw", "energy_limited")


def target_offset(table, target: str) -> np.ndarray:
    """log10 of the reference rate [g s^-1] that the network's output is added to, (n,).

    raw: 0. energy_limited: Mdot_EL = pi R_pl^3 F_EUV / (G M_pl K) (Erkaev et al. 2007 Eq. 1
    with eta = 1 and R_XUV = R_pl; formulas.energy_limited_rate) with the grid's constants
    (formulas.KF21, grid.KF21_UNITS), so the network learns log10 of a heating efficiency
    (Mdot / Mdot_EL) rather than a rate spanning 14 orders of magnitude.
    """
    n = len(np.asarray(table["r_re"]).reshape(-1))
    if target == "raw":
        return np.zeros(n)
    from planetinfer.escape.formulas import KF21, energy_limited_rate
    from planetinfer.escape.grid import KF21_UNITS as U

    r = np.asarray(table["r_re"], dtype=float).reshape(-1) * U.r_earth  # [m]
    m = np.asarray(table["m_me"], dtype=float).reshape(-1) * U.m_earth  # [kg]
    f = np.asarray(table["feuv_cgs"], dtype=float).reshape(-1) * 1e-3  # erg s^-1 cm^-2 -> W m^-2
    k = np.asarray(table["k_tidal"], dtype=float).reshape(-1)
    rate = energy_limited_rate(f, m, r, r, k, eta=1.0, const=KF21)  # [kg s^-1]
    return np.log10(rate * 1000.0)  # [g s^-1]


def linear_offset(table, features: str, target: str):
    """The target offset as an exact linear function of the feature-set inputs.

    Returns (coef (d,), intercept) with offset = raw_features(table) @ coef + intercept, fitted
    by least squares on the table's rows; raises ValueError if the feature set cannot express
    the offset to 1e-6 dex (e.g. energy_limited needs log F_EUV, log R, log Lambda, log Teq and
    log K, since log M_pl = log Lambda + log R_pl + log Teq + const). Lets fused.py add the
    offset inside the compiled forward pass.
    """
    logs = log_mask(features)  # only log10 inputs enter (a power law in the raw columns)
    x = raw_features(table, features)[:, logs]
    y = target_offset(table, target)
    design = np.column_stack([x, np.ones(len(y))])
    sol = np.linalg.lstsq(design, y, rcond=None)[0]
    misfit = float(np.max(np.abs(design @ sol - y))) if len(y) else 0.0
    coef = np.zeros(logs.size)
    coef[logs] = sol[:-1]
    if misfit > 1e-6:
        raise ValueError(
            f"target {target!r} is not linear in the inputs of feature set {features!r} "
            f"(misfit {misfit:.2g} dex)"
        )
    return coef, float(sol[-1])


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
    target: str = "raw"  # "raw": log10 Mdot; "energy_limited": log10(Mdot / Mdot_EL) (see TARGETS)
    weight_decay: float = 0.0  # decoupled weight decay (AdamW) per step, times the learning rate

    def __post_init__(self):
        if self.features not in FEATURE_SPECS:
            raise ValueError(f"features = {self.features!r} is not one of {tuple(FEATURE_SPECS)}")
        if self.target not in TARGETS:
            raise ValueError(f"target = {self.target!r} is not one of {TARGETS}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss = {self.loss!r} is not one of {LOSSES}")
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
BEST_CONFIG = NetworkConfig(features="scaled", target="energy_limited")


def raw_columns(table, features: str) -> np.ndarray:
    """The raw query columns (d, n) a feature set reads, float32, before any transform."""
    return np.stack(
        [np.asarray(table[c], dtype=np.float32).reshape(-1) for c, _ in FEATURE_SPECS[features]]
    )


def log_mask(features: str) -> np.ndarray:
    return np.array([log for _, log in FEATURE_SPECS[features]])


def raw_features(table, features: str) -> np.ndarray:
    """Network inputs (n, d) before normalisation, float64 (training)."""
    cols = [
        np.log10(np.asarray(table[c], dtype=float)) if log else np.asarray(table[c], dtype=float)
        for c, log in FEATURE_SPECS[features]
    ]
    return np.column_stack(cols)


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
        mean, std = x.mean(0), x.std(0)
        std = np.where(std > 1e-6 * (np.abs(mean) + 1.0), std, 1.0)  # constant column: no scaling
        return cls(tuple(mean), tuple(std), float(y.mean()), float(y.std()))


def _jax_activation(name: str):
    import jax
    import jax.numpy as jnp

    return {"tanh": jnp.tanh, "silu": jax.nn.silu}[name]


def _make_ensemble(config: NetworkConfig, n_in: int):
    import equinox as eqx
    import jax
    import jax.numpy as jnp

    import planetinfer._jaxconfig  # noqa: F401  (float64 physics; the network is float32)

    act = _jax_activation(config.activation)
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
    return len(FEATURE_SPECS[features])


def skeleton(config: NetworkConfig):
    """The ensemble's structure with shape/dtype leaves only (no computation), for
    `eqx.tree_deserialise_leaves`."""
    import equinox as eqx

    return eqx.filter_eval_shape(_make_ensemble, config, n_inputs(config.features))


def train_ensemble(x: np.ndarray, y: np.ndarray, config: NetworkConfig, progress=None):
    """Train the ensemble on normalised inputs x (n, d) and targets y (n,); MSE or Huber loss.

    Rows are padded to a multiple of 2048 (zero weight) so that folds of similar size share one
    compiled step. progress: optional callable(fraction_done).
    """
    import equinox as eqx
    import jax
    import jax.numpy as jnp
    import optax

    n = x.shape[0]
    n_pad = int(np.ceil(n / 2048) * 2048)
    xp = np.zeros((n_pad, x.shape[1]), np.float32)
    yp = np.zeros(n_pad, np.float32)
    xp[:n], yp[:n] = x, y
    ensemble = _make_ensemble(config, x.shape[1])
    params, static = eqx.partition(ensemble, eqx.is_array)
    schedule = optax.cosine_decay_schedule(config.learning_rate, config.steps, alpha=1e-2)
    opt = (
        optax.adamw(schedule, weight_decay=config.weight_decay)
        if config.weight_decay > 0
        else optax.adam(schedule)
    )
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
    act = ACTIVATIONS[activation]
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


def n_parameters(config: NetworkConfig, n_in: int = 6) -> int:
    """Trainable parameters per member (MLink Eq. 7: sum (m + 1) n; 209 for 6 -> 3 x 8 -> 1)."""
    sizes = [n_in] + [config.width] * config.depth + [1]
    return sum((m + 1) * k for m, k in zip(sizes[:-1], sizes[1:], strict=True))


def config_to_json(config: NetworkConfig) -> dict:
    return asdict(config)
