/**
 * Page views and what every beacon carries (collection chunk): the setPath command's
 * virtual path, the page's fields, the clock and the automation flag.
 */
import { eventId } from "./page.js";

/** While held commands replay, the page one was pushed on: [href, title, time]; else null. */
var then = null;

/** The path set by setPath, or null; and the address (URL without fragment) it was used on. */
var virtualPath = null;
var usedOn = "";

/**
 * Makes the page views and events made from now on be of the page `snapshot` describes, as
 * the core saw it when it held a command; null: of the page as it is now.
 *
 * @param {[unknown, string, string, number] | null} snapshot [command, href, title, time]
 */
export function seenAt(snapshot) {
  then = snapshot;
}

/** The page's URL (the held command's while one replays). */
function href() {
  return then ? then[1] : location.href;
}

/** The page's URL without its fragment: what tells one page of a single-page app from another. */
function address() {
  return href().split("#")[0];
}

/**
 * The setPath command: the next page view (or event) is of `location.origin + path`, and so
 * is every one after it while the address stays the one it was first used on. Ignored unless
 * path is a string starting with "/".
 *
 * @param {unknown} path
 */
export function setPath(path) {
  if (/^\//.test(path)) {
    virtualPath = path;
    usedOn = "";
  }
}

/** The URL that page views and events report: the page's, or the one setPath gave. */
export function pageUrl() {
  if (usedOn && usedOn !== address()) {
    virtualPath = null; // the app navigated away from the page setPath was for
  }
  if (virtualPath === null) {
    return href();
  }
  usedOn = address();
  return location.origin + virtualPath;
}

/**
 * Adds what every beacon carries: the browser's clock and whether it is driven by automation
 * (navigator.webdriver), which the server flags and leaves out of reports.
 *
 * @template T
 * @param {T} body
 * @returns {T & {clientTime: number, webdriver: boolean}}
 */
export function stamp(body) {
  body.clientTime = then ? then[3] : Date.now();
  body.webdriver = navigator.webdriver === true;
  return body;
}

/**
 * The current page as a page view, with a new event id, stamped now.
 *
 * @returns {{eventId: string, url: string, title: string, referrer: string, clientTime: number,
 *   webdriver: boolean}}
 */
export function pageView() {
  return stamp({
    eventId: eventId(),
    url: pageUrl(),
    title: then ? then[2] : document.title,
    referrer: document.referrer
  });
}
