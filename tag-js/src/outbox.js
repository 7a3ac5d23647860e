/**
 * Delivery of beacons (page views and events), with a retry queue (collection chunk). One
 * per page.
 *
 * Only used for a browser whose consent allows analytics. Each beacon is written to a small
 * queue in localStorage first, then sent; it leaves the queue when the server has answered
 * below 500: 2xx (stored) and 4xx (403 no consent, 400 invalid, 413 too large: sending it
 * again would not help) alike. After a network error or a 5xx from every alias it stays, and
 * the queue is sent again after 1 s, 2 s, 4 s ... (at most 64 s), and on the next page load
 * once the consent state allows analytics. A beacon keeps its event id however often it is
 * sent, and the server stores an id once, so a beacon sent twice counts once.
 *
 * While the page is hidden (tab switched, page being left) beacons go by navigator.sendBeacon,
 * which the browser delivers even after the page is gone (fetch keepalive is missing in older
 * browsers); a beacon sent so is not sent again by this page, but stays in the queue until a
 * later page has its answer. sendBeacon sends the cookies too (credentials "include"), and a
 * string body as text/plain, so it needs no CORS preflight either; its answer cannot be read.
 *
 * The queue holds at most {@link MAX_ITEMS} beacons and {@link MAX_CHARS} characters of JSON,
 * the oldest dropped first, which also keeps what is sent at once far below the 64 KiB that
 * keepalive requests and beacons in flight may carry together.
 */
import { LOCAL, QUEUE_KEY } from "./storage.js";

export var MAX_ITEMS = 50;
export var MAX_CHARS = 32768;

var key;
/** The tracker's core: transport, storage and whether beacons may leave now. */
var core;
/** Event ids on their way: a fetch waiting for its answer, or handed to sendBeacon. */
var sending = {};
var failures = 0;
var timer = 0;

/**
 * @param {import("./collect.js").Core} tracker the core: its `allowed` says whether beacons
 *   may leave now (consent and doNotTrack); its site key names the queue (one per site); the
 *   core empties the queue itself when beacons may no longer leave
 */
export function useOutbox(tracker) {
  core = tracker;
  key = QUEUE_KEY + tracker.cfg.site;
}

/** The queued beacons, [path, body] each. */
function queued() {
  try {
    return JSON.parse(core.stored(LOCAL, key) || "[]");
  } catch (e) {
    return [];
  }
}

function save(list) {
  while (list.length > MAX_ITEMS || JSON.stringify(list).length > MAX_CHARS) {
    list.shift();
  }
  core.store(LOCAL, key, list.length && JSON.stringify(list));
}

function post(item) {
  var id = item[1].eventId;
  if (!sending[id]) {
    sending[id] = 1;
    try {
      if (document.hidden
          && navigator.sendBeacon(core.endpointUrl() + item[0], JSON.stringify(item[1]))) {
        return;
      }
    } catch (e) {
      // No sendBeacon: fetch with keepalive below.
    }
    core.send(item[0], item[1]).then((response) => response.status < 500, () => 0).then((done) => {
      delete sending[id];
      if (done) {
        failures = 0;
        save(queued().filter((other) => other[1].eventId !== id));
      } else if (!timer) {
        timer = setTimeout(() => {
          timer = 0;
          flush();
        }, 1000 << Math.min(failures++, 6));
      }
    });
  }
}

/** Queues a beacon to `path` below the endpoint ("/p" or "/e") and sends it. */
export function add(path, body) {
  var list = queued();
  list.push([path, body]);
  save(list);
  post([path, body]);
}

/** Sends every queued beacon not already on its way, if beacons may leave. */
export function flush() {
  try {
    if (core.allowed()) {
      queued().forEach(post);
    }
  } catch (e) {
    // A queue written by some other script: ignored.
  }
}
