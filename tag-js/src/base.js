/**
 * Finds which script alias served this script.
 *
 * @param {string[]} bases  the configured bases, e.g. ["/sa", "/sb"]
 * @param {string} path     the script path below each base, e.g. "/s/demo.js"
 * @param {string} src      the src of the running script (may be relative or empty)
 * @returns {string | null} the matching base as configured; else, when the script was served
 *   under another origin or port (a proxy, plain http in tests), the script URL without its
 *   path, so the base is always the one that actually answered; null if neither fits
 */
export function findBase(bases, path, src) {
  var url = absolute(src);
  return !url.endsWith(path) ? null
    : bases.find((base) => absolute(base + path) === url) || url.slice(0, -path.length);
}

/** Absolute URL without query string and fragment. */
function absolute(url) {
  url = new URL(url, location.href);
  url.search = url.hash = "";
  return url.href;
}
