"""Throughput, scaling and memory of `planetinfer synth generate`; prints one JSON object.

Sections (choose with --sections, default all):
  throughput  in-process end to end: --n planets, --prior planetinfer --model baumeister2020;
              the 1,000,000-planet time is extrapolated from the steady rate (parts after the
              first, which includes loading or compiling the kernel) and labelled as such.
  workers     the same job on a local Dask cluster with 1 and with 2 workers (speed-up).
  million     the target job itself, measured, not extrapolated: --million-n (1,000,000) planets,
              --prior planetinfer --model baumeister2020, parts of 50,000, 2 local workers.
  memory      peak RSS (getrusage of a fresh worker process) for parts of --rss-sizes planets.
  failures    status counts per built-in prior (its default envelope model) for --failure-n planets.
Target (issue 3): 1e6 planets in <= 15 min on the 2-core CPU; 2 workers >= 1.7x faster than 1.
Run: JAX_PLATFORMS=cpu python benchmarks/synth_throughput.py --sections throughput,workers
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RSS_SCRIPT = """
import json, sys
from planetinfer.synth.generate import PartTask, run_part
from planetinfer.synth.priors import load_prior
size, model, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
prior = load_prior("planetinfer")
task = PartTask(out, 0, 0, size, 1, prior.to_dict(), model, prior.envelope_model, min(size, 10000))
print(json.dumps(run_part(task)))
"""


def _generate(tmp: Path, name: str, **kwargs) -> dict:
    from planetinfer.synth.generate import generate

    start = time.perf_counter()
    summary = generate(out=tmp / name, progress=False, **kwargs)
    summary["end_to_end_s"] = time.perf_counter() - start
    return summary


def throughput(tmp: Path, args) -> dict:
    summary = _generate(tmp, "throughput", prior="planetinfer", n=args.n, model=args.model,
                        part_size=args.part_size)  # fmt: skip
    walls, cpus = summary["part_wall_s"], summary["part_cpu_s"]
    steady = (args.n - args.part_size) / sum(walls[1:]) if len(walls) > 1 else float("nan")
    cpu_per_planet = sum(cpus[1:]) / (args.n - args.part_size) if len(cpus) > 1 else float("nan")
    return {
        "n": args.n,
        "part_size": args.part_size,
        "end_to_end_s": summary["end_to_end_s"],
        "planets_per_s_end_to_end": args.n / summary["end_to_end_s"],
        "first_part_s_incl_kernel_load": walls[0],
        "planets_per_s_steady": steady,
        "extrapolated_1M_minutes": 1e6 / steady / 60.0,
        "cpu_s_per_planet_steady": cpu_per_planet,
        "cores_used_by_one_process": sum(cpus[1:]) / sum(walls[1:]) if len(walls) > 1 else None,
        # on 2 dedicated cores, both busy (e.g. 2 workers), at this CPU cost per planet
        "extrapolated_1M_minutes_2_dedicated_cores": 1e6 * cpu_per_planet / 2 / 60.0,
        "extrapolated": True,
        "status_counts": summary["status_counts"],
    }


def workers(tmp: Path, args) -> dict:
    results = {}
    for count in (1, 2):
        summary = _generate(tmp, f"workers{count}", prior="planetinfer", n=args.workers_n,
                            model=args.model, part_size=args.part_size, workers=count)  # fmt: skip
        results[count] = summary
    one, two = results[1]["end_to_end_s"], results[2]["end_to_end_s"]
    return {
        "n": args.workers_n,
        "part_size": args.part_size,
        "wall_s_1_worker": one,
        "wall_s_2_workers": two,
        "speedup_2_vs_1": one / two,
        "part_wall_s_1_worker": results[1]["part_wall_s"],
        "part_wall_s_2_workers": results[2]["part_wall_s"],
        "part_cpu_s_1_worker": results[1]["part_cpu_s"],
        "part_cpu_s_2_workers": results[2]["part_cpu_s"],
        "peak_rss_bytes_per_worker": results[2]["peak_rss_bytes"],
    }


def million(tmp: Path, args) -> dict:
    summary = _generate(tmp, "million", prior="planetinfer", n=args.million_n, model=args.model,
                        part_size=50_000, workers=2)  # fmt: skip
    return {
        "n": args.million_n,
        "part_size": 50_000,
        "workers": 2,
        "end_to_end_s": summary["end_to_end_s"],
        "end_to_end_min": summary["end_to_end_s"] / 60.0,
        "planets_per_s": args.million_n / summary["end_to_end_s"],
        "part_wall_s": summary["part_wall_s"],
        "peak_rss_bytes_per_worker": summary["peak_rss_bytes"],
        "status_counts": summary["status_counts"],
    }


def memory(tmp: Path, args) -> dict:
    out = {}
    for size in args.rss_sizes:
        directory = tmp / f"rss{size}"
        directory.mkdir()
        run = subprocess.run([sys.executable, "-c", RSS_SCRIPT, str(size), args.model, str(directory)],
                             capture_output=True, text=True, check=True)  # fmt: skip
        result = json.loads(run.stdout.strip().splitlines()[-1])
        out[str(size)] = {
            "peak_rss_mib": result["peak_rss_bytes"] / 2**20,
            "wall_s": result["wall_s"],
            "cpu_s": result["cpu_s"],
        }
    return out


def failures(tmp: Path, args) -> dict:
    out = {}
    for prior in ("baumeister2020", "exomdn", "planetinfer"):
        for envelope in dict.fromkeys([None, "cold"]):
            if prior == "baumeister2020" and envelope == "cold":
                continue  # its default is already the cold envelope
            summary = _generate(tmp, f"fail-{prior}-{envelope}", prior=prior, n=args.failure_n,
                                model=args.model, part_size=args.part_size, envelope=envelope)  # fmt: skip
            counts = summary["status_counts"]
            out[f"{prior}/{summary['envelope_model']}"] = {
                "n": args.failure_n,
                "status_counts": counts,
                "non_converged_fraction": counts.get(1, 0) / args.failure_n,
                "failed_fraction": summary["failure_fraction"],
            }
    return out


SECTIONS = {"throughput": throughput, "workers": workers, "million": million, "memory": memory,
            "failures": failures}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sections", default="throughput,workers,memory,failures")
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--part-size", type=int, default=10_000)
    parser.add_argument("--workers-n", type=int, default=20_000)
    parser.add_argument(
        "--rss-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10_000, 50_000]
    )
    parser.add_argument("--failure-n", type=int, default=10_000)
    parser.add_argument("--million-n", type=int, default=1_000_000)
    parser.add_argument("--model", default="baumeister2020")
    args = parser.parse_args()
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax

    report = {
        "benchmark": "synth_throughput",
        "model": args.model,
        "prior": "planetinfer",
        "device": str(jax.devices()[0]),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "target": "1e6 planets <= 15 min on 2 CPU cores; 2 workers >= 1.7x; GPU 1e6 < 2 min",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sections.split(","):
            start, load = time.perf_counter(), os.getloadavg()[0]
            report[name] = SECTIONS[name](Path(tmp), args)
            report[name]["section_wall_s"] = time.perf_counter() - start
            # the machine is shared: the 1-minute load average before and after the section
            report[name]["load_average_1min"] = [load, os.getloadavg()[0]]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
