// Starts `cargo workbook serve` for the browser tests, on a port the system
// picks (`--port 0`; the server says which), with a progress file of its own
// (WORKBOOK_PROGRESS: the repository's .workbook/progress.json is never
// touched), and stops it again. Or uses a server someone else started:
//
//   WORKBOOK_URL=http://127.0.0.1:3000/   use this server, start nothing
//   WORKBOOK_ROOT=DIR                     serve the book whose book.toml is in DIR
//                                         (default: this repository)
//   WORKBOOK_BIN=PATH                     run this workbook binary instead of
//                                         `cargo workbook` (must be built already)
//   WORKBOOK_SERVE_TIMEOUT=SECONDS        how long to wait for it to answer (default 900:
//                                         the first run compiles the workbook tool)

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

/**
 * Returns { url, port, startedHere, progressFile, stop() }. A server started
 * here reads and writes the learner's progress in `progressFile`, which
 * starts as `progress` and goes with stop(); `port` picks its port (default:
 * one the system picks).
 */
export async function startServer(progress, { port: wanted } = {}) {
  if (process.env.WORKBOOK_URL) {
    const url = process.env.WORKBOOK_URL.replace(/\/?$/, "/");
    await waitFor(url, 60, () => null);
    return { url, startedHere: false, progressFile: null, stop: async () => {} };
  }
  const root = path.resolve(process.env.WORKBOOK_ROOT || REPO);
  const progressAt = progressFile(progress);
  const serveArgs = ["serve", "--no-open", "--port", String(wanted || 0)];
  const [cmd, args] = process.env.WORKBOOK_BIN
    ? [process.env.WORKBOOK_BIN, serveArgs]
    : ["cargo", ["workbook", ...serveArgs]];
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
    return {
      url,
      port: Number(new URL(url).port),
      startedHere: true,
      progressFile: progressAt.file,
      stop,
      log: () => output,
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

/** Polls `url` until it answers 200, `check()` returns a reason to give up,
 * or `seconds` pass. */
async function waitFor(url, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const reason = check();
    if (reason) {
      throw new Error(reason);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
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
