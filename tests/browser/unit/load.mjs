// Loads page scripts of book/interactive into Node as the browser does:
// classic scripts whose top-level names share one global scope (each file
// runs in this process's own, `vm.runInThisContext`; `node --test` gives
// every test file a process of its own). Only scripts that do nothing but
// define at load can be loaded: core.js, runs.js, the scheduler's engine and
// puzzles, the exercise page's words.

import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "..", "..", "..");
const INTERACTIVE = path.join(REPO, "book", "interactive");

/** Runs each script (by file name), in order; returns a getter of globals. */
export function load(...files) {
  for (const file of files) {
    const full = path.join(INTERACTIVE, file);
    vm.runInThisContext(fs.readFileSync(full, "utf8"), { filename: full });
  }
  return (name) => vm.runInThisContext(name);
}

/** The contract's fixture: one of every value the server sends
 * (workbook/tests/fixtures/contract.json, pinned by the server's own test). */
export const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(REPO, "workbook", "tests", "fixtures", "contract.json"), "utf8"),
);

/** A Response whose body arrives in `pieces` (strings or bytes), one read each. */
export function streamed(pieces) {
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    start(controller) {
      for (const piece of pieces) {
        controller.enqueue(typeof piece === "string" ? encoder.encode(piece) : piece);
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/x-ndjson" } });
}

/** The fixture's run events as the server streams them: one JSON line each. */
export const NDJSON = FIXTURE.run_events.map((e) => JSON.stringify(e) + "\n").join("");
