// The tracker's consent flow against a fake server (a fake fetch): state on load, page views
// only with analytics (sent by the collection chunk, which the fake page runs when the tracker
// loads it), the banner bundle, decisions, revocation, commands and failover.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildBanner, buildCollect, buildTracker, CONFIG_PLACEHOLDER } from "../build.mjs";
import { EVENT_ID, FakeElement, fakeBrowser, fakeFetch, settle } from "./fake-browser.js";

const template = await buildTracker();
const collect = await buildCollect();
const DEMO = { site: "demo", bases: ["/sa", "/sb"], path: "/s/demo.js", endpoint: "/s/demo", v: "abc123" };
const HREF = "http://localhost:8080/demo/pricing.html?plan=team#top";
const PAGE = { url: HREF, title: "Pricing · Spor demo", referrer: "http://localhost:8080/demo/" };

const TEXTS = {
  title: "Your privacy",
  description: "We count visits.",
  acceptAll: "Accept all",
  rejectAll: "Reject all",
  settings: "Settings",
  save: "Save choices",
  categories: { analytics: { name: "Analytics", description: "Counts page views." } },
};
const POLICY = { id: "default", revision: 2, mode: "opt-in", categories: ["necessary", "analytics"], lang: "en", texts: TEXTS };
/** The Consent Mode signals as the server works them out (ConsentService). */
function consentMode(analytics, ads) {
  const signal = (granted) => (granted ? "granted" : "denied");
  return { analytics_storage: signal(analytics), ad_storage: signal(ads), ad_user_data: signal(ads), ad_personalization: signal(ads) };
}
/** A first visit under opt-in: no decision, banner shown, nothing allowed. */
const UNDECIDED = {
  policy: POLICY, decision: null, gpc: false, banner: true, analytics: false, categories: ["necessary"],
  consentMode: consentMode(false, false),
};
/** A visitor who accepted everything earlier. */
const ACCEPTED = {
  ...UNDECIDED,
  banner: false,
  analytics: true,
  categories: ["necessary", "analytics"],
  consentMode: consentMode(true, false),
  decision: { action: "accept-all", categories: ["necessary", "analytics"], at: "2025-03-01T10:00:00Z", source: "banner" },
};
/** A visitor who rejected everything earlier. */
const REJECTED = {
  ...UNDECIDED,
  banner: false,
  decision: { action: "reject-all", categories: ["necessary"], at: "2025-03-01T10:00:00Z", source: "banner" },
};

/**
 * Loads the served tracker (from alias /sb, with a CSP nonce) into a fake page whose server
 * answers GET state with `state`, POST state with `decided` and page views with 204.
 */
function load({ state = UNDECIDED, decided = ACCEPTED, spor, respond, gtag, config = DEMO } = {}) {
  const server = fakeFetch(respond || ((request) => {
    if (request.url.includes("/state")) {
      return { status: 200, body: request.method === "GET" ? state : decided };
    }
    return { status: request.url.endsWith("/p") ? 204 : 404 };
  }));
  const browser = fakeBrowser({
    href: HREF,
    scriptSrc: "http://localhost:8080/sb/s/demo.js?v=abc123",
    nonce: "n0nce",
    title: PAGE.title,
    referrer: PAGE.referrer,
    fetch: server.fetch,
    spor,
    serve: (src) => (src.startsWith("/sa/s/demo/c.js?") || src.startsWith("/sb/s/demo/c.js?") ? collect : null),
  });
  if (gtag) {
    browser.window.gtag = gtag;
  }
  browser.run(template.split(CONFIG_PLACEHOLDER).join(JSON.stringify(config)));
  return { browser, server, queue: browser.window._spor };
}

/** A value made in the vm as a plain value of this realm, for deepEqual. */
function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

/** Requests other than GET state and GET of the banner. */
function posts(server) {
  return server.calls.filter((call) => call.method === "POST");
}

/** Plays the banner bundle: registers a fake banner API that records what it is asked to show. */
function fakeBanner(browser) {
  const shown = [];
  browser.dispatch("spor:b", { detail: { show: (options) => shown.push(options) } });
  return shown;
}

test("load_stateRequested_fromServingAliasWithPageUrlAndLanguage", async () => {
  const { server } = load();
  await settle();

  assert.equal(server.calls[0].method, "GET");
  assert.equal(server.calls[0].url, `/sb/s/demo/state?url=${encodeURIComponent(HREF)}&lang=en`);
  assert.equal(server.calls[0].init.credentials, "include");
  assert.equal(server.calls[0].init.body, undefined);
});

test("answerWithAnalytics_sendsExactlyOnePageViewOfThisPage", async () => {
  const before = Date.now();
  const { server } = load({ state: ACCEPTED });
  await settle();

  const views = posts(server);
  assert.equal(views.length, 1);
  assert.equal(views[0].url, "/sb/s/demo/p");
  assert.deepEqual(Object.keys(views[0].body), ["eventId", "url", "title", "referrer", "clientTime", "webdriver"]);
  assert.equal(views[0].body.webdriver, false);
  assert.match(views[0].body.eventId, EVENT_ID);
  assert.equal(views[0].body.url, PAGE.url);
  assert.equal(views[0].body.title, PAGE.title);
  assert.equal(views[0].body.referrer, PAGE.referrer);
  assert.ok(views[0].body.clientTime >= before && views[0].body.clientTime <= Date.now());
  assert.equal(views[0].init.credentials, "include");
  assert.equal(views[0].init.keepalive, true);
  assert.equal(views[0].init.headers, undefined, "a string body is sent as text/plain: no preflight");
});

test("answerWithoutAnalytics_sendsNothingButTheStateRequest", async () => {
  const { server, queue } = load({ state: REJECTED });
  queue.push(["trackPageView"]);
  await settle();
  queue.push(["trackPageView"]);
  await settle();

  assert.deepEqual(server.calls.map((call) => call.method + " " + call.url.split("?")[0]), ["GET /sb/s/demo/state"]);
});

test("answerWithBanner_loadsBannerFromSameBaseWithNonce", async () => {
  const { browser } = load({ state: UNDECIDED });
  await settle();

  assert.equal(browser.appended.length, 1);
  assert.equal(browser.appended[0].src, "/sb/s/demo/b.js?v=abc123");
  assert.equal(browser.appended[0].async, true);
  assert.equal(browser.appended[0].nonce, "n0nce");
});

test("answerWithoutBanner_loadsNoBanner", async () => {
  const { browser } = load({ state: REJECTED });
  await settle();

  assert.deepEqual(browser.appended, []);
});

test("bannerRegistered_showsFirstLayerWithPolicyTexts", async () => {
  const { browser } = load({ state: { ...UNDECIDED, gpc: true } });
  await settle();
  const shown = fakeBanner(browser);

  assert.equal(shown.length, 1);
  assert.equal(shown[0].view, "first");
  assert.equal(shown[0].dismissible, false);
  assert.equal(shown[0].answer.gpc, true);
  assert.equal(shown[0].answer.decision, null);
  assert.equal(shown[0].answer.policy.mode, "opt-in");
  assert.deepEqual(plain(shown[0].answer.policy.categories), ["necessary", "analytics"]);
  assert.deepEqual(plain(shown[0].answer.policy.texts), TEXTS);
});

test("realBannerBundle_registersWithTrackerAndIsAskedToRender", async () => {
  const { browser } = load({ state: UNDECIDED });
  await settle();
  assert.equal(browser.created.includes("spor-banner"), false);

  browser.run(await buildBanner());

  // The fake document has no DOM: the banner's first createElement is the proof it was called.
  assert.ok(browser.created.includes("spor-banner"), browser.created.join());
});

test("decisionInBanner_postsStateAndSendsNoSeparatePageView", async () => {
  const { browser, server } = load({ state: UNDECIDED, decided: ACCEPTED });
  await settle();
  const shown = fakeBanner(browser);
  shown[0].decide("custom", ["analytics"]);
  await settle();

  const sent = posts(server);
  assert.equal(sent.length, 1, JSON.stringify(sent.map((call) => call.url)));
  assert.equal(sent[0].url, "/sb/s/demo/state");
  assert.equal(sent[0].init.credentials, "include");
  assert.deepEqual(Object.keys(sent[0].body).sort(), ["action", "categories", "eventId", "lang", "referrer", "source", "title", "url"]);
  assert.equal(sent[0].body.action, "custom");
  assert.deepEqual(sent[0].body.categories, ["analytics"]);
  assert.equal(sent[0].body.url, PAGE.url);
  assert.equal(sent[0].body.lang, "en");
  assert.equal(sent[0].body.title, PAGE.title);
  assert.equal(sent[0].body.referrer, PAGE.referrer);
  assert.match(sent[0].body.eventId, EVENT_ID);
  assert.equal(sent[0].body.source, "banner");
});

test("acceptAllInBanner_bodyHasNoCategories_listenersAndGtagHearNewState", async () => {
  const gtagCalls = [];
  const { browser, server, queue } = load({ state: UNDECIDED, decided: ACCEPTED, gtag: (...args) => gtagCalls.push(args) });
  const seen = [];
  queue.push(["onConsentChange", (state) => seen.push(state.analytics)]);
  await settle();
  fakeBanner(browser)[0].decide("accept-all");
  await settle();

  assert.equal(posts(server)[0].body.action, "accept-all");
  assert.equal("categories" in posts(server)[0].body, false);
  assert.deepEqual(seen, [false, true]);
  assert.deepEqual(gtagCalls.map((call) => [call[0], call[1], call[2].analytics_storage]),
    [["consent", "update", "denied"], ["consent", "update", "granted"]]);
});

test("trackPageView_afterAcceptOnAnotherUrl_isSent", async () => {
  const { browser, server, queue } = load({ state: UNDECIDED, decided: ACCEPTED });
  await settle();
  fakeBanner(browser)[0].decide("accept-all");
  await settle();
  browser.window.location.href = "http://localhost:8080/demo/app.html?view=reports";
  queue.push(["trackPageView"]);
  await settle();

  const views = posts(server).filter((call) => call.url.endsWith("/p"));
  assert.deepEqual(views.map((call) => call.body.url), ["http://localhost:8080/demo/app.html?view=reports"]);
});

test("revokeConsent_postsRevokeThenListenersAndGtagHearIt", async () => {
  const gtagCalls = [];
  const revoked = { ...UNDECIDED, decision: null, banner: true };
  const { server, queue } = load({ state: ACCEPTED, decided: revoked, gtag: (...args) => gtagCalls.push(args) });
  const seen = [];
  queue.push(["onConsentChange", (state) => seen.push([state.analytics, state.decision && state.decision.action])]);
  await settle();
  queue.push(["revokeConsent"]);
  await settle();

  const revoke = posts(server).filter((call) => call.url.endsWith("/state"));
  assert.equal(revoke.length, 1);
  assert.equal(revoke[0].body.action, "revoke");
  assert.equal(revoke[0].body.source, "api");
  assert.equal("categories" in revoke[0].body, false);
  assert.match(revoke[0].body.eventId, EVENT_ID);
  assert.deepEqual(seen, [[true, "accept-all"], [false, null]]);
  assert.equal(gtagCalls.at(-1)[2].analytics_storage, "denied");
});

test("commandsQueuedBeforeLoad_runAfterLoad", async () => {
  const seen = [];
  const { browser, server } = load({
    state: ACCEPTED,
    spor: [["onConsentChange", (state) => seen.push(state)], ["showBanner"], ["trackPageView"]],
  });
  await settle();

  assert.equal(seen.length, 1);
  assert.deepEqual(plain(seen[0].categories), ["necessary", "analytics"]);
  assert.equal(seen[0].analytics, true);
  assert.equal(seen[0].decision.action, "accept-all");
  assert.deepEqual(plain(seen[0].policy), { id: "default", revision: 2 });
  // The queued trackPageView is this page's view: sent once, not twice.
  assert.equal(posts(server).filter((call) => call.url.endsWith("/p")).length, 1);
  assert.deepEqual(browser.appended.map((script) => script.src), ["/sb/s/demo/c.js?v=abc123", "/sb/s/demo/b.js?v=abc123"]);
  const shown = fakeBanner(browser);
  assert.equal(shown.length, 1);
  assert.equal(shown[0].view, "settings");
  assert.equal(shown[0].dismissible, true);
  assert.deepEqual(plain(shown[0].answer.decision.categories), ["necessary", "analytics"]);
});

test("trackPageView_beforeAnswerOnAnotherUrl_sentAfterTheLandingPage", async () => {
  const { browser, server, queue } = load({ state: ACCEPTED });
  browser.window.location.href = "http://localhost:8080/demo/app.html?view=settings";
  queue.push(["trackPageView"]);
  await settle();

  const views = posts(server).filter((call) => call.url.endsWith("/p"));
  assert.deepEqual(views.map((call) => call.body.url), [HREF, "http://localhost:8080/demo/app.html?view=settings"]);
  assert.notEqual(views[0].body.eventId, views[1].body.eventId);
});

test("onConsentChange_afterStateKnown_calledOnceAtOnce", async () => {
  const { queue } = load({ state: REJECTED });
  await settle();
  const seen = [];
  queue.push(["onConsentChange", (state) => seen.push(state.analytics)]);

  assert.deepEqual(seen, [false]);
});

test("settingsLinkClick_opensBannerInSettingsView", async () => {
  const { browser, server } = load({ state: REJECTED, decided: REJECTED });
  await settle();
  assert.deepEqual(browser.appended, []);

  const link = new FakeElement({ href: "#", "data-spor-consent-settings": "" });
  const click = browser.dispatch("click", { target: new FakeElement({}, link) });
  const other = browser.dispatch("click", { target: new FakeElement({ href: "/pricing" }) });

  assert.equal(click.defaultPrevented, true);
  assert.equal(other.defaultPrevented, false);
  assert.equal(browser.appended.length, 1);
  const shown = fakeBanner(browser);
  assert.equal(shown[0].view, "settings");
  assert.deepEqual(plain(shown[0].answer.decision.categories), ["necessary"]);
  shown[0].decide("reject-all");
  await settle();
  assert.deepEqual(posts(server).map((call) => [call.url, call.body.action, call.body.source]),
    [["/sb/s/demo/state", "reject-all", "settings"]]);
});

test("decisionFromSettings_hasSourceSettings", async () => {
  const { browser, server, queue } = load({ state: REJECTED, decided: ACCEPTED });
  await settle();
  queue.push(["showBanner"]);
  fakeBanner(browser)[0].decide("accept-all");
  await settle();

  assert.equal(posts(server)[0].body.source, "settings");
});

test("modeNone_showBannerLoadsNothing", async () => {
  const none = { policy: { id: "privacy-pages", revision: 1, mode: "none", categories: ["necessary"], texts: null },
    decision: null, gpc: false, banner: false, analytics: false, categories: ["necessary"] };
  const { browser, server, queue } = load({ state: none });
  queue.push(["showBanner"]);
  await settle();

  assert.deepEqual(browser.appended, []);
  assert.equal(server.calls.length, 1);
});

test("gtag_calledAfterFirstAnswerWithTheServersSignals", async () => {
  const calls = [];
  const signals = consentMode(true, true);
  load({ state: { ...ACCEPTED, consentMode: signals }, gtag: (...args) => calls.push(args) });
  await settle();

  assert.deepEqual(plain(calls), [["consent", "update", signals]]);
});

test("gtag_throwing_stillLoadsTheChunkAndShowsTheBanner", async () => {
  const thrower = () => {
    throw new Error("broken gtag");
  };
  const accepted = load({ state: ACCEPTED, gtag: thrower });
  const undecided = load({ state: UNDECIDED, gtag: thrower });
  await settle();

  assert.ok(accepted.browser.appended.some((script) => script.src.includes("/c.js?")));
  assert.ok(undecided.browser.appended.some((script) => script.src.includes("/b.js?")));
});

test("gtag_missingOrNotAFunction_listenersStillHearEveryAnswer", async () => {
  for (const gtag of [undefined, "not a function", { push() {} }]) {
    const seen = [];
    const listen = ["onConsentChange", (state) => seen.push(state.analytics)];
    const { queue } = load({ state: ACCEPTED, decided: UNDECIDED, gtag, spor: [listen] });
    await settle();
    queue.push(["revokeConsent"]);
    await settle();

    assert.deepEqual(seen, [true, false], String(gtag));
  }
});

test("failover_firstBaseUnreachable_requestGoesToSecondAndStaysThere", async () => {
  const { server, queue } = load({
    state: ACCEPTED,
    respond: (request) => {
      if (request.url.startsWith("/sb/")) {
        throw new TypeError("Failed to fetch");
      }
      return request.url.includes("/state") ? { status: 200, body: ACCEPTED } : { status: 204 };
    },
  });
  await settle();
  queue.push(["revokeConsent"]);
  await settle();

  assert.deepEqual(server.calls.map((call) => call.method + " " + call.url.split("?")[0]), [
    "GET /sb/s/demo/state",
    "GET /sa/s/demo/state",
    "POST /sa/s/demo/p",
    "POST /sa/s/demo/state",
  ]);
});

test("failover_serverError_triesNextBase_clientErrorDoesNot", async () => {
  const { server, queue } = load({
    state: ACCEPTED,
    respond: (request) => {
      if (request.url.includes("/state")) {
        return request.url.startsWith("/sb/") ? { status: 503 } : { status: 200, body: ACCEPTED };
      }
      return { status: 403, body: { error: "no_consent" } };
    },
  });
  await settle();
  queue.push(["trackPageView"]);
  await settle();

  assert.deepEqual(server.calls.map((call) => call.method + " " + call.url.split("?")[0]), [
    "GET /sb/s/demo/state",
    "GET /sa/s/demo/state",
    "POST /sa/s/demo/p",
    "POST /sa/s/demo/p",
  ]);
});

test("everyBaseDown_noStateNoPageViewNoThrow", async () => {
  const seen = [];
  const { server, queue } = load({
    spor: [["onConsentChange", () => seen.push("called")], ["trackPageView"]],
    respond: () => {
      throw new TypeError("Failed to fetch");
    },
  });
  await settle();
  assert.doesNotThrow(() => queue.push(["trackPageView"], ["showBanner"]));
  await settle();

  assert.deepEqual(server.calls.map((call) => call.url.split("?")[0]), ["/sb/s/demo/state", "/sa/s/demo/state"]);
  assert.deepEqual(seen, []);
});

test("brokenAnswers_neverThrowAndSendNothing", async () => {
  for (const state of [null, "ok", [], { analytics: "yes", banner: "yes" }, { policy: 7, decision: "x" }]) {
    const { browser, server, queue } = load({ state });
    queue.push(["showBanner"], ["trackPageView"]);
    await settle();

    assert.deepEqual(posts(server), [], JSON.stringify(state));
    assert.deepEqual(browser.appended, [], JSON.stringify(state));
  }
});

test("answerNotJson_treatedAsNoAnswer", async () => {
  const { server } = load({ respond: () => ({ status: 200 }) });
  await settle();

  assert.deepEqual(posts(server), []);
});
