"""Speed of the theory of figures and of the WMH26 sampler; prints JSON.

Anchors (reference sheet Sect. 3.4, measured on a 2-core CPU): PyToF ToF4 N=1024 ~55 ms cold,
~17 ms warm-started; ToF7 ~180 ms; WMH26 ~20 s per sampler run per core. Targets (issue 5):
<= 5 ms per ToF4 profile (<= 10 ms ToF7) amortised over >= 64 profiles; <= 2 s per sampler run.

    python benchmarks/gravity_speed.py [--levels 1024] [--batch 64] [--runs 64] [--sampler-batch 8]
        [--skip-sampler] [--orders 4,7] [--planet uranus]

The sampler figure is the wall time of `run_pool` over `--runs` runs in a refilled pool of
`--sampler-batch` slots (steady state: finished slots are refilled, the pool shrinks on the final
drain), divided by the number of runs; compilation of every pool size is excluded. Set
XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1" for one core; then
the process CPU time (`cpu_*` fields) is the time on an idle core even when the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import jax
import numpy as np

from planetinfer.gravity import sampler as sm
from planetinfer.gravity import tof
from planetinfer.gravity.planets import get_planet

R, GM, P, RREF = 25362e3, 5.793951e15, 17.24 * 3600, 25559e3


def toy_profile(n):
    """Uranus-like toy profile of the reference sheet Sect. 3.4 (two jumps)."""
    x = np.linspace(1, 1 / n, n)
    return np.where(
        x >= 0.75,
        100 + 400 * (1 - x) ** 1.5,
        np.where(x >= 0.2, 1200 + 2500 * (0.75 - x), 6000 + 5000 * (0.2 - x)),
    )


def time_tof(order, n, batch, repeats=3):
    rng = np.random.default_rng(0)
    rho = toy_profile(n)[None] * (1 + 0.01 * rng.random((batch, 1)))
    kw = dict(radius_m=R, gm=GM, period_s=P, reference_radius_m=RREF, order=order)
    fig = tof.solve(rho, **kw)
    jax.block_until_ready(fig.j2n)
    cold, cold_cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        fig = tof.solve(rho, **kw)
        jax.block_until_ready(fig.j2n)
        cold.append(time.perf_counter() - t)
        cold_cpu.append(time.process_time() - c)
    x = 1 - np.arange(n) / n
    changed = rho * (1 + 0.01 * np.sin(3 * x))  # a 1 % smooth change (reference sheet 2.3)
    warm_fig = tof.solve(changed, s_init=fig.s, **kw)
    jax.block_until_ready(warm_fig.j2n)
    t = time.perf_counter()
    warm_fig = tof.solve(changed, s_init=fig.s, **kw)
    jax.block_until_ready(warm_fig.j2n)
    warm = time.perf_counter() - t
    return {
        "order": order,
        "levels": n,
        "batch": batch,
        "ms_per_profile_cold": 1e3 * min(cold) / batch,
        "cpu_ms_per_profile_cold": 1e3 * min(cold_cpu) / batch,
        "ms_per_profile_warm": 1e3 * warm / batch,
        "iterations_cold": float(fig.iterations[0]),
        "iterations_warm": float(warm_fig.iterations[0]),
        "profiles_per_s_cold": batch / min(cold),
        "J2": float(fig.j2n[0, 0]),
        "J4": float(fig.j2n[0, 1]),
        "nmoi": float(fig.nmoi[0]),
    }


def compile_pool_sizes(planet, cfg, batch):
    """Compile the epoch for every pool size the run can use (batch, then halving on drain)."""
    k = sm.planet_constants(planet, cfg.use_covariance)
    p, _ = sm._start(sm.run_key(0, 0), k.mass, k.radius, cfg.n_levels, cfg.delta_min)
    size = batch
    while size >= 1:
        slots = sm._stack([sm.new_slot(p, cfg.n_levels, cfg.order)] * size)
        jax.block_until_ready(sm.current_cost(slots, k, cfg))
        jax.block_until_ready(sm.run_epoch(slots, k, cfg)[1])
        size //= 2


def time_sampler(n, batch, runs, gradient="exact", planet_name="uranus"):
    """Amortised wall time per complete run (start to the stopping rule), compile excluded."""
    cfg = sm.SamplerConfig(n_levels=n, gradient=gradient)
    planet = get_planet(planet_name)
    compile_pool_sizes(planet, cfg, batch)
    t, c = time.perf_counter(), time.process_time()
    rec = sm.run_pool(planet, range(runs), 1, cfg, batch=batch)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    return {
        "planet": planet_name,
        "levels": n,
        "batch": batch,
        "runs": runs,
        "gradient": gradient,
        "seconds_per_run": dt / runs,
        "cpu_seconds_per_run": cpu / runs,  # process CPU time: robust on a shared machine
        "runs_per_s": runs / dt,
        "mean_epochs": float(np.mean(rec.epochs)),
        "max_epochs": int(np.max(rec.epochs)),
        "mean_steps": float(cfg.epoch_steps * np.mean(rec.epochs)),
        "ms_per_adam_step_per_run": 1e3 * dt / (cfg.epoch_steps * np.sum(rec.epochs)),
        "fraction_d2_below_9_at_stop": float(np.mean(rec.cost < 9.0)),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", type=int, default=1024)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--runs", type=int, default=64)
    ap.add_argument("--sampler-batch", type=int, default=8)
    ap.add_argument("--planet", default="uranus")
    ap.add_argument("--skip-sampler", action="store_true")
    ap.add_argument("--orders", default="4,7")
    args = ap.parse_args()
    out = {
        "device": str(jax.devices()[0]),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "anchors": {
            "pytof_tof4_n1024_ms_cold": 55,
            "pytof_tof4_n1024_ms_warm": 17,
            "pytof_tof7_n1024_ms": 180,
            "wmh26_seconds_per_run": 20,
            "source": "reference sheet gravity.md Sect. 3.4 (2-core CPU), WMH26 Sect. 2.2",
        },
        "tof": [time_tof(int(o), args.levels, args.batch) for o in args.orders.split(",")],
    }
    if not args.skip_sampler:
        out["sampler"] = time_sampler(
            args.levels, args.sampler_batch, args.runs, "exact", args.planet
        )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
