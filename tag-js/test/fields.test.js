// Which fields of a submitted form the forms chunk sends (fields.js): pure, on fake fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fields, isCardNumber, MAX_FIELDS, MAX_NAME, MAX_VALUE } from "../src/fields.js";
import { FakeElement, FakeField, FakeForm } from "./fake-browser.js";

/** The fields sent for a form of `elements`, as a plain object. */
function sent(...elements) {
  return { ...fields(new FakeForm({ elements })) };
}

test("fields_textFields_sentByName", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "email", type: "email", value: "ada@example.org" }),
    new FakeField({ name: "message", tagName: "TEXTAREA", type: "textarea", value: "Hello" }),
    new FakeField({ name: "campaign", type: "hidden", value: "spring" }),
  ), { email: "ada@example.org", message: "Hello", campaign: "spring" });
});

test("fields_passwordsAndOneTimeCodes_leftOut", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "email", value: "ada@example.org" }),
    new FakeField({ name: "login", type: "password", value: "hunter2" }),
    new FakeField({ name: "choose", autocomplete: "new-password", value: "s3cret" }),
    new FakeField({ name: "code", autocomplete: "one-time-code", value: "123456" }),
    new FakeField({ name: "user_pwd", value: "named like a password" }),
  ), { email: "ada@example.org" });
});

test("fields_hiddenAntiForgeryTokens_leftOut", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "csrf_token", type: "hidden", value: "a1b2c3" }),
    new FakeField({ name: "authenticity_token", type: "hidden", value: "d4e5f6" }),
    new FakeField({ name: "_xsrf", type: "hidden", value: "g7h8" }),
    new FakeField({ name: "plan", type: "hidden", value: "team" }),
  ), { plan: "team" });
});

test("fields_paymentAutocompleteAndCardNames_leftOut", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "number", autocomplete: "cc-number", value: "4111111111111111" }),
    new FakeField({ name: "expiry", autocomplete: "billing cc-exp", value: "12/29" }),
    new FakeField({ name: "holder", autocomplete: "cc-name", value: "Ada Lovelace" }),
    new FakeField({ name: "card_cvc", value: "123" }),
    new FakeField({ name: "iban", value: "DE89370400440532013000" }),
    new FakeField({ name: "name", autocomplete: "name", value: "Ada Lovelace" }),
  ), { name: "Ada Lovelace" });
});

test("fields_markedSensitiveThemselvesOrByAnAncestor_leftOut", () => {
  const fieldset = new FakeElement({ "data-spor-sensitive": "" }, new FakeElement({}));
  assert.deepEqual(sent(
    new FakeField({ name: "diagnosis", value: "private" }, null, { "data-spor-sensitive": "" }),
    new FakeField({ name: "income", value: "100000" }, new FakeElement({}, fieldset)),
    new FakeField({ name: "company", value: "Analytical Engines" }, new FakeElement({})),
  ), { company: "Analytical Engines" });
});

test("fields_cardNumberTypedIntoAnyField_leftOut", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "notes", value: "4111 1111 1111 1111" }),
    new FakeField({ name: "reference", value: "5500-0000-0000-0004" }),
    new FakeField({ name: "order", value: "4111 1111 1111 1112" }), // fails the Luhn check
  ), { order: "4111 1111 1111 1112" });
});

test("isCardNumber_luhnAndLength", () => {
  assert.equal(isCardNumber("4111111111111111"), true);
  assert.equal(isCardNumber("4111 1111 1111 1111"), true);
  assert.equal(isCardNumber("378282246310005"), true); // 15 digits (Amex)
  assert.equal(isCardNumber("4111111111111112"), false);
  assert.equal(isCardNumber("0000000000"), false, "too short, though the sum is 0");
  assert.equal(isCardNumber("00000000000000000000"), false, "too long");
  assert.equal(isCardNumber("4111 1111 1111 111x"), false);
  assert.equal(isCardNumber(""), false);
});

test("fields_checkboxesAndMultipleSelect_joinedInOrder", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "topics", type: "checkbox", value: "pricing", checked: true }),
    new FakeField({ name: "topics", type: "checkbox", value: "support", checked: false }),
    new FakeField({ name: "topics", type: "checkbox", value: "press", checked: true }),
    new FakeField({ name: "size", type: "radio", value: "s", checked: false }),
    new FakeField({ name: "size", type: "radio", value: "m", checked: true }),
    new FakeField({
      name: "langs",
      tagName: "SELECT",
      type: "select-multiple",
      options: [{ value: "en", selected: true }, { value: "de", selected: false }, { value: "fr", selected: true }],
    }),
    new FakeField({ name: "country", tagName: "SELECT", type: "select-one", options: [{ value: "nl", selected: true }] }),
  ), { topics: "pricing, press", size: "m", langs: "en, fr", country: "nl" });
});

test("fields_buttonsFilesDisabledAndUnnamed_leftOut", () => {
  assert.deepEqual(sent(
    new FakeField({ name: "go", type: "submit", value: "Send" }),
    new FakeField({ name: "b", tagName: "BUTTON", type: "button", value: "x" }),
    new FakeField({ name: "cv", type: "file", value: "C:\\fakepath\\cv.pdf" }),
    new FakeField({ name: "old", value: "disabled", disabled: true }),
    new FakeField({ name: "", value: "no name" }),
    new FakeField({ name: "group", tagName: "FIELDSET", type: "fieldset", value: "" }),
    new FakeField({ name: "ok", value: "kept" }),
  ), { ok: "kept" });
});

test("fields_limits_namesValuesAndCount", () => {
  const many = Array.from({ length: MAX_FIELDS + 5 }, (_, i) => new FakeField({ name: `f${i}`, value: String(i) }));
  const result = sent(
    new FakeField({ name: "n".repeat(MAX_NAME + 1), value: "long name" }),
    new FakeField({ name: "n".repeat(MAX_NAME), value: "x".repeat(MAX_VALUE + 10) }),
    ...many,
  );

  assert.equal(Object.keys(result).length, MAX_FIELDS);
  assert.equal(result["n".repeat(MAX_NAME + 1)], undefined);
  assert.equal(result["n".repeat(MAX_NAME)], "x".repeat(MAX_VALUE));
  assert.equal(result[`f${MAX_FIELDS - 2}`], String(MAX_FIELDS - 2));
  assert.equal(result[`f${MAX_FIELDS - 1}`], undefined, "the names after the first 50 are left out");
});

test("fields_prototypeNames_areJustNames", () => {
  const result = fields(new FakeForm({
    elements: [new FakeField({ name: "__proto__", value: "a" }), new FakeField({ name: "constructor", value: "b" })],
  }));

  assert.deepEqual(Object.keys(result), ["__proto__", "constructor"]);
  assert.equal(Object.getOwnPropertyDescriptor(result, "__proto__").value, "a");
  assert.equal(result.constructor, "b");
  assert.equal({}.polluted, undefined);
});
