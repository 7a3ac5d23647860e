/**
 * Loads the banner bundle (b.js) when a banner is first needed, and receives its API.
 *
 * The bundle adds no global. When it runs it dispatches, on `document`, a CustomEvent
 * named {@link BANNER_EVENT} whose `detail` is its API ({@link BannerApi}); the loader
 * starts listening before it adds the script element and keeps the first API it hears.
 */

/** The event the banner bundle dispatches on document, its API in `detail`. */
export var BANNER_EVENT = "spor:banner";

/**
 * The banner bundle's API (see banner.js).
 *
 * @typedef {object} BannerApi
 * @property {(options: import("./banner.js").BannerOptions) => void} show renders the
 *   banner, replacing one already shown
 */

/**
 * @param {() => string} url the bundle's URL, asked when it is loaded
 * @param {string} nonce     the CSP nonce for the script element, "" for none
 * @returns {(ready: (api: BannerApi) => void) => void} calls `ready` with the API: at once
 *   when loaded, else once loaded (only the latest `ready` waiting is called). A bundle that
 *   fails to load is asked for again the next time.
 */
export function bannerLoader(url, nonce) {
  var api = null;
  var waiting = null;
  var loading = false;

  function receive(event) {
    var detail = event.detail;
    if (!api && detail && typeof detail.show === "function") {
      api = detail;
      if (waiting) {
        waiting(api);
      }
    }
  }

  return function (ready) {
    if (api) {
      ready(api);
      return;
    }
    waiting = ready;
    if (!loading) {
      loading = true;
      document.addEventListener(BANNER_EVENT, receive);
      var script = document.createElement("script");
      script.async = true;
      script.src = url();
      if (nonce) {
        script.nonce = nonce;
      }
      script.onerror = function () {
        loading = false;
      };
      (document.head || document.documentElement).appendChild(script);
    }
  };
}
