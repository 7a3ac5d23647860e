// Demo site helper: shows in #spor-status which script alias served the Spor
// script, by reading window._spor.base once the tracker has replaced the
// snippet's queue array, and whether analytics is allowed, from the tracker's
// onConsentChange command. Loaded with defer; no inline script needed (strict CSP).
(function () {
  "use strict";

  // The demo is static files: a form marked data-demo-thanks is handled here, as a site's
  // own JavaScript form handler would, instead of being posted to a server.
  var forms = document.querySelectorAll("form[data-demo-thanks]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (event) {
      event.preventDefault();
      var thanks = document.getElementById(event.target.getAttribute("data-demo-thanks"));
      event.target.hidden = true;
      if (thanks) {
        thanks.hidden = false;
      }
    });
  }

  // A button marked data-demo-event sends a trackEvent named by the attribute, as a site's own
  // JavaScript would. Like every event it leaves only while analytics is allowed.
  var eventButtons = document.querySelectorAll("button[data-demo-event]");
  for (var j = 0; j < eventButtons.length; j++) {
    eventButtons[j].addEventListener("click", function (event) {
      var name = event.currentTarget.getAttribute("data-demo-event");
      window._spor = window._spor || [];
      window._spor.push(["trackEvent", name, { page: location.pathname }]);
      var said = document.getElementById("demo-event-status");
      if (said) {
        said.textContent = "Event \u201c" + name + "\u201d pushed (sent only if analytics is allowed).";
      }
    });
  }

  var status = document.getElementById("spor-status");
  if (!status) {
    return;
  }
  var started = Date.now();
  var GIVE_UP_AFTER_MS = 3000;
  var KEEP_WATCHING_MS = 30000;
  /** " · analytics: allowed" once the consent state is known. */
  var consent = "";

  function show(text, state) {
    status.textContent = text;
    status.setAttribute("data-state", state);
  }

  function showLoaded(queue) {
    show((queue.base
      ? "Spor script served from alias " + queue.base
      : "Spor script loaded (served from an unknown alias)") + consent, "loaded");
  }

  // Works before the script has loaded too: the command waits in the queue.
  window._spor = window._spor || [];
  window._spor.push(["onConsentChange", function (state) {
    consent = " · analytics: " + (state.analytics ? "allowed" : "not allowed");
    showLoaded(window._spor);
  }]);

  function check() {
    var queue = window._spor;
    if (queue && !Array.isArray(queue)) {
      showLoaded(queue);
      return;
    }
    var waited = Date.now() - started;
    if (waited >= GIVE_UP_AFTER_MS) {
      show("Spor script not loaded (blocked?)", "missing");
    }
    if (waited < KEEP_WATCHING_MS) {
      setTimeout(check, waited < GIVE_UP_AFTER_MS ? 100 : 1000);
    }
  }

  check();
})();
