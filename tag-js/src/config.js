/**
 * The site's configuration, injected by the server when it serves the script.
 *
 * @typedef {object} SporConfig
 * @property {string} site      the site key, e.g. "demo"
 * @property {string[]} bases   the script aliases (base URLs), in order of preference
 * @property {string} path      the script's path below each base, e.g. "/s/demo.js"
 * @property {string} endpoint  the site's endpoint below each base, e.g. "/s/demo": consent
 *   state, page views, events and the banner bundle live under it
 * @property {string} v         the script version (content hash), also used to version the banner
 * @property {boolean} [hash]   a change of the URL's fragment alone is a navigation of a
 *   single-page app (default false)
 * @property {string[]} [downloads] file extensions (lower case, no dot) whose links are
 *   downloads; default {@link import("./downloads.js").DOWNLOADS}
 * @property {Record<string, string>} [forms] only for a site with forms: form id to the CSS
 *   selector of its form element, "" for a form marked `data-spor-form` only
 */

/**
 * The server replaces the string literal below, quotes included, with a JSON
 * object literal. It must stay a plain `var` read once, so that the minified
 * bundle contains the literal exactly once (build.mjs checks this).
 */
var injected = "__SPOR_CONFIG__";

/**
 * Returns the injected configuration, or a falsy value when the script was served without one
 * (the placeholder was not replaced, so the value is still a string) or without an endpoint.
 *
 * @returns {SporConfig | undefined}
 */
export function readConfig() {
  return injected.endpoint && injected;
}
