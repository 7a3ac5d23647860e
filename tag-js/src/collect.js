/*
 * Spor collection chunk: the third bundle, served at {alias}{endpoint}/c.js and loaded by the
 * tracker only for a browser whose consent allows analytics (and with doNotTrack off). It
 * sends page views (the landing page's, single-page-app navigations, trackPageView), events
 * (trackEvent, download clicks) and identify, with the retry queue of outbox.js; the
 * tracker's core keeps consent, doNotTrack, the transport and the storage, and tells the
 * chunk through `allowed` whether beacons may leave.
 *
 * Adds no global: it hands its start function to the tracker in the `detail` of a
 * CustomEvent dispatched on document (see events.js). The tracker calls it once, with the
 * commands it held until then.
 */
import { COLLECT_EVENT } from "./events.js";
import { add, flush, useOutbox } from "./outbox.js";
import { eventId } from "./page.js";
import { pageUrl, pageView, seenAt, setPath, stamp } from "./view.js";
import { flat, identity } from "./properties.js";
import { watchHistory } from "./history.js";
import { isDownload } from "./downloads.js";

/**
 * What the tracker's core gives the chunk.
 *
 * @typedef {object} Core
 * @property {import("./config.js").SporConfig} cfg the site's config
 * @property {(path: string, body?: object) => Promise<Response>} send a request below the
 *   endpoint, with alias failover (transport.js)
 * @property {() => string} endpointUrl the endpoint on the alias that last worked
 * @property {() => boolean} allowed beacons may leave now: the latest answer allows analytics,
 *   no revocation is pending and doNotTrack is off. Asked before every beacon and every send
 * @property {(area: string, key: string, value?: string) => void} store browser storage
 *   (storage.js), shared so that the core can empty the retry queue
 * @property {(area: string, key: string) => string | null | undefined} stored
 * @property {() => boolean} tracking doNotTrack is off (the forms chunk asks it)
 * @property {() => string} url the URL a decision or a form submission reports: the
 *   chunk's once it runs, else the page's, with setPath's path if one was pushed
 * @property {Array<[[string, ...unknown[]], string, string, number]>} held (set for the
 *   collection chunk only, as is `from`) the commands pushed before the chunk ran, in order,
 *   each with the page it was pushed on: [command, location.href, document.title,
 *   Date.now()]. [["landing"], ...] marks where the landing page's view was made; it is there
 *   only when this page's view is the chunk's to send (not when a decision made the server
 *   store it)
 * @property {string} [from] the page's address when the last decision was posted (whose view
 *   the server stored, if it allowed analytics); undefined before any decision
 */

/**
 * What the chunk gives back.
 *
 * @typedef {object} Collector
 * @property {(command: [string, ...unknown[]]) => void} push runs setPath, trackPageView,
 *   trackEvent or identify
 * @property {() => string} url the URL page views report now (setPath's, if any): the one a
 *   decision is made on
 */

/**
 * @param {Core} core
 * @returns {Collector}
 */
function start(core) {
  /** Beacons made while the held commands replay, as [path, body]; 0 after. */
  var early = [];
  /** The landing page's view, if the held commands mark one. */
  var landing;
  /** The URL whose view is counted already: the landing page's, else the decision's page. */
  var from = core.from;
  /** What identify buffered for the next beacon, or 0. */
  var identified;

  /** A page view or an event: sent if allowed (kept in order while the commands replay). */
  var beacon = (path, body) => early ? early.push([path, body]) : deliver(path, body);

  var deliver = (path, body) => {
    if (core.allowed()) {
      if (identified) {
        body.identify = identified;
        identified = 0;
      }
      add(path, body);
    }
  };

  var track = (type, name, properties) => {
    beacon("/e", stamp({ eventId: eventId(), type: type, name: name, properties: flat(properties), url: pageUrl() }));
  };

  var handlers = {
    landing: () => {
      landing = pageView();
    },
    setPath: setPath,
    trackPageView: () => beacon("/p", pageView()),
    trackEvent: (name, properties) => {
      if (name && typeof name === "string") {
        track("event", name, properties);
      }
    },
    identify: (value) => {
      identified = identity(value) || identified;
    }
  };

  var push = (command) => {
    try {
      handlers[command[0]].apply(0, command.slice(1));
    } catch (e) {
      // A failing command must not break the page or the commands after it.
    }
  };

  useOutbox(core);
  core.held.forEach((item) => {
    seenAt(item);
    push(item[0]);
    seenAt(null);
    if (item[0][0] === "landing") {
      from = item[1];
    }
  });
  // The landing page's view first; a view of the landing page asked for early is that view.
  var made = landing
    ? [["/p", landing]].concat(early.filter((item) => item[0] !== "/p" || item[1].url !== landing.url))
    : early;
  early = 0;
  made.forEach((item) => deliver(item[0], item[1]));
  if (!landing) {
    pageUrl(); // a decision reported this page: setPath's path is used on it
  }
  flush(); // what earlier pages could not deliver

  /** A click on a download link is an event, not a page view; the navigation goes on undelayed. */
  document.addEventListener("click", (click) => {
    try {
      var link = click.target.closest("[href]");
      if (link && isDownload(link.href, core.cfg)) {
        track("download", link.href);
      }
    } catch (e) {
      // Not an element, or not a URL: not ours.
    }
  });
  document.addEventListener("visibilitychange", flush);
  addEventListener("pagehide", flush);
  watchHistory(core.cfg.hash === true, handlers.trackPageView, from);

  return { push: push, url: pageUrl };
}

try {
  document.dispatchEvent(new CustomEvent(COLLECT_EVENT, { detail: start }));
} catch (e) {
  // Not in a browser, or a very old one: nothing is collected.
}
