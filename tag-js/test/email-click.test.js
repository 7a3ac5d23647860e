// A landing from a marketing email (the `sptk` token in the URL): the tracker takes the token
// out of the address bar before anything reads the URL and posts the click to /t, once, and
// once more when a later answer allows analytics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTracker, CONFIG_PLACEHOLDER } from "../build.mjs";
import { EVENT_ID, FakeStorage, fakeBrowser, fakeFetch, settle } from "./fake-browser.js";

const template = await buildTracker();
const ORIGIN = "http://localhost:8080";
const TOKEN = "tok_3fA9-x.Q7zK2mN8pL";
const DEMO = { site: "demo", bases: ["/sa", "/sb"], path: "/s/demo.js", endpoint: "/s/demo", v: "abc" };
const POLICY = {
  id: "default", revision: 1, mode: "opt-in", categories: ["necessary", "analytics"],
  texts: { title: "Privacy" },
};
const UNDECIDED = { policy: POLICY, decision: null, analytics: false, banner: true, categories: ["necessary"] };
const ACCEPTED = {
  policy: POLICY, analytics: true, banner: false, categories: ["necessary", "analytics"],
  decision: { action: "accept-all", categories: ["necessary", "analytics"], at: "2025-03-01T10:00:00Z", source: "banner" },
};
const REJECTED = { ...UNDECIDED, banner: false, decision: { action: "reject-all", categories: ["necessary"] } };

/**
 * Loads the served tracker into a fake page at `href`; the server answers GET state with
 * `state`, POST state with the next of `decisions`, /t and the rest with 204.
 */
function load(href, { state = UNDECIDED, decisions = [], ...options } = {}) {
  const next = [...decisions];
  const server = fakeFetch((request) => {
    if (request.url.includes("/state")) {
      return { status: 200, body: request.method === "GET" ? state : next.shift() };
    }
    return { status: 204 };
  });
  const browser = fakeBrowser({ href, scriptSrc: `${ORIGIN}/sa/s/demo.js`, fetch: server.fetch, ...options });
  browser.run(template.split(CONFIG_PLACEHOLDER).join(JSON.stringify(DEMO)));
  return { browser, server, queue: browser.window._spor };
}

/** The bodies of POST /t. */
function clicks(server) {
  return server.calls.filter((call) => call.url.endsWith("/s/demo/t")).map((call) => call.body);
}

/** Plays the banner bundle: registers a fake banner API; returns what it is asked to show. */
function fakeBanner(browser) {
  const shown = [];
  browser.dispatch("spor:b", { detail: { show: (options) => shown.push(options) } });
  return shown;
}

test("emailLink_tokenTakenOutOfTheAddressKeepingTheOtherParametersAndTheFragment", async () => {
  const { browser, server } = load(`${ORIGIN}/demo/offer.html?utm_source=mail&sptk=${TOKEN}&x=1#top`);
  await settle();

  const clean = `${ORIGIN}/demo/offer.html?utm_source=mail&x=1#top`;
  assert.equal(browser.window.location.href, clean);
  assert.equal(server.calls[0].url, `/sa/s/demo/state?url=${encodeURIComponent(clean)}&lang=en`);
  assert.equal(server.calls.some((call) => call.url.includes(TOKEN) || JSON.stringify(call.body || {}).includes(`sptk=`)), false);
});

test("emailLink_tokenAnywhereInTheQuery_onlyItIsRemoved", async () => {
  const cases = [
    [`?sptk=${TOKEN}`, ""],
    [`?sptk=${TOKEN}&a=1`, "?a=1"],
    [`?a=1&sptk=${TOKEN}`, "?a=1"],
    [`?a=%20b&sptk=${TOKEN}&c=d+e&flag`, "?a=%20b&c=d+e&flag"],
  ];
  for (const [query, left] of cases) {
    const { browser } = load(`${ORIGIN}/demo/offer.html${query}#h`);
    await settle();

    assert.equal(browser.window.location.href, `${ORIGIN}/demo/offer.html${left}#h`, query);
  }
});

test("emailLink_historyStateIsKept", async () => {
  const browser = fakeBrowser({ href: `${ORIGIN}/demo/?sptk=${TOKEN}`, scriptSrc: `${ORIGIN}/sa/s/demo.js`,
    fetch: fakeFetch(() => ({ status: 204 })).fetch });
  browser.window.history.state = { route: "home" };
  browser.run(template.split(CONFIG_PLACEHOLDER).join(JSON.stringify(DEMO)));

  assert.deepEqual(browser.window.history.state, { route: "home" });
  assert.equal(browser.window.history.length, 1, "replaced, not pushed");
});

test("emailLink_noConsent_clickPostedOnceAfterTheFirstAnswer", async () => {
  const { server } = load(`${ORIGIN}/demo/offer.html?sptk=${TOKEN}`, { state: REJECTED });
  await settle();

  assert.equal(server.calls[0].method, "GET", "the state first");
  const posted = clicks(server);
  assert.equal(posted.length, 1);
  assert.deepEqual(Object.keys(posted[0]), ["eventId", "token", "url"]);
  assert.match(posted[0].eventId, EVENT_ID);
  assert.equal(posted[0].token, TOKEN);
  assert.equal(posted[0].url, `${ORIGIN}/demo/offer.html`);
});

test("emailLink_consentGivenLater_clickPostedAgainOnceWithTheSameEventId", async () => {
  const { browser, server, queue } = load(`${ORIGIN}/demo/offer.html?sptk=${TOKEN}`,
    { decisions: [REJECTED, ACCEPTED, REJECTED, ACCEPTED] });
  await settle();
  const shown = fakeBanner(browser);
  assert.equal(clicks(server).length, 1);

  shown[0].decide("reject-all");
  await settle();
  assert.equal(clicks(server).length, 1, "not again while analytics is not allowed");

  queue.push(["showBanner"]);
  shown[1].decide("accept-all");
  await settle();
  const posted = clicks(server);
  assert.equal(posted.length, 2);
  assert.deepEqual(posted[1], posted[0]);

  queue.push(["revokeConsent"]);
  await settle();
  queue.push(["showBanner"]);
  shown[2].decide("accept-all");
  await settle();
  assert.equal(server.calls.filter((call) => call.method === "POST" && call.url.endsWith("/state")).length, 4);
  assert.equal(clicks(server).length, 2, "never again on this page");
});

test("emailLink_consentAtOnce_clickPostedOnce", async () => {
  const { server } = load(`${ORIGIN}/demo/offer.html?sptk=${TOKEN}`, { state: ACCEPTED });
  await settle();

  assert.equal(clicks(server).length, 1);
});

test("emailLink_doNotTrack_tokenTakenOutAndNotPosted", async () => {
  const { browser, server } = load(`${ORIGIN}/demo/offer.html?sptk=${TOKEN}&a=1`,
    { state: ACCEPTED, localStorage: new FakeStorage({ "spor:dnt": "1" }) });
  await settle();

  assert.equal(browser.window.location.href, `${ORIGIN}/demo/offer.html?a=1`);
  assert.deepEqual(clicks(server), []);
});

test("notAToken_addressLeftAloneAndNothingPosted", async () => {
  for (const query of ["?sptk=short", "?sptk=has%20space12345", "?xsptk=" + TOKEN, "?a=1#sptk=" + TOKEN]) {
    const href = `${ORIGIN}/demo/offer.html${query}`;
    const { browser, server } = load(href, { state: ACCEPTED });
    await settle();

    assert.equal(browser.window.location.href, href, query);
    assert.deepEqual(clicks(server), [], query);
  }
});
