/*
 * Spor forms chunk: the fourth bundle, served at {alias}{endpoint}/f.js and loaded by the
 * tracker on every page of a site with forms (see commands.js), whatever the consent state: a
 * visitor who has not accepted tracking may still give their email in a form, and the server
 * then makes the contact without page views. Under doNotTrack it is not loaded, and sends
 * nothing if doNotTrack is turned on after it ran.
 *
 * On the submit of a form of the site's config it sends one beacon, `POST {endpoint}/f`
 * `{"eventId","form","url","title","fields"}`, by navigator.sendBeacon (fetch keepalive when
 * the browser has none or refuses it), and ignores the answer: no retry, the submit is a
 * one-off. It never prevents, delays or breaks the submit, and it sends also when the page
 * prevents the submit itself (a form sent by the page's own script).
 *
 * Adds no global: it hands its start function to the tracker in the `detail` of a
 * CustomEvent dispatched on document (see events.js).
 */
import { FORMS_EVENT } from "./events.js";
import { eventId } from "./page.js";
import { fields } from "./fields.js";

/**
 * What the tracker's core gives the forms chunk: the object the collection chunk gets too, of
 * which it uses `cfg` (with `forms`), `send`, `endpointUrl`, `tracking` and `url`.
 *
 * @typedef {import("./collect.js").Core} FormsCore
 */

/**
 * The id of the configured form that `form` is: its `data-spor-form` when that is a
 * configured id, else the first id whose selector it matches; undefined when none.
 *
 * @param {Element} form
 * @param {Record<string, string>} forms form id to CSS selector ("" for none)
 * @returns {string | undefined}
 */
export function formId(form, forms) {
  var ids = Object.keys(forms);
  var marked = form.getAttribute("data-spor-form");
  return ids.indexOf(marked) < 0 ? ids.find((id) => {
    try {
      return form.matches(forms[id]);
    } catch (e) {
      // No selector (""), or one the browser does not understand.
    }
  }) : marked;
}

/** @param {FormsCore} core */
function start(core) {
  document.addEventListener("submit", (submit) => {
    try {
      var form = submit.target;
      var id = core.tracking() && formId(form, core.cfg.forms);
      if (id) {
        var body = { eventId: eventId(), form: id, url: core.url(), title: document.title, fields: fields(form) };
        var sent;
        try {
          sent = navigator.sendBeacon(core.endpointUrl() + "/f", JSON.stringify(body));
        } catch (e) {
          // No sendBeacon: fetch with keepalive below.
        }
        if (!sent) {
          core.send("/f", body).catch(noop);
        }
      }
    } catch (e) {
      // Not a form, or a very old browser: the submit goes on without us.
    }
  }, true);
}

function noop() {}

try {
  document.dispatchEvent(new CustomEvent(FORMS_EVENT, { detail: start }));
} catch (e) {
  // Not in a browser, or a very old one: no form is captured.
}
