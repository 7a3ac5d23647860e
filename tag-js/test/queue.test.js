import { test } from "node:test";
import assert from "node:assert/strict";
import { createQueue } from "../src/queue.js";

function recorder() {
  const calls = [];
  const handlers = {
    first: (...args) => calls.push(["first", ...args]),
    second: (...args) => calls.push(["second", ...args]),
    broken: () => {
      throw new Error("handler bug");
    },
  };
  return { calls, handlers };
}

test("createQueue_queuedCommands_replayedInOrderWithArguments", () => {
  const { calls, handlers } = recorder();
  createQueue("demo", "/sa", handlers, [["second", 1, { a: 2 }], ["first"], ["unknown", 3]]);

  assert.deepEqual(calls, [["second", 1, { a: 2 }], ["first"]]);
});

test("createQueue_push_runsEveryCommandInOrder", () => {
  const { calls, handlers } = recorder();
  const queue = createQueue("demo", null, handlers, []);
  queue.push(["first", "a"], ["second", "b"]);

  assert.deepEqual(calls, [["first", "a"], ["second", "b"]]);
});

test("createQueue_failingHandler_laterCommandsStillRun", () => {
  const { calls, handlers } = recorder();
  const queue = createQueue("demo", null, handlers, [["broken"], ["first"]]);
  assert.doesNotThrow(() => queue.push(["broken"], ["second"]));

  assert.deepEqual(calls, [["first"], ["second"]]);
});

test("createQueue_inheritedNames_areNotCommands", () => {
  const calls = [];
  const handlers = Object.create({ inherited: () => calls.push("inherited") });
  const queue = createQueue("demo", null, handlers, [["inherited"]]);

  assert.doesNotThrow(() => queue.push(["inherited"], ["toString"], ["constructor"], ["__proto__"], ["valueOf"]));
  assert.deepEqual(calls, []);
});
