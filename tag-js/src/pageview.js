/**
 * Page views: what one carries and how it is sent.
 *
 * Only ever called when the server's latest answer allows analytics. A page view goes to
 * POST {endpoint}/p with a keepalive fetch, so it survives the page being left; the server
 * answers 204 when stored, 403 {"error":"no_consent"} when the browser has no consent.
 * Nothing is kept for later: an undelivered page view is dropped.
 */
import { pageEvent } from "./page.js";

/**
 * The current page as a page view, stamped now.
 *
 * @returns {{eventId: string, url: string, title: string, referrer: string, clientTime: number}}
 */
export function pageView() {
  var view = pageEvent();
  view.clientTime = Date.now();
  return view;
}

/**
 * Sends a page view; never rejects.
 *
 * @param {import("./transport.js").Transport} transport
 * @param {ReturnType<typeof pageView>} view
 * @returns {Promise<void>}
 */
export function sendPageView(transport, view) {
  return transport.send("/p", view).then(noop, noop);
}

function noop() {}
