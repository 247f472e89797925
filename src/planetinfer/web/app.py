"""The local web page: a FastAPI application over the same API functions as the CLI.

Pages (server-rendered Jinja2 templates, assets shipped in the package, no CDN) post their forms
to the JSON API with fetch and draw the answer without reloading. Every API answer is the Python
API's `to_dict()` plus `warnings` (the domain warnings in words). Bad input answers 422 (out of
the field's range, from the request schema) or 400 (physically impossible, from InputError),
naming the field; anything else answers 500 without a traceback. Requests are limited in size
and in sample counts; the server never reads a path given by a client (the catalogue is the one
given to `planetinfer serve`).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from planetinfer import __version__, jsonout
from planetinfer.errors import InputError
from planetinfer.web import schemas as S

MAX_BODY_BYTES = 16_384
PAGES = {"interior": "Interior", "mass": "Mass from radius and flux",
         "escape": "Escape and evolution", "characterise": "Characterise"}  # fmt: skip


def _web_dir() -> Path:
    return Path(str(resources.files("planetinfer.web")))


def _json(payload: dict, status: int = 200) -> Response:
    return Response(jsonout.dumps(payload), status_code=status, media_type="application/json")


def _field_of(message: str) -> str | None:
    """The field an InputError names ("radius (planet) = 0.5 R_E is ..." -> "radius")."""
    match = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", message)
    return match.group(1) if match else None


def _documented(schema: dict) -> dict:
    """{path: {method: {description, fields: [{name, type, range, default, description}]}}}."""
    components = schema.get("components", {}).get("schemas", {})
    out = {}
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            ref = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
                   .get("schema", {}).get("$ref", ""))  # fmt: skip
            model = components.get(ref.rsplit("/", 1)[-1], {})
            fields = []
            for name, prop in model.get("properties", {}).items():
                kinds = [a.get("type") for a in prop.get("anyOf", [prop]) if a.get("type")]
                bounds = [a for a in prop.get("anyOf", [prop]) if "type" in a][0] if kinds else prop
                low = bounds.get("exclusiveMinimum", bounds.get("minimum"))
                high = bounds.get("exclusiveMaximum", bounds.get("maximum"))
                fields.append({"name": name, "type": " or ".join(kinds),
                               "range": "" if low is None and high is None else f"{low} - {high}",
                               "default": prop.get("default", ""),
                               "required": name in model.get("required", []),
                               "description": prop.get("description", "")})  # fmt: skip
            op = {**op, "fields": fields}
            out.setdefault(path, {})[method] = op
    return out


def create_app(catalog=None) -> FastAPI:
    """The application; `catalog`: a PSCompPars CSV path for planet lookups, or None."""
    app = FastAPI(title="planetinfer", version=__version__, docs_url=None, redoc_url=None,
                  description="Characterise planets: interior, mass, escape, evolution.")  # fmt: skip
    app.mount("/static", StaticFiles(directory=_web_dir() / "static"), name="static")
    templates = Jinja2Templates(directory=str(_web_dir() / "templates"))
    table = None
    if catalog is not None:
        from planetinfer.catalog import read_pscomppars

        table = read_pscomppars(catalog, required=("pl_rade",))
    app.state.catalog = table

    @app.middleware("http")
    async def limit_size(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return _json({"detail": f"request body larger than {MAX_BODY_BYTES} bytes"}, 413)
        return await call_next(request)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return _json({"detail": str(error), "field": _field_of(str(error))}, 400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        details = [{"field": str(e["loc"][-1]) if e.get("loc") else None, "msg": e["msg"]}
                   for e in error.errors()]  # fmt: skip
        return _json({"detail": details}, 422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, error: Exception):
        return _json({"detail": f"internal error ({type(error).__name__})"}, 500)

    def page(name: str):
        def render(request: Request):
            return templates.TemplateResponse(
                request, f"{name}.html",
                {"pages": PAGES, "active": name, "version": __version__,
                 "has_catalog": table is not None},
            )  # fmt: skip

        return render

    app.get("/", response_class=HTMLResponse, include_in_schema=False)(page("interior"))
    for name in PAGES:
        app.get(f"/{name}", response_class=HTMLResponse, include_in_schema=False)(page(name))

    @app.post("/api/interior")
    def interior(body: S.InteriorRequest):
        """Interior posterior of one planet (planetinfer.interior_posterior)."""
        from planetinfer.api.interior import interior_posterior

        result = interior_posterior(body.mass, body.radius, body.teq, body.k2,
                                    mass_err=body.mass_err, radius_err=body.radius_err,
                                    teq_err=body.teq_err, k2_err=body.k2_err,
                                    samples=body.samples, draws=body.draws, seed=body.seed)  # fmt: skip
        payload = result.to_dict()
        planet = payload["planets"][0]
        warnings = []
        if not planet["in_domain"]:
            warnings.append("the inputs lie outside the region the network was trained on: the "
                            "posterior is an extrapolation (in_domain = false)")  # fmt: skip
        if planet["status"] != "ok":
            warnings.append(planet.get("reason", planet["status"]))
        return _json({**payload, "warnings": warnings})

    @app.post("/api/mass")
    def mass(body: S.MassRequest):
        """Mass from radius and flux (planetinfer.predict_mass)."""
        from planetinfer.api.mass import predict_mass

        result = predict_mass(body.radius, body.flux, body.radius_err, body.flux_err,
                              samples=body.samples, seed=body.seed)  # fmt: skip
        payload = result.to_dict()
        warnings = (
            []
            if payload["planets"][0]["in_domain"]
            else [
                "radius and flux lie outside the planets the relation was fitted to: extrapolated"
            ]
        )
        return _json({**payload, "warnings": warnings})

    @app.post("/api/escape")
    def escape(body: S.EscapeRequest):
        """Mass-loss rates of every method (planetinfer.escape_rate)."""
        from planetinfer.api.escape import escape_rate

        result = escape_rate(body.mass, body.radius, body.mstar, body.teq, body.feuv, body.a_au)
        payload = result.to_dict()
        warnings = (
            []
            if payload["planets"][0]["network"]["in_domain"]
            else [
                "network: the planet lies outside the hydrodynamic grid; its rate is extrapolated"
            ]
        )
        return _json({**payload, "warnings": warnings})

    @app.post("/api/evolve")
    def evolve(body: S.EvolveRequest):
        """Envelope evolution under the network and the energy-limited rate (planetinfer.evolve),
        with the tracks (age [Gyr], envelope fraction, radius [R_E]) for plotting."""
        from planetinfer.api.escape import evolve as run

        result = run(body.mass, body.envelope, body.mstar, body.a_au,
                     method="network,energy-limited", age_max_gyr=body.age_max_gyr)  # fmt: skip
        tracks = {m: {"age_gyr": t["age_gyr"].tolist(), "f_env": t["f_env"].tolist(),
                      "radius_re": t["r_p_re"].tolist()} for m, t in result.tracks.items()}  # fmt: skip
        return _json({**result.to_dict(), "tracks": tracks, "warnings": []})

    def _characterise(body: S.CharacteriseRequest):
        from planetinfer.api.characterise import characterise as run

        if body.planet:
            if table is None:
                raise InputError("planet: no catalogue is loaded (start with --catalog)")
            # the explicit values go along, so that one given beside a name is refused, not lost
            return run(body.planet, catalog=table, mass=body.mass, mass_err=body.mass_err,
                       radius=body.radius, radius_err=body.radius_err, teq=body.teq,
                       mstar=body.mstar, a_au=body.a_au, age_gyr=body.age_gyr, draws=body.draws,
                       samples=body.samples, tracks=body.tracks, seed=body.seed)  # fmt: skip
        return run(mass=body.mass, mass_err=body.mass_err, radius=body.radius,
                   radius_err=body.radius_err, teq=body.teq, mstar=body.mstar, a_au=body.a_au,
                   age_gyr=body.age_gyr, draws=body.draws, samples=body.samples,
                   tracks=body.tracks, seed=body.seed)  # fmt: skip

    @app.post("/api/characterise")
    def characterise(body: S.CharacteriseRequest):
        """The characterise report of one planet (planetinfer.characterise), as JSON."""
        report = _characterise(body).to_dict()
        return _json({**report, "warnings": [f["message"] for f in report["flags"]]})

    @app.post("/api/characterise/html", response_class=HTMLResponse)
    def characterise_html(body: S.CharacteriseRequest):
        """The same report as a self-contained HTML file (a download)."""
        result = _characterise(body)
        name = re.sub(r"[^A-Za-z0-9]+", "_", result.report["planet"]).strip("_") or "planet"
        return HTMLResponse(
            result.html(),
            headers={"Content-Disposition": f'attachment; filename="{name}_report.html"'},
        )

    @app.get("/api/planets")
    def planets(q: str = "", limit: int = 20):
        """Names of catalogue planets containing `q` (case and spaces ignored)."""
        if table is None:
            return _json({"planets": []})
        from planetinfer.catalog import normalise_name

        key = normalise_name(q[:100])
        names = table["pl_name"].astype(str)
        hits = [n for n in names if key in normalise_name(n)][: max(1, min(limit, 50))]
        return _json({"planets": hits})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        """The OpenAPI schema as a page (offline: no Swagger assets from a CDN)."""
        return templates.TemplateResponse(
            request, "docs.html",
            {"pages": PAGES, "active": None, "version": __version__,
             "paths": _documented(app.openapi())},
        )  # fmt: skip

    @app.get("/api/health")
    def health():
        return _json({"status": "ok", "version": __version__, "catalog": table is not None})

    return app
