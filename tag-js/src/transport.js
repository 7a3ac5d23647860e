/**
 * Requests to the site's endpoint, with failover between the script aliases. One per page.
 *
 * Every request goes first to the alias that last worked: the one remembered for this tab's
 * session (sessionStorage, else the page's memory), at the start the one that served the
 * script. On a network error or a 5xx answer it is repeated on the other aliases in their
 * configured order; the first alias that answers below 500 is the one used from then on, and
 * is remembered for the session, so the next pages skip an alias that failed.
 *
 * Requests always carry the cookies (`credentials: "include"`): the consent and tracking
 * cookies are HttpOnly and set by the server, the script never reads or writes them.
 * POST bodies are JSON passed to fetch as a string, which fetch always sends as
 * `Content-Type: text/plain;charset=UTF-8`; with no other header set, a cross-origin
 * request stays "simple" (no CORS preflight).
 */
import { SESSION, store, stored } from "./storage.js";

/** The aliases, the one to try first at the start. */
var order;
var endpoint;
var key;

/**
 * @param {string | null} base the alias that served the script
 * @param {import("./config.js").SporConfig} cfg its `bases` (in order of preference),
 *   `endpoint` (below each alias) and `site`
 */
export function useAliases(base, cfg) {
  var remembered = stored(SESSION, key = "spor:b:" + cfg.site);
  endpoint = cfg.endpoint;
  // The remembered alias only while it is still configured.
  prefer([cfg.bases.indexOf(remembered) < 0 ? base : remembered, base].concat(cfg.bases));
}

/** Makes `aliases` the order, each once, without the null of an unknown base. */
function prefer(aliases) {
  order = aliases.filter((alias, i) => alias && aliases.indexOf(alias) === i);
}

/** The endpoint's URL on the alias the next request goes to first. */
export function endpointUrl() {
  return order[0] + endpoint;
}

/**
 * Requests `path` below the endpoint (e.g. "/state?url=..." or "/p"): a POST of `body` as
 * JSON when given, else a GET.
 *
 * @param {string} path
 * @param {object} [body]
 * @returns {Promise<Response>} the first response below 500; rejects when every alias failed,
 *   with the last one's network error or 5xx response
 */
export function send(path, body) {
  var init = body
    ? { method: "POST", keepalive: true, body: JSON.stringify(body) }
    : { cache: "no-store" };
  init.credentials = "include";
  var attempt = (tried) => fetch(tried[0] + endpoint + path, init).then((response) => {
    if (response.status > 499) {
      throw response; // to the next alias, as a network error is
    }
    prefer([tried[0]].concat(order));
    store(SESSION, key, tried[0]);
    return response;
  }).catch((failure) => {
    if (tried[1]) {
      return attempt(tried.slice(1));
    }
    throw failure;
  });
  return attempt(order.slice());
}
