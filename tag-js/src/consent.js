/**
 * Consent state: the server's latest answer about this browser, and the listeners that
 * want to hear about it. Pure: no DOM, no network; the tracker feeds it answers.
 */

/**
 * The server's answer to GET or POST {endpoint}/state, as sent (any field may be missing).
 * The tracker acts on `analytics` and `banner` (when exactly `true`), hands `policy` and
 * `gpc` to the banner as they are (the banner checks every field it uses) and `consentMode`
 * to gtag.
 *
 * @typedef {object} ConsentAnswer
 * @property {{id?: string, revision?: number, mode?: string, categories?: string[],
 *   lang?: string, texts?: object | null}} [policy] the policy in force for this page;
 *   no `texts` when there is nothing to ask (mode "none")
 * @property {ConsentDecision | null} [decision] the visitor's stored decision, if any
 * @property {boolean} [gpc]        the browser's Global Privacy Control signal was honoured
 * @property {boolean} [banner]     show the banner now without being asked
 * @property {boolean} [analytics]  page views may be sent now
 * @property {string[]} [categories] the categories granted now
 * @property {object} [consentMode] the Google Consent Mode v2 signals for these categories,
 *   e.g. {analytics_storage: "granted", ad_storage: "denied", ...}, worked out by the server
 */

/**
 * @typedef {object} ConsentDecision
 * @property {string} action        "accept-all", "reject-all", "custom", "revoke" or "gpc"
 * @property {string[]} categories  the categories it granted
 * @property {string} at            when it was made (ISO time)
 * @property {string} source        where it was made: "banner", "settings", "api", ...
 */

/**
 * What a consent listener receives, with safe types. Frozen, shared by all listeners of one
 * change.
 *
 * @typedef {object} ConsentState
 * @property {readonly string[]} categories the categories granted now, always with "necessary"
 * @property {boolean} analytics    Spor may record page views now
 * @property {ConsentDecision | null} decision the visitor's stored decision, null if none
 * @property {{id: string, revision: number}} policy the policy in force
 */

/**
 * @typedef {object} Consent
 * @property {(answer: unknown) => ConsentState | undefined} set applies an answer (ignored
 *   unless an object), then calls every listener; returns the new state, undefined if ignored
 * @property {(listener: (state: ConsentState) => void) => void} listen adds a listener,
 *   called at once when the state is already known, then after every answer
 */

/** @returns {Consent} */
export function createConsent() {
  /** The state of the last applied answer; undefined before the first. */
  var state;
  var listeners = [];
  var notify = (listener) => {
    try {
      listener(state);
    } catch (e) {
      // The site's listener failed; the other listeners still run.
    }
  };

  return {
    set: (answer) => {
      if (isObject(answer)) {
        var policy = Object(answer.policy);
        var decision = answer.decision;
        state = freeze({
          categories: strings(answer.categories, "necessary"),
          analytics: answer.analytics === true,
          decision: isObject(decision) ? freeze({
            action: text(decision.action),
            categories: strings(decision.categories),
            at: text(decision.at),
            source: text(decision.source)
          }) : null,
          policy: freeze({ id: text(policy.id), revision: typeof policy.revision === "number" ? policy.revision : 0 })
        });
        listeners.forEach(notify);
        return state;
      }
    },
    // Anything but a function only throws where notify catches it: harmless, so not checked.
    listen: (listener) => {
      listeners.push(listener);
      if (state) {
        notify(listener);
      }
    }
  };
}

/** Object.freeze, once (the queue uses it too). */
export var freeze = Object.freeze;

/** An object or an array (answers are JSON: never a function). */
function isObject(value) {
  return Object(value) === value;
}

function text(value) {
  return typeof value === "string" ? value : "";
}

/**
 * The strings in value, in order ([] unless value is an array), with `first` put first when
 * it is missing; frozen.
 */
function strings(value, first) {
  var list = Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
  if (first && list.indexOf(first) < 0) {
    list.unshift(first);
  }
  return freeze(list);
}
