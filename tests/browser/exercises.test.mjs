// Exercise pages as the learner's own file, in Chromium (book/interactive/
// exercise.js): on exercise 08's page the check fails with the lost update;
// the fix, edited and saved in the page, passes; the badge, the file on disk,
// its backup and `cargo workbook list` agree; an edit outside the page comes
// in, or is offered when the page has unsaved edits; a save is never made
// over a version the page has not seen; compile errors name their line; a
// check that hangs gets the checker's verdict, and a second waits its turn;
// the solution stays closed until the check passes; Reset asks first and
// keeps a backup; the keyboard alone works; axe finds nothing in light and
// navy; with mdBook's Ace editor (book.toml's `editable = true`) as with a
// plain textarea.
//
// The tests never touch the repository's own exercise files: they serve a
// copy of its working tree (every file git tracks or would add), committed
// in a git repository of its own so Reset has a version to restore, and
// remove it afterwards. Screenshots go to target/screenshots, the measured
// latency of Save and Check to target/screenshots/exercise-latency.json.
// Run by tests/browser/run.sh; with WORKBOOK_URL set they are skipped (they
// must edit the served files).

import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO, startServer } from "./server.mjs";
import { SCREENSHOTS, axeViolations, describeViolations, launchBrowser } from "./browser.mjs";

const NAME = "08_fix_the_race";
const PAGE = `exercises/${NAME}.html`;
// Generous limits for a loaded machine: the first check compiles the
// exercises' dependencies. They only bound a wait; nothing is timed.
const CHECK_WAIT_MS = 600_000;
const NOTICE_WAIT_MS = 30_000;

const started = Date.now();
const note = (what) => console.error(`# ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
const skip = process.env.WORKBOOK_URL
  ? "WORKBOOK_URL given: these tests edit the served files, so they serve a copy of their own"
  : false;

let copy; // the served copy of the working tree
let server;
let browser;
let open;
let workbookBin;
const binGiven = Boolean(process.env.WORKBOOK_BIN);
const latency = {};
const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));

// ------------------------------------------------------------------ setup

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 900_000, maxBuffer: 64 << 20, ...options });
  assert.equal(
    r.status,
    0,
    `${cmd} ${args.join(" ")} failed (${r.error?.message || r.signal || r.status}):\n${r.stderr?.slice(-3000)}`,
  );
  return r.stdout;
}

/** A copy of `source`'s working tree, in a git repository of its own. */
function copyWorkingTree(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-exercise-page-"));
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: source })
    .split("\0")
    .filter(Boolean);
  for (const rel of files) {
    const from = path.join(source, rel);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) {
      continue;
    } // deleted, or a submodule
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, rel));
  }
  const git = (...args) =>
    run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "the served copy");
  return dir;
}

/** The workbook binary: WORKBOOK_BIN, or the one cargo builds here. */
function findWorkbook() {
  if (process.env.WORKBOOK_BIN) {
    return process.env.WORKBOOK_BIN;
  }
  const out = run("cargo", ["build", "--release", "--quiet", "--package", "workbook", "--message-format=json"], {
    cwd: REPO,
  });
  for (const line of out.split("\n")) {
    if (!line.startsWith("{")) {
      continue;
    }
    const m = JSON.parse(line);
    if (m.reason === "compiler-artifact" && m.target?.name === "workbook" && m.executable) {
      return m.executable;
    }
  }
  throw new Error("cargo build --package workbook named no executable");
}

before(async () => {
  if (skip) {
    return;
  }
  // The served copy is never edited while the tests run, and the pages need
  // the server's events (a change on disk), so reloads are not held.
  browser = await launchBrowser({ holdReloads: false });
  ({ open } = browser);
  workbookBin = findWorkbook();
  copy = copyWorkingTree(path.resolve(process.env.WORKBOOK_ROOT || REPO));
  note(`serving a copy in ${copy}`);
  // server.mjs starts the server in WORKBOOK_ROOT, with this binary.
  process.env.WORKBOOK_ROOT = copy;
  process.env.WORKBOOK_BIN = workbookBin;
  server = await startServer({ exercises: {} });
  note(`serving ${server.url}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (copy) {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  if (Object.keys(latency).length) {
    const machine = {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      load_average_at_start: loadAtStart,
      load_average_at_end: os.loadavg().map((l) => Number(l.toFixed(2))),
    };
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.writeFileSync(
      path.join(SCREENSHOTS, "exercise-latency.json"),
      JSON.stringify({ machine, latency }, null, 2) + "\n",
    );
    note(
      `latency (s): ${JSON.stringify(latency)} on ${machine.cpu} (${machine.cores} cores, load ${loadAtStart.join(" ")} before, ${machine.load_average_at_end.join(" ")} after)`,
    );
  }
});

// ---------------------------------------------------------------- helpers

const learnerFile = () => path.join(copy, "exercises", `${NAME}.rs`);
const onDisk = () => fs.readFileSync(learnerFile(), "utf8");
// The learner's progress file as it is on disk, or null.
const progressOnDisk = () => {
  const file = server.progressFile;
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
};
const writeOutside = (text) => fs.writeFileSync(learnerFile(), text);
// The backups of the learner's file: kept out of the exercises folder.
const backupsDir = () => path.join(copy, ".workbook", "backups", "exercises");
const backups = () => {
  const beside = fs.readdirSync(path.join(copy, "exercises")).filter((f) => f.includes(".backup-"));
  assert.deepEqual(beside, [], "no backup beside the learner's files");
  return fs.existsSync(backupsDir())
    ? fs
        .readdirSync(backupsDir())
        .filter((f) => f.startsWith(`${NAME}.rs.backup-`))
        .map((f) => path.join(backupsDir(), f))
    : [];
};
const committed = () => run("git", ["show", `HEAD:exercises/${NAME}.rs`], { cwd: copy });

/** The learner's file with `add` as in the solution. */
function fixed(original) {
  const solution = fs.readFileSync(path.join(copy, "exercises", "solutions", `${NAME}.rs`), "utf8");
  const at = "/// Adds `term`";
  assert.ok(original.includes(at) && solution.includes(at), `both files document add with "${at}"`);
  return original.slice(0, original.indexOf(at)) + solution.slice(solution.indexOf(at));
}

const id = (page, testid) => page.locator(`[data-testid="${testid}"]`);
const words = async (page, testid) => ((await id(page, testid).textContent()) || "").trim();

// Every page a test opens is closed after it, passed or failed (pages share
// one event stream, but a page left open still listens and reloads).
const opened = new Set();
afterEach(async () => {
  for (const page of opened) {
    await page.close().catch(() => {});
  }
  opened.clear();
});

/** Exercise 08's page, once its editor is there. */
async function openExercise(options = {}) {
  const o = await open(new URL(PAGE, server.url).href, options);
  opened.add(o.page);
  await o.page.waitForSelector('[data-testid="exercise-workspace"]');
  // Listening: the event stream has said its version, so an edit made on
  // disk from now on reaches the page.
  await o.page.waitForFunction(() => window.workbookEvents.heard !== null, null, { timeout: NOTICE_WAIT_MS });
  return o;
}

async function editorText(page) {
  return page.evaluate(() => {
    const section = document.querySelector('[data-testid="exercise-workspace"]');
    if (section.dataset.editor === "ace") {
      return window.ace.edit(section.querySelector(".exercise-editor-ace")).getValue();
    }
    return section.querySelector('textarea[data-testid="exercise-editor"]').value;
  });
}

/** The first and last line (from 1) the editor shows, and how the marker
 * lines of the statement (`// ANCHOR: statement`) look: their opacity. */
async function editorView(page) {
  return page.evaluate(() => {
    const section = document.querySelector('[data-testid="exercise-workspace"]');
    if (section.dataset.editor === "ace") {
      const editor = window.ace.edit(section.querySelector(".exercise-editor-ace"));
      editor.renderer.updateFull(true);
      const anchors = [...section.querySelectorAll(".ace_anchor")].map((a) => getComputedStyle(a).opacity);
      return {
        first: editor.renderer.getFirstFullyVisibleRow() + 1,
        last: editor.renderer.getLastFullyVisibleRow() + 1,
        anchors,
      };
    }
    const area = section.querySelector('textarea[data-testid="exercise-editor"]');
    const lines = area.value.split("\n").length;
    const height = area.scrollHeight / lines;
    return {
      first: Math.ceil(area.scrollTop / height) + 1,
      last: Math.floor((area.scrollTop + area.clientHeight) / height),
      anchors: [],
    };
  });
}

/** The line (from 1) of the first thing the learner's file asks to change:
 * the first TODO or todo!() after the statement. */
function firstTodoLine(text) {
  const lines = text.split("\n");
  const end = lines.findIndex((l) => l.startsWith("// ANCHOR_END: statement"));
  assert.ok(end > 0, "the statement ends with its marker");
  return lines.findIndex((l, i) => i > end && /TODO|todo!\(/.test(l)) + 1;
}

/** Replaces the editor's text the way a learner does: select all, type. */
async function typeInEditor(page, text) {
  await id(page, "exercise-editor").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
  assert.equal(await editorText(page), text, "the editor holds what was typed");
}

/** Presses Check and waits for the verdict; returns it with the times. */
async function check(page) {
  const t0 = Date.now();
  await id(page, "exercise-check").click();
  await page.waitForFunction(
    () => {
      const outcome = document.querySelector('[data-testid="exercise-result"]')?.dataset.outcome;
      return outcome && outcome !== "running" && outcome !== "queued";
    },
    null,
    { timeout: CHECK_WAIT_MS },
  );
  const result = id(page, "exercise-result");
  return {
    outcome: await result.getAttribute("data-outcome"),
    verdict: await words(page, "exercise-verdict"),
    body: await words(page, "exercise-result-body"),
    browser_s: (Date.now() - t0) / 1000,
    server_s: Number(await result.getAttribute("data-wall-s")),
    queued_s: Number(await result.getAttribute("data-queued-s")),
  };
}

const timing = ({ outcome, browser_s, server_s, queued_s }) => ({ outcome, browser_s, server_s, queued_s });

/** Presses Save and waits for the page's answer; returns it and the time. */
async function save(page) {
  const t0 = Date.now();
  await id(page, "exercise-save").click();
  await page.waitForFunction(
    () => !/^Saving/.test(document.querySelector('[data-testid="exercise-message"]').textContent),
  );
  return { message: await words(page, "exercise-message"), browser_s: (Date.now() - t0) / 1000 };
}

async function waitForBadge(page, status) {
  await page.waitForFunction(
    ([name, want]) => document.querySelector(`.exercise-status[data-exercise="${name}"]`)?.dataset.status === want,
    [NAME, status],
    { timeout: NOTICE_WAIT_MS },
  );
}

/** axe on the whole page in the light theme. In the dark themes only on what
 * exercise.js adds, as book.test.mjs checks its widgets: there mdBook's own
 * link blue is too faint for axe on the page (navy: 3.6:1) and in the
 * sidebar (2.8:1), whatever this page does. */
async function expectNoAxe(page, what) {
  const dark = await page.evaluate(() => !document.documentElement.classList.contains("light"));
  const violations = await axeViolations(page, dark ? '[data-testid="exercise-workspace"]' : undefined);
  assert.equal(violations.length, 0, `${what}: ${describeViolations(violations)}`);
}

async function screenshot(page, file, testid) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // The part that matters, just under mdBook's sticky menu bar.
  await id(page, testid).evaluate((node) => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 70));
  await page.screenshot({ path: path.join(SCREENSHOTS, file) });
}

function cargoWorkbookList() {
  const env = { ...process.env, WORKBOOK_ROOT: copy, WORKBOOK_PROGRESS: server.progressFile };
  // `cargo workbook list`, as a learner types it (the build is already done).
  return binGiven
    ? run(workbookBin, ["list"], { env, cwd: copy })
    : run("cargo", ["workbook", "list"], { env, cwd: REPO });
}

/** Problems a page had, less those a test caused on purpose. */
const unexpected = (problems, allowed = []) => problems.filter((p) => !allowed.some((a) => a.test(p)));
// The page's event stream, closed by a test or ended by a reload.
const EVENTS_CLOSED = /^request failed: \S+\/__workbook\/events \(net::ERR_ABORTED\)$/;

// ------------------------------------------------------------------ tests

describe(`exercise ${NAME} in the page`, { skip }, () => {
  test("a static build shows the page as written: the statement and the commands, no controls", async () => {
    const file = path.join(copy, "target", "book", PAGE);
    const { page, problems } = await open(`file://${file}`);
    assert.equal(await page.locator('[data-testid="exercise-workspace"]').count(), 0);
    assert.equal(
      await page.locator("main button.exercise-button, main textarea").count(),
      0,
      "no control that cannot work",
    );
    assert.match(await page.locator("main").textContent(), /cargo workbook check 08_fix_the_race/);
    assert.ok(await page.locator("main pre code.language-rust").first().isVisible(), "the statement's listing shows");
    const loaded = await page.$$eval("script[src], link[rel=stylesheet]", (s) => s.map((e) => e.src || e.href));
    for (const file of ["js", "css"]) {
      assert.ok(
        loaded.some((s) => new RegExp(`interactive/exercise(-[0-9a-f]+)?\\.${file}$`).test(s)),
        `book.toml's [output.html] loads book/interactive/exercise.${file}`,
      );
    }
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test("served: the page holds the file on disk, and the solution stays closed", async () => {
    const { page, problems } = await openExercise();
    assert.equal(await editorText(page), onDisk());
    assert.match(await words(page, "exercise-workspace"), new RegExp(`Your file: exercises/${NAME}\\.rs`));
    // The editor replaces the book's listing of the file's first lines.
    assert.equal(await page.locator("main pre code.language-rust").filter({ hasText: "//! # 04" }).isVisible(), false);
    // It opens at the first thing to change, not on the statement's build
    // markers: the caret on that line, the line in view, line 1 (`// ANCHOR:
    // statement`) out of it, and the markers faint where Ace draws them.
    const todo = firstTodoLine(onDisk());
    assert.ok(todo > 25, `the TODO is below the editor's first screen (line ${todo})`);
    const column = onDisk().split("\n")[todo - 1].search(/\S/) + 1;
    assert.equal(
      await words(page, "exercise-where"),
      `Saved: the page shows the file on disk · line ${todo}, column ${column}`,
    );
    const view = await editorView(page);
    assert.ok(view.first > 1 && view.first <= todo && todo <= view.last, JSON.stringify(view));
    if ((await page.locator('[data-testid="exercise-workspace"]').getAttribute("data-editor")) === "ace") {
      assert.ok(view.anchors.length >= 1, `the ANCHOR_END line in view is a token of its own: ${JSON.stringify(view)}`);
      assert.ok(
        view.anchors.every((o) => Number(o) < 1),
        `and faint: ${JSON.stringify(view)}`,
      );
    }
    const solution = id(page, "exercise-solution");
    assert.equal(await solution.getAttribute("aria-disabled"), "true");
    assert.match(await words(page, "exercise-solution-note"), /opens once your file passes its check/);
    // aria-disabled, not disabled: it keeps the focus and says why (force:
    // Playwright will not click an aria-disabled button).
    await solution.click({ force: true });
    assert.match(
      await words(page, "exercise-message"),
      /Not yet: press Check first\. Once your file passes, Solution shows it here/,
    );
    assert.equal(await id(page, "exercise-solution-box").isVisible(), false);
    await expectNoAxe(page, "light, as loaded");
    await screenshot(page, "exercise-page.png", "exercise-workspace");
    assert.deepEqual(unexpected(problems), [], "and no request for the solution was refused: none was made");
    await page.close();
  });

  test("Check fails with the lost update; the fix saved from the page passes; badge, disk and list agree", async () => {
    const original = onDisk();
    const { page, problems } = await openExercise();
    const failed = await check(page);
    latency.check_first_cold = timing(failed);
    assert.equal(failed.outcome, "failed", failed.verdict);
    // The two model checks fail on every run (loom tries every schedule,
    // shuttle's are seeded); on real threads the loss is only likely; the
    // pause() count passes.
    assert.match(
      failed.verdict,
      /^✗ 08_fix_the_race failed: [23] of 4 checks failed; a thread panicked: an update was lost/,
    );
    assert.match(failed.body, /no_update_is_lost_in_any_schedule_of_two_threads/);
    assert.match(failed.body, /an update was lost/);
    await waitForBadge(page, "failed");
    assert.equal(await id(page, "exercise-solution").getAttribute("aria-disabled"), "true");
    await screenshot(page, "exercise-check-failed.png", "exercise-result");
    await expectNoAxe(page, "light, a failed check");

    // The fix, typed into the page: unsaved until Save.
    const fix = fixed(original);
    await typeInEditor(page, fix);
    assert.match(await words(page, "exercise-where"), /^Unsaved edits/);
    assert.equal(onDisk(), original, "typing does not write the file");
    const saved = await save(page);
    latency.save_first = saved.browser_s;
    assert.match(
      saved.message,
      new RegExp(
        `^Saved exercises/${NAME}\\.rs\\. Its previous version is kept as \\.workbook/backups/exercises/${NAME}\\.rs\\.backup-\\d+\\.$`,
      ),
    );
    assert.equal(onDisk(), fix, "the file on disk holds the fix");
    const kept = backups();
    assert.equal(kept.length, 1);
    assert.equal(fs.readFileSync(kept[0], "utf8"), original, "the backup holds the version before");
    assert.ok(saved.message.includes(path.basename(kept[0])), "the page names the backup");
    assert.match(await words(page, "exercise-where"), /^Saved/);

    const passed = await check(page);
    latency.check_after_save = timing(passed);
    assert.equal(passed.outcome, "passed", `${passed.verdict}\n${passed.body}`);
    assert.equal(passed.verdict, "✓ 08_fix_the_race passed");
    await waitForBadge(page, "passed");
    assert.match(await page.locator(`.exercise-status[data-exercise="${NAME}"]`).textContent(), /passed/);
    assert.match(cargoWorkbookList(), /✓ passed\s+08_fix_the_race\b/, "`cargo workbook list` agrees");

    // The solution opens now.
    assert.equal(await id(page, "exercise-solution").getAttribute("aria-disabled"), null);
    await id(page, "exercise-solution").click();
    await id(page, "exercise-solution-box").waitFor();
    assert.match(await words(page, "exercise-solution-code"), /let mut guard = total\.lock\(\)\.unwrap\(\);/);
    assert.equal(await id(page, "exercise-solution").getAttribute("aria-expanded"), "true");
    await screenshot(page, "exercise-check-passed.png", "exercise-result");

    // Nothing changed: the warm check compiles nothing.
    const warm = await check(page);
    latency.check_warm = timing(warm);
    assert.equal(warm.outcome, "passed");
    const again = await typeInEditor(page, fix + "\n// saved twice\n").then(() => save(page));
    latency.save_warm = again.browser_s;
    assert.match(again.message, /^Saved/);
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test("an edit outside the page comes in; with unsaved edits the page says 'changed on disk' and offers both", async () => {
    const { page, problems } = await openExercise({ theme: "navy" });
    // No unsaved edits: the page takes the new version and says so.
    const outside = onDisk() + "// an edit in my own editor\n";
    writeOutside(outside);
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="exercise-message"]').textContent.includes(want),
      "changed on disk",
      {
        timeout: NOTICE_WAIT_MS,
      },
    );
    assert.equal(await editorText(page), outside);
    assert.match(
      await words(page, "exercise-message"),
      /changed on disk \(in another editor\?\): the page now shows the new version/,
    );

    // Unsaved edits: a notice, and the page's text is not replaced.
    const mine = outside + "// typed in the page\n";
    await typeInEditor(page, mine);
    const second = outside + "// a second edit outside\n";
    writeOutside(second);
    const conflict = id(page, "exercise-conflict");
    await id(page, "exercise-conflict-title").waitFor({ timeout: NOTICE_WAIT_MS });
    assert.match(await words(page, "exercise-conflict-text"), /changed on disk while you had unsaved edits here/);
    assert.equal(await editorText(page), mine, "the page's text stays");
    assert.equal(onDisk(), second, "and so does the disk's");
    assert.equal(await conflict.getAttribute("role"), "alert");
    await screenshot(page, "exercise-changed-on-disk.png", "exercise-workspace");
    await expectNoAxe(page, "navy, the changed-on-disk notice");

    // Load the disk version: the page's text is kept, to copy or put back.
    await id(page, "exercise-load-disk").click();
    assert.equal(await editorText(page), second);
    assert.equal(await id(page, "exercise-kept").isVisible(), true);
    assert.equal(await id(page, "exercise-kept-text").inputValue(), mine);
    await id(page, "exercise-kept").getByRole("button", { name: "Put it back in the editor" }).click();
    assert.equal(await editorText(page), mine);

    // Another edit outside; this time save the page's text over it.
    const third = second + "// a third edit outside\n";
    writeOutside(third);
    await id(page, "exercise-conflict-title").waitFor({ timeout: NOTICE_WAIT_MS });
    const before = new Set(backups());
    await id(page, "exercise-overwrite").click();
    await page.waitForFunction(() =>
      /over the version on disk/.test(document.querySelector('[data-testid="exercise-message"]').textContent),
    );
    assert.equal(onDisk(), mine);
    const made = backups().filter((b) => !before.has(b));
    assert.equal(made.length, 1);
    assert.equal(fs.readFileSync(made[0], "utf8"), third, "the disk version is the backup");
    assert.match(
      await words(page, "exercise-message"),
      new RegExp(`kept as \\.workbook/backups/exercises/${path.basename(made[0]).replace(/\./g, "\\.")}\\.$`),
    );
    assert.equal(await id(page, "exercise-conflict-text").isVisible(), false);
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test("Save refuses to write over a version the page has not seen (409), and both survive", async () => {
    const { page, problems } = await openExercise();
    // The page stops hearing of changes on disk (as if its event stream had
    // dropped), then the file changes: only the server can notice.
    await page.evaluate(() => window.workbookEvents.close());
    const outside = onDisk() + "// unseen by the page\n";
    writeOutside(outside);
    const mine = outside.replace("// unseen by the page\n", "// the page's own edit\n");
    await typeInEditor(page, mine);
    const refused = await save(page);
    assert.match(
      refused.message,
      /^Not saved: exercises\/08_fix_the_race\.rs changed on disk since the page loaded it\.$/,
    );
    assert.equal(onDisk(), outside, "the disk version survives");
    assert.equal(await editorText(page), mine, "the page's version survives");
    assert.match(await words(page, "exercise-where"), /^Not saved: the file changed on disk/);
    await id(page, "exercise-conflict-title").waitFor();
    await id(page, "exercise-load-disk").click();
    assert.equal(await editorText(page), outside);
    assert.equal(await id(page, "exercise-kept-text").inputValue(), mine);
    assert.deepEqual(unexpected(problems, [/HTTP 409: .*\/save$/, /status of 409 \(Conflict\)/, EVENTS_CLOSED]), []);
    await page.close();
  });

  test("unsaved edits outlive a reload of the page", async () => {
    const { page, problems } = await openExercise();
    const mine = onDisk() + "// not saved, then the page reloads\n";
    await typeInEditor(page, mine);
    // At once: the draft is written 250 ms after the last key, or as the page
    // goes, whichever comes first.
    await page.reload();
    await page.waitForSelector('[data-testid="exercise-workspace"]');
    assert.equal(await editorText(page), mine);
    assert.match(await words(page, "exercise-message"), /unsaved edits from before the page was reloaded are back/);
    assert.match(await words(page, "exercise-where"), /^Unsaved edits/);
    assert.notEqual(onDisk(), mine);
    assert.deepEqual(unexpected(problems, [EVENTS_CLOSED]), []);
    await page.close();
  });

  test("a draft kept under the exercise's name before the renumbering comes back under its new name, once", async () => {
    const { page, problems } = await openExercise();
    const loaded = await (await server.fetch(new URL(`/__workbook/api/exercise/${NAME}`, server.url).href)).json();
    assert.ok(loaded.formerly.length > 0, `exercises.toml renamed ${NAME}: ${JSON.stringify(loaded.formerly)}`);
    const old = loaded.formerly[0];
    const mine = onDisk() + "// a draft from before the renumbering\n";
    // The tab's storage as a page of the old numbering left it.
    await page.evaluate(
      ([key, draft]) => {
        sessionStorage.clear();
        sessionStorage.setItem(key, draft);
      },
      [`workbook-draft:${old}`, JSON.stringify({ base: loaded.version, text: mine })],
    );
    await page.reload();
    await page.waitForSelector('[data-testid="exercise-workspace"]');
    assert.equal(await editorText(page), mine);
    assert.match(await words(page, "exercise-message"), /unsaved edits from before the page was reloaded are back/);
    const keys = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("workbook-draft:")));
    assert.deepEqual(keys, [`workbook-draft:${NAME}`], "moved, not copied");
    // Once: saved, nothing is left to come back.
    await save(page);
    await page.reload();
    await page.waitForSelector('[data-testid="exercise-workspace"]');
    assert.equal(await editorText(page), mine);
    assert.match(await words(page, "exercise-where"), /^Saved/);
    assert.deepEqual(unexpected(problems, [EVENTS_CLOSED]), []);
    await page.close();
  });

  test("a compile error names its line; a check that hangs gets the 10 s verdict, and a second waits its turn", async (t) => {
    const { page, problems } = await openExercise();
    const good = onDisk();
    t.after(() => writeOutside(good)); // for the tests after this one, passed or failed
    const lines = good.split("\n");
    const at = lines.findIndex((l) => l.includes("let seen = *guard;"));
    assert.ok(at > 0, "the fix reads the total through its guard");
    lines[at] = "    let seen: u64 = *guard;";
    await typeInEditor(page, lines.join("\n"));
    const broken = await check(page);
    assert.equal(broken.outcome, "does_not_compile", broken.body);
    assert.equal(broken.verdict, "✗ 08_fix_the_race does not compile");
    assert.match(broken.body, /error\[E0308\]: mismatched types/);
    assert.match(broken.body, new RegExp(`${NAME}\\.rs:${at + 1}:`));
    const go = id(page, "exercise-goto-line").first();
    assert.equal(await go.textContent(), `Go to line ${at + 1}`);
    await go.click();
    assert.match(await words(page, "exercise-where"), new RegExp(`line ${at + 1}, column`));
    await screenshot(page, "exercise-compile-error.png", "exercise-result");
    await expectNoAxe(page, "light, a compile error");

    // A wrong sum, and a total that never finishes printing itself (it
    // waits for a program that never ends): the checks that report the sum
    // outside their own 5 s watchdog never finish, so the check as a whole
    // runs into its 10 s limit. (No std::thread or std::sync: a file that
    // uses them directly is refused before it runs.)
    assert.ok(good.includes("sum: seen.sum + term,"), "the fix adds the term once");
    const hanging =
      good
        .replace("sum: seen.sum + term,", "sum: seen.sum + term + 1.0,")
        .replace("#[derive(Debug, Clone, Copy, Default, PartialEq)]", "#[derive(Clone, Copy, Default, PartialEq)]") +
      "\nimpl std::fmt::Debug for Total {\n    fn fmt(&self, _: &mut std::fmt::Formatter) -> std::fmt::Result {\n" +
      '        let _ = std::process::Command::new("sleep").arg("3600").status();\n        Ok(())\n    }\n}\n';
    await typeInEditor(page, hanging);
    const second = await openExercise();
    const t0 = Date.now();
    await id(page, "exercise-check").click();
    // While the first check holds the one run slot (compiling, then 10 s),
    // the second page's check waits, and says so.
    await page.waitForFunction(() =>
      /Compiling|Running/.test(document.querySelector('[data-testid="exercise-verdict"]').textContent),
    );
    await id(second.page, "exercise-check").click();
    await second.page.waitForFunction(() =>
      /^Waiting, 1 run ahead/.test(document.querySelector('[data-testid="exercise-verdict"]').textContent),
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="exercise-result"]').dataset.outcome === "timed_out",
      null,
      {
        timeout: CHECK_WAIT_MS,
      },
    );
    latency.check_hanging = { browser_s: (Date.now() - t0) / 1000 };
    assert.equal(
      await words(page, "exercise-verdict"),
      "✗ 08_fix_the_race did not finish in 10 s — a deadlock or an endless loop?",
    );
    assert.match(await words(page, "exercise-result-body"), /stopped at its time limit/);
    await second.page.waitForFunction(
      () => document.querySelector('[data-testid="exercise-result"]').dataset.outcome === "timed_out",
      null,
      {
        timeout: CHECK_WAIT_MS,
      },
    );
    await waitForBadge(page, "failed");
    assert.equal(
      await id(page, "exercise-solution").getAttribute("aria-disabled"),
      "true",
      "a failing file closes the solution again",
    );

    // Stop, while the hanging check runs: it ends now, with nothing recorded.
    assert.equal(await id(page, "exercise-stop").isVisible(), false, "no Stop while nothing runs");
    const progressBefore = progressOnDisk();
    await id(page, "exercise-check").click();
    await page.waitForFunction(
      () => /Running the check's tests/.test(document.querySelector('[data-testid="exercise-verdict"]').textContent),
      null,
      {
        timeout: CHECK_WAIT_MS,
      },
    );
    await id(page, "exercise-stop").click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="exercise-result"]').dataset.outcome === "stopped",
      null,
      {
        timeout: CHECK_WAIT_MS,
      },
    );
    assert.match(
      await words(page, "exercise-verdict"),
      /^Stopped: the check did not finish, and nothing was recorded\./,
    );
    assert.equal(progressOnDisk(), progressBefore, "a stopped check records nothing");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="exercise-check"]').getAttribute("aria-disabled") !== "true",
    );
    assert.equal(await id(page, "exercise-stop").isVisible(), false);
    await screenshot(page, "exercise-check-stopped.png", "exercise-result");
    assert.deepEqual(unexpected(problems), []);
    assert.deepEqual(unexpected(second.problems), []);
    await page.close();
    await second.page.close();
  });

  test("the keyboard alone: into the editor, Tab indents, Esc then Tab leaves; Save, Check and Hint", async () => {
    const { page, problems } = await openExercise();
    const activeId = () =>
      page.evaluate(() => document.activeElement?.dataset?.testid || document.activeElement?.tagName);
    for (let i = 0; i < 400 && (await activeId()) !== "exercise-editor"; i++) {
      await page.keyboard.press("Tab");
    }
    assert.equal(await activeId(), "exercise-editor", "Tab reaches the editor");
    const before = await editorText(page);
    // The caret is where the file opened: at the first thing to change.
    const [, line, column] = (await words(page, "exercise-where")).match(/line (\d+), column (\d+)$/).map(Number);
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-editor", "Tab in the editor stays there");
    const indented = before.split("\n");
    indented[line - 1] = indented[line - 1].slice(0, column - 1) + "    " + indented[line - 1].slice(column - 1);
    assert.equal(await editorText(page), indented.join("\n"), "and indents");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await editorText(page), before, "Shift+Tab outdents");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    assert.notEqual(await activeId(), "exercise-editor", "Esc, then Shift+Tab, leaves backwards");
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-editor");
    await page.keyboard.type("// typed with the keyboard\n");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-save", "Esc, then Tab, leaves for Save");
    // Back and forth: nothing invisible (Ace's scrollbars) between the two.
    await page.keyboard.press("Shift+Tab");
    assert.equal(await activeId(), "exercise-editor", "Shift+Tab from Save lands in the editor");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-save");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() =>
      /^Saved/.test(document.querySelector('[data-testid="exercise-message"]').textContent),
    );
    // Typed at the caret, where the file opened (a line start here).
    assert.equal(column, 1, "the first thing to change starts its line");
    assert.equal(onDisk().replace("// typed with the keyboard\n", ""), before);
    assert.equal(onDisk().split("\n")[line - 1], "// typed with the keyboard");
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-check");
    await page.keyboard.press("Space");
    await page.waitForFunction(
      () =>
        /^(passed|failed|does_not_compile|timed_out|skipped|error)$/.test(
          document.querySelector('[data-testid="exercise-result"]')?.dataset.outcome,
        ),
      null,
      {
        timeout: CHECK_WAIT_MS,
      },
    );
    assert.equal(
      await id(page, "exercise-result").getAttribute("data-outcome"),
      "passed",
      await words(page, "exercise-result"),
    );
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-hint");
    await page.keyboard.press("Enter");
    await id(page, "exercise-hint-box").waitFor();
    assert.match(await words(page, "exercise-hint-text"), /Take the lock once, keep the guard/);
    // Backticks mark code: shown as code, never as backticks.
    assert.ok(!(await words(page, "exercise-hint-text")).includes("`"), "no literal backtick in the hint");
    assert.ok((await page.locator('[data-testid="exercise-hint-text"] code').count()) > 0, "code in the hint");
    assert.equal(await id(page, "exercise-hint").getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Tab");
    assert.equal(await activeId(), "exercise-solution");
    await page.keyboard.press("Enter");
    await id(page, "exercise-solution-box").waitFor();
    // Ctrl+S in the editor saves.
    await id(page, "exercise-editor").focus();
    await page.keyboard.press("End");
    await page.keyboard.type(" ");
    await page.keyboard.press("Control+S");
    await page.waitForFunction(() =>
      /^Saved/.test(document.querySelector('[data-testid="exercise-message"]').textContent),
    );
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test("Reset asks first, keeps a backup, and says where", async () => {
    const { page, problems } = await openExercise({ theme: "navy" });
    const mine = onDisk();
    await id(page, "exercise-reset").click();
    assert.equal(await id(page, "exercise-reset-box").isVisible(), true);
    assert.equal(
      await page.evaluate(() => document.activeElement.dataset.testid),
      "exercise-reset-cancel",
      "the safe choice has the focus",
    );
    await page.keyboard.press("Enter");
    assert.equal(await id(page, "exercise-reset-box").isVisible(), false);
    assert.equal(onDisk(), mine, "Keep my file keeps it");
    await id(page, "exercise-reset").click();
    await expectNoAxe(page, "navy, Reset's question");
    const before = new Set(backups());
    assert.match(
      await page.locator(".exercise-confirm").first().innerText(),
      /status goes back to "not started"/,
      "Reset's question says it clears the status",
    );
    await id(page, "exercise-reset-confirm").click();
    await page.waitForFunction(() =>
      /^Reset: /.test(document.querySelector('[data-testid="exercise-message"]').textContent),
    );
    assert.equal(onDisk(), committed());
    assert.equal(await editorText(page), committed());
    const made = backups().filter((b) => !before.has(b));
    assert.equal(made.length, 1);
    assert.equal(fs.readFileSync(made[0], "utf8"), mine);
    assert.match(
      await words(page, "exercise-message"),
      new RegExp(
        `Your version is kept as \\.workbook/backups/exercises/${path.basename(made[0]).replace(/\./g, "\\.")}\\.$`,
      ),
    );
    await waitForBadge(page, "not-started");
    assert.equal(await id(page, "exercise-solution").getAttribute("aria-disabled"), "true");
    assert.match(cargoWorkbookList(), /not started\s+08_fix_the_race\b/);
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test("with the plain textarea (book.toml: editable = false) the same page works, and passes axe", async () => {
    // The book ships mdBook's Ace editor (editable = true); turn it off in
    // the copy: the server rebuilds the book, and the page falls back to a
    // textarea.
    const toml = path.join(copy, "book.toml");
    const text = fs.readFileSync(toml, "utf8");
    const edited = text.replace(/^editable\s*=\s*true/m, "editable = false");
    assert.notEqual(edited, text, "book.toml turns the editor on with `editable = true`");
    fs.writeFileSync(toml, edited);
    const pageUrl = new URL(PAGE, server.url).href;
    const deadline = Date.now() + 120_000;
    while (/\/ace(-[0-9a-f]+)?\.js"/.test(await (await server.fetch(pageUrl)).text())) {
      assert.ok(Date.now() < deadline, "the book was not rebuilt without Ace within 120 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const theme of ["light", "navy"]) {
      const { page, problems } = await openExercise({ theme });
      assert.equal(await id(page, "exercise-workspace").getAttribute("data-editor"), "textarea");
      assert.equal(await editorText(page), onDisk());
      // The textarea too opens at the first thing to change.
      const todo = firstTodoLine(onDisk());
      assert.match(await words(page, "exercise-where"), new RegExp(`· line ${todo}, column \\d+$`));
      const view = await editorView(page);
      assert.ok(view.first > 1 && view.first <= todo && todo <= view.last, JSON.stringify(view));
      const mine = onDisk() + `// typed in the textarea, ${theme}\n`;
      await typeInEditor(page, mine);
      assert.match(await words(page, "exercise-where"), /^Unsaved edits/);
      // Tab indents in the textarea too, and Esc then Tab leaves it for Save.
      await id(page, "exercise-editor").focus();
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "exercise-editor");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "exercise-save");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() =>
        /^Saved/.test(document.querySelector('[data-testid="exercise-message"]').textContent),
      );
      assert.equal(onDisk(), await editorText(page));
      assert.match(await words(page, "exercise-where"), /line \d+, column \d+/);
      await expectNoAxe(page, `${theme}, with a textarea`);
      await screenshot(page, `exercise-textarea-${theme}.png`, "exercise-workspace");
      assert.deepEqual(unexpected(problems), []);
      await page.close();
    }
  });
});
