import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSnippet, renderSnippet } from "../build.mjs";
import { fakeBrowser } from "./fake-browser.js";

const snippet = await buildSnippet();
const BASES = ["https://t.example.com", "https://s.example.com"];
const PATH = "/s/demo.js";
const rendered = renderSnippet(snippet, BASES, PATH);

test("snippet_template_keepsPlaceholdersAsArguments", () => {
  assert.match(snippet, /,__SPOR_BASES__,__SPOR_PATH__\);$/);
});

test("snippet_withRealisticBases_isAtMost500Bytes", () => {
  assert.ok(!rendered.includes("__SPOR_"), rendered);
  assert.ok(Buffer.byteLength(rendered) <= 500, `${Buffer.byteLength(rendered)} bytes`);
});

test("snippet_run_createsQueueAndLoadsFirstBaseAsync", () => {
  const browser = fakeBrowser();
  browser.run(rendered);

  assert.ok(Array.isArray(browser.window._spor));
  assert.equal(browser.window._spor.length, 0);
  assert.equal(browser.appended.length, 1);
  assert.equal(browser.appended[0].src, "https://t.example.com/s/demo.js");
  assert.equal(browser.appended[0].async, true);
});

test("snippet_existingQueue_keepsQueuedCommands", () => {
  const queued = [["trackPageView"]];
  const browser = fakeBrowser({ spor: queued });
  browser.run(rendered);

  assert.equal(browser.window._spor, queued);
  assert.deepEqual(Array.from(browser.window._spor), [["trackPageView"]]);
  assert.deepEqual(Array.from(browser.window._spor.b), BASES, "the pasted aliases travel with the queue");
});

test("snippet_baseFails_triesNextBaseThenStops", () => {
  const browser = fakeBrowser();
  browser.run(rendered);

  browser.appended[0].fail();
  assert.equal(browser.appended.length, 2);
  assert.equal(browser.appended[1].src, "https://s.example.com/s/demo.js");
  assert.equal(browser.appended[1].async, true);

  browser.appended[1].fail();
  browser.appended[0].fail();
  assert.equal(browser.appended.length, 2);
});

test("snippet_withCspNonce_givesItToEveryScriptItTries", () => {
  const browser = fakeBrowser({ scriptSrc: "", nonce: "r4nd0m" });
  browser.run(rendered);
  // As in a browser: currentScript is null when the error handler runs.
  browser.document.currentScript = null;
  browser.appended[0].fail();

  assert.deepEqual(browser.appended.map((s) => s.nonce), ["r4nd0m", "r4nd0m"]);
});

test("snippet_withoutNonce_setsNone", () => {
  const browser = fakeBrowser({ scriptSrc: null });
  browser.run(rendered);

  assert.equal(browser.appended[0].nonce, "");
});

test("snippet_noDocumentHead_appendsToFirstScriptsParent", () => {
  const browser = fakeBrowser({ withHead: false });
  browser.run(rendered);

  assert.equal(browser.appended.length, 1);
  assert.equal(browser.appended[0].src, "https://t.example.com/s/demo.js");
});

test("snippet_relativeBases_loadsFromSameOrigin", () => {
  const browser = fakeBrowser();
  browser.run(renderSnippet(snippet, ["/sa", "/sb"], PATH));
  browser.appended[0].fail();

  assert.deepEqual(browser.appended.map((s) => s.src), ["/sa/s/demo.js", "/sb/s/demo.js"]);
});

test("snippet_brokenDocument_doesNotThrow", () => {
  const browser = fakeBrowser();
  browser.window.document.createElement = () => {
    throw new Error("blocked");
  };
  assert.doesNotThrow(() => browser.run(rendered));
  assert.ok(Array.isArray(browser.window._spor));
});
