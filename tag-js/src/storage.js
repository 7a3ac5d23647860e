/**
 * Browser storage that never throws. Values also live in this page's memory, which answers
 * when the browser refuses storage (disabled, sandboxed frame, some private modes): then a
 * value lasts as long as the page. Storage is read on every call, so what another tab wrote
 * (doNotTrack, for one) counts here at once.
 */

/** Survives the browser being closed: doNotTrack and the retry queue. */
export var LOCAL = "localStorage";
/** Lasts for the tab's session: the alias that worked. */
export var SESSION = "sessionStorage";

/** The localStorage key that holds "1" while doNotTrack is on. */
export var DNT_KEY = "spor:dnt";

/** The localStorage key of a site's retry queue, without the site key (see outbox.js). */
export var QUEUE_KEY = "spor:q:";

var memory = {};

/**
 * @param {string} area LOCAL or SESSION
 * @param {string} key
 * @returns {string | null | undefined} the value; null or undefined when there is none
 */
export function stored(area, key) {
  try {
    return window[area].getItem(key);
  } catch (e) {
    return memory[area + key];
  }
}

/**
 * @param {string} area LOCAL or SESSION
 * @param {string} key
 * @param {string} [value] the value; none removes the key
 */
export function store(area, key, value) {
  memory[area + key] = value;
  try {
    value ? window[area].setItem(key, value) : window[area].removeItem(key);
  } catch (e) {
    // Refused or full: the page's memory keeps the value.
  }
}
