import { test } from "node:test";
import assert from "node:assert/strict";
import { createConsent } from "../src/consent.js";

const DECISION = { action: "custom", categories: ["necessary", "analytics"], at: "2025-03-01T10:00:00Z", source: "banner" };

function answer(fields = {}) {
  return {
    policy: { id: "default", revision: 3, mode: "opt-in", categories: ["necessary", "analytics", "advertisement"], lang: "en", texts: { title: "Your privacy" } },
    decision: null,
    gpc: false,
    banner: false,
    analytics: false,
    categories: ["necessary"],
    ...fields,
  };
}

test("set_answer_listenerGetsCategoriesAnalyticsDecisionAndPolicy", () => {
  const consent = createConsent();
  const seen = [];
  consent.listen((state) => seen.push(state));
  consent.set(answer({ analytics: true, categories: ["necessary", "analytics"], decision: DECISION }));

  assert.equal(seen.length, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(seen[0])), {
    categories: ["necessary", "analytics"],
    analytics: true,
    decision: DECISION,
    policy: { id: "default", revision: 3 },
  });
});

test("listen_afterStateKnown_calledOnceAtOnceThenOnEveryAnswer", () => {
  const consent = createConsent();
  consent.set(answer());
  const seen = [];
  consent.listen((state) => seen.push(state.analytics));
  assert.deepEqual(seen, [false]);

  consent.set(answer({ analytics: true, categories: ["necessary", "analytics"] }));
  assert.deepEqual(seen, [false, true]);
});

test("listen_beforeStateKnown_notCalledUntilAnAnswer", () => {
  const consent = createConsent();
  let calls = 0;
  consent.listen(() => calls++);

  assert.equal(calls, 0);
});

test("set_throwingListener_otherListenersStillCalled", () => {
  const consent = createConsent();
  const seen = [];
  consent.listen(() => seen.push("first"));
  consent.listen(() => {
    throw new Error("site bug");
  });
  consent.listen(() => seen.push("third"));

  assert.doesNotThrow(() => consent.set(answer()));
  assert.deepEqual(seen, ["first", "third"]);
  assert.doesNotThrow(() => consent.listen(() => {
    throw new Error("late site bug");
  }));
});

test("listen_notAFunction_ignored", () => {
  const consent = createConsent();
  consent.set(answer());
  const seen = [];

  for (const listener of [null, undefined, "fn", 42, {}]) {
    assert.doesNotThrow(() => consent.listen(listener));
  }
  consent.listen((state) => seen.push(state.analytics));
  assert.doesNotThrow(() => consent.set(answer({ analytics: true })));
  assert.deepEqual(seen, [false, true]);
});

test("set_stateGivenToListeners_isFrozen", () => {
  const consent = createConsent();
  let state;
  consent.listen((s) => {
    state = s;
  });
  consent.set(answer({ decision: DECISION }));

  assert.ok(Object.isFrozen(state));
  assert.ok(Object.isFrozen(state.categories));
  assert.ok(Object.isFrozen(state.decision));
  assert.ok(Object.isFrozen(state.decision.categories));
  assert.ok(Object.isFrozen(state.policy));
  assert.throws(() => state.categories.push("advertisement"), TypeError);
  assert.deepEqual([...state.categories], ["necessary"]);
});

test("set_notAnObject_ignoredAndListenersNotCalled", () => {
  const consent = createConsent();
  let calls = 0;
  consent.listen(() => calls++);

  for (const bad of [null, undefined, "ok", 42, true]) {
    assert.equal(consent.set(bad), undefined);
  }
  consent.listen(() => calls++); // no state yet: not called at once
  assert.equal(calls, 0);
});

test("set_unexpectedShapes_neverThrowAndGrantNothing", () => {
  const consent = createConsent();
  const shapes = [
    {},
    [],
    { policy: "x", decision: 5, categories: "analytics", analytics: "true", banner: 1 },
    { policy: { categories: [1, null, "analytics"], texts: "<b>hi</b>", revision: "2" }, decision: { categories: "all" } },
  ];
  for (const shape of shapes) {
    const state = consent.set(shape);
    assert.equal(state.analytics, false, JSON.stringify(shape));
    assert.deepEqual([...state.categories], ["necessary"]);
    assert.deepEqual({ ...state.policy }, { id: "", revision: 0 });
  }
  assert.deepEqual({ ...consent.set(shapes[3]).decision, categories: [] }, { action: "", categories: [], at: "", source: "" });
  assert.deepEqual([...consent.set(shapes[3]).decision.categories], []);
});

test("set_categoriesWithoutNecessary_necessaryIsAlwaysGranted", () => {
  const consent = createConsent();

  assert.deepEqual([...consent.set(answer({ categories: ["analytics"] })).categories], ["necessary", "analytics"]);
  assert.deepEqual([...consent.set(answer({ categories: null })).categories], ["necessary"]);
});
