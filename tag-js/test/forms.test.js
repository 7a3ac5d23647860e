// The forms chunk (f.js): which form a submitted form is (formId), and the chunk as the tracker
// loads it into a fake page whatever the consent state, against a fake server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCollect, buildForms, buildTracker, CONFIG_PLACEHOLDER } from "../build.mjs";
import { formId } from "../src/forms.js";
import { EVENT_ID, FakeField, FakeForm, FakeStorage, fakeBrowser, fakeFetch, settle } from "./fake-browser.js";

const template = await buildTracker();
const collect = await buildCollect();
const forms = await buildForms();
const ORIGIN = "http://localhost:8080";
const CONTACT = `${ORIGIN}/demo/contact.html?ref=nav#form`;
const FORMS = { contact: "", newsletter: "#footer > form" };
const DEMO = { site: "demo", bases: ["/sa", "/sb"], path: "/s/demo.js", endpoint: "/s/demo", v: "abc", forms: FORMS };
const POLICY = { id: "default", revision: 1, mode: "opt-in", categories: ["necessary", "analytics"], texts: { title: "Privacy" } };
const UNDECIDED = { policy: POLICY, decision: null, analytics: false, banner: true, categories: ["necessary"] };

test("formId_markedWithAConfiguredId_isThatFormWhateverItMatches", () => {
  const form = new FakeForm({ attributes: { "data-spor-form": "contact" }, selectors: ["#footer > form"] });

  assert.equal(formId(form, FORMS), "contact");
});

test("formId_selector_firstConfiguredIdWhoseSelectorMatches", () => {
  const form = new FakeForm({ selectors: ["#footer > form", "form.b"] });

  assert.equal(formId(form, FORMS), "newsletter");
  assert.equal(formId(form, { a: "form.a", b: "form.b", c: "#footer > form" }), "b");
});

test("formId_markedWithAnUnknownId_fallsBackToTheSelectors", () => {
  assert.equal(formId(new FakeForm({ attributes: { "data-spor-form": "other" }, selectors: ["#footer > form"] }), FORMS), "newsletter");
  assert.equal(formId(new FakeForm({ attributes: { "data-spor-form": "other" } }), FORMS), undefined);
});

test("formId_noSelectorOrOneTheBrowserRejects_matchesNothing", () => {
  const form = new FakeForm({ selectors: ["form"] });

  assert.equal(formId(form, { contact: "", broken: "!!", plain: "form" }), "plain");
  assert.equal(formId(form, { contact: "", broken: "!!" }), undefined);
  assert.equal(formId(new FakeForm(), {}), undefined);
});

/**
 * Loads the served tracker (from alias /sb) into a fake page that runs c.js and f.js when the
 * tracker loads them; the server answers state with `state` and everything else with 204.
 */
function load({ cfg = DEMO, state = UNDECIDED, spor, ...options } = {}) {
  const server = fakeFetch((request) => (request.url.includes("/state")
    ? { status: 200, body: state }
    : { status: 204 }));
  const browser = fakeBrowser({
    href: CONTACT,
    title: "Contact",
    scriptSrc: `${ORIGIN}/sb/s/demo.js`,
    nonce: "n0nce",
    fetch: server.fetch,
    spor,
    serve: (src) => (/\/c\.js\?v=abc$/.test(src) ? collect : /\/f\.js\?v=abc$/.test(src) ? forms : null),
    ...options,
  });
  browser.run(template.split(CONFIG_PLACEHOLDER).join(JSON.stringify(cfg)));
  return { browser, server };
}

/** A submit of `form`, as the browser dispatches it on document. */
function submit(browser, form) {
  return browser.dispatch("submit", { target: form });
}

const contactForm = () => new FakeForm({
  attributes: { "data-spor-form": "contact" },
  elements: [
    new FakeField({ name: "email", type: "email", value: "ada@example.org" }),
    new FakeField({ name: "password", type: "password", value: "hunter2" }),
    new FakeField({ name: "send", type: "submit", value: "Send" }),
  ],
});

test("siteWithForms_noConsent_formsChunkLoadedAndCollectionChunkNot", async () => {
  const { browser } = load();
  await settle();

  const scripts = browser.appended.map((script) => [script.src, script.nonce]);
  assert.deepEqual(scripts.filter(([src]) => !src.includes("/b.js")), [["/sb/s/demo/f.js?v=abc", "n0nce"]]);
});

test("siteWithoutForms_formsChunkNotLoaded", async () => {
  const { forms: ignored, ...noForms } = DEMO;
  const { browser } = load({ cfg: noForms });
  await settle();

  assert.equal(browser.appended.some((script) => script.src.includes("/f.js")), false);
});

test("doNotTrack_formsChunkNotLoaded", async () => {
  const { browser } = load({ localStorage: new FakeStorage({ "spor:dnt": "1" }) });
  await settle();

  assert.equal(browser.appended.some((script) => script.src.includes("/f.js")), false);
});

test("submitOfAConfiguredForm_noConsent_oneBeaconWithoutSecretsAndTheSubmitGoesOn", async () => {
  const { browser, server } = load();
  await settle();

  const event = submit(browser, contactForm());

  assert.equal(event.defaultPrevented, false);
  assert.equal(browser.beacons.length, 1);
  const beacon = browser.beacons[0];
  assert.equal(beacon.url, "/sb/s/demo/f");
  assert.equal(beacon.type, "string", "a string: sent as text/plain, no preflight");
  assert.deepEqual(Object.keys(beacon.body), ["eventId", "form", "url", "title", "fields"]);
  assert.match(beacon.body.eventId, EVENT_ID);
  assert.equal(beacon.body.form, "contact");
  assert.equal(beacon.body.url, CONTACT);
  assert.equal(beacon.body.title, "Contact");
  assert.deepEqual(beacon.body.fields, { email: "ada@example.org" });
  assert.equal(server.calls.some((call) => call.url.endsWith("/f")), false, "no fetch besides the beacon");
});

test("submitOfAFormMatchingASelector_sentWithThatId", async () => {
  const { browser } = load();
  await settle();

  submit(browser, new FakeForm({ selectors: ["#footer > form"], elements: [new FakeField({ name: "email", value: "b@example.org" })] }));

  assert.deepEqual(browser.beacons.map((beacon) => beacon.body.form), ["newsletter"]);
});

test("submitOfAnotherForm_sendsNothing", async () => {
  const { browser, server } = load();
  await settle();

  submit(browser, new FakeForm({ attributes: { "data-spor-form": "search" }, selectors: ["form.search"] }));
  submit(browser, { tagName: "DIV" });
  await settle();

  assert.deepEqual(browser.beacons, []);
  assert.equal(server.calls.some((call) => call.url.endsWith("/f")), false);
});

test("submit_afterDoNotTrackTurnedOn_sendsNothing", async () => {
  const { browser } = load();
  await settle();
  browser.window._spor.push(["doNotTrack"]);

  submit(browser, contactForm());

  assert.deepEqual(browser.beacons, []);
});

test("submit_withoutSendBeacon_postsWithFetch", async () => {
  const { browser, server } = load({ sendBeacon: false });
  await settle();

  submit(browser, contactForm());
  await settle();

  const posted = server.calls.filter((call) => call.url.endsWith("/f"));
  assert.equal(posted.length, 1);
  assert.equal(posted[0].url, "/sb/s/demo/f");
  assert.equal(posted[0].method, "POST");
  assert.equal(posted[0].init.keepalive, true);
  assert.equal(posted[0].body.form, "contact");
});

test("submit_afterSetPath_reportsTheVirtualPath", async () => {
  const { browser } = load({ spor: [["setPath", "/contact/step-2"]] });
  await settle();

  submit(browser, contactForm());

  assert.equal(browser.beacons[0].body.url, `${ORIGIN}/contact/step-2`);
});
