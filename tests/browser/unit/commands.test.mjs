// commands.js's parser without a browser: which lines of a block the page
// offers to run (the workbook's examples, async's with `-p workbook-async`,
// MPI's with `cargo mpi`), and the requests it sends for them, which must be
// the contract's (the server's fixture).

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURE, load } from "./load.mjs";

const get = load("core.js", "commands.js");
const commands = get("workbookCommands");

test("the three forms of a command, with and without flags", () => {
  const cases = [
    [
      "cargo run --release --example threads -- --n 1e6 --threads 2",
      "workbook",
      "threads",
      "--n 1e6 --threads 2",
      null,
    ],
    ["$ cargo run --release --example sequential", "workbook", "sequential", "", null],
    [
      "cargo run --release -p workbook-async --example stalled_executor -- --call spawn-blocking",
      "async",
      "stalled_executor",
      "--call spawn-blocking",
      null,
    ],
    ["cargo run --release --package workbook-async --example tasks_vs_threads", "async", "tasks_vs_threads", "", null],
    ["cargo mpi -n 2 mpi_heat --cells 1e4 --check", "mpi", "mpi_heat", "--cells 1e4 --check", 2],
    ["$ cargo mpi -n3 mpi_reduce", "mpi", "mpi_reduce", "", 3],
    ["cargo mpi mpi_crossover --max-ranks 2", "mpi", "mpi_crossover", "--max-ranks 2", null],
  ];
  for (const [line, pkg, name, flags, ranks] of cases) {
    assert.deepEqual(commands.parse(line), { package: pkg, name, flags, ranks }, line);
  }
});

test("lines that are not such a command are output, not controls", () => {
  for (const line of [
    "cargo run --example threads",
    "cargo run --release -p workbook --example threads",
    "cargo run --release -p other-crate --example x",
    "cargo mpi -n 2",
    "cargo mpi -n two mpi_reduce",
    "cargo test --test examples_tasks",
    "mpiexec -n 2 target/release/examples/mpi_reduce",
  ]) {
    assert.equal(commands.parse(line), null, line);
  }
  const block = commands.commandsOf(
    "cargo mpi -n 2 mpi_reduce --n 1e6 | tee out.txt\ncargo run --release -p workbook-async --example cpu_on_async\nresult=333.3",
  );
  assert.equal(block.commands.length, 1, "the piped line is shown, not run");
  assert.equal(block.commands[0].name, "cpu_on_async");
  assert.equal(block.hasOutput, true);
  assert.deepEqual(block.others, ["cargo mpi -n 2 mpi_reduce --n 1e6 | tee out.txt", "result=333.3"]);
});

test("cargo's `--` only before flags: none is left dangling", () => {
  const bare = commands.parse("cargo run --release --example lock_tools");
  assert.equal(commands.prefix(bare), "cargo run --release --example lock_tools");
  assert.equal(commands.prefix(bare, "--show poison"), "cargo run --release --example lock_tools --");
  assert.equal(commands.prefix(bare, "  "), "cargo run --release --example lock_tools");
  const asyncRun = commands.parse("cargo run --release -p workbook-async --example tasks_vs_threads");
  assert.equal(commands.prefix(asyncRun), "cargo run --release -p workbook-async --example tasks_vs_threads");
});

test("what the control shows and sends, as the contract's fixture has it", () => {
  const workbookRun = commands.parse("cargo run --release --example threads -- --n 1e6 --threads 2");
  assert.equal(commands.prefix(workbookRun), "cargo run --release --example threads --");
  assert.deepEqual(commands.request(workbookRun, workbookRun.flags), FIXTURE.requests.example);

  const asyncRun = commands.parse(
    "cargo run --release -p workbook-async --example stalled_executor -- --call spawn-blocking",
  );
  assert.equal(commands.prefix(asyncRun), "cargo run --release -p workbook-async --example stalled_executor --");
  assert.deepEqual(commands.request(asyncRun, asyncRun.flags), FIXTURE.requests.example_async);

  const mpiRun = commands.parse("cargo mpi -n 2 mpi_heat --cells 1e4 --check");
  assert.equal(commands.prefix(mpiRun), "cargo mpi -n 2 mpi_heat");
  assert.deepEqual(commands.request(mpiRun, mpiRun.flags), FIXTURE.requests.example_mpi);
});
