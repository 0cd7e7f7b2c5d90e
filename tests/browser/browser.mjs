// What the browser test files share: Debian's Chromium with a fresh
// profile and no way off the machine, a page opener that records every
// problem a page has, and axe-core. See book.test.mjs, puzzles.test.mjs,
// run.test.mjs and starts.test.mjs.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { REPO, signIn } from "./server.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const SCREENSHOTS = path.join(REPO, "target", "screenshots");

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * Starts headless Chromium; returns { context, open(url, { theme }),
 * signIn(url), close() }. open() signs the browser in to the server first
 * (as a learner's browser is, see server.mjs); signIn() does only that, for
 * a test that navigates by itself.
 *
 * Nothing may leave the machine: every host name but localhost resolves to
 * nothing, and open() reports any request to another host. Requests are
 * never intercepted (Playwright's interception reports a streamed answer,
 * such as a run's, as aborted once it ends). With `holdReloads` (the
 * default), pages get no live-reload stream (EventSource does nothing, and
 * there is no SharedWorker to hold one for them), so
 * that nobody editing the book while the tests run reloads the pages under
 * them; starts.test.mjs, which loads pages as a learner's browser does,
 * turns it off.
 */
export async function launchBrowser({ holdReloads = true } = {}) {
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
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
    ],
  });
  if (holdReloads) {
    await context.addInitScript(() => {
      // No SharedWorker either: its stream would not be held. The pages fall
      // back to an EventSource of their own, which is.
      window.SharedWorker = undefined;
      window.EventSource = function HeldByTheTests() {
        this.addEventListener = function () {};
        this.close = function () {};
      };
    });
  }

  /** Opens a page and records console errors, page errors, failed requests
   * and requests to other hosts. `viewport`: another window size than the
   * context's, from the start (as a phone opens the page). */
  async function open(url, { theme, reducedMotion, viewport } = {}) {
    const page = await context.newPage();
    if (viewport) {
      await page.setViewportSize(viewport);
    }
    const problems = [];
    page.on("console", (msg) => {
      if (msg.type() !== "error") {
        return;
      }
      const where = msg.location().url || "?";
      problems.push(`console error: ${msg.text()} (${where})`);
    });
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("requestfailed", (r) => {
      if (!lostByDevTools(r)) {
        problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
      }
    });
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (/^https?:$/.test(u.protocol) && !LOOPBACK.has(u.hostname)) {
        problems.push(`request to another host: ${r.url()}`);
      }
    });
    page.on("response", (r) => {
      if (r.status() >= 400) {
        problems.push(`HTTP ${r.status()}: ${r.url()}`);
      }
    });
    if (/^https?:/.test(url)) {
      await signIn(context, url);
    }
    if (reducedMotion) {
      await page.emulateMedia({ reducedMotion });
    }
    // The profile keeps localStorage between pages: set the theme every time.
    await page.addInitScript((t) => localStorage.setItem("mdbook-theme", t), theme || "light");
    await page.goto(url, { waitUntil: "load" });
    return { page, problems };
  }

  async function close() {
    await context.close().catch(() => {});
    fs.rmSync(profileDir, { recursive: true, force: true });
  }

  return { context, open, signIn: (url) => signIn(context, url), close };
}

/**
 * True for the one request DevTools loses track of: the served pages' shared
 * worker script (book/interactive/events-worker.js). Chromium fetches it for the
 * worker, not the page, so the page sees the request start but never end,
 * and sees it "fail" (net::ERR_ABORTED) when it navigates away
 * (microsoft/playwright#7107, crbug.com/851323). The worker itself is
 * tested by what it does: tabs.test.mjs.
 */
export function lostByDevTools(request) {
  return new URL(request.url()).pathname === "/__workbook/events-worker.js";
}

/** Runs the script `file` in the page, as a `<script>` would. (Not with
 * page.addScriptTag: that adds an inline script, which the served pages'
 * content security policy refuses, as it should; DevTools' evaluation is
 * not subject to it.) */
export async function addScript(page, file) {
  await page.evaluate(`${fs.readFileSync(file, "utf8")}\n;undefined`);
}

/** axe-core's serious and critical violations on the page (or in `include`). */
export async function axeViolations(page, include) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await addScript(page, AXE);
  }
  const results = await page.evaluate(async (sel) => {
    const target = sel ? { include: [sel] } : document;
    const r = await window.axe.run(target, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(0, 2).join(" ")}`),
    }));
  }, include || null);
  return results.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export function describeViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id} (${v.help}):\n    ${v.nodes.join("\n    ")}`).join("\n  ");
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
export const text = async (page, id) => (await byTestId(page, id).textContent()).trim();
