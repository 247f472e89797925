"""EoS table benchmark: build time (cold, no disk cache), cached load time, evaluation throughput.

Prints one JSON object. Usage: python benchmarks/eos_tables.py [--n-points 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

BUILD = """
import time, json
t0 = time.perf_counter(); c0 = time.process_time()
from planetinfer.eos import library as L
out = {}
NAMES = ["core_table", "mantle_table", "ice_vii_table", "h_he_tfd_table", "h_he_envelope_table"]
for name in NAMES:
    t = time.perf_counter(); getattr(L, name)().values.block_until_ready()
    out[name] = round(time.perf_counter() - t, 3)
for m in ["fe", "mgsio3", "h2o"]:
    L.seager_table(m)
out["total_wall_s"] = round(time.perf_counter() - t0, 3)
out["total_cpu_s"] = round(time.process_time() - c0, 3)
print(json.dumps(out))
"""


def run_build(no_cache: bool) -> dict:
    env = dict(os.environ, JAX_PLATFORMS=os.environ.get("JAX_PLATFORMS", "cpu"))
    if no_cache:
        env["PLANETINFER_NO_CACHE"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", BUILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def evaluation_throughput(n_points: int) -> dict:
    import jax
    import jax.numpy as jnp
    import numpy as np

    from planetinfer.eos import library, tables

    table = library.core_table()
    rng = np.random.default_rng(0)
    log10_p = jnp.asarray(rng.uniform(9.0, 13.0, n_points))
    temperature = jnp.asarray(rng.uniform(300.0, 8000.0, n_points))
    batched = jax.jit(jax.vmap(tables.evaluate, in_axes=(None, 0, 0)))
    batched(table, log10_p, temperature)[0].block_until_ready()
    start = time.perf_counter()
    repeats = 5
    for _ in range(repeats):
        batched(table, log10_p, temperature)[0].block_until_ready()
    elapsed = (time.perf_counter() - start) / repeats
    return {"n_points": n_points, "seconds": elapsed, "evaluations_per_s": n_points / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-points", type=int, default=100_000)
    args = parser.parse_args()
    report = {
        "cold_build": run_build(no_cache=True),
        "cached_build": run_build(no_cache=False),
        "evaluate_core_table": evaluation_throughput(args.n_points),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
