// Starts `cargo workbook serve` on a free loopback port for the browser
// tests, and stops it again. Or uses a server someone else started:
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
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A port on 127.0.0.1 that nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes the learner's progress file for the status badge, keeping whatever
 * was there to put back afterwards. */
function writeProgress(root, progress) {
  const dir = path.join(root, ".workbook");
  const file = path.join(dir, "progress.json");
  const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(progress));
  return () => {
    if (before === null) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, before);
  };
}

/**
 * Returns { url, port, startedHere, stop() }. With a server started here,
 * `progress` is written to .workbook/progress.json first (and restored by
 * stop()); `port` picks its port (default: a free one).
 */
export async function startServer(progress, { port: wanted } = {}) {
  if (process.env.WORKBOOK_URL) {
    const url = process.env.WORKBOOK_URL.replace(/\/?$/, "/");
    await waitFor(url, 60, () => null);
    return { url, startedHere: false, stop: async () => {} };
  }
  const root = path.resolve(process.env.WORKBOOK_ROOT || REPO);
  const restore = writeProgress(root, progress);
  const port = wanted || (await freePort());
  const serveArgs = ["serve", "--no-open", "--port", String(port)];
  const [cmd, args] = process.env.WORKBOOK_BIN
    ? [process.env.WORKBOOK_BIN, serveArgs]
    : ["cargo", ["workbook", ...serveArgs]];
  let output = "";
  // Its own process group, so stop() ends cargo and the server under it.
  const child = spawn(cmd, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
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
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    restore();
  };

  const url = `http://127.0.0.1:${port}/`;
  const seconds = Number(process.env.WORKBOOK_SERVE_TIMEOUT || 900);
  try {
    await waitFor(url, seconds, () =>
      exited !== null ? `\`${cmd} ${args.join(" ")}\` exited (${exited}) before serving:\n${output.slice(-3000)}` : null,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, startedHere: true, stop, log: () => output };
}

/** Polls `url` until it answers 200, `check()` returns a reason to give up,
 * or `seconds` pass. */
async function waitFor(url, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const reason = check();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${seconds} s`);
    await sleep(250);
  }
}
