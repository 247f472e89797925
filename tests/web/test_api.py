"""The JSON API with FastAPI's test client: numbers equal the Python API, bad input names the
field, nothing crashes or leaks a traceback."""

import pytest

import planetinfer
from planetinfer import jsonout

EARTH = {"mass": 1.0, "radius": 1.0, "teq": 255.0, "mass_err": 0.01, "radius_err": 0.01,
         "samples": 2000, "draws": 200}  # fmt: skip


def test_interior_equals_the_python_api(client):
    response = client.post("/api/interior", json=EARTH)
    assert response.status_code == 200
    data = jsonout.loads_strict(response.text)
    expected = planetinfer.interior_posterior(1.0, 1.0, 255.0, mass_err=0.01, radius_err=0.01,
                                              samples=2000, draws=200).to_dict()  # fmt: skip
    assert data["planets"] == expected["planets"] and data["warnings"] == []


def test_mass_escape_evolve_equal_the_python_api(client):
    mass = client.post("/api/mass", json={"radius": 2.0, "flux": 100.0}).json()
    assert mass["planets"] == planetinfer.predict_mass(2.0, 100.0).to_dict()["planets"]
    body = {"mass": 9.0, "radius": 3.0, "mstar": 0.7, "teq": 1000.0, "feuv": 1e4, "a_au": 0.0151}
    escape = client.post("/api/escape", json=body).json()
    expected = planetinfer.escape_rate(9.0, 3.0, 0.7, 1000.0, 1e4, 0.0151).to_dict()
    assert escape["planets"] == expected["planets"]
    evolve = client.post("/api/evolve", json={"mass": 9.0, "envelope": 0.03, "mstar": 0.7,
                                              "a_au": 0.05}).json()  # fmt: skip
    assert set(evolve["tracks"]) == {"network", "energy-limited"}


def test_characterise_by_name_and_html_download(client):
    body = {"planet": "GJ 1214 b", "draws": 100, "samples": 1000, "tracks": 4}
    report = client.post("/api/characterise", json=body)
    assert report.status_code == 200 and report.json()["planet"] == "GJ 1214 b"
    page = client.post("/api/characterise/html", json=body)
    assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
    assert "https://" not in page.text and "GJ 1214 b" in page.text


def test_planet_search(client):
    assert client.get("/api/planets", params={"q": "gj1214"}).json()["planets"] == [
        "GJ 1214 b", "GJ 1214 c"]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "field", "status"),
    [("/api/interior", {**EARTH, "mass": -1.0}, "mass", 422),
     ("/api/interior", {**EARTH, "samples": 10**7}, "samples", 422),
     ("/api/interior", {**EARTH, "radius": 0.5}, "radius", 400),  # denser than pure iron
     ("/api/interior", {**EARTH, "mass": "abc"}, "mass", 422),
     ("/api/mass", {"radius": 2.0}, "flux", 422),
     ("/api/escape", {"mass": 9, "radius": 3, "mstar": 0.7, "teq": 1000, "feuv": -1}, "feuv", 422),
     ("/api/characterise", {"planet": "Nowhere 9 z"}, "planet", 400),
     ("/api/interior", {**EARTH, "path": "/etc/passwd"}, "path", 422)],
)  # fmt: skip
def test_bad_input_names_the_field(client, path, body, field, status):
    response = client.post(path, json=body)
    assert response.status_code == status
    text = response.text
    assert field in text and "Traceback" not in text


def test_large_bodies_are_refused(client):
    response = client.post("/api/interior", content="x" * 20_000,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 413


def test_pages_and_openapi_are_served(client):
    for path in ("/", "/interior", "/mass", "/escape", "/characterise", "/docs"):
        response = client.get(path)
        assert response.status_code == 200
        assert "https://" not in response.text and "http://" not in response.text
    schema = client.get("/openapi.json").json()
    assert {"/api/interior", "/api/mass", "/api/escape", "/api/characterise"} <= set(
        schema["paths"])  # fmt: skip
