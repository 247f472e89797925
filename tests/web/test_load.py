"""A bounded load test of the live server on 127.0.0.1: 1,000 interior requests from 8 clients."""

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np

BODY = json.dumps({"mass": 8.41, "mass_err": 0.36, "radius": 2.733, "radius_err": 0.033,
                   "teq": 567.0, "samples": 10_000, "draws": 1000}).encode()  # fmt: skip


def _post(url: str) -> tuple[int, float]:
    request = urllib.request.Request(url, BODY, {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.status, time.perf_counter() - start


def test_thousand_requests_from_eight_clients_without_errors(live_server):
    url = f"{live_server}/api/interior"
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(_post, [url] * 1000))
    codes = [code for code, _ in results]
    latencies = np.array([seconds for _, seconds in results])
    assert codes == [200] * 1000
    print(f"load: p50 {1e3 * np.median(latencies):.0f} ms, p99 "
          f"{1e3 * np.percentile(latencies, 99):.0f} ms (8 clients)")  # fmt: skip
