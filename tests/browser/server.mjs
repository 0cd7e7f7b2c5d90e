// Starts `cargo workbook serve` for the browser tests, on a port the system
// picks (`--port 0`; the server says which), with a progress file of its own
// (WORKBOOK_PROGRESS: the repository's .workbook/progress.json is never
// touched), and stops it again. Or uses a server someone else started (of
// this checkout, or of WORKBOOK_ROOT's). The tests get in as a learner does:
// the server answers only a signed-in browser, so a browser context signs in
// through a redirect file (`signIn`: the one the server wrote at start, then
// fresh ones from `cargo workbook open`), and the tests' own requests carry
// the cookie of the sign-in link the server printed (`server.fetch`).
//
//   WORKBOOK_URL=http://127.0.0.1:3000/   use this server, start nothing
//   WORKBOOK_ROOT=DIR                     serve the book whose book.toml is in DIR
//                                         (default: this repository)
//   WORKBOOK_BIN=PATH                     run this workbook binary instead of
//                                         `cargo workbook` (must be built already)
//   WORKBOOK_SERVE_TIMEOUT=SECONDS        how long to wait for it to answer (default 900:
//                                         the first run compiles the workbook tool)

import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A progress file of the server's own, in a directory of its own, holding
 * `progress`; returns its path and how to remove it. */
function progressFile(progress) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-progress-"));
  const file = path.join(dir, "progress.json");
  fs.writeFileSync(file, JSON.stringify(progress));
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The checkout served: WORKBOOK_ROOT as it is now (a test may set it). */
const servedRoot = () => path.resolve(process.env.WORKBOOK_ROOT || REPO);

/** The workbook command: [program, args before the subcommand's]. */
function workbookCommand() {
  return process.env.WORKBOOK_BIN ? [process.env.WORKBOOK_BIN, []] : ["cargo", ["workbook"]];
}

/** The ports of the workbook servers in use (others, such as a plain
 * static server of a test's own, need no signing in). */
const workbookPorts = new Set();

/** Ports whose start-up redirect file no browser has used yet. */
const unusedStartFiles = new Set();

/** The redirect file of `port`'s server with a sign-in link nobody has
 * used: the one the server wrote at start, else a fresh one written by
 * `cargo workbook open` (told to open it with `true`, i.e. not at all). */
function freshRedirectFile(port) {
  const file = path.join(servedRoot(), ".workbook", "server", `${port}-open.html`);
  if (unusedStartFiles.delete(String(port))) {
    return file;
  }
  const [cmd, args] = workbookCommand();
  execFileSync(cmd, [...args, "open", "--port", String(port)], {
    cwd: servedRoot(),
    env: { ...process.env, BROWSER: "true", WORKBOOK_ROOT: servedRoot() },
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 600_000,
  });
  return file;
}

/** The sign-in link in a redirect file. */
function linkIn(file) {
  return fs
    .readFileSync(file, "utf8")
    .match(/url=(http:[^"]+)"/)[1]
    .replace(/&amp;/g, "&");
}

/**
 * Signs the browser `context` in to the server of `url`, as a learner's
 * browser is: it opens a redirect file the server (or `cargo workbook open`)
 * wrote, which goes on to the sign-in link, which sets the cookie and goes on
 * to the book. Nothing to do when the context has the cookie already, or
 * when `url` is not a workbook server's.
 */
export async function signIn(context, url) {
  const { origin, port } = new URL(url);
  if (!workbookPorts.has(port)) {
    return;
  }
  const name = `workbook-${port}`;
  if ((await context.cookies(origin)).some((c) => c.name === name)) {
    return;
  }
  const file = freshRedirectFile(port);
  const page = await context.newPage();
  try {
    const signedIn = new Promise((resolve) =>
      page.on("response", (r) => new URL(r.url()).pathname === "/__workbook/login" && resolve(r.status())),
    );
    await page.goto(pathToFileURL(file).href);
    const status = await Promise.race([signedIn, sleep(60_000).then(() => "no answer")]);
    if (status !== 200) {
      throw new Error(`the sign-in link in ${file} did not sign in: ${status}`);
    }
    await page.waitForURL((u) => u.protocol === "http:" && !u.pathname.startsWith("/__workbook/login"), {
      timeout: 60_000,
    });
    await page.waitForLoadState("load");
  } finally {
    await page.close();
  }
  if (!(await context.cookies(origin)).some((c) => c.name === name)) {
    throw new Error(`signing in through ${file} set no ${name} cookie`);
  }
}

/** The cookie (`NAME=VALUE`) a sign-in link sets, followed from Node. */
async function cookieOf(link) {
  const res = await fetch(link, { redirect: "manual", signal: AbortSignal.timeout(30_000) });
  const set = res.headers.get("set-cookie");
  if (res.status !== 200 || !set) {
    throw new Error(`${link} did not sign in (HTTP ${res.status})`);
  }
  return set.split(";")[0];
}

/** `fetch`, signed in with `cookie`. */
const signedFetch =
  (cookie) =>
  (url, init = {}) =>
    fetch(url, { ...init, headers: { ...(init.headers || {}), cookie } });

/**
 * Returns { url, port, startedHere, progressFile, stop(), fetch(url, init) }.
 * A server started here reads and writes the learner's progress in
 * `progressFile`, which starts as `progress` and goes with stop(); `port`
 * picks its port (default: one the system picks). `fetch` is signed in.
 */
export async function startServer(progress, { port: wanted } = {}) {
  if (process.env.WORKBOOK_URL) {
    const url = process.env.WORKBOOK_URL.replace(/\/?$/, "/");
    await waitFor(url, 60, () => null);
    const port = new URL(url).port;
    workbookPorts.add(port);
    const cookie = await cookieOf(linkIn(freshRedirectFile(port)));
    return {
      url,
      port: Number(port),
      startedHere: false,
      progressFile: null,
      stop: async () => {},
      fetch: signedFetch(cookie),
    };
  }
  const root = servedRoot();
  const progressAt = progressFile(progress);
  const [cmd, before] = workbookCommand();
  const args = [...before, "serve", "--no-open", "--port", String(wanted || 0)];
  let output = "";
  // Its own process group, so stop() ends cargo and the server under it.
  const child = spawn(cmd, args, {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WORKBOOK_PROGRESS: progressAt.file },
  });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  let exited = null;
  child.on("exit", (code, signal) => (exited = signal || code));
  child.on("error", (e) => (exited = e.message));

  const stop = async () => {
    if (exited === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      for (let i = 0; i < 50 && exited === null; i++) {
        await sleep(100);
      }
      if (exited === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    progressAt.remove();
  };

  const seconds = Number(process.env.WORKBOOK_SERVE_TIMEOUT || 900);
  const gaveUp = () =>
    exited !== null ? `\`${cmd} ${args.join(" ")}\` exited (${exited}) before serving:\n${output.slice(-3000)}` : null;
  try {
    const url = await listening(seconds, gaveUp, () => output);
    await waitFor(url, seconds, gaveUp);
    const port = new URL(url).port;
    // The link it printed (a browser signs in through its redirect file),
    // which comes before it serves, though Node may hear of it a moment later.
    const printed = () => output.match(/http:\/\/\S+\/__workbook\/login\?token=\S+/);
    for (let i = 0; i < 100 && !printed(); i++) {
      await sleep(100);
    }
    const link = printed();
    if (!link) {
      throw new Error(`the server printed no sign-in link:\n${output.slice(-3000)}`);
    }
    workbookPorts.add(port);
    unusedStartFiles.add(port);
    const cookie = await cookieOf(link[0]);
    return {
      url,
      port: Number(port),
      startedHere: true,
      progressFile: progressAt.file,
      stop,
      log: () => output,
      fetch: signedFetch(cookie),
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The URL the server says it serves at, once it says it (the first start
 * compiles the workbook tool first): `output()` is what it printed so far. */
async function listening(seconds, gaveUp, output) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const url = /Serving the workbook at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output())?.[1];
    if (url) {
      return url;
    }
    const reason =
      gaveUp() || (Date.now() > deadline ? `no server within ${seconds} s:\n${output().slice(-3000)}` : null);
    if (reason) {
      throw new Error(reason);
    }
    await sleep(100);
  }
}

/** Polls `url` until the server answers (it answers 401 to someone not
 * signed in), `check()` returns a reason to give up, or `seconds` pass. */
async function waitFor(url, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const reason = check();
    if (reason) {
      throw new Error(reason);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      // It answers 401 to someone not signed in: it is up.
      if (res.ok || res.status === 401) {
        return;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within ${seconds} s`);
    }
    await sleep(250);
  }
}
