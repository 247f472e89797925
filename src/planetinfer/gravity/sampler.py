"""The agnostic density-profile sampler of Wirth, Morf & Helled (2026, WMH26), batched in JAX.

Algorithm (WMH26 Sect. 2, Listing 1, App. A): from a binary-subdivision start, Adam (learning
rate 0.08, Kingma & Ba defaults otherwise) minimises F = F1 + F2, with
  F1 = (J - J_obs)^T Cov^-1 (J - J_obs) over (J2, J4) (A.1; full covariance, or diagonal), and
  F2 = c (m_calc/M - 1)^2, c = 100 (A.2),
using the gradient  grad F1 + |grad F1| grad F2  (A.3: the mass gradient scaled by |grad F1|),
followed by the projection A.5 after every step. Before each epoch of 25 steps the run stops if the
exponential moving average of cost_e / cost_{e-1} is within 0.0005 of 1 (at most 120 epochs).

Gradient of F1: "exact" (default) differentiates through the converged ToF by the implicit
function theorem; the shape s and the adjoint lambda are carried from step to step (warm starts,
Anderson iterations to `step_tol` and `adjoint_tol`, at most `step_max_iter`). "linear" is WMH26 App. B (B.3-B.15):
dS_2n(1)/dp ~ [S_2n(z_0) - S_2n(z_1)] v with the exact derivative v of the profile.

Runs advance in a pool of `batch` slots; a slot whose run has stopped is refilled with the next
run, so every run is a pure function of (seed, run index, configuration).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from planetinfer.gravity import parameterisation as par
from planetinfer.gravity.planets import Planet
from planetinfer.gravity.tof import (
    _iterate,
    adjoint,
    figure_integrals,
    mass_integral,
    rotation_parameter,
)
from planetinfer.gravity.tof_adjoint import shape_transpose


@dataclass(frozen=True)
class SamplerConfig:
    """Hyperparameters; defaults are WMH26 Sect. 2.2 and App. A."""

    n_levels: int = 1024
    order: int = 4
    learning_rate: float = 0.08
    epoch_steps: int = 25
    max_epochs: int = 120
    mass_cost: float = 100.0  # c in A.2
    delta_min: float = 1.0  # kg m^-3 per level (A.5)
    convergence: float = 5e-4  # |EMA(cost ratio) - 1| threshold
    ema_decay: float = 0.5  # EMA constant (not given in WMH26; our choice)
    gradient: str = "exact"  # "exact" or "linear" (WMH26 App. B)
    use_covariance: bool = True  # False: diagonal sigma only
    step_tol: float = 1e-9  # per-step ToF tolerance (relative change of S_2n(1), warm-started)
    adjoint_tol: float = 1e-6  # per-step adjoint tolerance (max change / max |g|, warm-started)
    step_max_iter: int = 12
    adam_b1: float = 0.9
    adam_b2: float = 0.999
    adam_eps: float = 1e-8

    def __post_init__(self):
        if self.gradient not in ("exact", "linear"):
            raise ValueError(f"gradient = {self.gradient!r}; valid: 'exact', 'linear'")
        if self.n_levels < 8 or self.n_levels & (self.n_levels - 1):
            raise ValueError(f"n_levels = {self.n_levels} must be a power of two >= 8")

    def to_dict(self) -> dict:
        return asdict(self)


class Constants(NamedTuple):
    """Planet constants as arrays for the jitted step."""

    mass: jnp.ndarray
    radius: jnp.ndarray
    m_rot: jnp.ndarray
    ratio_powers: jnp.ndarray  # (R_m/R_ref)^(2n), n = 1, 2
    j_obs: jnp.ndarray  # (2,)
    inv_cov: jnp.ndarray  # (2, 2)


def planet_constants(planet: Planet, use_covariance: bool = True) -> Constants:
    cov = planet.covariance if use_covariance else np.diag(np.diag(planet.covariance))
    return Constants(
        jnp.asarray(planet.mass),
        jnp.asarray(planet.radius_mean),
        jnp.asarray(float(rotation_parameter(planet.period_s, planet.radius_mean, planet.gm))),
        jnp.asarray((planet.radius_mean / planet.reference_radius) ** np.array([2.0, 4.0])),
        jnp.asarray(planet.j_obs),
        jnp.asarray(np.linalg.inv(cov)),
    )


class Slot(NamedTuple):
    """State of one run in flight (batched: leading axis = slot)."""

    p: jnp.ndarray  # (N-1,) parameters
    mu: jnp.ndarray  # (N-1,) Adam first moment
    nu: jnp.ndarray  # (N-1,) Adam second moment
    t: jnp.ndarray  # () Adam step count
    s: jnp.ndarray  # (N, order) ToF shape (warm start)
    lam: jnp.ndarray  # (N, order) adjoint (warm start)


def normalised_density(p):
    """rho / rho_bar for parameters p: the alpha-scaled profile divided by its mean density."""
    rho_u = par.unscaled_profile(p)
    return rho_u / mass_integral(rho_u, 1.0 - jnp.arange(rho_u.shape[0]) / rho_u.shape[0])


def moments_cost(s, rho_hat, k: Constants, order: int):
    """F1 (A.1 with covariance) and J = (J2, J4) from the shape s; J_2n = -(R/Rref)^2n S_2n(1)."""
    big_s = figure_integrals(s, rho_hat, order)[1]
    j = -k.ratio_powers * big_s[0, 1:3]
    d = j - k.j_obs
    return d @ k.inv_cov @ d, j


def mass_cost(p, k: Constants, c: float):
    """F2 = c (m_calc/M - 1)^2 (A.2), m_calc the mass of the alpha = 1 profile."""
    return c * (par.profile_mass(par.unscaled_profile(p), k.radius) / k.mass - 1.0) ** 2


def linear_gradient(p, s, rho_hat, g_j, k: Constants, order: int):
    """WMH26 App. B surrogate of grad_p F1 (B.3-B.15), shape (N-1,).

    dS_2n(1)/dp_i ~ [S_2n(z_0) - S_2n(z_1)] v_i with v_i = sum_k (1/Delta rho_{k-1}) d rho_k/dp_i
    = (e^p/w)_i revcumsum(w/e^p)_i - (dm_calc/dp_i / m_calc) sum_j rho~_{j+1} w_j e^{-p_j}.
    """
    big_s = figure_integrals(s, rho_hat, order)[1]
    dj_coeff = -k.ratio_powers * (big_s[0, 1:3] - big_s[1, 1:3])
    w = par.weights(p.shape[0] + 1)
    e = jnp.exp(p)
    rho_u = par.unscaled_profile(p)
    m_calc, dm = jax.value_and_grad(lambda q: par.profile_mass(par.unscaled_profile(q), 1.0))(p)
    rev = jnp.cumsum((w / e)[::-1])[::-1]
    v = e / w * rev - dm / m_calc * jnp.sum(rho_u[1:] * w / e)
    return (g_j @ dj_coeff) * v


def slot_step(slot: Slot, k: Constants, cfg: SamplerConfig):
    """One Adam step + projection for one run; returns (new slot, cost F before the step)."""
    rho_hat, vjp_p = jax.vjp(normalised_density, slot.p)
    s, _, _ = _iterate(slot.s, rho_hat, k.m_rot, cfg.order, cfg.step_tol, cfg.step_max_iter)
    (f1, j), (g_s, g_r) = jax.value_and_grad(
        lambda s_, r_: moments_cost(s_, r_, k, cfg.order), argnums=(0, 1), has_aux=True
    )(s, rho_hat)
    lam = slot.lam
    if cfg.gradient == "exact":
        # structured transpose of the ToF Jacobian at s* (tof_adjoint.py): adjoint and rho part
        transpose, rho_cotangent = shape_transpose(s, rho_hat, k.m_rot, cfg.order)
        lam = adjoint(
            lambda x: (transpose(x),), g_s, cfg.adjoint_tol, cfg.step_max_iter, lam_init=slot.lam
        )
        g1 = vjp_p(g_r + rho_cotangent(lam))[0]
    else:
        g_j = 2.0 * k.inv_cov @ (j - k.j_obs)
        g1 = linear_gradient(slot.p, s, rho_hat, g_j, k, cfg.order)
    f2, g2 = jax.value_and_grad(mass_cost)(slot.p, k, cfg.mass_cost)
    g = g1 + jnp.linalg.norm(g1) * g2  # A.3
    t = slot.t + 1.0
    mu = cfg.adam_b1 * slot.mu + (1.0 - cfg.adam_b1) * g
    nu = cfg.adam_b2 * slot.nu + (1.0 - cfg.adam_b2) * g**2
    step = mu / (1.0 - cfg.adam_b1**t) / (jnp.sqrt(nu / (1.0 - cfg.adam_b2**t)) + cfg.adam_eps)
    p = par.project(slot.p - cfg.learning_rate * step, cfg.delta_min)
    return Slot(p, mu, nu, t, s, lam), f1 + f2


@partial(jax.jit, static_argnames=("cfg",))
def run_epoch(slots: Slot, k: Constants, cfg: SamplerConfig):
    """`epoch_steps` steps for every slot; returns (slots, cost after the epoch (B,))."""
    step = jax.vmap(lambda sl: slot_step(sl, k, cfg))

    def body(carry, _):
        new, _cost = step(carry)
        return new, None

    slots, _ = jax.lax.scan(body, slots, None, length=cfg.epoch_steps)
    return slots, current_cost(slots, k, cfg)


@partial(jax.jit, static_argnames=("cfg",))
def current_cost(slots: Slot, k: Constants, cfg: SamplerConfig):
    """F = F1 + F2 at the current parameters (B,), using the carried shapes."""

    def one(sl):
        rho_hat = normalised_density(sl.p)
        s, _, _ = _iterate(sl.s, rho_hat, k.m_rot, cfg.order, cfg.step_tol, cfg.step_max_iter)
        return moments_cost(s, rho_hat, k, cfg.order)[0] + mass_cost(sl.p, k, cfg.mass_cost)

    return jax.vmap(one)(slots)


@partial(jax.jit, static_argnames=("n_levels", "delta_min"))
def _start(key, mass, radius, n_levels: int, delta_min: float):
    return par.start_parameters(key, n_levels, mass, radius, delta_min)


def run_key(seed: int, run_index: int):
    """Deterministic key of one run: fold_in(PRNGKey(seed), run_index)."""
    return jax.random.fold_in(jax.random.PRNGKey(seed), run_index)


def new_slot(p, n_levels: int, order: int) -> Slot:
    zeros = jnp.zeros_like(p)
    state = jnp.zeros((n_levels, order))
    return Slot(p, zeros, zeros, jnp.asarray(0.0), state, state)


class RunRecord(NamedTuple):
    """Raw outcome of finished runs (leading axis = run)."""

    run_index: np.ndarray  # (R,) int
    rho_start: np.ndarray  # (R, N) [kg m^-3]
    rho_final: np.ndarray  # (R, N) [kg m^-3]
    alpha: np.ndarray  # (R,) final mass scaling
    shape: np.ndarray  # (R, N, order) final ToF shape (warm start for the final solve)
    epochs: np.ndarray  # (R,) epochs run
    converged: np.ndarray  # (R,) bool: stopped by the EMA rule (else hit max_epochs)
    cost: np.ndarray  # (R,) final F


def _stack(slots: list[Slot]) -> Slot:
    return Slot(*(jnp.stack(x) for x in zip(*slots, strict=True)))


def run_pool(
    planet: Planet, run_indices, seed: int, cfg: SamplerConfig, batch: int = 64, on_epoch=None
) -> RunRecord:
    """Run the sampler for the given run indices in a refilled pool of `batch` slots.

    on_epoch(finished_so_far, total) is called after every epoch (progress reporting).
    """
    run_indices = [int(r) for r in run_indices]
    k = planet_constants(planet, cfg.use_covariance)
    n, total = cfg.n_levels, len(run_indices)
    batch = max(1, min(batch, total))
    queue = list(run_indices)
    starts: dict[int, np.ndarray] = {}

    def fresh(run):
        p, rho = _start(run_key(seed, run), k.mass, k.radius, n, cfg.delta_min)
        starts[run] = np.asarray(rho)
        return new_slot(p, n, cfg.order)

    owner = [queue.pop(0) for _ in range(batch)]
    slots = _stack([fresh(r) for r in owner])
    cost_prev = np.array(current_cost(slots, k, cfg))
    epochs = np.zeros(batch, int)
    ema = np.full(batch, np.nan)
    active = np.ones(batch, bool)
    out = {key: [] for key in RunRecord._fields}
    while active.any():
        slots, cost = run_epoch(slots, k, cfg)
        cost = np.array(cost)
        epochs += 1
        ratio = cost / np.maximum(cost_prev, 1e-300)
        ema = np.where(np.isnan(ema), ratio, cfg.ema_decay * ema + (1 - cfg.ema_decay) * ratio)
        converged = (epochs >= 2) & (np.abs(ema - 1.0) < cfg.convergence)
        done = active & (converged | (epochs >= cfg.max_epochs) | ~np.isfinite(cost))
        cost_prev = cost
        if done.any():
            host = Slot(*(np.asarray(x) for x in slots))
            replacements = {}
            for i in np.flatnonzero(done):
                rho, alpha = par.density(jnp.asarray(host.p[i]), planet.mass, planet.radius_mean)
                out["run_index"].append(owner[i])
                out["rho_start"].append(starts.pop(owner[i]))
                out["rho_final"].append(np.asarray(rho))
                out["alpha"].append(float(alpha))
                out["shape"].append(host.s[i])
                out["epochs"].append(int(epochs[i]))
                out["converged"].append(bool(converged[i]))
                out["cost"].append(float(cost[i]))
                if queue:
                    owner[i] = queue.pop(0)
                    replacements[i] = fresh(owner[i])
                    epochs[i], ema[i] = 0, np.nan
                else:
                    active[i] = False
            if replacements:
                arrays = [np.array(x) for x in host]
                for i, sl in replacements.items():
                    for arr, val in zip(arrays, sl, strict=True):
                        arr[i] = np.asarray(val)
                slots = Slot(*(jnp.asarray(a) for a in arrays))
                fresh_cost = np.asarray(current_cost(slots, k, cfg))
                for i in replacements:
                    cost_prev[i] = fresh_cost[i]
        if not queue and 0 < active.sum() <= len(active) // 2:
            # drain phase: shrink the pool to the runs still going (power-of-two sizes bound the
            # number of compiled shapes); every slot costs the same, active or not
            keep = np.flatnonzero(active)
            size = 1 << int(np.ceil(np.log2(len(keep))))
            idx = np.concatenate([keep, np.repeat(keep[:1], size - len(keep))])
            slots = Slot(*(x[idx] for x in slots))
            owner = [owner[i] for i in idx]
            epochs, ema, cost_prev = epochs[idx], ema[idx], cost_prev[idx]
            active = np.arange(size) < len(keep)
        if on_epoch is not None:
            on_epoch(len(out["run_index"]), total)
    order = np.argsort(out["run_index"])
    return RunRecord(*(np.asarray(out[f])[order] for f in RunRecord._fields))
