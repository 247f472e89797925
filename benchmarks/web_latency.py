"""Latency of the local web server (planetinfer serve) on 127.0.0.1; prints JSON.

Starts `planetinfer serve` in a subprocess and measures: server start to first answer;
/api/interior for one planet with errors (1,000 draws x 10 samples), sequential requests
(targets: p50 <= 50 ms, p99 <= 200 ms on the 2-core CPU, server warm); the same under load
(1,000 requests from 8 concurrent clients); /api/characterise (target p50 <= 3 s).

Usage: python benchmarks/web_latency.py [--catalog PSCompPars.csv] [--requests 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np

INTERIOR = {"mass": 8.41, "mass_err": 0.36, "radius": 2.733, "radius_err": 0.033, "teq": 567.0,
            "samples": 10_000, "draws": 1000}  # fmt: skip
CHARACTERISE = {"mass": 8.41, "mass_err": 0.36, "radius": 2.733, "radius_err": 0.033,
                "teq": 567.0, "mstar": 0.182, "a_au": 0.01505}  # fmt: skip


def _post(url: str, body: dict) -> float:
    request = urllib.request.Request(url, json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})  # fmt: skip
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - start


def _stats(seconds) -> dict:
    ms = 1e3 * np.asarray(seconds)
    return {"n": int(ms.size), "p50_ms": float(np.median(ms)),
            "p99_ms": float(np.percentile(ms, 99)), "max_ms": float(ms.max())}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalog", default=None)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "planetinfer", "serve", "--port", str(port)]
    if args.catalog:
        command += ["--catalog", args.catalog]
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    start = time.perf_counter()
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                _post(f"{base}/api/interior", INTERIOR)
                break
            except OSError:
                time.sleep(0.05)
        first = time.perf_counter() - start
        for _ in range(20):  # warm
            _post(f"{base}/api/interior", INTERIOR)
        sequential = [_post(f"{base}/api/interior", INTERIOR) for _ in range(200)]
        with ThreadPoolExecutor(8) as pool:
            loaded = list(pool.map(lambda _: _post(f"{base}/api/interior", INTERIOR),
                                   range(args.requests)))  # fmt: skip
        _post(f"{base}/api/characterise", CHARACTERISE)
        characterise = [_post(f"{base}/api/characterise", CHARACTERISE) for _ in range(5)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    out = {
        "machine": {"cpus": os.cpu_count(), "load_average_1min": os.getloadavg()[0]},
        "start_to_first_answer_s": first,
        "interior_sequential": {**_stats(sequential), "target_p50_ms": 50, "target_p99_ms": 200},
        "interior_8_clients": _stats(loaded),
        "characterise": {**_stats(characterise), "target_p50_ms": 3000},
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
