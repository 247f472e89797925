// planetinfer web page: send a form to the JSON API, draw the answer (tables and SVG), no reload.
"use strict";

const LAYERS = ["core", "mantle", "water", "envelope"];
const COLOURS = {core: "#d62728", mantle: "#8c564b", water: "#1f77b4", envelope: "#17becf",
                 network: "#1f77b4", "energy-limited": "#ff7f0e", "core-powered": "#8c564b",
                 roche: "#7f7f7f", k18: "#bcbd22"};

function fmt(x, digits = 3) {
  if (x === null || x === undefined) return "n/a";
  if (typeof x === "boolean") return String(x);
  return Number(x).toPrecision(digits);
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElementNS(
    tag === "svg" || ["line", "rect", "text", "circle", "polyline", "g"].includes(tag)
      ? "http://www.w3.org/2000/svg" : "http://www.w3.org/1999/xhtml", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function table(header, rows) {
  const t = el("table");
  const head = el("tr");
  header.forEach(h => head.appendChild(el("th", {}, h)));
  t.appendChild(head);
  rows.forEach(r => {
    const tr = el("tr");
    r.forEach(c => tr.appendChild(el("td", {}, String(c))));
    t.appendChild(tr);
  });
  return t;
}

// intervals: [{label, q: {p2.5, p16, p50, p84, p97.5}, colour}] on a linear or log axis
function intervalPlot(intervals, {lo, hi, log = false, unit = ""}) {
  const width = 640, row = 26, left = 190, right = 20, height = intervals.length * row + 40;
  const svg = el("svg", {width, height, role: "img"});
  const t = v => log ? Math.log10(v) : v;
  const x = v => left + (t(v) - t(lo)) / (t(hi) - t(lo)) * (width - left - right);
  intervals.forEach((item, i) => {
    const y = 20 + i * row, q = item.q;
    svg.appendChild(el("text", {x: 4, y: y + 4, "font-size": 12}, item.label));
    if (!q) { svg.appendChild(el("text", {x: left, y: y + 4, "font-size": 12}, "n/a")); return; }
    svg.appendChild(el("line", {x1: x(q["p2.5"]), x2: x(q["p97.5"]), y1: y, y2: y,
                                stroke: item.colour, "stroke-width": 2}));
    svg.appendChild(el("line", {x1: x(q.p16), x2: x(q.p84), y1: y, y2: y,
                                stroke: item.colour, "stroke-width": 8, opacity: 0.6}));
    svg.appendChild(el("circle", {cx: x(q.p50), cy: y, r: 4, fill: "#000"}));
  });
  const axisY = height - 12;
  const ticks = log ? [] : [0, 0.25, 0.5, 0.75, 1].map(f => lo + f * (hi - lo));
  if (log) for (let e = Math.ceil(t(lo)); e <= Math.floor(t(hi)); e += 1) ticks.push(10 ** e);
  ticks.forEach(v => svg.appendChild(el("text", {x: x(v) - 10, y: axisY, "font-size": 10},
                                         log ? `1e${Math.round(Math.log10(v))}` : fmt(v, 2))));
  svg.appendChild(el("text", {x: width - 230, y: 12, "font-size": 10},
                     `thin: 95 %, thick: 68 %, dot: median ${unit}`));
  return svg;
}

function linePlot(series, {xlabel, ylabel, logx = false}) {
  const width = 640, height = 280, left = 60, bottom = 40;
  const svg = el("svg", {width, height, role: "img"});
  const xs = series.flatMap(s => s.x), ys = series.flatMap(s => s.y);
  const tx = v => logx ? Math.log10(v) : v;
  const [x0, x1] = [Math.min(...xs.map(tx)), Math.max(...xs.map(tx))];
  const [y0, y1] = [0, Math.max(...ys) * 1.05 || 1];
  const X = v => left + (tx(v) - x0) / (x1 - x0 || 1) * (width - left - 20);
  const Y = v => height - bottom - (v - y0) / (y1 - y0) * (height - bottom - 20);
  series.forEach((s, i) => {
    const points = s.x.map((v, j) => `${X(v)},${Y(s.y[j])}`).join(" ");
    svg.appendChild(el("polyline", {points, fill: "none", stroke: s.colour, "stroke-width": 2}));
    svg.appendChild(el("text", {x: width - 200, y: 20 + 14 * i, fill: s.colour, "font-size": 12}, s.label));
  });
  svg.appendChild(el("text", {x: width / 2 - 40, y: height - 8, "font-size": 12}, xlabel));
  svg.appendChild(el("text", {x: 4, y: 14, "font-size": 12}, ylabel));
  svg.appendChild(el("text", {x: left, y: height - bottom + 14, "font-size": 10}, fmt(logx ? 10 ** x0 : x0, 2)));
  svg.appendChild(el("text", {x: width - 50, y: height - bottom + 14, "font-size": 10}, fmt(logx ? 10 ** x1 : x1, 2)));
  svg.appendChild(el("text", {x: 4, y: Y(y1) + 4, "font-size": 10}, fmt(y1, 2)));
  return svg;
}

const RENDER = {
  interior(data, out) {
    const p = data.planets[0];
    out.appendChild(el("p", {}, `status ${p.status}; in_domain ${p.in_domain}; ` +
      `P(no water) ${fmt(p.p_no_water)}; P(no H/He envelope) ${fmt(p.p_no_envelope)}; ` +
      `network ${data.model.name}`));
    if (p.status !== "ok") return;
    const rows = [], intervals = [];
    for (const kind of ["mass", "radius"]) for (const layer of LAYERS) {
      const q = p[`${layer}_${kind}_fraction`];
      rows.push([`${layer} ${kind} fraction`, fmt(q.p50), fmt(q.p16), fmt(q.p84), fmt(q["p2.5"]), fmt(q["p97.5"])]);
      intervals.push({label: `${layer} ${kind} fraction`, q, colour: COLOURS[layer]});
    }
    out.appendChild(intervalPlot(intervals, {lo: 0, hi: 1}));
    out.appendChild(table(["fraction", "median", "16 %", "84 %", "2.5 %", "97.5 %"], rows));
  },
  mass(data, out) {
    const p = data.planets[0], q = p.mass_earth;
    out.appendChild(el("p", {id: "mass-median"}, `M = ${fmt(q.p50)} M_E (68 %: ${fmt(q.p16)}-${fmt(q.p84)}; ` +
      `95 %: ${fmt(q["p2.5"])}-${fmt(q["p97.5"])}); in_domain ${p.in_domain}`));
    out.appendChild(intervalPlot([{label: "mass [M_E]", q, colour: "#333"}],
                                 {lo: Math.max(q["p2.5"] / 2, 1e-2), hi: q["p97.5"] * 2, log: true, unit: "[M_E]"}));
  },
  escape(data, out) {
    const p = data.planets[0], rows = [], intervals = [];
    for (const m of ["network", "energy-limited", "core-powered", "roche", "k18"]) {
      const v = p[m].mdot_g_s;
      rows.push([m, v === null ? `undefined (${p[m].reason})` : fmt(v), m === "network" ? `in_domain ${p[m].in_domain}` : ""]);
      if (v !== null && v > 0) intervals.push({label: m, q: {"p2.5": v, p16: v, p50: v, p84: v, "p97.5": v}, colour: COLOURS[m]});
    }
    out.appendChild(el("p", {}, `Lambda ${fmt(p.jeans_parameter)}, R_roche / R_pl ${fmt(p.roche_radius_rpl)}, a ${fmt(p.inputs.a_au)} AU (${p.a_au_source})`));
    out.appendChild(table(["method", "Mdot [g/s]", ""], rows));
    const values = intervals.map(i => i.q.p50);
    if (values.length) out.appendChild(intervalPlot(intervals, {lo: Math.min(...values) / 10, hi: Math.max(...values) * 10, log: true, unit: "[g/s]"}));
  },
  evolve(data, out) {
    out.appendChild(el("p", {}, `stellar model: ${data.stellar_model}`));
    const rows = Object.entries(data.methods).map(([m, s]) => [m, fmt(s.envelope_lost_at_gyr), fmt(s.final_f_env), fmt(s.fraction_in_domain)]);
    out.appendChild(table(["method", "envelope lost at [Gyr]", "final f_env", "steps in domain"], rows));
    const series = Object.entries(data.tracks).map(([m, t]) => ({x: t.age_gyr, y: t.f_env, colour: COLOURS[m], label: m}));
    out.appendChild(linePlot(series, {xlabel: "age [Gyr]", ylabel: "envelope mass fraction", logx: true}));
  },
  characterise(data, out, body) {
    const q = data.mass.quantiles, i = data.interior;
    out.appendChild(el("p", {id: "characterise-mass"}, `M = ${fmt(q.p50)} [${fmt(q.p16)}, ${fmt(q.p84)}] M_E (${data.mass.source})`));
    out.appendChild(el("p", {}, `interior: ${i.status}; P(no H/He envelope) ${fmt(i.p_no_envelope)}`));
    const ev = data.evolution.methods || {};
    const rows = Object.entries(ev).map(([m, s]) => [m, fmt(s.p_envelope_at_gyr["1"]), fmt(s.p_envelope_at_gyr["5"]), fmt(s.p_envelope_at_gyr["10"])]);
    if (rows.length) out.appendChild(table(["method", "P(envelope) 1 Gyr", "5 Gyr", "10 Gyr"], rows));
    showReport(data, body);
  },
};

async function showReport(data, body) {
  const downloads = document.getElementById("downloads");
  downloads.textContent = "";
  const json = new Blob([JSON.stringify(data, null, 1)], {type: "application/json"});
  const jsonLink = el("a", {href: URL.createObjectURL(json), download: "report.json", id: "download-json"}, "report (JSON)");
  downloads.appendChild(jsonLink);
  const response = await fetch("/api/characterise/html", {method: "POST", headers: {"Content-Type": "application/json"}, body});
  if (!response.ok) return;
  const html = await response.text();
  const link = el("a", {href: URL.createObjectURL(new Blob([html], {type: "text/html"})),
                        download: `${data.planet.replace(/[^A-Za-z0-9]+/g, "_")}_report.html`, id: "download-html"}, "report (HTML)");
  downloads.appendChild(document.createTextNode(" "));
  downloads.appendChild(link);
  const frame = document.getElementById("report-frame");
  frame.srcdoc = html;
  frame.hidden = false;
}

function payload(form) {
  const body = {};
  for (const input of form.querySelectorAll("input")) {
    if (input.value === "") continue;
    body[input.name] = input.type === "number" ? Number(input.value) : input.value;
  }
  return body;
}

function describeError(status, data) {
  if (Array.isArray(data.detail)) return data.detail.map(d => `${d.field}: ${d.msg}`).join("; ");
  return data.detail || `request failed (${status})`;
}

async function submit(form) {
  const errorBox = document.getElementById(`${form.id}-error`);
  const out = document.getElementById(`${form.id}-result`);
  errorBox.textContent = "";
  out.textContent = "working...";
  const body = JSON.stringify(payload(form));
  const response = await fetch(form.dataset.api, {method: "POST", headers: {"Content-Type": "application/json"}, body});
  const data = await response.json();
  out.textContent = "";
  if (!response.ok) { errorBox.textContent = describeError(response.status, data); return; }
  (data.warnings || []).forEach(w => out.appendChild(el("p", {class: "warning"}, `warning: ${w}`)));
  RENDER[form.dataset.render](data, out, body);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-api]")) {
    form.addEventListener("submit", event => { event.preventDefault(); submit(form); });
    for (const link of form.querySelectorAll("a[data-fill]")) {
      link.addEventListener("click", event => {
        event.preventDefault();
        const values = JSON.parse(link.dataset.fill);
        for (const input of form.querySelectorAll("input")) if (input.name in values) input.value = values[input.name];
        submit(form);
      });
    }
  }
  const search = document.getElementById("planet-search");
  if (search) search.addEventListener("input", async () => {
    const response = await fetch(`/api/planets?q=${encodeURIComponent(search.value)}`);
    const list = document.getElementById("planet-names");
    list.textContent = "";
    for (const name of (await response.json()).planets) list.appendChild(el("option", {value: name}));
  });
});
