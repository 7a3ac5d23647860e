/**
 * The tracker's behaviour: it asks the server for the consent state, sends page views only
 * while analytics is allowed, shows the banner when the server or the visitor asks for it,
 * posts the visitor's decisions, and implements the queue's commands.
 *
 * Endpoints, all below `{alias}{endpoint}` (see transport.js for aliases and failover):
 *   GET  /state?url=&lang=  the consent state for this page, asked once on load
 *   POST /state             a decision (accept-all, reject-all, custom, revoke); answers the
 *                           new state. When it allows analytics the server itself stores the
 *                           current page as the first page view, so the script sends none
 *   POST /p                 a page view (pageview.js)
 *   GET  /b.js?v=           the banner bundle, loaded only when a banner is shown
 */
import { createConsent, consentSignals } from "./consent.js";
import { createTransport } from "./transport.js";
import { pageEvent, pageLang } from "./page.js";
import { pageView, sendPageView } from "./pageview.js";
import { bannerLoader } from "./banner-loader.js";

/** Links and buttons with this attribute open the banner's settings. */
var SETTINGS_SELECTOR = "[data-spor-consent-settings]";

/**
 * @param {import("./config.js").SporConfig & {endpoint: string}} cfg
 * @param {string | null} base the alias that served the script
 * @param {string} nonce       the CSP nonce of the script's own element, "" for none
 * @returns {{handlers: Record<string, (...args: any[]) => void>, start: () => void}} the
 *   command handlers, and `start`, which asks for the consent state (call it once, first)
 */
export function createCommands(cfg, base, nonce) {
  var transport = createTransport(base, cfg.bases, cfg.endpoint);
  var consent = createConsent();
  var withBanner = bannerLoader(function () {
    return transport.current() + cfg.endpoint + "/b.js?v=" + encodeURIComponent(cfg.v || "");
  }, nonce);
  /** State requests run one after the other, so their answers apply in order. */
  var chain = Promise.resolve();
  /** Page views asked for before the first answer; null once it has arrived. */
  var early = [];
  /** The banner view waiting for the state or the bundle: {view, source}, or null. */
  var wanted = null;

  consent.listen(function (state) {
    if (typeof window.gtag === "function") {
      window.gtag("consent", "update", consentSignals(state));
    }
  });

  /**
   * Asks for the state (no body: GET) or posts a decision, then applies the answer.
   * The first answer also settles the page views of the page the script loaded on.
   */
  function requestState(body, landing) {
    chain = chain.then(function () {
      var query = "?url=" + encodeURIComponent(location.href) + "&lang=" + encodeURIComponent(pageLang());
      return transport.send(body ? "/state" : "/state" + query, body).then(function (response) {
        return response.status === 200 ? response.json() : null;
      }).catch(noop);
    }).then(function (answer) {
      var current = consent.set(answer);
      if (landing) {
        settleEarlyViews(landing, current && current.analytics);
      }
      if (current && current.banner && !wanted) {
        wanted = { view: "first", source: "banner" };
      }
      render();
    }).catch(noop);
  }

  /** Sends the landing page's view, and those asked for earlier on other URLs, if allowed. */
  function settleEarlyViews(landing, allowed) {
    var views = early;
    early = null;
    if (allowed) {
      sendPageView(transport, landing);
      views.forEach(function (view) {
        if (view.url !== landing.url) {
          sendPageView(transport, view);
        }
      });
    }
  }

  function decide(action, categories, source) {
    var page = pageEvent();
    requestState({
      action: action,
      categories: action === "custom"
        ? (categories || []).filter(function (category) {
          return category !== "necessary";
        })
        : undefined, // left out of the JSON
      url: page.url,
      lang: pageLang(),
      title: page.title,
      referrer: page.referrer,
      eventId: page.eventId,
      source: source
    }, null);
  }

  function open(view, source) {
    wanted = { view: view, source: source };
    render();
  }

  /** Shows the wanted banner view once the state is known and the bundle loaded. */
  function render() {
    var current = consent.get();
    if (!wanted || !current) {
      return;
    }
    if (!current.policy.texts) {
      wanted = null; // mode "none": nothing to ask
      return;
    }
    withBanner(function (api) {
      var want = wanted;
      var now = consent.get();
      wanted = null;
      try {
        api.show({
          policy: now.policy,
          gpc: now.gpc,
          chosen: now.decision ? now.decision.categories : [],
          view: want.view,
          dismissible: want.source !== "banner",
          decide: function (action, chosen) {
            decide(action, chosen, want.source);
          }
        });
      } catch (e) {
        // A broken banner or an unexpected answer must not break the page.
      }
    });
  }

  function onClick(event) {
    var target = event.target;
    if (target && target.closest && target.closest(SETTINGS_SELECTOR)) {
      event.preventDefault();
      open("settings", "settings");
    }
  }

  return {
    start: function () {
      document.addEventListener("click", onClick);
      requestState(null, pageView());
    },
    handlers: {
      trackPageView: function () {
        var view = pageView();
        var current = consent.get();
        if (early) {
          early.push(view);
        } else if (current && current.analytics) {
          sendPageView(transport, view);
        }
      },
      revokeConsent: function () {
        decide("revoke", null, "api");
      },
      showBanner: function () {
        open("settings", "settings");
      },
      onConsentChange: function (listener) {
        consent.listen(listener);
      }
    }
  };
}

function noop() {}
