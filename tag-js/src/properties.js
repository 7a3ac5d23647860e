/**
 * The properties of events and of identify: flat, and checked before they leave.
 */

/** Most properties an event or an identify carries; the server refuses more. */
export var MAX_PROPERTIES = 20;

/**
 * The own properties of value whose values are strings, booleans or finite numbers, in
 * order, at most {@link MAX_PROPERTIES}; anything else is left out. {} unless an object.
 *
 * @param {unknown} value
 * @param {string} [skip] a property name to leave out
 * @returns {Record<string, string | number | boolean>}
 */
export function flat(value, skip) {
  var properties = {};
  Object.keys(value && typeof value === "object" ? value : {}).filter((name) => {
    var item = value[name];
    // Not an object nor null, and isFinite: a boolean or a finite number (not NaN, undefined,
    // a function; a symbol or a bigint throws, and the command is ignored).
    return name !== skip && (typeof item === "string" || typeof item !== "object" && isFinite(item));
  }).slice(0, MAX_PROPERTIES).forEach((name) => {
    properties[name] = value[name];
  });
  return properties;
}

/**
 * The identify command's argument as it is sent, or null when its email is junk: not a
 * string, empty, "undefined", "null" or anything else that is not `local@domain` without spaces.
 * A string `hmac` (the site backend's signature of the email, for sites that require
 * verification) is sent beside the properties, never as one of them.
 *
 * @param {unknown} value `{email, hmac?, ...properties}`
 * @returns {{email: string, properties: Record<string, string | number | boolean>, hmac?: string} | null}
 */
export function identity(value) {
  var email = Object(value).email;
  var hmac = Object(value).hmac;
  var sent = /^[^\s@]+@[^\s@]+$/.test(email = typeof email === "string" && email.trim())
    ? { email: email, properties: flat(value, "email") }
    : null;
  if (sent) {
    delete sent.properties.hmac;
    if (typeof hmac === "string") {
      sent.hmac = hmac;
    }
  }
  return sent;
}
