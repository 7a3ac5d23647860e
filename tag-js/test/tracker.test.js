import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTracker, CONFIG_PLACEHOLDER } from "../build.mjs";
import { fakeBrowser, fakeFetch, settle } from "./fake-browser.js";

const template = await buildTracker();
const DEMO = { site: "demo", bases: ["/sa", "/sb"], path: "/s/demo.js", endpoint: "/s/demo", v: "abc123" };

/** The tracker as the server serves it, with the config JSON in place of the placeholder. */
function served(config) {
  return template.split(CONFIG_PLACEHOLDER).join(JSON.stringify(config));
}

/** A server without the consent endpoint yet: every request is a 404. */
function notFound() {
  return fakeFetch(() => ({ status: 404, body: { error: "not_found" } })).fetch;
}

function loadDemo(options) {
  const browser = fakeBrowser({
    href: "http://localhost:8080/demo/",
    scriptSrc: "http://localhost:8080/sb/s/demo.js",
    fetch: notFound(),
    ...options,
  });
  browser.run(served(DEMO));
  return browser;
}

test("tracker_servedFromSecondAlias_exposesSiteAndBase", () => {
  const browser = loadDemo({ spor: [["unknownCommand"]] });
  const queue = browser.window._spor;

  assert.equal(Array.isArray(queue), false);
  assert.equal(queue.base, "/sb");
  assert.equal(queue.site, "demo");
  assert.doesNotThrow(() => queue.push(["x"]));
});

test("tracker_loadedTwice_keepsTheSameQueue", () => {
  const browser = loadDemo({ spor: [] });
  const first = browser.window._spor;
  browser.run(served(DEMO));

  assert.equal(browser.window._spor, first);
});

test("tracker_withoutSnippet_createsQueue", () => {
  const browser = loadDemo({ scriptSrc: "http://localhost:8080/sa/s/demo.js" });

  assert.equal(browser.window._spor.base, "/sa");
});

test("tracker_scriptUrlWithQueryString_stillMatchesBase", () => {
  const browser = loadDemo({ scriptSrc: "http://localhost:8080/sa/s/demo.js?v=abc123" });

  assert.equal(browser.window._spor.base, "/sa");
});

test("tracker_absoluteBases_matchesOnFullUrl", () => {
  const browser = fakeBrowser({
    href: "https://www.example.com/pricing",
    scriptSrc: "https://s.example.com/s/demo.js",
  });
  browser.run(served({ ...DEMO, bases: ["https://t.example.com", "https://s.example.com"] }));

  assert.equal(browser.window._spor.base, "https://s.example.com");
});

test("tracker_servedFromUnlistedOrigin_baseIsWhereItCameFrom", () => {
  const browser = loadDemo({ scriptSrc: "http://t.spor.test:8123/other/s/demo.js?v=1" });

  assert.equal(browser.window._spor.base, "http://t.spor.test:8123/other");
  assert.equal(browser.window._spor.site, "demo");
});

test("tracker_scriptUrlWithoutTheScriptPath_hasNullBase", () => {
  const browser = loadDemo({ scriptSrc: "http://localhost:8080/elsewhere.js" });

  assert.equal(browser.window._spor.base, null);
});

test("tracker_noCurrentScript_hasNullBase", () => {
  const browser = fakeBrowser({ scriptSrc: null });
  browser.run(served(DEMO));

  assert.equal(browser.window._spor.base, null);
});

test("tracker_siteAndBase_areReadOnly", () => {
  const queue = loadDemo().window._spor;
  try {
    queue.site = "other";
    queue.base = "/sa";
    queue.push = null;
  } catch {
    // Assigning a frozen property throws only in strict mode.
  }

  assert.equal(queue.site, "demo");
  assert.equal(queue.base, "/sb");
  assert.equal(typeof queue.push, "function");
});

test("tracker_malformedCommands_areIgnored", () => {
  const queued = [null, 42, "trackPageView", [], [7], ["constructor"], ["__proto__"], ["hasOwnProperty", 1]];
  const queue = loadDemo({ spor: queued }).window._spor;

  assert.doesNotThrow(() => queue.push(...queued));
  assert.doesNotThrow(() => queue.push());
});

test("tracker_addsNoGlobalsBeyondQueue", async () => {
  const browser = fakeBrowser({ scriptSrc: "http://localhost:8080/sb/s/demo.js", fetch: notFound() });
  const before = new Set(Object.keys(browser.window));
  browser.run(served(DEMO));
  browser.window._spor.push(["trackPageView"], ["showBanner"], ["onConsentChange", () => {}]);
  await settle();

  const added = Object.keys(browser.window).filter((key) => !before.has(key));
  assert.deepEqual(added, ["_spor"]);
});

test("tracker_placeholderNotReplaced_leavesPageAlone", () => {
  const queued = [["trackPageView"]];
  const browser = fakeBrowser({ spor: queued, scriptSrc: "http://localhost:8080/sb/s/demo.js" });

  assert.doesNotThrow(() => browser.run(template));
  assert.equal(browser.window._spor, queued);
});

test("tracker_configWithoutEndpoint_leavesPageAloneAndSendsNothing", async () => {
  const server = fakeFetch(() => ({ status: 500 }));
  const queued = [["trackPageView"]];
  const browser = fakeBrowser({ spor: queued, scriptSrc: "http://localhost:8080/sb/s/demo.js", fetch: server.fetch });
  const { endpoint, ...withoutEndpoint } = DEMO;
  browser.run(served(withoutEndpoint));
  await settle();

  assert.equal(endpoint, "/s/demo");
  assert.equal(browser.window._spor, queued);
  assert.deepEqual(server.calls, []);
  assert.deepEqual(browser.appended, []);
});

test("tracker_brokenBrowser_doesNotThrow", () => {
  const browser = fakeBrowser({ spor: [] });
  Object.defineProperty(browser.window.document, "currentScript", {
    get() {
      throw new Error("boom");
    },
  });

  assert.doesNotThrow(() => browser.run(served(DEMO)));
});
