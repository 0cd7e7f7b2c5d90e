// The timeline figures on their chapter pages, in Chromium: each shows its
// reference run from book/measured/ while the learner has none (the server
// answers 204), swaps in the learner's latest run when the server has one
// (book/interactive/timeline.js), keeps the reference when the answer is not
// an SVG, and passes axe-core either way. Run by tests/browser/run.sh; see
// server.mjs for the environment variables that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO, startServer } from "./server.mjs";
import { axeViolations, describeViolations, launchBrowser } from "./browser.mjs";

// Each chapter with timelines, and the timelines it shows (the NAME of
// `--timeline NAME`, and of /__workbook/timelines/NAME.svg).
const CHAPTERS = {
  "part2/05-os-threads": ["threads"],
  "part3/12-symptoms": ["racy"],
  "part4/16-locks": ["mutex-item", "mutex-chunk"],
  "part4/22-queues-and-channels": ["threads-uneven", "queue-uneven"],
};

// A stand-in for a learner's run: a chart the renderer wrote, with its own
// <title>, which the page must turn into the image's text alternative.
const MEASURED = path.join(REPO, "book", "measured");
const LEARNER_SVG = (() => {
  const dir = fs.readdirSync(MEASURED).find((d) => fs.existsSync(path.join(MEASURED, d, "timeline-racy.svg")));
  assert.ok(dir, "no book/measured/*/timeline-racy.svg: run cargo workbook measure --only timeline-racy");
  return fs.readFileSync(path.join(MEASURED, dir, "timeline-racy.svg"), "utf8");
})();

let server;
let browser;

const started = Date.now();
const note = (what) => console.error(`# ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

before(async () => {
  browser = await launchBrowser();
  server = await startServer({ exercises: {} });
  note(`serving ${server.url}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens a chapter with the learner's timelines answered by `answer(name)`:
 * { status, contentType, body }. */
async function openChapter(chapter, answer) {
  const url = new URL(`${chapter}.html`, server.url).href;
  const asked = [];
  await browser.context.route("**/__workbook/timelines/*", (route) => {
    const name = new URL(route.request().url()).pathname
      .split("/")
      .pop()
      .replace(/\.svg$/, "");
    asked.push(name);
    const { status, contentType, body } = answer(name);
    return route.fulfill({ status, contentType, body });
  });
  try {
    const opened = await browser.open(url);
    await opened.page.waitForLoadState("networkidle").catch(() => {});
    return { ...opened, asked };
  } finally {
    await browser.context.unroute("**/__workbook/timelines/*");
  }
}

/** Each timeline figure: its name, where its image comes from, and how. */
async function figures(page) {
  return page.$$eval("figure[data-timeline]", (fs) =>
    fs.map((f) => {
      const img = f.querySelector("img");
      return {
        name: f.dataset.timeline,
        source: f.dataset.source,
        src: img.getAttribute("src"),
        loaded: img.complete && img.naturalWidth > 0,
        alt: img.alt,
        caption: f.querySelector("figcaption")?.textContent.replace(/\s+/g, " ").trim() || "",
      };
    }),
  );
}

const NOTHING_YET = () => ({ status: 204, contentType: "text/plain", body: "" });

describe("timeline figures", () => {
  for (const [chapter, names] of Object.entries(CHAPTERS)) {
    test(`${chapter} shows its reference runs while the learner has none, and passes axe`, async () => {
      const { page, problems, asked } = await openChapter(chapter, NOTHING_YET);
      const shown = await figures(page);
      assert.deepEqual(
        shown.map((f) => f.name),
        names,
      );
      assert.deepEqual([...asked].sort(), [...names].sort(), "the page asks the server once per figure");
      for (const f of shown) {
        assert.equal(f.source, "reference", `${f.name}: ${JSON.stringify(f)}`);
        assert.match(f.src, new RegExp(`measured/[^/]+/timeline-${f.name}\\.svg$`), f.name);
        assert.ok(f.loaded, `${f.name}: the reference chart did not load (${f.src})`);
        assert.ok(f.alt.length > 40, `${f.name}: a real text alternative, not "${f.alt}"`);
        assert.match(f.caption, /reference machine|reference run/, f.name);
      }
      const violations = await axeViolations(page, "main");
      assert.equal(violations.length, 0, describeViolations(violations));
      // Nothing may be a problem: no timeline yet is a 204, not an error.
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test("the learner's latest run replaces the reference, described by its own title", async () => {
    const { page, problems } = await openChapter("part2/05-os-threads", (name) =>
      name === "threads" ? { status: 200, contentType: "image/svg+xml", body: LEARNER_SVG } : NOTHING_YET(),
    );
    await page.waitForSelector('figure[data-timeline="threads"][data-source="learner"]', { timeout: 5000 });
    const [f] = await figures(page);
    assert.match(f.src, /^blob:/);
    await page.waitForFunction(() => document.querySelector('figure[data-timeline="threads"] img').naturalWidth > 0);
    // The alternative text is the chart's <title> and <desc>: its rows in words.
    assert.match(f.alt, /^Timeline: racy, N = \d+, T = 2\. Gantt chart\. /);
    assert.match(f.alt, /work \d+%, waiting \d+%, idle \d+%/);
    assert.match(f.caption, /^Your latest run, from target\/timelines\/threads\.svg/);
    const violations = await axeViolations(page, "figure[data-timeline]");
    assert.equal(violations.length, 0, describeViolations(violations));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("an answer that is not an SVG keeps the reference run", async () => {
    const { page, problems } = await openChapter("part2/05-os-threads", () => ({
      status: 200,
      contentType: "text/html",
      body: "<html><body>a login page, say</body></html>",
    }));
    const [f] = await figures(page);
    assert.equal(f.source, "reference");
    assert.match(f.src, /timeline-threads\.svg$/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("without a server (file://) the page asks nothing and keeps the reference", async (t) => {
    const built = path.join(REPO, "target", "book", "part2", "05-os-threads.html");
    if (!fs.existsSync(built)) {
      return t.skip("no built book in target/book: cargo workbook build");
    }
    const page = await browser.context.newPage();
    const asked = [];
    page.on("request", (r) => {
      if (r.url().includes("__workbook/timelines")) {
        asked.push(r.url());
      }
    });
    await page.goto(`file://${built}`);
    const [f] = await figures(page);
    assert.equal(f.source, undefined, "the script leaves the figure alone");
    assert.deepEqual(asked, []);
    await page.close();
  });
});
