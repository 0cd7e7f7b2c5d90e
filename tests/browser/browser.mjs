// What both browser test files share: Debian's Chromium with a fresh
// profile and no way off the machine, a page opener that records every
// problem a page has, and axe-core. See book.test.mjs and puzzles.test.mjs.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { REPO } from "./server.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const SCREENSHOTS = path.join(REPO, "target", "screenshots");

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** A 404 that is an answer, not a problem: a page asks for the learner's
 * latest timeline (book/interactive/timeline.js), and there is none yet. */
function expectedNotFound(url) {
  try {
    return new URL(url).pathname.startsWith("/__workbook/timelines/");
  } catch {
    return false;
  }
}

/** Starts headless Chromium; returns { context, open(url, { theme }), close() }. */
export async function launchBrowser() {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (tests/browser/run.sh does)`);
  // A fresh profile each run; Playwright takes it as launchPersistentContext's
  // first argument (it refuses a --user-data-dir in args).
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  // Nothing may leave the machine: a request to any other host is refused
  // here (and reported by open() below).
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (/^https?:$/.test(url.protocol) && !LOOPBACK.has(url.hostname)) return route.abort("blockedbyclient");
    // The server's live reload reloads every open page when a source file
    // changes (someone editing the book while the tests run): hold it still.
    if (url.pathname === "/__workbook/version") return route.fulfill({ status: 200, body: "tests" });
    return route.continue();
  });

  /** Opens a page and records console errors, page errors, failed requests
   * and requests to other hosts. */
  async function open(url, { theme, reducedMotion } = {}) {
    const page = await context.newPage();
    const problems = [];
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const where = msg.location().url || "?";
      if (/status of 404/.test(msg.text()) && expectedNotFound(where)) return;
      problems.push(`console error: ${msg.text()} (${where})`);
    });
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (/^https?:$/.test(u.protocol) && !LOOPBACK.has(u.hostname)) problems.push(`request to another host: ${r.url()}`);
    });
    page.on("response", (r) => {
      if (r.status() === 404 && expectedNotFound(r.url())) return;
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    if (reducedMotion) await page.emulateMedia({ reducedMotion });
    // The profile keeps localStorage between pages: set the theme every time.
    await page.addInitScript((t) => localStorage.setItem("mdbook-theme", t), theme || "light");
    await page.goto(url, { waitUntil: "load" });
    return { page, problems };
  }

  async function close() {
    await context.close().catch(() => {});
    fs.rmSync(profileDir, { recursive: true, force: true });
  }

  return { context, open, close };
}

/** axe-core's serious and critical violations on the page (or in `include`). */
export async function axeViolations(page, include) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(async (sel) => {
    const target = sel ? { include: [sel] } : document;
    const r = await window.axe.run(target, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(0, 2).join(" ")}`),
    }));
  }, include || null);
  return results.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export function describeViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id} (${v.help}):\n    ${v.nodes.join("\n    ")}`).join("\n  ");
}

/**
 * The first page load from a freshly started `cargo workbook serve`: retried,
 * loudly (`note` says so), because of a known server bug, not luck.
 *
 * The cause, found while writing puzzles.test.mjs: tiny_http 0.12's thread
 * pool (src/util/task_pool.rs) counts a worker as idle from the moment it
 * waits on its Condvar until it has taken the lock back, so a worker that
 * was already notified still counts. When Chromium opens its first burst of
 * connections at once, a new connection can be queued with a notify_one
 * that wakes nobody new, and no thread is started for it; it waits until one
 * of the kept-alive connections closes. (Eight raw keep-alive connections to
 * a fresh server: often only four are answered, and each one closed lets one
 * more through.) A retry opens a new connection, which gets a new thread.
 * Later page loads reuse the connections and are checked strictly.
 */
export async function gotoFirstTime(page, url, note) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url, { waitUntil: "load", timeout: 10000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      note(`WARNING: the first page load stalled (${e.message.split("\n")[0]}); trying again (tiny_http's thread pool, see browser.mjs)`);
    }
  }
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
export const text = async (page, id) => (await byTestId(page, id).textContent()).trim();
