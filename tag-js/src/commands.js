/**
 * The tracker's behaviour (the core every visitor loads): it asks the server for the consent
 * state, shows the banner when the server or the visitor asks for it, posts the visitor's
 * decisions, keeps doNotTrack, and loads the collection chunk (c.js) once an answer allows
 * analytics and doNotTrack is off. Everything that sends page views and events lives in the
 * chunk (see collect.js): a browser without consent never loads it. For a site with forms it
 * loads the forms chunk (f.js, see forms.js) on every page, whatever the consent state (not
 * under doNotTrack): a form may be added to the page at any time, and the chunk must be there
 * before it is submitted.
 *
 * A link from a marketing email carries a token in the parameter `sptk`: the core takes it out
 * of the address bar before anything reads the URL, so no page view, state request, bookmark
 * or shared link carries it, and posts it once the first answer is in; if analytics was not
 * allowed then, it posts the same click again, once, when a later answer allows it (the
 * server links the tracking cookie only with consent, and counts one click per event id).
 * Under doNotTrack the token is taken out all the same, and not posted.
 *
 * Every command is accepted from the start. setPath, trackPageView, trackEvent and identify
 * are kept in order until the chunk runs, then handed to it (and go to it directly after).
 * An answer that does not allow analytics drops the page views and events kept so far (and
 * those pushed while it is in force), but not setPath and identify, which still apply to the
 * first beacon should the visitor accept later.
 *
 * Endpoints, all below `{alias}{endpoint}` (see transport.js for aliases and failover):
 *   GET  /state?url=&lang=  the consent state for this page, asked once on load
 *   POST /state             a decision (accept-all, reject-all, custom, revoke); answers the
 *                           new state. When it allows analytics the server itself stores the
 *                           current page as the first page view (the decision's eventId), so
 *                           no page view of this page is sent
 *   GET  /b.js?v=           the banner bundle, loaded only when a banner is shown
 *   GET  /c.js?v=           the collection chunk, loaded only when analytics is allowed
 *   GET  /f.js?v=           the forms chunk, loaded only for a site with forms
 *   POST /t                 a marketing-email click: {eventId, token, url}; the answer is ignored
 */
import { createConsent } from "./consent.js";
import { createQueue } from "./queue.js";
import { endpointUrl, send, useAliases } from "./transport.js";
import { eventId, pageLang } from "./page.js";
import { BANNER_EVENT, COLLECT_EVENT, FORMS_EVENT } from "./events.js";
import { DNT_KEY, LOCAL, QUEUE_KEY, store, stored } from "./storage.js";

/** Links and buttons with this attribute open the banner's settings. */
var SETTINGS_SELECTOR = "[data-spor-consent-settings]";

/**
 * Starts the core, once per page: runs the commands queued before the script loaded, marks
 * the landing page's view, asks for the consent state.
 *
 * @param {import("./config.js").SporConfig} cfg
 * @param {string | null} base the alias that served the script
 * @param {string} nonce       the CSP nonce of the script's own element, "" for none
 * @param {unknown[]} queued   the commands pushed before the script loaded (the snippet's array)
 * @returns {import("./queue.js").SporQueue} the queue that takes the commands from now on
 */
export function startCore(cfg, base, nonce, queued) {
  var consent = createConsent();
  /** State requests run one after the other, so their answers apply in order. */
  var chain = Promise.resolve();
  /** The last answer (as sent: the banner gets its policy), or undefined. */
  var answer;
  /** The first state request has settled (answered or failed on every alias). */
  var settled;
  /** The latest answer allows analytics, and no revocation has been asked for since. */
  var on;
  /**
   * The banner waiting for the state or the bundle, by who asked for it, or 0: "banner" (the
   * server: the first layer, until a decision) or "settings" (the visitor: the settings view,
   * which may be closed).
   */
  var wanted;
  /** The banner bundle's API once it runs. */
  var banner;
  /** The chunk's Collector once it runs. */
  var collector;
  /** The script element of each bundle ("/b.js", ...) asked for, until its load fails. */
  var loading = {};
  /**
   * Commands for the chunk until it runs, in order, each with the page it was pushed on:
   * [command, href, title, time]. ["landing"] marks where the landing page's view belongs;
   * it goes with the page views when an answer does not allow them.
   */
  var held = [];
  var hold = (command) => held.push([command, location.href, document.title, Date.now()]);
  /**
   * The page's address when the last decision was posted: the server stores that page's view,
   * so a navigation made before the chunk runs must count from there, not from wherever the
   * page is when the chunk arrives.
   */
  var decidedOn;
  /**
   * The marketing-email click of this page, as posted to /t, until posted while analytics is
   * allowed; read first of all, so the URL is without the token from here on.
   */
  var click = landingClick();
  /** The click has been posted (without analytics, or `click` would be gone). */
  var clickPosted;

  /** doNotTrack is off (in every tab of this browser). */
  var tracking = () => stored(LOCAL, DNT_KEY) !== "1";

  /** Beacons may leave: the latest answer allows analytics and doNotTrack is off. */
  var allowed = () => on && tracking();

  /**
   * Beacons may not leave now: empties the retry queue (nothing is kept for a browser without
   * consent) and drops the held page views and events; keeps setPath and identify.
   */
  var stop = () => {
    store(LOCAL, QUEUE_KEY + cfg.site);
    held = held.filter((item) => /^[si]/.test(item[0][0]));
  };

  /**
   * Adds a script element for `{endpoint}{file}?v=` on the current alias, with our nonce,
   * unless the file is loading or loaded; after a failed load it is asked for again the next
   * time it is wanted.
   */
  var load = (file) => {
    if (!loading[file]) {
      var script = loading[file] = document.createElement("script");
      script.async = true;
      script.src = endpointUrl() + file + "?v=" + cfg.v;
      script.nonce = nonce;
      script.onerror = () => {
        loading[file] = 0;
      };
      document.documentElement.appendChild(script); // runs wherever it is, and <html> always is
    }
  };

  /** Loads the chunk if beacons may leave (once: see load). */
  var collect = () => {
    if (allowed()) {
      load("/c.js");
    }
  };

  /** Asks for the state (no body: GET) or posts a decision, then applies the answer. */
  var requestState = (body) => {
    chain = chain
      .then(() => send("/state"
        + (body ? "" : "?" + new URLSearchParams({ url: location.href, lang: pageLang() })), body))
      .then((response) => response.ok && response.json()) // 204: no JSON, no answer
      .catch(noop)
      .then((next) => {
        var state = consent.set(next);
        settled = 1;
        if (state) {
          answer = next;
          on = state.analytics;
          if (next.banner === true) {
            wanted = wanted || "banner";
          }
        }
        allowed() ? load("/c.js") : stop();
        render();
        if (click && tracking() && (on || !clickPosted)) {
          clickPosted = send("/t", click).catch(noop);
          click = !on && click;
        }
        // Google Consent Mode, with the signals the server worked out; last, because on a page
        // without gtag the call throws (and the catch below takes it).
        if (state) {
          gtag("consent", "update", next.consentMode);
        }
      })
      .catch(noop);
  };

  /** The URL a decision is made on: with the virtual path of setPath, if any. */
  var decisionUrl = () => {
    var set = held.filter((item) => item[0][0] === "setPath" && /^\//.test(item[0][1])).pop();
    return collector ? collector.url() : set ? location.origin + set[0][1] : location.href;
  };

  /** Posts a decision with the page it was made on; without an event id under doNotTrack. */
  var decide = (action, categories, source) => {
    decidedOn = location.href;
    requestState({
      eventId: tracking() ? eventId() : undefined, // none: the server stores no page view
      url: decisionUrl(),
      title: document.title,
      referrer: document.referrer,
      action: action,
      categories: categories,
      lang: pageLang(),
      source: source
    });
  };

  var open = () => {
    wanted = "settings";
    render();
  };

  /** Shows the wanted banner view once the state is known and the bundle loaded. */
  var render = () => {
    if (wanted && answer) {
      if (!Object(answer.policy).texts) {
        wanted = 0; // mode "none": nothing to ask
      } else if (banner) {
        var want = wanted;
        wanted = 0;
        try {
          banner.show({
            answer: answer,
            view: want === "banner" ? "first" : want,
            dismissible: want !== "banner",
            decide: (action, chosen) => decide(action, chosen, want) // chosen only for "custom"
          });
        } catch (e) {
          // A broken banner must not break the page.
        }
      } else {
        load("/b.js");
      }
    }
  };

  var handlers = {
    doNotTrack: (value) => {
      value = value !== false;
      store(LOCAL, DNT_KEY, value && "1");
      value ? stop() : collect();
    },
    revokeConsent: () => {
      on = 0; // stop sending at once, before the server has answered
      stop();
      decide("revoke", undefined, "api");
    },
    showBanner: open,
    onConsentChange: consent.listen
  };
  // The commands for the chunk: to it when it runs, else held (and dropped when not allowed).
  ["setPath", "trackPageView", "trackEvent", "identify"].forEach((name) => {
    handlers[name] = (...args) => {
      args.unshift(name);
      if (collector) {
        collector.push(args);
      } else {
        hold(args);
        if (settled && !allowed()) {
          stop();
        }
      }
    };
  });

  useAliases(base, cfg);
  /** What the chunks get (see collect.js and forms.js). */
  var core = {
    cfg: cfg,
    send: send,
    endpointUrl: endpointUrl,
    allowed: allowed,
    tracking: tracking,
    url: decisionUrl,
    store: store,
    stored: stored
  };
  /** Hands the first offer of a bundle (see events.js) to `take`, which says whether it took it. */
  var offered = (type, take) => {
    var taken;
    document.addEventListener(type, (event) => {
      try {
        taken = taken || take(event.detail);
      } catch (e) {
        // Not an offer, or a broken bundle: it must not break the page.
      }
    });
  };
  offered(BANNER_EVENT, (api) => typeof api.show === "function" && (banner = api, render(), 1));
  offered(COLLECT_EVENT, (start) => {
    core.held = held;
    core.from = decidedOn;
    held = [];
    return collector = start(core);
  });

  // The commands pushed before the script ran come first: they apply to the landing page.
  var queue = createQueue(cfg.site, base, handlers, queued);
  hold(["landing"]);
  // A click on a settings link opens the settings.
  document.addEventListener("click", (click) => {
    try {
      if (click.target.closest(SETTINGS_SELECTOR)) {
        click.preventDefault();
        open();
      }
    } catch (e) {
      // Not an element: not ours.
    }
  });
  // A site with forms: the forms chunk, whatever the consent state, but not under doNotTrack.
  if (cfg.forms && tracking()) {
    offered(FORMS_EVENT, (start) => (start(core), 1));
    load("/f.js");
  }
  requestState();
  return queue;
}

function noop() {}

/**
 * Takes the marketing-email token (the `sptk` parameter) out of the page's address, keeping
 * every other parameter in order, and the fragment.
 *
 * @returns {{eventId: string, token: string, url: string} | undefined} the body of POST /t,
 *   with the URL without the token; undefined when the URL has no valid token (then the
 *   address stays as it is)
 */
function landingClick() {
  try {
    var url = new URL(location.href);
    var token;
    // "?sptk=T&a" to "?a", "?a&sptk=T&b" to "?a&b", "?a&sptk=T" to "?a", "?sptk=T" to "".
    url.search = url.search.replace(/([?&])sptk=([\w.-]{10,400})(&|$)/, (all, before, value, after) => {
      token = value;
      return after && before;
    });
    if (token) {
      history.replaceState(history.state, "", url);
      return { eventId: eventId(), token: token, url: url.href };
    }
  } catch (e) {
    // No history API to change the address with: the token is left alone.
  }
}
