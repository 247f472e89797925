"""The characterise report as one self-contained HTML file: figures embedded as PNG data, no
external URL, opens offline. The same numbers as the JSON report (docs/characterise.md)."""

from __future__ import annotations

import base64
import html
import io

CITATIONS = (
    "Baumeister et al. 2020, ApJ 889, 42 (interior networks); Baumeister & Tosi 2023, A&A 676, "
    "A106 (ExoMDN)",
    "planetinfer's monotone mass-radius-flux relation (docs/mrf.md), after Ma & Ghosh 2021, "
    "MNRAS 506, 3697; Zeng et al. 2019, PNAS 116, 9723 (Earth-like anchor)",
    "Kubyshkina et al. 2018, A&A 619, A151; Kubyshkina & Fossati 2021, RNAAS 5, 74 "
    "(hydrodynamic grid, CC BY-NC 4.0); Reza et al. 2025, A&A 694, A88 (MLink)",
    "Lopez & Fortney 2014, ApJ 792, 1 (envelope radius); Owen & Wu 2017, ApJ 847, 29 and "
    "Sanz-Forcada et al. 2011, A&A 532, A6 (stellar XUV history)",
    "NASA Exoplanet Archive PSCompPars, doi:10.26133/NEA13",
)


def figure_data(fig) -> str:
    """A matplotlib figure as a PNG data URI (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _fmt(x, digits: int = 3) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, (int, float)):
        return f"{x:.{digits}g}"
    return html.escape(str(x))


def _interval(q: dict | None, digits: int = 3) -> str:
    if not q:
        return "n/a"
    return f"{_fmt(q['p50'], digits)} [{_fmt(q['p16'], digits)}, {_fmt(q['p84'], digits)}]"


def _table(rows, header) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _inputs(report: dict) -> str:
    i = report["inputs"]
    rows = []
    for key, unit in (("mass", "M_E"), ("radius", "R_E"), ("teq", "K"), ("flux", "S_E"),
                      ("k2", "")):  # fmt: skip
        v = i.get(key)
        if v:
            error = f"+{_fmt(v['err'])} / -{_fmt(v['err_lower'])}"
            rows.append([key, f"{_fmt(v['value'], 4)} {unit}", error, _fmt(v["source"])])
    rows += [["stellar mass", f"{_fmt(i['mstar'])} M_sun", "", ""],
             ["stellar luminosity", f"{_fmt(i['lstar_lsun'])} L_sun", "", ""],
             ["semi-major axis", f"{_fmt(i['a_au'])} AU", "", ""],
             ["stellar age", f"{_fmt(i['age_gyr']['value'])} Gyr", "", _fmt(i["age_gyr"]["source"])]]  # fmt: skip
    return _table(rows, ["input", "value", "error", "source"])


def _interior(report: dict) -> str:
    interior = report["interior"]
    if interior["status"] != "ok":
        return f"<p class='flag'>No interior posterior: {_fmt(interior.get('reason'))}</p>"
    rows = []
    for layer in ("core", "mantle", "water", "envelope"):
        rows.append([layer, _interval(interior[f"{layer}_mass_fraction"]),
                     _interval(interior[f"{layer}_radius_fraction"])])  # fmt: skip
    text = _table(rows, ["layer", "mass fraction (median [16 %, 84 %])", "radius fraction"])
    return text + (f"<p>P(no water) = {_fmt(interior['p_no_water'])}, P(no H/He envelope) = "
                   f"{_fmt(interior['p_no_envelope'])}; in_domain = "
                   f"{_fmt(interior['in_domain'])}; network {_fmt(interior['model']['name'])}.</p>")  # fmt: skip


def _escape(report: dict) -> str:
    escape = report["escape"]
    stellar = escape["stellar"]
    text = (f"<p>F<sub>EUV</sub> at the orbit now: {_fmt(stellar['feuv_cgs'])} erg s<sup>-1</sup>"
            f" cm<sup>-2</sup> (age {_fmt(stellar['age_gyr'])} Gyr; {_fmt(stellar['xuv_history'])}"
            f"). Rates over: {_fmt(escape['basis'])}.</p>")  # fmt: skip
    if "reason" in escape:
        return text + f"<p class='flag'>{_fmt(escape['reason'])}</p>"
    rows = []
    for method, entry in escape["methods"].items():
        extra = ""
        if "in_domain_fraction" in entry:
            extra = f"{100 * entry['in_domain_fraction']:.0f} % of draws inside the grid"
        rows.append([method, _interval(entry["mdot_g_s"]), str(entry["n_defined"]), extra])
    return text + _table(rows, ["method", "Mdot [g/s] (median [16 %, 84 %])", "defined draws",
                                "domain"])  # fmt: skip


def _evolution(report: dict) -> str:
    evolution = report["evolution"]
    if "reason" in evolution:
        return f"<p class='flag'>{_fmt(evolution['reason'])}</p>"
    rows = []
    for method, entry in evolution["methods"].items():
        keeps = entry["p_envelope_at_gyr"]
        rows.append([method] + [_fmt(keeps[a]) for a in ("1", "5", "10")]
                    + [_interval(entry["lifetime_gyr"]), _fmt(entry["fraction_in_domain"])])  # fmt: skip
    text = _table(rows, ["method", "P(envelope) at 1 Gyr", "at 5 Gyr", "at 10 Gyr",
                         "remaining lifetime [Gyr] (if lost)", "rate calls in domain"])  # fmt: skip
    return text + (f"<p>{evolution['n_tracks']} posterior draws with an envelope, tracked from "
                   f"{_fmt(evolution['start_age_gyr'])} to {_fmt(evolution['end_age_gyr'])} Gyr "
                   "(n/a: before the present age).</p>")  # fmt: skip


def figures(result) -> dict:
    """{name: data URI} of the report's figures (only those the report has data for)."""
    from planetinfer.characterisation import curves
    from planetinfer.plots import characterisation as plots

    report, out = result.report, {}
    if report["interior"]["status"] == "ok":
        from planetinfer.plots import interior as interior_plots

        out["interior"] = figure_data(interior_plots.posterior_corner(
            result.posterior.rows[0], model=result.posterior.model)[0])
    out["mass_radius"] = figure_data(plots.mass_radius(report, curves.load())[0])
    if report["escape"].get("methods"):
        out["rates"] = figure_data(plots.rates(report)[0])
    if result.tracks:
        out["evolution"] = figure_data(plots.envelope_band(report, result.tracks)[0])
    return out


STYLE = """body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;
font-size:90%}th{background:#eee}.flag{color:#a40}img{max-width:100%}
footer{font-size:80%;color:#555}"""


def render(result, figures_data: dict | None = None) -> str:
    """The whole HTML document of one Characterisation."""
    report = result.report
    figs = figures(result) if figures_data is None else figures_data
    image = lambda key, alt: f"<img alt='{alt}' src='{figs[key]}'>" if key in figs else ""  # noqa: E731
    flags = "".join(f"<li>{html.escape(f['step'])}: {html.escape(f['message'])}</li>"
                    for f in report["flags"]) or "<li>none</li>"  # fmt: skip
    versions = ", ".join(f"{k} {html.escape(str(v))}" for k, v in report["versions"].items())
    citations = "".join(f"<li>{html.escape(c)}</li>" for c in CITATIONS)
    name = html.escape(report["planet"])
    mass = report["mass"]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name}: planetinfer report</title>
<style>{STYLE}</style></head><body>
<h1>{name}</h1>
<h2>Inputs</h2>{_inputs(report)}
<h2>Domain flags</h2><ul>{flags}</ul>
<h2>Mass</h2><p>{_interval(mass["quantiles"])} M<sub>E</sub>; {_fmt(mass["source"])}.</p>
{image("mass_radius", "mass-radius diagram")}
<h2>Interior</h2>{_interior(report)}{image("interior", "interior corner plot")}
<h2>Escape now</h2>{_escape(report)}{image("rates", "escape rates")}
<h2>Evolution</h2>{_evolution(report)}{image("evolution", "envelope evolution")}
<footer><p>planetinfer report, schema {report["schema"]}; {versions}; settings
{html.escape(str(report["settings"]))}.</p><p>Sources:</p><ul>{citations}</ul></footer>
</body></html>
"""
