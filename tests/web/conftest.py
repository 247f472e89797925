"""The web application with a tiny catalogue, a test client, and a live server for browsers."""

import socket
import threading
import time

import pandas as pd
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")

GJ1214B = {"pl_name": "GJ 1214 b", "pl_bmasse": 8.41, "pl_bmasseerr1": 0.36,
           "pl_bmasseerr2": -0.35, "pl_bmasselim": 0, "pl_bmassprov": "Mass", "pl_rade": 2.733,
           "pl_radeerr1": 0.033, "pl_radeerr2": -0.033, "pl_eqt": 567.0, "pl_insol": 17.2,
           "pl_orbsmax": 0.01505, "pl_orbper": 1.58, "st_mass": 0.182, "st_rad": 0.2162,
           "st_teff": 3101.0}  # fmt: skip


@pytest.fixture(scope="session")
def catalog(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "pscomppars.csv"
    pd.DataFrame([GJ1214B, {**GJ1214B, "pl_name": "GJ 1214 c"}]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def app(catalog):
    from planetinfer.web.app import create_app

    return create_app(catalog)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    return TestClient(app)


@pytest.fixture(scope="session")
def live_server(app):
    """The application served by uvicorn on 127.0.0.1 and a free port: its base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
