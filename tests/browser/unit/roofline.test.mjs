// roofline.js's data handling without a browser: where the contract's
// fixture puts the roofs and the points (log axes that hold them all, the
// ceilings meeting the roofs, a point that moves no bytes at the right
// edge), and the table's words.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURE, load } from "./load.mjs";

const get = load("core.js", "roofline.js");
const roofline = get("workbookRoofline");
const reply = FIXTURE.roofline;

test("the axes hold every roof and every point, the ridge inside", () => {
  const model = roofline.layout(reply);
  const [xLow, xHigh] = model.x;
  const [yLow, yHigh] = model.y;
  assert.equal(model.ridge, reply.compute[0].per_second / reply.bandwidth[0].per_second);
  assert.ok(xLow < model.ridge && model.ridge < xHigh, `${xLow} < ${model.ridge} < ${xHigh}`);
  for (const point of model.points) {
    assert.ok(xLow <= point.x && point.x <= xHigh, point.label);
    assert.ok(yLow <= point.y && point.y <= yHigh, point.label);
  }
  for (const roof of reply.compute) {
    assert.ok(yLow <= roof.per_second && roof.per_second < yHigh, roof.label);
  }
});

test("the ceilings meet the roofs, and a run in registers sits at the right edge", () => {
  const model = roofline.layout(reply);
  const peak = reply.compute[0].per_second;
  const top = model.roofs.find((r) => r.kind === "bandwidth" && r.top);
  assert.deepEqual(top.to, [model.ridge, peak], "the bandwidth roof ends on the compute roof, at the ridge");
  const lowest = model.roofs.find((r) => r.label === "1 core, 1 lane, 1 chain");
  assert.equal(lowest.kind, "compute");
  assert.equal(lowest.top, false);
  assert.equal(lowest.from[0] * reply.bandwidth[0].per_second, lowest.from[1], "it starts on the slanted roof");
  assert.equal(lowest.to[0], model.x[1]);
  const inRegisters = model.points.filter((p) => p.inBand);
  assert.deepEqual(
    inRegisters.map((p) => [p.label, p.x, p.source]),
    [
      ["fast_parallel, T = 2", model.x[1], "roofline"],
      ["threads, T = 2", model.x[1], "page"],
    ],
  );
});

test("the table says what each run reached, what the model allows and where it is from", () => {
  assert.deepEqual(roofline.rows(reply), [
    ["memory_bound", "2", "0.125", "2.40 G terms/s", "2.50 G terms/s", "96%", "memory", "your roofline run"],
    ["fast_parallel", "2", "∞ (no bytes)", "22.00 G terms/s", "25.00 G terms/s", "88%", "compute", "your roofline run"],
    ["threads", "2", "∞ (no bytes)", "2.00 G terms/s", "25.00 G terms/s", "8%", "compute", "a run from the page"],
  ]);
  assert.deepEqual(FIXTURE.roofline_none.compute, [], "no roofs before a roofline run: the page keeps the book's");
});
