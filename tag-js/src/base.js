/**
 * Finds which script alias served this script.
 *
 * @param {string[]} bases   the configured bases, e.g. ["/sa", "/sb"]
 * @param {string} path      the script path below each base, e.g. "/s/demo.js"
 * @param {string} scriptSrc the src of the running script (may be relative or empty)
 * @param {string} pageHref  the page's URL, against which relative URLs resolve
 * @returns {string | null}  the matching base as configured; else, when the script was
 *   served under another origin or port (a proxy, plain http in tests), the script URL without
 *   its path, so the base is always the one that actually answered; null if neither fits
 */
export function findBase(bases, path, scriptSrc, pageHref) {
  var src = resolve(scriptSrc, pageHref);
  if (!src) {
    return null;
  }
  for (var i = 0; i < bases.length; i++) {
    if (resolve(bases[i] + path, pageHref) === src) {
      return bases[i];
    }
  }
  var cut = src.length - path.length;
  return path && cut > 0 && src.slice(cut) === path ? src.slice(0, cut) : null;
}

/** Absolute URL without query string and fragment, or null if it cannot be parsed. */
function resolve(url, pageHref) {
  try {
    var u = new URL(url, pageHref);
    u.search = "";
    u.hash = "";
    return u.href;
  } catch (e) {
    return null;
  }
}
