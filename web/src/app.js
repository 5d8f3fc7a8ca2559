// The glocal dashboard (`glocal serve`): start runs of the scenarios the server offers, with their
// levers moved; watch their indicators stream in, as the mean over replicates with its 95 %
// interval; colour the world map by a per-nation indicator; browse results folders. Talks only to
// the server that served it (the cookie it set carries the token).
"use strict";

const COLORS = ["#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bf8700", "#0a7a8a", "#cf222e", "#57606a"];
// Student's t, 0.975 quantile, for 1..30 degrees of freedom (then the normal's 1.96).
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
// The former federations of the Maddison data (data/maddison/README.md) are drawn on the
// territories of their successor states.
const SUCCESSORS = {
  SUN: ["ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA", "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"],
  CSK: ["CZE", "SVK"],
  YUG: ["BIH", "HRV", "MKD", "MNE", "SRB", "SVN"],
};
// The indicators drawn first when a scenario has them (a study's own come first in a study).
const HEADLINE = ["gini_ppp", "country_ratio_ppp", "underemployment", "poverty", "mean_income", "global_share", "overlap_ratio",
  "cultures", "integrity", "race_to_bottom", "in_program", "gini", "country_ratio"];
// Viridis, five stops.
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

const $ = (selector) => document.querySelector(selector);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
};

const state = {
  catalog: null,
  scenario: null,        // /api/scenario of the selected scenario
  runs: new Map(),       // id -> run (live, or loaded from a results folder)
  metricUnits: new Map(),
  flows: new Set(),      // metrics measured over the last tick: nothing to draw at tick 0
  shown: [],             // metrics drawn
  charts: new Map(),     // metric -> uPlot
  latticeViews: new Map(), // run id -> its lattice figure
  world: null,           // the map's features, keyed by ISO alpha-3
  redrawPending: false,
  loadedCount: 0,
};

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: text }; }
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  return body;
}

function message(text, isError = false) {
  const box = $("#message");
  box.textContent = text;
  box.className = isError ? "error" : "";
}

function fmt(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const a = Math.abs(value);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

const COMPACT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });
function axisNumber(value) {
  const a = Math.abs(value);
  return a >= 1e4 ? COMPACT.format(value) : a !== 0 && a < 1e-3 ? value.toExponential(1) : String(Number(value.toPrecision(6)));
}

// ---------- statistics over replicates ----------

// Mean and 95 % interval of the values (nulls skipped); the interval is null for fewer than two.
function estimate(values) {
  const xs = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  if (xs.length === 0) return { mean: null, low: null, high: null, n: 0 };
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  if (xs.length < 2) return { mean, low: null, high: null, n: xs.length };
  const variance = xs.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (xs.length - 1);
  const t = xs.length - 1 <= T975.length ? T975[xs.length - 2] : 1.96;
  const half = t * Math.sqrt(variance / xs.length);
  return { mean, low: mean - half, high: mean + half, n: xs.length };
}

// A run's records: ticks in order, each with its replicates' metric vectors.
function newRun(id, info) {
  return {
    id, label: info.label || info.scenario, scenario: info.scenario, color: COLORS[(id - 1) % COLORS.length],
    metrics: info.metrics || [], placeMetrics: info.place_metrics || [], nations: info.nations || [],
    startYear: info.start_year ?? null, replicates: info.replicates || 1, ticks: info.ticks || 0,
    records: new Map(), // tick -> {year, byReplicate: Map(replicate -> metrics), nations: Map(replicate -> [[...]])}
    state: info.state || "running", out: info.out || null, error: "", loaded: !!info.loaded, source: null,
  };
}

function addRecord(run, event) {
  let record = run.records.get(event.tick);
  if (!record) {
    record = { year: event.year, byReplicate: new Map(), nations: new Map() };
    run.records.set(event.tick, record);
  }
  record.byReplicate.set(event.replicate, event.metrics);
  if (event.nations && event.nations.length) record.nations.set(event.replicate, event.nations);
}

function sortedTicks(run) { return [...run.records.keys()].sort((a, b) => a - b); }

function xOf(run, tick) {
  const record = run.records.get(tick);
  return record && record.year !== null && record.year !== undefined ? record.year : tick;
}

// The last tick every replicate has reached (for a run that ended: its last tick).
function latestCompleteTick(run) {
  const ticks = sortedTicks(run);
  for (let k = ticks.length - 1; k >= 0; --k) {
    if (run.records.get(ticks[k]).byReplicate.size >= run.replicates) return ticks[k];
  }
  return ticks.length ? ticks[ticks.length - 1] : null;
}

function metricEstimate(run, tick, metric) {
  const index = run.metrics.indexOf(metric);
  const record = run.records.get(tick);
  if (index < 0 || !record) return { mean: null, low: null, high: null, n: 0 };
  return estimate([...record.byReplicate.values()].map((m) => m[index]));
}

// ---------- charts ----------

function usesYears() {
  const runs = [...state.runs.values()];
  return runs.length > 0 && runs.every((r) => r.startYear !== null);
}

function chartData(metric) {
  const runs = [...state.runs.values()].filter((r) => r.metrics.includes(metric));
  const xs = new Set();
  for (const run of runs) for (const tick of run.records.keys()) xs.add(xOf(run, tick));
  const x = [...xs].sort((a, b) => a - b);
  const data = [x];
  const series = [{}];
  const bands = [];
  for (const run of runs) {
    const byX = new Map();
    for (const tick of run.records.keys()) {
      if (tick === 0 && state.flows.has(metric)) continue;
      byX.set(xOf(run, tick), metricEstimate(run, tick, metric));
    }
    const mean = x.map((v) => (byX.has(v) ? byX.get(v).mean : null));
    const low = x.map((v) => (byX.has(v) ? byX.get(v).low : null));
    const high = x.map((v) => (byX.has(v) ? byX.get(v).high : null));
    const base = data.length;
    data.push(mean, high, low);
    series.push({ label: run.label, stroke: run.color, width: 2, spanGaps: true, points: { show: x.length < 40 } });
    series.push({ label: `${run.label} (high)`, stroke: "transparent", spanGaps: true, points: { show: false } });
    series.push({ label: `${run.label} (low)`, stroke: "transparent", spanGaps: true, points: { show: false } });
    bands.push({ series: [base + 1, base + 2], fill: run.color + "33" });
  }
  return { data, series, bands, runs };
}

function hasValues(data) {
  return data.slice(1).some((column) => column.some((v) => v !== null && Number.isFinite(v)));
}

function drawCharts() {
  const box = $("#charts");
  for (const [metric, chart] of state.charts) {
    if (!state.shown.includes(metric)) { chart.destroy(); state.charts.delete(metric); }
  }
  box.replaceChildren();
  const years = usesYears();
  for (const metric of state.shown) {
    const unit = state.metricUnits.get(metric) || "";
    const panel = el("div", { class: "chart", dataset: { metric } }, el("h4", {}, unit ? `${metric} (${unit})` : metric));
    box.append(panel);
    const { data, series, bands, runs } = chartData(metric);
    if (runs.length === 0 || !hasValues(data)) {
      panel.append(el("div", { class: "empty" }, runs.length === 0 ? "No run yet." : "No values yet (this indicator is empty for these runs)."));
      if (state.charts.has(metric)) { state.charts.get(metric).destroy(); state.charts.delete(metric); }
      continue;
    }
    const width = Math.max(panel.clientWidth - 10, 300);
    const options = {
      width, height: 220, series, bands,
      scales: { x: { time: false } },
      axes: [
        { label: years ? "year" : "tick", size: 40, values: (u, splits) => splits.map((v) => String(v)) },
        { label: unit, size: 64, values: (u, splits) => splits.map(axisNumber) },
      ],
      legend: { show: false },
    };
    const previous = state.charts.get(metric);
    if (previous) previous.destroy();
    state.charts.set(metric, new uPlot(options, data, panel));
  }
  drawLatest();
  drawMap();
  drawLattices();
}

// The first locality's cultures in replicate 0 of each run that has them, at any of its records
// (a slider per run, following the latest until moved): the largest ten cultures in distinct
// colours, the others in greys. Figures are kept and updated, so a slider is not lost mid-drag.
const CULTURE_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
function paintLattice(view, frame) {
  const { side, cells, tick, year, cultures, locality } = frame;
  const scale = Math.max(1, Math.floor(280 / side));
  const { canvas } = view;
  if (canvas.width !== side * scale) { canvas.width = side * scale; canvas.height = side * scale; }
  const g = canvas.getContext("2d");
  cells.forEach((id, k) => {
    const grey = 90 + ((id * 37) % 120);
    g.fillStyle = id < CULTURE_COLORS.length ? CULTURE_COLORS[id] : `rgb(${grey},${grey},${grey})`;
    g.fillRect((k % side) * scale, Math.floor(k / side) * scale, scale, scale);
  });
  canvas.dataset.cultures = String(cultures);
  canvas.dataset.tick = String(tick);
  view.caption.textContent = `${view.label}: ${locality}, ${year ?? "tick " + tick}, ${cultures} culture${cultures === 1 ? "" : "s"}`;
}

function drawLattices() {
  const runs = [...state.runs.values()].filter((r) => r.lattices && r.lattices.length);
  $("#lattice-panel").hidden = runs.length === 0;
  const box = $("#lattices");
  for (const [id, view] of state.latticeViews) {
    if (!state.runs.has(id)) { view.figure.remove(); state.latticeViews.delete(id); }
  }
  for (const run of runs) {
    let view = state.latticeViews.get(run.id);
    if (!view) {
      const canvas = el("canvas", { class: "lattice", dataset: { run: String(run.id) } });
      const slider = el("input", { type: "range", min: 0, max: 0, step: 1, class: "lattice-time" });
      const caption = el("figcaption", {});
      view = { canvas, slider, caption, label: `${run.label} (${run.id})`, follow: true, figure: el("figure", {}, canvas, slider, caption) };
      slider.addEventListener("input", () => {
        view.follow = Number(slider.value) === run.lattices.length - 1;
        paintLattice(view, run.lattices[Number(slider.value)]);
      });
      state.latticeViews.set(run.id, view);
      box.append(view.figure);
    }
    view.slider.max = run.lattices.length - 1;
    if (view.follow) view.slider.value = view.slider.max;
    paintLattice(view, run.lattices[Number(view.slider.value)]);
  }
}

function scheduleRedraw() {
  if (state.redrawPending) return;
  state.redrawPending = true;
  requestAnimationFrame(() => { state.redrawPending = false; drawCharts(); drawRuns(); });
}

function drawLatest() {
  const table = $("#latest");
  const runs = [...state.runs.values()];
  table.replaceChildren();
  if (runs.length === 0) return;
  const head = el("tr", {}, el("th", {}, "indicator"));
  for (const run of runs) head.append(el("th", {}, `${run.label} (${run.id})`));
  table.append(head);
  for (const metric of state.shown) {
    const row = el("tr", {}, el("td", {}, metric));
    for (const run of runs) {
      const tick = latestCompleteTick(run);
      const e = tick === null ? { mean: null } : metricEstimate(run, tick, metric);
      const cell = el("td", { dataset: { run: String(run.id), metric, tick: String(tick ?? "") } }, fmt(e.mean));
      if (e.mean !== null) cell.dataset.value = String(e.mean);
      if (e.low !== null && e.low !== undefined) cell.title = `95 % interval ${fmt(e.low)} to ${fmt(e.high)} (${e.n} replicates)`;
      row.append(cell);
    }
    table.append(row);
  }
}

function drawMetricPicker() {
  const box = $("#metric-picker");
  box.replaceChildren();
  const all = [];
  for (const run of state.runs.values()) for (const m of run.metrics) if (!all.includes(m)) all.push(m);
  if (state.scenario) for (const m of state.scenario.metrics) if (!all.includes(m.name)) all.push(m.name);
  for (const metric of all) {
    const box_ = el("input", { type: "checkbox" });
    box_.checked = state.shown.includes(metric);
    box_.addEventListener("change", () => {
      state.shown = box_.checked ? [...state.shown, metric] : state.shown.filter((m) => m !== metric);
      scheduleRedraw();
    });
    box.append(el("label", { title: state.metricUnits.get(metric) || "" }, box_, " " + metric));
  }
}

// ---------- runs ----------

function drawRuns() {
  const list = $("#runs");
  list.replaceChildren();
  for (const run of state.runs.values()) {
    const ticks = sortedTicks(run);
    const reached = ticks.length ? ticks[ticks.length - 1] : 0;
    const item = el("li", { dataset: { id: String(run.id), state: run.state, out: run.out || "" } },
      el("span", { class: "swatch", style: `background:${run.color}` }), `${run.label} `,
      el("span", { class: "state" }, run.loaded ? "loaded" : `${run.state} · tick ${reached}/${run.ticks}`));
    const actions = el("div", { class: "row" });
    if (run.state === "running") actions.append(el("button", { type: "button", class: "small", onclick: () => act(run, "pause") }, "pause"));
    if (run.state === "paused") actions.append(el("button", { type: "button", class: "small", onclick: () => act(run, "resume") }, "resume"));
    if (run.state === "running" || run.state === "paused") {
      actions.append(el("button", { type: "button", class: "small", onclick: () => act(run, "stop") }, "stop"));
    }
    actions.append(el("button", { type: "button", class: "small", onclick: () => { state.runs.delete(run.id); drawMetricPicker(); scheduleRedraw(); } }, "hide"));
    item.append(actions);
    if (run.state === "done" && run.out) item.append(el("div", { class: "note" }, `written to ${run.out}`));
    if (run.state === "stopped") item.append(el("div", { class: "note" }, "stopped: nothing written"));
    if (run.error) item.append(el("div", { class: "error" }, run.error));
    list.append(item);
  }
  fillMapRuns();
}

async function act(run, action) {
  try {
    const status = await api(`api/runs/${run.id}/${action}`, { method: "POST" });
    run.state = status.state;
    drawRuns();
  } catch (e) { message(e.message, true); }
}

function follow(run) {
  const source = new EventSource(`api/runs/${run.id}/events`);
  run.source = source;
  source.onmessage = (m) => {
    const event = JSON.parse(m.data);
    if (event.type === "start") {
      Object.assign(run, { metrics: event.metrics, placeMetrics: event.place_metrics, nations: event.nations,
        startYear: event.start_year, replicates: event.replicates, ticks: event.ticks, out: event.out });
      drawMetricPicker();
    } else if (event.type === "record") {
      addRecord(run, event);
    } else if (event.type === "lattice") {
      (run.lattices ||= []).push(event);
    } else if (event.type === "replicate" && event.status === "failed") {
      run.error = `replicate ${event.replicate} failed: ${event.error}`;
    } else if (event.type === "end") {
      run.state = event.state;
      if (event.error) run.error = event.error;
      if (event.state !== "done") run.out = null;
      source.close();
      if (event.state === "done") refreshResults();
    }
    scheduleRedraw();
  };
  source.onerror = () => { if (run.state === "done" || run.state === "stopped" || run.state === "failed") source.close(); };
}

function leverValues() {
  const set = {};
  for (const row of document.querySelectorAll(".lever.moved")) set[row.dataset.key] = Number(row.querySelector("input[type=number]").value);
  return set;
}

async function startRun(scenarioName, set, label) {
  const replicates = Number($("#replicates").value);
  const body = { scenario: scenarioName, set, replicates };
  const status = await api("api/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const run = newRun(status.id, { scenario: scenarioName, label: label || scenarioName, replicates: status.replicates, ticks: status.ticks, out: status.out });
  state.runs.set(run.id, run);
  follow(run);
  drawRuns();
  return run;
}

// ---------- levers ----------

function drawLevers() {
  const box = $("#levers");
  box.replaceChildren();
  const groups = new Map();  // by the table that owns the key: run, demography, economy, ...
  for (const lever of state.scenario.levers) {
    const owner = lever.key.split(".")[0];
    if (!groups.has(owner)) {
      const group = el("details", { class: "lever-group", dataset: { owner } }, el("summary", {}, owner));
      groups.set(owner, group);
      box.append(group);
    }
    const finite = Number.isFinite(lever.min) && Number.isFinite(lever.max);
    const number = el("input", { type: "number", step: "any" });
    number.value = lever.value;
    if (lever.min !== undefined) number.min = lever.min;
    if (lever.max !== undefined) number.max = lever.max;
    const row = el("div", { class: "lever", dataset: { key: lever.key }, title: lever.description + (lever.applies_when ? ` Applies when ${lever.applies_when}.` : "") },
      el("div", { class: "name" }, lever.key + (lever.scheduled ? " (scheduled)" : "")));
    const inputs = el("div", { class: "inputs" });
    const mark = () => row.classList.toggle("moved", Number(number.value) !== lever.value);
    if (finite) {
      const range = el("input", { type: "range", min: lever.min, max: lever.max, step: (lever.max - lever.min) / 200 });
      range.value = lever.value;
      range.addEventListener("input", () => { number.value = range.value; mark(); });
      number.addEventListener("input", () => { range.value = number.value; mark(); });
      inputs.append(range);
    } else {
      number.addEventListener("input", mark);
    }
    inputs.append(number, el("span", { class: "note" }, lever.unit || ""));
    row.append(inputs);
    groups.get(lever.key.split(".")[0]).append(row);
  }
  for (const group of groups.values()) group.open = groups.size <= 2;
  if (state.scenario.levers.length === 0) box.append(el("p", { class: "note" }, "This scenario has no schedulable keys."));
}

async function selectScenario(name) {
  $("#scenario").value = name;
  try {
    state.scenario = await api(`api/scenario?name=${encodeURIComponent(name)}`);
  } catch (e) {
    state.scenario = null;
    $("#levers").replaceChildren();
    message(`${name}: ${e.message}`, true);
    return;
  }
  message("");
  $("#scenario-description").textContent = state.scenario.description || "";
  $("#replicates").value = state.scenario.replicates;
  for (const m of state.scenario.metrics) {
    state.metricUnits.set(m.name, m.unit);
    if (m.flow) state.flows.add(m.name);
  }
  for (const m of state.scenario.place_metrics) state.metricUnits.set(m.name, m.unit);
  if (state.shown.length === 0) {
    const study = state.catalog.study;
    const names = state.scenario.metrics.map((m) => m.name);
    const headline = HEADLINE.filter((m) => names.includes(m)).slice(0, 6);
    state.shown = study ? study.indicators.map((i) => i.metric).filter((m) => names.includes(m)) : headline.length ? headline : names.slice(0, 6);
  }
  drawLevers();
  drawMetricPicker();
  scheduleRedraw();
}

// ---------- the map ----------

async function loadWorld() {
  if (state.world) return state.world;
  const [atlas, codes] = await Promise.all([api("assets/countries-110m.json"), api("assets/iso-codes.json")]);
  const alpha3 = new Map(codes.map(([, a3, numeric]) => [numeric, a3]));
  const features = topojson.feature(atlas, atlas.objects.countries).features;
  for (const f of features) f.iso3 = alpha3.get(String(f.id)) || null;
  state.world = features;
  return features;
}

function fillMapRuns() {
  const select = $("#map-run");
  const runs = [...state.runs.values()].filter((r) => r.nations.length > 1 && r.placeMetrics.length > 0);
  $("#map-panel").hidden = runs.length === 0;
  const current = select.value;
  const options = runs.map((r) => el("option", { value: String(r.id) }, `${r.label} (${r.id})`));
  const same = select.options.length === options.length && [...select.options].every((o, k) => o.value === options[k].value);
  if (!same) {
    select.replaceChildren(...options);
    if (runs.some((r) => String(r.id) === current)) select.value = current;
    else if (runs.length) select.value = String(runs[runs.length - 1].id);
    fillMapMetrics();
  }
}

function fillMapMetrics() {
  const run = state.runs.get(Number($("#map-run").value));
  const select = $("#map-metric");
  if (!run) return;
  const current = select.value;
  select.replaceChildren(...run.placeMetrics.map((m) => el("option", { value: m }, m)));
  const preferred = ["income_ppp", "mean_income", "gini", "underemployment"].find((m) => run.placeMetrics.includes(m));
  select.value = run.placeMetrics.includes(current) ? current : preferred || run.placeMetrics[0];
}

function rampColor(t) {
  const x = Math.min(Math.max(t, 0), 1) * (RAMP.length - 1);
  const k = Math.min(Math.floor(x), RAMP.length - 2);
  const f = x - k;
  const c = RAMP[k].map((v, i) => Math.round(v + f * (RAMP[k + 1][i] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// The selected run's per-nation means of the indicator at the slider's tick.
function nationValues(run, metric) {
  const ticks = sortedTicks(run).filter((t) => run.records.get(t).nations.size > 0);
  const slider = $("#map-time");
  slider.max = Math.max(ticks.length - 1, 0);
  if (slider.dataset.follow !== "no") slider.value = slider.max;  // follows the run until moved
  const tick = ticks[Math.min(Number(slider.value), ticks.length - 1)];
  if (tick === undefined) return null;
  const record = run.records.get(tick);
  const index = run.placeMetrics.indexOf(metric);
  const values = run.nations.map((_, n) => estimate([...record.nations.values()].map((rows) => (rows[n] ? rows[n][index] : null))).mean);
  $("#map-time-label").textContent = `${record.year ?? "tick " + tick}`;
  return values;
}

async function drawMap() {
  const run = state.runs.get(Number($("#map-run").value));
  const metric = $("#map-metric").value;
  if (!run || !metric) return;
  const values = nationValues(run, metric);
  const canvas = $("#map");
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!values) return;
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  // A logarithmic scale where the values are positive and span more than a factor of 20 (incomes).
  const log = lo > 0 && hi / lo > 20;
  const position = (v) => (hi <= lo ? 0.5 : log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo));
  const colour = (v) => (v === null || !Number.isFinite(v) ? "#c9ced6" : rampColor(position(v)));
  const byName = new Map(run.nations.map((name, n) => [name, values[n]]));
  for (const [federation, successors] of Object.entries(SUCCESSORS)) {
    if (!byName.has(federation)) continue;
    for (const s of successors) if (!byName.has(s)) byName.set(s, byName.get(federation));
  }
  const geographic = run.nations.every((name) => /^[A-Z]{3}$/.test(name));
  $("#map-title").textContent = `${geographic ? "World map" : "Nations by bloc"}: ${metric}${state.metricUnits.get(metric) ? " (" + state.metricUnits.get(metric) + ")" : ""}`;
  if (geographic) {
    const features = await loadWorld();
    const projection = d3.geoNaturalEarth1().fitSize([canvas.width, canvas.height], { type: "Sphere" });
    const path = d3.geoPath(projection, context);
    context.beginPath(); path({ type: "Sphere" }); context.fillStyle = "#eef3f8"; context.fill();
    for (const f of features) {
      context.beginPath();
      path(f);
      context.fillStyle = f.iso3 && byName.has(f.iso3) ? colour(byName.get(f.iso3)) : "#e1e4e8";
      context.fill();
      context.strokeStyle = "#ffffff";
      context.lineWidth = 0.5;
      context.stroke();
    }
  } else {  // a synthetic or described world: one row of nations per bloc
    const blocs = state.scenario && state.scenario.nations.length === run.nations.length
      ? state.scenario.nations.map((n) => n.bloc) : run.nations.map(() => 0);
    const rows = Math.max(...blocs) + 1;
    const perRow = Math.max(...Array.from({ length: rows }, (_, b) => blocs.filter((x) => x === b).length));
    const w = canvas.width / perRow;
    const h = Math.min(canvas.height / rows, 80);
    const seen = new Array(rows).fill(0);
    context.font = "12px system-ui";
    run.nations.forEach((name, n) => {
      const b = blocs[n];
      const x = seen[b]++ * w;
      context.fillStyle = colour(values[n]);
      context.fillRect(x + 2, b * h + 2, w - 4, h - 4);
      context.fillStyle = "#fff";
      context.fillText(name, x + 6, b * h + 18);
    });
  }
  const legend = $("#legend");
  const bar = el("canvas", { class: "bar", width: 240, height: 10 });
  const g = bar.getContext("2d");
  for (let i = 0; i < 240; ++i) { g.fillStyle = rampColor(i / 239); g.fillRect(i, 0, 1, 10); }
  legend.replaceChildren(el("span", {}, fmt(lo)), bar, el("span", {}, fmt(hi)), el("span", { class: "note" }, `${log ? " logarithmic scale;" : ""} grey: no data`));
}

// ---------- results ----------

async function refreshResults() {
  try {
    const list = await api("api/results");
    const box = $("#results-list");
    box.replaceChildren(...list.map((r) => el("li", { dataset: { name: r.name }, onclick: () => openResults(r.name) },
      `${r.name}${r.kind === "study" ? " (study)" : ""}${r.complete ? "" : " (incomplete)"}`)));
  } catch (e) { message(e.message, true); }
}

function parseCsv(text) {
  const lines = text.trim().split("\n");
  const header = lines[0].split(",");
  return { header, rows: lines.slice(1).map((l) => l.split(",")) };
}

async function openResults(name) {
  for (const li of document.querySelectorAll("#results-list li")) li.classList.toggle("active", li.dataset.name === name);
  const view = $("#result-view");
  view.replaceChildren(el("p", { class: "note" }, "Loading…"));
  let folder;
  try { folder = await api(`api/results/${encodeURIComponent(name)}`); } catch (e) { view.replaceChildren(el("p", { class: "error" }, e.message)); return; }
  const m = folder.manifest || {};
  const link = (file) => `api/results/${encodeURIComponent(name)}/file?path=${encodeURIComponent(file)}`;
  const summary = folder.kind === "study" ? el("p", { class: "note" }, "A study's output: its report, tables and figures, and a results folder per scenario.") : el("table", {},
    ...[["scenario", m.scenario && m.scenario.name], ["complete", String(m.complete)], ["runs", m.runs], ["replicates", m.replicates],
      ["points", m.points], ["started", m.started_at], ["wall seconds", m.wall_seconds], ["glocal", `${m.glocal_version} (${m.git_commit})`],
      ["command", Array.isArray(m.command_line) ? m.command_line.join(" ") : m.command_line]]
      .map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", { style: "text-align:left" }, String(v ?? "")))));
  const files = el("ul", {}, ...folder.files.map((f) => el("li", {}, el("a", { href: link(f), target: "_blank" }, f))));
  // Every model.csv of the folder (a study has one per scenario) can join the charts.
  const shows = folder.files.filter((f) => f === "model.csv" || f.endsWith("/model.csv")).map((f) => {
    const label = f === "model.csv" ? name : `${name}/${f.slice(0, -"/model.csv".length)}`;
    const manifestOf = async () => (f === "model.csv" ? m : (await fetch(link(f.replace(/model\.csv$/, "manifest.json")))).json());
    return el("button", { type: "button", class: "primary", onclick: async () => loadIntoCharts(label, link(f), await manifestOf()) }, `Show ${label === name ? "model.csv" : f} in the charts`);
  });
  view.replaceChildren(el("h3", {}, name), summary, el("div", { class: "row" }, ...shows), el("h3", {}, "Files"), files);
  for (const f of folder.files.filter((f) => f.endsWith(".png"))) view.append(el("h4", {}, f), el("img", { src: link(f), alt: f }));
  const report = folder.files.find((f) => f === "report.md");
  if (report) view.append(el("h3", {}, report), el("pre", {}, await (await fetch(link(report))).text()));
}

async function loadIntoCharts(name, url, manifest) {
  const { header, rows } = parseCsv(await (await fetch(url)).text());
  const skip = new Set(["run_id", "point", "tick", "year"]);
  const metrics = header.filter((h) => !skip.has(h));
  const id = 1000 + ++state.loadedCount;
  const run = newRun(id, { scenario: name, label: name, metrics, replicates: manifest.runs || 1, loaded: true, state: "done" });
  const col = (row, key) => row[header.indexOf(key)];
  for (const row of rows) {
    const tick = Number(col(row, "tick"));
    const year = header.includes("year") ? Number(col(row, "year")) : null;
    if (year !== null) run.startYear = year - tick;
    addRecord(run, { tick, year, replicate: Number(col(row, "run_id")), metrics: metrics.map((k) => (col(row, k) === "" ? null : Number(col(row, k)))) });
  }
  state.runs.set(id, run);
  for (const m of manifest.metrics || []) {
    state.metricUnits.set(m.name, m.unit);
    if (m.flow) state.flows.add(m.name);
  }
  if (state.shown.length === 0) state.shown = metrics.slice(0, 6);
  drawMetricPicker();
  switchTab("live");
  scheduleRedraw();
}

// ---------- page ----------

function switchTab(tab) {
  for (const b of document.querySelectorAll("nav button")) b.classList.toggle("active", b.dataset.tab === tab);
  $("#tab-live").hidden = tab !== "live";
  $("#tab-results").hidden = tab !== "results";
  if (tab === "results") refreshResults();
  else scheduleRedraw();
}

async function main() {
  for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => switchTab(b.dataset.tab));
  state.catalog = await api("api/catalog");
  $("#version").textContent = `glocal ${state.catalog.version}`;
  $("#results-root").textContent = `in ${state.catalog.results_root}/`;
  if (state.catalog.study) {
    $("#study-title").textContent = `study: ${state.catalog.study.title}`;
    $("#start-study").hidden = false;
  }
  const select = $("#scenario");
  select.replaceChildren(...state.catalog.scenarios.map((s) => el("option", { value: s.name }, s.name)));
  select.addEventListener("change", () => selectScenario(select.value));
  $("#reset-levers").addEventListener("click", drawLevers);
  $("#start").addEventListener("click", async () => {
    if (!state.scenario) return;
    try {
      const run = await startRun(state.scenario.name, leverValues(), $("#label").value.trim());
      message(`run ${run.id} started`);
    } catch (e) { message(e.message, true); }
  });
  $("#start-study").addEventListener("click", async () => {
    try {  // each scenario as its file sets it: the levers above belong to one of them
      for (const name of state.catalog.study.scenarios) await startRun(name, {}, name);
    } catch (e) { message(e.message, true); }
  });
  $("#map-run").addEventListener("change", () => { fillMapMetrics(); drawMap(); });
  $("#map-metric").addEventListener("change", drawMap);
  $("#map-time").addEventListener("input", () => { $("#map-time").dataset.follow = "no"; drawMap(); });
  window.addEventListener("resize", scheduleRedraw);
  const wanted = new URLSearchParams(location.search).get("scenario");
  const first = state.catalog.selected || (state.catalog.scenarios[0] && state.catalog.scenarios[0].name);
  if (first && first.startsWith("results:")) {
    switchTab("results");
    await openResults(first.slice("results:".length));
  }
  const scenario = wanted || (first && !first.startsWith("results:") ? first : state.catalog.scenarios[0]?.name);
  if (scenario) await selectScenario(scenario);
  refreshResults();
  document.body.dataset.state = "ready";
}

main().catch((e) => { message(e.message, true); document.body.dataset.state = "error"; });
