// The dashboard end to end, in a real browser (headless Chromium from Debian, driven by
// puppeteer-core): `glocal serve` on a small copy of the real world; the page starts a run with a
// lever moved; the test waits for the stream to end, takes a screenshot, checks in the screenshot
// that the chart and the world map are drawn (not blank), and that the numbers the page shows are
// the run's model.csv.
//
//   node --test tests/dashboard/browser.test.mjs   (GLOCAL_BINARY, GLOCAL_SOURCE_DIR, GLOCAL_TEST_OUT)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const source = process.env.GLOCAL_SOURCE_DIR;
const binary = process.env.GLOCAL_BINARY;
const require = createRequire(join(source, "web", "package.json"));
const puppeteer = require("puppeteer-core");

const work = mkdtempSync(join(tmpdir(), "glocal-dashboard-"));
const shots = process.env.GLOCAL_TEST_OUT || work;
let server;
let url;
let browser;

function chromium() {
  for (const path of [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (path && existsSync(path)) return path;
  }
  throw new Error("no Chromium (apt-get install chromium; scripts/install-deps.sh does)");
}

before(async () => {
  // The real world at 3,000 agents: the same model as the shipped scenario, in seconds.
  const real = readFileSync(join(source, "scenarios/world/real-1960-2010.toml"), "utf8");
  const small = real.replace(/^agents = \d+/m, "agents = 3000");
  assert.notEqual(small, real, "the shipped real world sets world.agents");
  writeFileSync(join(work, "real-small.toml"), small);
  server = spawn(binary, ["serve", join(work, "real-small.toml"), "--runs", join(work, "runs"), "--threads", "2"],
    { cwd: source, stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    let text = "";
    server.stdout.on("data", (chunk) => {
      text += chunk;
      const m = text.match(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`glocal serve exited (${code}) before printing its URL`)));
    setTimeout(() => reject(new Error("glocal serve printed no URL in 20 s")), 20000);
  });
  browser = await puppeteer.launch({
    executablePath: chromium(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await exited;
  }
  // The scenario and its runs are scratch; the screenshots stay where GLOCAL_TEST_OUT says.
  if (shots !== work) rmSync(work, { recursive: true, force: true });
});

// The mean over replicates, as the page computes it (the same sum, in the same order).
function meansAtLastTick(csvText) {
  const lines = csvText.trim().split("\n");
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const tickCol = header.indexOf("tick");
  const runCol = header.indexOf("run_id");
  const last = Math.max(...rows.map((r) => Number(r[tickCol])));
  const final = rows.filter((r) => Number(r[tickCol]) === last).sort((a, b) => Number(a[runCol]) - Number(b[runCol]));
  const means = new Map();
  for (const [k, name] of header.entries()) {
    const xs = final.map((r) => r[k]).filter((v) => v !== "").map(Number).filter(Number.isFinite);
    if (xs.length) means.set(name, xs.reduce((s, v) => s + v, 0) / xs.length);
  }
  return { means, last, replicates: final.length };
}

test("a run started from the page streams, is drawn, and shows its model.csv", { timeout: 240000 }, async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1500 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-state=ready]", { timeout: 30000 });
  assert.equal(await page.$eval("#scenario", (s) => s.value), "real-small");

  // Two replicates, and one lever moved: investment from 0.2 to 0.25.
  await page.$eval("#replicates", (input) => { input.value = "2"; });
  await page.$eval('.lever[data-key="economy.investment"] input[type=number]', (input) => {
    input.value = "0.25";
    input.dispatchEvent(new Event("input"));
  });
  assert.equal(await page.$eval('.lever[data-key="economy.investment"]', (row) => row.classList.contains("moved")), true);
  await page.click("#start");
  await page.waitForSelector("#runs li[data-state=done]", { timeout: 180000 });
  await page.waitForFunction(() => document.querySelectorAll(".chart canvas").length > 0 && document.querySelector("#latest td[data-value]"));
  await new Promise((r) => setTimeout(r, 500));  // the last frame

  const out = await page.$eval("#runs li[data-state=done]", (li) => li.dataset.out);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.ok(manifest.command_line.includes("economy.investment=0.25"), "the moved lever reached the run");
  const { means, last, replicates } = meansAtLastTick(readFileSync(join(out, "model.csv"), "utf8"));
  assert.equal(replicates, 2);

  // Every number in the latest-values table is the model.csv mean at the last tick.
  const cells = await page.$$eval("#latest td[data-value]", (tds) => tds.map((td) => ({ metric: td.dataset.metric, tick: Number(td.dataset.tick), value: Number(td.dataset.value), text: td.textContent })));
  assert.ok(cells.length >= 4, `the table shows ${cells.length} values`);
  for (const cell of cells) {
    assert.equal(cell.tick, last, `${cell.metric} is shown at the last tick`);
    assert.ok(means.has(cell.metric), `${cell.metric} is a model.csv column`);
    assert.equal(cell.value, means.get(cell.metric), `${cell.metric}: page ${cell.value}, model.csv ${means.get(cell.metric)}`);
    const shown = Number(cell.text);
    assert.ok(Math.abs(shown - cell.value) <= 5e-4 * Math.abs(cell.value), `${cell.metric} shown as ${cell.text}`);
  }

  // The screenshot: the first chart and the map hold drawn pixels, not a blank canvas.
  mkdirSync(shots, { recursive: true });
  const png = await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
  const regions = await page.evaluate(() => {
    const rect = (e) => { const r = e.getBoundingClientRect(); return { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height }; };
    return { chart: rect(document.querySelector(".chart canvas")), map: rect(document.querySelector("#map")) };
  });
  const counts = await page.evaluate(async (b64, regions) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const g = canvas.getContext("2d");
    g.drawImage(image, 0, 0);
    const count = (r) => {
      const data = g.getImageData(Math.round(r.x), Math.round(r.y), Math.round(r.w), Math.round(r.h)).data;
      const colours = new Set();
      let ink = 0;
      for (let k = 0; k < data.length; k += 4) {
        colours.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
        if (data[k] < 200 || data[k + 1] < 200 || data[k + 2] < 200) ++ink;
      }
      return { colours: colours.size, ink: ink / (data.length / 4) };
    };
    return { chart: count(regions.chart), map: count(regions.map) };
  }, Buffer.from(png).toString("base64"), regions);
  assert.ok(counts.chart.ink > 0.01, `the chart is drawn (${(100 * counts.chart.ink).toFixed(2)} % inked)`);
  assert.ok(counts.map.ink > 0.05 && counts.map.colours > 20, `the map is drawn (${(100 * counts.map.ink).toFixed(1)} % inked, ${counts.map.colours} colours)`);
  assert.deepEqual(errors, [], "no script errors");
  await page.close();
});

test("the lattice view shows the first locality's cultures, as many as model.csv counts", { timeout: 240000 }, async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1500 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}&scenario=default`, { waitUntil: "load" });  // Axelrod (1997) on a 20 x 20 lattice
  await page.waitForSelector("body[data-state=ready]", { timeout: 30000 });
  assert.equal(await page.$eval("#scenario", (s) => s.value), "default");
  await page.$eval("#replicates", (input) => { input.value = "1"; });
  await page.click("#start");
  await page.waitForSelector("#runs li[data-state=done]", { timeout: 180000 });
  await page.waitForSelector("canvas.lattice");
  await new Promise((r) => setTimeout(r, 300));
  const out = await page.$eval("#runs li[data-state=done]", (li) => li.dataset.out);
  const { means } = meansAtLastTick(readFileSync(join(out, "model.csv"), "utf8"));
  const shown = await page.$eval("canvas.lattice", (c) => Number(c.dataset.cultures));
  assert.equal(shown, means.get("cultures"), "the lattice's distinct cultures are model.csv's final count");
  const colours = await page.$eval("canvas.lattice", (c) => {
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const set = new Set();
    for (let k = 0; k < data.length; k += 4) set.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
    return set.size;
  });
  assert.ok(colours >= Math.min(shown, 2), `the lattice is drawn in ${colours} colours`);
  // Back to the first record with the slider: the initial cultures, as model.csv counts them at tick 0.
  const csv = readFileSync(join(out, "model.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
  const first = csv[1][csv[0].indexOf("cultures")];
  await page.$eval("input.lattice-time", (slider) => { slider.value = "0"; slider.dispatchEvent(new Event("input")); });
  const start = await page.$eval("canvas.lattice", (c) => ({ tick: c.dataset.tick, cultures: c.dataset.cultures }));
  assert.deepEqual(start, { tick: "0", cultures: first });
  await page.screenshot({ path: join(shots, "lattice.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors");
  await page.close();
});
