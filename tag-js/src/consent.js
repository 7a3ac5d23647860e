/**
 * Consent state: the server's latest answer about this browser, and the listeners that
 * want to hear about it. Pure: no DOM, no network; the tracker feeds it answers.
 */

/**
 * The server's answer to GET or POST {endpoint}/state, as sent (any field may be missing).
 *
 * @typedef {object} ConsentAnswer
 * @property {{id?: string, revision?: number, mode?: string, categories?: string[],
 *   lang?: string, texts?: object | null}} [policy] the policy in force for this page
 * @property {ConsentDecision | null} [decision] the visitor's stored decision, if any
 * @property {boolean} [gpc]        the browser's Global Privacy Control signal was honoured
 * @property {boolean} [banner]     show the banner now without being asked
 * @property {boolean} [analytics]  page views may be sent now
 * @property {string[]} [categories] the categories granted now
 */

/**
 * @typedef {object} ConsentDecision
 * @property {string} action        "accept-all", "reject-all", "custom", "revoke" or "gpc"
 * @property {string[]} categories  the categories it granted
 * @property {string} at            when it was made (ISO time)
 * @property {string} source        where it was made: "banner", "settings", "api", ...
 */

/**
 * What a consent listener receives. Frozen, shared by all listeners of one change.
 *
 * @typedef {object} ConsentState
 * @property {string[]} categories  the categories granted now, always with "necessary"
 * @property {boolean} analytics    Spor may record page views now
 * @property {ConsentDecision | null} decision the visitor's stored decision, null if none
 * @property {{id: string, revision: number}} policy the policy in force
 */

/**
 * Google Consent Mode v2 signals, for `gtag("consent", "update", signals)`.
 *
 * @typedef {object} ConsentSignals
 * @property {"granted" | "denied"} analytics_storage  follows `analytics`
 * @property {"granted" | "denied"} ad_storage         follows the "advertisement" category
 * @property {"granted" | "denied"} ad_user_data       follows the "advertisement" category
 * @property {"granted" | "denied"} ad_personalization follows the "advertisement" category
 */

/**
 * An answer with safe types: what the tracker acts on.
 *
 * @typedef {object} ConsentAnswerState
 * @property {boolean} analytics  page views may be sent now
 * @property {boolean} banner     show the banner now without being asked
 * @property {boolean} gpc        the GPC signal was honoured: the banner says so
 * @property {readonly string[]} categories granted now, always with "necessary"
 * @property {ConsentDecision | null} decision
 * @property {{id: string, revision: number, mode: string, categories: string[],
 *   texts: object | null}} policy `texts` is null when there is nothing to ask (mode "none")
 */

/**
 * @typedef {object} Consent
 * @property {(answer: unknown) => ConsentAnswerState | null} set applies an answer (ignored
 *   unless an object), then calls every listener; returns it with safe types, or null
 * @property {() => ConsentAnswerState | null} get the last applied answer, null if none
 * @property {(listener: (state: ConsentState) => void) => void} listen adds a listener,
 *   called at once when the state is already known, then after every answer
 */

/** @returns {Consent} */
export function createConsent() {
  var current = null;
  var snapshot = null;
  var listeners = [];

  return {
    set: function (answer) {
      var next = normalize(answer);
      if (next) {
        current = next;
        snapshot = freeze({
          categories: next.categories,
          analytics: next.analytics,
          decision: next.decision,
          policy: freeze({ id: next.policy.id, revision: next.policy.revision })
        });
        for (var i = 0; i < listeners.length; i++) {
          call(listeners[i], snapshot);
        }
      }
      return next;
    },
    get: function () {
      return current;
    },
    listen: function (listener) {
      if (typeof listener === "function") {
        listeners.push(listener);
        if (snapshot) {
          call(listener, snapshot);
        }
      }
    }
  };
}

/**
 * The Consent Mode v2 signals for a consent state.
 *
 * @param {{analytics: boolean, categories: readonly string[]}} state
 * @returns {ConsentSignals}
 */
export function consentSignals(state) {
  var analytics = state.analytics ? "granted" : "denied";
  var ads = state.categories.indexOf("advertisement") >= 0 ? "granted" : "denied";
  return {
    analytics_storage: analytics,
    ad_storage: ads,
    ad_user_data: ads,
    ad_personalization: ads
  };
}

var freeze = Object.freeze;

/** A listener that throws must not stop the others, nor reach the page. */
function call(listener, state) {
  try {
    listener(state);
  } catch (e) {
    // The site's listener failed; the other listeners still run.
  }
}

/**
 * The answer's fields with safe types, null unless the answer is an object. The arrays and
 * the decision are frozen, so listeners can share them.
 *
 * @param {unknown} answer
 * @returns {ConsentAnswerState | null}
 */
function normalize(answer) {
  if (!isObject(answer)) {
    return null;
  }
  var policy = isObject(answer.policy) ? answer.policy : {};
  var decision = isObject(answer.decision) ? answer.decision : null;
  var granted = strings(answer.categories);
  if (granted.indexOf("necessary") < 0) {
    granted.unshift("necessary");
  }
  return {
    analytics: answer.analytics === true,
    banner: answer.banner === true,
    gpc: answer.gpc === true,
    categories: freeze(granted),
    decision: decision && freeze({
      action: text(decision.action),
      categories: freeze(strings(decision.categories)),
      at: text(decision.at),
      source: text(decision.source)
    }),
    policy: {
      id: text(policy.id),
      revision: typeof policy.revision === "number" ? policy.revision : 0,
      mode: text(policy.mode),
      categories: strings(policy.categories),
      texts: isObject(policy.texts) ? policy.texts : null
    }
  };
}

function isObject(value) {
  return !!value && typeof value === "object";
}

function isText(value) {
  return typeof value === "string";
}

function text(value) {
  return isText(value) ? value : "";
}

/** The strings in value, in order; [] unless value is an array. */
function strings(value) {
  return Array.isArray(value) ? value.filter(isText) : [];
}
