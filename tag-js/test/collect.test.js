// The collection chunk (c.js) with the tracker that loads it, against a fake server: page views
// of single-page apps, setPath, trackEvent, identify, downloads, doNotTrack, delivery with
// failover, the retry queue, sendBeacon, and that nothing leaves without consent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCollect, buildTracker, CONFIG_PLACEHOLDER } from "../build.mjs";
import { EVENT_ID, FakeElement, FakeStorage, fakeBrowser, fakeFetch, settle } from "./fake-browser.js";

const template = await buildTracker();
const collect = await buildCollect();
const DEMO = { site: "demo", bases: ["/sa", "/sb"], path: "/s/demo.js", endpoint: "/s/demo", v: "abc" };
const ORIGIN = "http://localhost:8080";
const APP = `${ORIGIN}/demo/app.html`;
const POLICY = { id: "default", revision: 1, mode: "opt-in", categories: ["necessary", "analytics"], texts: { title: "Privacy" } };
const ALLOWED = { policy: POLICY, decision: { action: "accept-all", categories: ["necessary", "analytics"] },
  analytics: true, banner: false, categories: ["necessary", "analytics"] };
const UNDECIDED = { policy: POLICY, decision: null, analytics: false, banner: true, categories: ["necessary"] };
const QUEUE = "spor:q:demo";

/** Answers GET and POST state with `state` and `decided`, beacons with 204. */
function server(state = ALLOWED, decided = ALLOWED) {
  return (request) => request.url.includes("/state")
    ? { status: 200, body: request.method === "GET" ? state : decided }
    : { status: 204 };
}

/**
 * Loads the served tracker (from alias /sa) into a fake page that runs c.js when the tracker
 * loads it, from either alias.
 */
function load({ respond = server(), cfg = {}, ...browserOptions } = {}) {
  const fake = fakeFetch(respond);
  const chunks = [];
  const browser = fakeBrowser({
    href: APP,
    scriptSrc: `${ORIGIN}/sa/s/demo.js`,
    fetch: fake.fetch,
    serve: (src) => {
      if (/^\/s[ab]\/s\/demo\/c\.js\?v=abc$/.test(src)) {
        chunks.push(src);
        return collect;
      }
      return null;
    },
    ...browserOptions,
  });
  browser.run(template.split(CONFIG_PLACEHOLDER).join(JSON.stringify({ ...DEMO, ...cfg })));
  return { browser, server: fake, queue: browser.window._spor, chunks };
}

/** Runs the timers due within `ms`, then lets every answer arrive. */
async function tick(browser, ms = 0) {
  browser.timers.advance(ms);
  await settle();
}

/** POSTs to `path` below the endpoint (any alias): "/p" page views, "/e" events; none: both. */
function posts(server, path) {
  return server.calls.filter((call) => call.method === "POST"
    && (path ? call.url.endsWith(`/s/demo${path}`) : /\/s\/demo\/[pe]$/.test(call.url)));
}

function urls(server) {
  return posts(server, "/p").map((call) => call.body.url);
}

function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

test("spa_firstPageThreeNavigationsAndBack_exactlyFivePageViews", async () => {
  const { browser, server } = load();
  await settle();
  const { history, location } = browser.window;

  history.pushState({}, "", "?view=reports");
  await tick(browser);
  history.pushState({}, "", "?view=settings");
  await tick(browser);
  history.pushState({}, "", "/demo/other");
  await tick(browser);
  location.href = `${APP}?view=settings`; // the Back button
  browser.dispatchWindow("popstate");
  await tick(browser);

  assert.deepEqual(urls(server), [APP, `${APP}?view=reports`, `${APP}?view=settings`, `${ORIGIN}/demo/other`, `${APP}?view=settings`]);
  assert.equal(new Set(posts(server, "/p").map((call) => call.body.eventId)).size, 5);
});

test("spa_replaceStateSamePathAndHashOnly_addNoPageView", async () => {
  const { browser, server } = load();
  await settle();
  const { history } = browser.window;

  history.replaceState({}, "", "app.html");
  await tick(browser);
  history.pushState({}, "", "#section");
  await tick(browser);
  browser.window.location.href = `${APP}#other`;
  browser.dispatchWindow("hashchange");
  await tick(browser);
  history.replaceState({}, "", "?tab=1");
  history.pushState({}, "", "?tab=2"); // one router navigation: checked once
  await tick(browser);

  assert.deepEqual(urls(server), [APP, `${APP}?tab=2`]);
});

test("spa_hashConfigured_hashChangeIsAPageView", async () => {
  const { browser, server } = load({ cfg: { hash: true } });
  await settle();
  browser.window.history.pushState({}, "", "#/reports");
  await tick(browser);

  assert.deepEqual(urls(server), [APP, `${APP}#/reports`]);
});

test("spa_navigationBeforeChunkRuns_countsOnce", async () => {
  const { browser, server } = load();
  browser.window.history.pushState({}, "", "?view=early"); // before the chunk is there
  await settle();
  await tick(browser);

  assert.deepEqual(urls(server), [APP, `${APP}?view=early`]);
});

test("commandsBeforeChunk_handedOverInOrder_withThePageTheyWerePushedOn", async () => {
  const { browser, server, queue, chunks } = load({
    title: "App",
    spor: [["setPath", "/virtual/start"], ["identify", { email: "ada@example.com" }], ["trackEvent", "queued"]],
  });
  queue.push(["trackEvent", "pushed", { n: 1 }]);
  assert.deepEqual(chunks, [], "the chunk waits for the consent state");
  await settle();

  assert.deepEqual(chunks, ["/sa/s/demo/c.js?v=abc"]);
  const sent = posts(server, "");
  assert.deepEqual(sent.map((call) => [call.url, call.body.name || call.body.url]), [
    ["/sa/s/demo/p", `${ORIGIN}/virtual/start`],
    ["/sa/s/demo/e", "queued"],
    ["/sa/s/demo/e", "pushed"],
  ]);
  assert.equal(sent[0].body.title, "App");
  assert.deepEqual(sent[0].body.identify, { email: "ada@example.com", properties: {} });
  assert.equal(sent[2].body.url, `${ORIGIN}/virtual/start`, "same address: setPath still applies");
  void browser;
});

test("setPath_appliesUntilTheAppNavigates_invalidIgnored", async () => {
  const { browser, server, queue } = load();
  await settle();
  queue.push(["setPath", "no-slash"], ["setPath", 42], ["trackPageView"]);
  queue.push(["setPath", "/checkout/step-1"], ["trackPageView"], ["trackEvent", "clicked"]);
  await settle();
  browser.window.history.pushState({}, "", "/demo/next");
  await tick(browser);

  assert.deepEqual(urls(server), [APP, APP, `${ORIGIN}/checkout/step-1`, `${ORIGIN}/demo/next`]);
  assert.equal(posts(server, "/e")[0].body.url, `${ORIGIN}/checkout/step-1`);
});

test("trackEvent_sendsNameFlatPropertiesAndPage_junkIgnored", async () => {
  const before = Date.now();
  const { server, queue } = load();
  await settle();
  queue.push(["trackEvent", "signup", { plan: "pro", seats: 3, yearly: false, bad: NaN, nested: { a: 1 }, f() {}, nothing: null }]);
  queue.push(["trackEvent", ""], ["trackEvent", 7], ["trackEvent"]);
  await settle();

  const events = posts(server, "/e");
  assert.equal(events.length, 1);
  assert.deepEqual(Object.keys(events[0].body), ["eventId", "type", "name", "properties", "url", "clientTime", "webdriver"]);
  assert.equal(events[0].body.type, "event");
  assert.equal(events[0].body.name, "signup");
  assert.deepEqual(events[0].body.properties, { plan: "pro", seats: 3, yearly: false });
  assert.equal(events[0].body.url, APP);
  assert.match(events[0].body.eventId, EVENT_ID);
  assert.ok(events[0].body.clientTime >= before);
  assert.equal(events[0].init.keepalive, true);
  assert.equal(events[0].init.credentials, "include");
  assert.equal(events[0].init.headers, undefined);
});

test("trackEvent_moreThanTwentyProperties_keepsTheFirstTwenty", async () => {
  const { server, queue } = load();
  await settle();
  const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, i]));
  queue.push(["trackEvent", "many", many]);
  await settle();

  assert.equal(Object.keys(posts(server, "/e")[0].body.properties).length, 20);
});

test("identify_sentWithNextBeaconOnlyOnce_junkIgnored", async () => {
  const { server, queue } = load();
  await settle();
  queue.push(["identify", { email: "undefined" }], ["identify", { email: "" }], ["identify", null], ["identify", "a@b.c"]);
  queue.push(["trackEvent", "no identity yet"]);
  queue.push(["identify", { email: " ada@example.com ", plan: "pro", deep: {} }], ["identify", { email: "null" }]);
  queue.push(["trackEvent", "identified"], ["trackPageView"]);
  await settle();

  const sent = posts(server, "").slice(1); // after the landing page's view
  assert.deepEqual(sent.map((call) => call.body.identify),
    [undefined, { email: "ada@example.com", properties: { plan: "pro" } }, undefined]);
});

test("identify_withHmac_sendsItBesideThePropertiesNotAmongThem", async () => {
  const { server, queue } = load();
  await settle();
  queue.push(["identify", { email: "ada@example.com", hmac: "ab12cd34ef56ab12cd34ef56", plan: "pro" }]);
  queue.push(["trackEvent", "signed in"]);
  queue.push(["identify", { email: "bob@example.com", hmac: 42 }], ["trackEvent", "again"]);
  await settle();

  const sent = posts(server, "/e");
  assert.deepEqual(sent[0].body.identify,
    { email: "ada@example.com", properties: { plan: "pro" }, hmac: "ab12cd34ef56ab12cd34ef56" });
  assert.deepEqual(sent[1].body.identify, { email: "bob@example.com", properties: {} });
});

test("doNotTrack_stopsEverythingEmptiesQueueAndIsRemembered", async () => {
  const local = new FakeStorage();
  const first = load({ localStorage: local });
  await settle();
  local.setItem(QUEUE, JSON.stringify([["/p", { eventId: "left-over" }]]));
  first.queue.push(["doNotTrack"]);
  first.queue.push(["trackEvent", "x"], ["trackPageView"]);
  first.browser.window.history.pushState({}, "", "?view=2");
  await tick(first.browser);
  first.browser.hide({ pagehide: true });

  assert.equal(local.getItem("spor:dnt"), "1");
  assert.equal(local.getItem(QUEUE), null);
  assert.equal(posts(first.server, "").length, 1, "the landing page's view only, sent before");
  assert.deepEqual(first.browser.beacons, []);

  const second = load({ localStorage: local });
  await settle();
  assert.deepEqual(second.chunks, [], "under doNotTrack the chunk is not even loaded");
  assert.deepEqual(posts(second.server, ""), []);

  second.queue.push(["doNotTrack", false], ["trackPageView"]);
  await settle();
  assert.equal(local.getItem("spor:dnt"), null);
  assert.deepEqual(second.chunks, ["/sa/s/demo/c.js?v=abc"]);
  assert.deepEqual(urls(second.server), [APP], "the landing page's view is not sent late");
});

test("doNotTrack_decisionCarriesNoEventId", async () => {
  const { browser, server: fake, queue, chunks } = load({ respond: server(UNDECIDED, ALLOWED), localStorage: new FakeStorage({ "spor:dnt": "1" }) });
  await settle();
  browser.dispatch("spor:b", { detail: { show: (options) => options.decide("accept-all") } });
  await settle();
  queue.push(["trackPageView"]);
  await settle();

  const decision = posts(fake, "/state")[0];
  assert.equal("eventId" in decision.body, false);
  assert.equal(decision.body.url, APP);
  assert.deepEqual(posts(fake, "/p"), []);
  assert.deepEqual(chunks, []);
});

test("failover_networkErrorOnFirstAlias_beaconsGoToSecondAndItIsRemembered", async () => {
  const session = new FakeStorage();
  const respond = (request) => {
    if (request.url.startsWith("/sa/")) {
      throw new TypeError("Failed to fetch");
    }
    return server()(request);
  };
  const first = load({ respond, sessionStorage: session });
  await settle();
  first.queue.push(["trackEvent", "after"]);
  await settle();

  assert.deepEqual(first.server.calls.map((call) => call.method + " " + call.url.split("?")[0]), [
    "GET /sa/s/demo/state", "GET /sb/s/demo/state", "POST /sb/s/demo/p", "POST /sb/s/demo/e",
  ]);
  assert.deepEqual(first.chunks, ["/sb/s/demo/c.js?v=abc"], "the chunk comes from the alias that works");
  assert.equal(session.getItem("spor:b:demo"), "/sb");

  const next = load({ respond, sessionStorage: session });
  await settle();
  assert.equal(next.queue.base, "/sa");
  assert.deepEqual(next.server.calls.map((call) => call.url.split("?")[0]), ["/sb/s/demo/state", "/sb/s/demo/p"]);
});

test("failover_serverErrorFromFirstAlias_beaconRepeatedOnSecond", async () => {
  const { server: fake } = load({
    respond: (request) => request.url.includes("/state") ? { status: 200, body: ALLOWED }
      : { status: request.url.startsWith("/sa/") ? 502 : 204 },
  });
  await settle();

  assert.deepEqual(posts(fake, "/p").map((call) => call.url), ["/sa/s/demo/p", "/sb/s/demo/p"]);
  assert.equal(posts(fake, "/p")[0].body.eventId, posts(fake, "/p")[1].body.eventId);
});

test("retryQueue_undeliveredKeptWithSameEventId_resentWithBackoff", async () => {
  const local = new FakeStorage();
  let down = true;
  const { browser, server: fake } = load({
    localStorage: local,
    respond: (request) => request.url.includes("/state") ? { status: 200, body: ALLOWED } : { status: down ? 503 : 204 },
  });
  await settle();

  const queued = JSON.parse(local.getItem(QUEUE));
  assert.equal(queued.length, 1);
  assert.equal(queued[0][0], "/p");
  assert.deepEqual(browser.timers.waiting(), [1000]);
  await tick(browser, 1000);
  assert.deepEqual(browser.timers.waiting(), [2000]);
  await tick(browser, 2000);
  assert.deepEqual(browser.timers.waiting(), [4000]);
  down = false;
  await tick(browser, 4000);

  const ids = posts(fake, "/p").map((call) => call.body.eventId);
  assert.equal(ids.length, 7, "both aliases in three rounds, the first alias in the fourth");
  assert.deepEqual(new Set(ids), new Set([queued[0][1].eventId]));
  assert.equal(local.getItem(QUEUE), null);
  assert.deepEqual(browser.timers.waiting(), []);
});

test("retryQueue_backoffStopsGrowingAt64Seconds", async () => {
  const { browser } = load({ respond: (request) => request.url.includes("/state") ? { status: 200, body: ALLOWED } : { status: 500 } });
  await settle();
  for (const delay of [1000, 2000, 4000, 8000, 16000, 32000, 64000]) {
    assert.deepEqual(browser.timers.waiting(), [delay]);
    await tick(browser, delay);
  }
  assert.deepEqual(browser.timers.waiting(), [64000]);
});

test("retryQueue_leftByAnEarlierPage_sentOnceConsentIsKnown", async () => {
  const local = new FakeStorage({ [QUEUE]: JSON.stringify([["/e", { eventId: "1-2-3-4", type: "event", name: "earlier" }]]) });
  const { server: fake } = load({ localStorage: local });
  await settle();

  assert.deepEqual(posts(fake, "").map((call) => call.url.slice(-2)), ["/p", "/e"]);
  assert.equal(posts(fake, "/e")[0].body.eventId, "1-2-3-4");
  assert.equal(local.getItem(QUEUE), null);
});

test("retryQueue_answerBelow500IsFinal_403NotRetried", async () => {
  const local = new FakeStorage();
  const { browser, server: fake } = load({
    localStorage: local,
    respond: (request) => request.url.includes("/state") ? { status: 200, body: ALLOWED } : { status: 403, body: { error: "no_consent" } },
  });
  await settle();
  await tick(browser, 120000);

  assert.equal(posts(fake, "/p").length, 1);
  assert.equal(local.getItem(QUEUE), null);
  assert.deepEqual(browser.timers.waiting(), []);
});

test("retryQueue_boundedTo50ItemsAnd32KiB_oldestDropped", async () => {
  const local = new FakeStorage();
  const { queue } = load({
    localStorage: local,
    respond: (request) => { if (!request.url.includes("/state")) throw new TypeError("offline"); return { status: 200, body: ALLOWED }; },
  });
  await settle();
  for (let i = 0; i < 60; i++) {
    queue.push(["trackEvent", `e${i}`]);
  }
  await settle();
  let kept = JSON.parse(local.getItem(QUEUE));
  assert.equal(kept.length, 50);
  assert.equal(kept.at(-1)[1].name, "e59");

  queue.push(["trackEvent", "big", { text: "x".repeat(4000) }], ["trackEvent", "big2", { text: "y".repeat(4000) }]);
  for (let i = 0; i < 8; i++) {
    queue.push(["trackEvent", `big${i + 3}`, { text: "z".repeat(4000) }]);
  }
  await settle();
  kept = local.getItem(QUEUE);
  assert.ok(kept.length <= 32768, `${kept.length} chars`);
  assert.equal(JSON.parse(kept).at(-1)[1].name, "big10");
});

test("withoutConsent_noChunkNoBeaconNothingQueued_leftOversCleared", async () => {
  const local = new FakeStorage({ [QUEUE]: JSON.stringify([["/p", { eventId: "old" }]]) });
  const { browser, server: fake, queue, chunks } = load({
    localStorage: local,
    respond: server(UNDECIDED, UNDECIDED),
    spor: [["trackPageView"], ["trackEvent", "early"]],
  });
  queue.push(["trackEvent", "before answer"]);
  await settle();
  queue.push(["trackPageView"], ["trackEvent", "after"], ["identify", { email: "a@b.c" }]);
  browser.window.history.pushState({}, "", "?view=2");
  browser.dispatch("click", { target: Object.assign(new FakeElement({ href: "" }), { href: `${ORIGIN}/files/price-list.pdf` }) });
  browser.hide({ pagehide: true });
  await tick(browser, 60000);

  assert.deepEqual(chunks, []);
  assert.deepEqual(browser.appended.map((script) => script.src), ["/sa/s/demo/b.js?v=abc"], "the banner only");
  assert.deepEqual(fake.calls.map((call) => call.method), ["GET"]);
  assert.deepEqual(browser.beacons, []);
  assert.equal(local.getItem(QUEUE), null);
});

test("acceptInBanner_loadsChunk_noPageViewForThatPage_earlierCommandsDropped", async () => {
  const { browser, server: fake, queue, chunks } = load({
    respond: server(UNDECIDED, ALLOWED),
    spor: [["trackEvent", "before consent"], ["setPath", "/virtual"], ["identify", { email: "ada@example.com" }]],
  });
  await settle();
  assert.deepEqual(chunks, []);
  browser.dispatch("spor:b", { detail: { show: (options) => options.decide("accept-all") } });
  await settle();

  assert.deepEqual(chunks, ["/sa/s/demo/c.js?v=abc"]);
  const decision = posts(fake, "/state")[0];
  assert.equal(decision.body.url, `${ORIGIN}/virtual`, "the decision reports setPath's path");
  assert.deepEqual(posts(fake, "/p"), [], "the server stored this page's view from the decision");
  assert.deepEqual(posts(fake, "/e"), [], "nothing pushed before consent is sent");

  queue.push(["trackEvent", "after consent"]);
  browser.window.history.pushState({}, "", "/demo/next");
  await tick(browser);
  assert.deepEqual(posts(fake, "").map((call) => call.body.name || call.body.url), ["after consent", `${ORIGIN}/demo/next`]);
  assert.equal(posts(fake, "/e")[0].body.identify.email, "ada@example.com");
});

test("revokeConsent_stopsSendingAtOnceAndEmptiesQueue", async () => {
  const local = new FakeStorage();
  let down = true;
  const revoked = { ...UNDECIDED, banner: false };
  const { browser, server: fake, queue } = load({
    localStorage: local,
    respond: (request) => request.url.includes("/state")
      ? { status: 200, body: request.method === "GET" ? ALLOWED : revoked }
      : { status: down ? 503 : 204 },
  });
  await settle();
  assert.equal(JSON.parse(local.getItem(QUEUE)).length, 1);
  const before = posts(fake, "/p").length;

  queue.push(["revokeConsent"], ["trackEvent", "right after"]);
  assert.equal(local.getItem(QUEUE), null, "emptied at once");
  down = false;
  await settle();
  queue.push(["trackPageView"]);
  browser.window.history.pushState({}, "", "?view=2");
  await tick(browser, 120000);
  browser.hide({ pagehide: true });

  assert.equal(posts(fake, "/p").length, before);
  assert.deepEqual(posts(fake, "/e"), []);
  assert.deepEqual(browser.beacons, []);
  assert.equal(local.getItem(QUEUE), null);
});

test("downloadClick_isADownloadEventNotAPageView", async () => {
  const { browser, server: fake } = load({ cfg: { downloads: ["pdf", "key"] } });
  await settle();
  const link = (href) => Object.assign(new FakeElement({ href: "" }), { href });
  const hosted = browser.dispatch("click", { target: link(`${ORIGIN}/files/report`) });
  browser.dispatch("click", { target: new FakeElement({}, link(`${ORIGIN}/docs/Slides.KEY`)) });
  browser.dispatch("click", { target: link(`${ORIGIN}/demo/pricing.html`) });
  browser.dispatch("click", { target: link(`${ORIGIN}/demo/archive.zip`) }); // not configured
  browser.dispatch("click", { target: link(`${ORIGIN}/sb/files/price-list.pdf`) });
  await settle();

  assert.equal(hosted.defaultPrevented, false, "the download goes on");
  assert.deepEqual(posts(fake, "/e").map((call) => [call.body.type, call.body.name]), [
    ["download", `${ORIGIN}/files/report`],
    ["download", `${ORIGIN}/docs/Slides.KEY`],
    ["download", `${ORIGIN}/sb/files/price-list.pdf`],
  ]);
  assert.deepEqual(urls(fake), [APP]);
});

test("downloads_defaultExtensions", async () => {
  const { browser, server: fake } = load();
  await settle();
  for (const extension of ["pdf", "zip", "dmg", "exe", "docx", "xlsx", "pptx", "csv", "mp3", "mp4", "html", "png"]) {
    browser.dispatch("click", { target: Object.assign(new FakeElement({ href: "" }), { href: `${ORIGIN}/a/file.${extension}` }) });
  }
  await settle();

  assert.deepEqual(posts(fake, "/e").map((call) => call.body.name.split(".").pop()),
    ["pdf", "zip", "dmg", "exe", "docx", "xlsx", "pptx", "csv", "mp3", "mp4"]);
});

test("webdriverFlag_reportedOnEveryBeacon", async () => {
  const automated = load({ webdriver: true });
  await settle();
  automated.queue.push(["trackEvent", "x"]);
  await settle();
  const human = load();
  await settle();

  assert.deepEqual(posts(automated.server, "").map((call) => call.body.webdriver), [true, true]);
  assert.deepEqual(posts(human.server, "").map((call) => call.body.webdriver), [false]);
});

test("pageHidden_undeliveredBeaconsGoBySendBeaconToTheWorkingAlias", async () => {
  const { browser, server: fake, queue } = load({
    respond: (request) => request.url.includes("/state") ? { status: 200, body: ALLOWED } : { status: 500 },
  });
  await settle();
  browser.hide();
  queue.push(["trackEvent", "while hidden"]);
  browser.dispatchWindow("pagehide");
  await settle();

  assert.deepEqual(browser.beacons.map((beacon) => [beacon.url, beacon.type, beacon.body.name || beacon.body.url]), [
    ["/sa/s/demo/p", "string", APP],
    ["/sa/s/demo/e", "string", "while hidden"],
  ]);
  assert.equal(posts(fake, "/e").length, 0, "a beacon handed to sendBeacon is not fetched too");
});

test("chunk_addsNoGlobalsAndLoadsWithTheTrackersNonce", async () => {
  const { browser, chunks } = load({ nonce: "n0nce" });
  const before = new Set(Object.keys(browser.window));
  await settle();

  assert.deepEqual(chunks, ["/sa/s/demo/c.js?v=abc"]);
  assert.equal(browser.appended[0].nonce, "n0nce");
  assert.equal(browser.appended[0].async, true);
  assert.deepEqual(Object.keys(browser.window).filter((key) => !before.has(key)), []);
});

test("chunk_loadFails_askedForAgainAfterTheNextAnswer", async () => {
  const fake = fakeFetch(server(ALLOWED, ALLOWED));
  const browser = fakeBrowser({ href: APP, scriptSrc: `${ORIGIN}/sa/s/demo.js`, fetch: fake.fetch });
  browser.run(template.split(CONFIG_PLACEHOLDER).join(JSON.stringify(DEMO)));
  await settle();
  browser.appended[0].fail();
  browser.window._spor.push(["showBanner"]);
  browser.dispatch("spor:b", { detail: { show: (options) => options.decide("accept-all") } });
  await settle();

  assert.deepEqual(browser.appended.map((script) => script.src.split("?")[0]),
    ["/sa/s/demo/c.js", "/sa/s/demo/b.js", "/sa/s/demo/c.js"]);
});

test("chunk_runTwice_secondIsIgnored", async () => {
  const { browser, server: fake } = load();
  await settle();
  browser.run(collect);
  browser.window._spor.push(["trackEvent", "once"]);
  await settle();

  assert.equal(posts(fake, "/e").length, 1);
});

test("everyAliasDown_commandsPushedLaterAreNotHeld_noChunk", async () => {
  const { browser, server: fake, queue, chunks } = load({ respond: () => { throw new TypeError("offline"); } });
  await settle();
  queue.push(["trackPageView"], ["trackEvent", "x"]);
  await tick(browser, 60000);

  assert.deepEqual(chunks, []);
  assert.deepEqual(posts(fake, ""), []);
  assert.deepEqual(browser.beacons, []);
});
