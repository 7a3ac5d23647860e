/**
 * The fields of a submitted form as the forms chunk sends them, with everything secret left
 * out. Pure: reads the form's elements, changes nothing.
 */

/** Most fields one submission carries; the ones after are left out. */
export var MAX_FIELDS = 50;
/** Longest field name; a field with a longer name is left out. */
export var MAX_NAME = 100;
/** Longest value; a longer one is cut to this length. */
export var MAX_VALUE = 2000;

/** Names of fields that hold secrets, never sent. */
var SECRET_NAME = /pass|pwd|card|cvc|cvv|ccnum|iban|ssn|secret/i;
/** Names of hidden fields that hold anti-forgery tokens, never sent. */
var TOKEN_NAME = /csrf|xsrf|token|authenticity/i;
/** Autocomplete tokens of payment data and credentials, never sent. */
var SECRET_AUTOCOMPLETE = /(^|\s)(cc-|(new|current)-password(\s|$)|one-time-code(\s|$))/i;
/** Input types whose value is not the visitor's text. */
var NOT_TEXT = /^(submit|button|reset|image|file)$/;

/**
 * Whether a value looks like a payment card number: 13 to 19 digits once spaces and dashes
 * are removed, passing the Luhn check.
 *
 * @param {string} value
 * @returns {boolean}
 */
export function isCardNumber(value) {
  var digits = value.replace(/[\s-]/g, "");
  var sum = 0;
  for (var i = digits.length; i--;) {
    var digit = digits[i] * ((digits.length - i) % 2 ? 1 : 2);
    sum += digit > 9 ? digit - 9 : digit;
  }
  return /^\d{13,19}$/.test(digits) && sum % 10 === 0;
}

/**
 * Whether a field is never sent: a password, an anti-forgery token, payment or one-time-code
 * autocomplete, a name that sounds secret, or the field or an element around it marked
 * `data-spor-sensitive`.
 *
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} field
 * @returns {boolean}
 */
export function isSensitive(field) {
  return field.type === "password"
    || field.type === "hidden" && TOKEN_NAME.test(field.name)
    || SECRET_AUTOCOMPLETE.test(field.autocomplete || "")
    || SECRET_NAME.test(field.name)
    || !!field.closest("[data-spor-sensitive]");
}

/**
 * The values a field submits: the selected options of a select, the value of a ticked
 * checkbox or radio button, else its value; none for buttons, files, disabled fields and
 * elements that are not inputs, selects or text areas.
 *
 * @param {Element} field
 * @returns {string[]}
 */
function values(field) {
  var type = field.type;
  return field.disabled || !/^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName) || NOT_TEXT.test(type)
    || /^(checkbox|radio)$/.test(type) && !field.checked ? []
    : /^select/.test(type) ? [].filter.call(field.options, (option) => option.selected).map((option) => option.value)
    : [field.value];
}

/**
 * The form's named fields as sent: name to value, several values of one name (checkboxes, a
 * multiple select) joined by ", ". String values only, each cut to {@link MAX_VALUE}; at most
 * {@link MAX_FIELDS} names of at most {@link MAX_NAME} characters; sensitive fields (see
 * {@link isSensitive}) and values that look like card numbers are left out.
 *
 * @param {HTMLFormElement} form
 * @returns {Record<string, string>}
 */
export function fields(form) {
  // No prototype: a field may be named "constructor" or "__proto__".
  var found = Object.create(null);
  var names = [];
  [].forEach.call(form.elements, (field) => {
    var name = field.name;
    if (typeof name === "string" && name && name.length <= MAX_NAME && !isSensitive(field)) {
      values(field).forEach((value) => {
        if (typeof value === "string" && !isCardNumber(value)
            && (found[name] || names.length < MAX_FIELDS && names.push(name))) {
          (found[name] = found[name] || []).push(value);
        }
      });
    }
  });
  var sent = Object.create(null);
  names.forEach((name) => {
    sent[name] = found[name].join(", ").slice(0, MAX_VALUE);
  });
  return sent;
}
