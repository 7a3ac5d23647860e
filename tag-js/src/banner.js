/*
 * Spor consent banner: the second bundle, served at {alias}{endpoint}/b.js and loaded by
 * the tracker only when a banner is to be shown. DOM only: it knows nothing of consent
 * state or the network; the tracker tells it what to show and hears the visitor's decision.
 *
 * - Renders into <spor-banner data-spor-banner> at the end of <body>, inside an open shadow
 *   root, so page CSS cannot break it and its CSS cannot leak into the page.
 * - Works under a strict CSP: styles come from a constructable stylesheet (not subject to
 *   style-src); no style attribute, no <style> element; texts are set with textContent only.
 * - A non-modal dialog (no cookie wall): focus moves into it when it opens and back when it
 *   closes; Escape leaves the settings view (never a decision). "Reject all" looks exactly
 *   like "Accept all".
 * - Adds no global: it hands `{show}` to the tracker in the `detail` of a CustomEvent
 *   dispatched on document (see events.js).
 */
import { BANNER_EVENT } from "./events.js";

/**
 * What to show; every field may be missing or of the wrong type without breaking the banner.
 *
 * @typedef {object} BannerOptions
 * @property {BannerAnswer} answer the server's latest consent state, as sent
 * @property {"first" | "settings"} [view] the view to open: the first layer (default) or the
 *   category choice
 * @property {boolean} [dismissible] Escape on the first layer closes the banner (the visitor
 *   opened it; a banner the server asked for stays until a decision)
 * @property {(action: "accept-all" | "reject-all" | "custom", categories?: string[]) => void}
 *   decide called after the banner closed on a decision; for "custom" with the ticked
 *   categories, "necessary" left out
 */

/**
 * The fields of the server's answer (GET or POST /state) the banner reads.
 *
 * @typedef {object} BannerAnswer
 * @property {{mode?: string, categories?: string[], texts?: BannerTexts | null}} policy
 *   the policy in force: under mode "notify" only the accept button is shown
 * @property {boolean} [gpc] show texts.gpcNotice: the browser's GPC signal was honoured
 * @property {{categories?: string[]} | null} [decision] the visitor's decision: its
 *   categories are ticked in the settings view (only "necessary" when there is none)
 */

/**
 * @typedef {object} BannerTexts
 * @property {string} [title] @property {string} [description] @property {string} [acceptAll]
 * @property {string} [rejectAll] @property {string} [settings] @property {string} [save]
 * @property {string} [privacyLabel] @property {string} [privacyUrl] @property {string} [gpcNotice]
 * @property {Record<string, {name?: string, description?: string}>} [categories]
 */

var CSS = [
  ":host{all:initial!important;display:block!important}",
  ".box{position:fixed;z-index:2147483647;left:0;right:0;bottom:0;box-sizing:border-box;"
    + "max-width:44em;max-height:100%;margin:0 auto;overflow:auto;padding:1.25em 1.25em 1em;"
    + "border:1px solid #8c959f;border-bottom:0;border-radius:12px 12px 0 0;"
    + "background:#fff;color:#1f2328;box-shadow:0 -4px 24px rgba(31,35,40,.2);"
    + "font:400 .9375em/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;text-align:left}",
  "@media (min-width:46em){.box{left:1em;right:1em;bottom:1em;border-bottom:1px solid #8c959f;"
    + "border-radius:12px}}",
  "@media print{.box{display:none}}",
  "h2{margin:0 0 .5em;font-size:1.2em;line-height:1.3}",
  "p{margin:0 0 .75em}",
  "a{color:#0b57d0}",
  ".gpc{padding:.5em .75em;border-left:4px solid #0b57d0;background:#eef3fc}",
  "ul{margin:.25em 0 0;padding:0;list-style:none}",
  "li{display:grid;grid-template-columns:auto 1fr;gap:0 .6em;padding:.6em 0;border-top:1px solid #d0d7de}",
  "input{width:1.15em;height:1.15em;margin:.2em 0 0;accent-color:#1f2328}",
  "label{font-weight:600}",
  "li p{grid-column:2;margin:0;color:#59636e}",
  ".buttons{display:grid;grid-template-columns:repeat(auto-fit,minmax(9em,1fr));gap:.5em;margin-top:1em}",
  "button{min-height:2.75em;margin:0;padding:.5em 1em;border:2px solid #1f2328;border-radius:8px;"
    + "background:#1f2328;color:#fff;font:inherit;font-weight:600;cursor:pointer}",
  "button:hover{background:#000}",
  "button.alt{background:#fff;color:#1f2328}",
  "button.alt:hover{background:#eaeef2}",
  ":focus-visible{outline:3px solid #0b57d0;outline-offset:2px}"
].join("");

/** The privacy link must be a web page: never javascript:, data: or the like. */
var SAFE_URL = /^(https?:\/\/|\/)/;

/** The banner's host element while it is shown, else null. */
var host = null;
/** Where focus was before the banner opened; it goes back there when it closes. */
var returnTo = null;

/**
 * Shows the banner, or re-renders the one already shown.
 *
 * @param {BannerOptions} options
 */
export function show(options) {
  var o = options || {};
  var answer = o.answer || {};
  var policy = answer.policy || {};
  var texts = policy.texts || {};
  var words = texts.categories || {};
  var notify = policy.mode === "notify";
  var offered = strings(policy.categories);
  var chosen = strings((answer.decision || {}).categories);

  if (host && !host.isConnected) {
    host = null; // the page removed it
  }
  if (document.activeElement !== host) {
    returnTo = document.activeElement; // focus is on the page: return it there
  }
  if (!host) {
    host = document.createElement("spor-banner");
    host.setAttribute("data-spor-banner", "");
    adoptStyles(host.attachShadow({ mode: "open" }));
    (document.body || document.documentElement).appendChild(host);
  }
  render(o.view === "settings" && !notify ? "settings" : "first", "");

  /** Draws one view and focuses `focus` (a selector), else its first control. */
  function render(view, focus) {
    var root = host.shadowRoot;
    while (root.firstChild) {
      root.removeChild(root.firstChild);
    }
    var box = add(root, "div", "");
    box.className = "box";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "false");
    box.setAttribute("aria-labelledby", "spor-title");
    box.setAttribute("aria-describedby", "spor-description");
    add(box, "h2", label(texts.title, "Privacy")).id = "spor-title";
    add(box, "p", label(texts.description, "")).id = "spor-description";
    if (answer.gpc && isText(texts.gpcNotice)) {
      add(box, "p", texts.gpcNotice).className = "gpc";
    }
    if (isText(texts.privacyUrl) && SAFE_URL.test(texts.privacyUrl)) {
      add(add(box, "p", ""), "a", label(texts.privacyLabel, texts.privacyUrl)).href = texts.privacyUrl;
    }
    var ticks = view === "settings" ? categoryList(box) : [];

    var row = add(box, "div", "");
    row.className = "buttons";
    button(row, "accept-all", label(texts.acceptAll, "Accept all"), "main", function () {
      decide("accept-all");
    });
    if (!notify) {
      button(row, "reject-all", label(texts.rejectAll, "Reject all"), "main", function () {
        decide("reject-all");
      });
      if (view === "settings") {
        button(row, "save", label(texts.save, "Save choices"), "alt", function () {
          decide("custom", ticks.filter(function (tick) {
            return tick.checked && !tick.disabled;
          }).map(function (tick) {
            return tick.getAttribute("data-category");
          }));
        });
      } else {
        button(row, "settings", label(texts.settings, "Settings"), "alt", function () {
          render("settings", "");
        });
      }
    }

    box.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      if (view === "settings") {
        render("first", "[data-action=settings]");
      } else if (o.dismissible) {
        close();
      }
    });
    var first = view === "settings" ? "input:not([disabled])" : "button";
    (box.querySelector(focus || first) || box.querySelector("button")).focus();
  }

  /** The settings view's checkbox per offered category; returns the checkboxes. */
  function categoryList(box) {
    var list = add(box, "ul", "");
    return offered.map(function (category, i) {
      var item = add(list, "li", "");
      var about = words[category] || {};
      var tick = add(item, "input", "");
      tick.type = "checkbox";
      tick.id = "spor-category-" + i;
      tick.setAttribute("data-category", category);
      tick.checked = category === "necessary" || chosen.indexOf(category) >= 0;
      tick.disabled = category === "necessary";
      add(item, "label", label(about.name, category)).htmlFor = tick.id;
      if (isText(about.description)) {
        var description = add(item, "p", about.description);
        description.id = tick.id + "-description";
        tick.setAttribute("aria-describedby", description.id);
      }
      return tick;
    });
  }

  function decide(action, categories) {
    close();
    try {
      o.decide(action, categories);
    } catch (e) {
      // Not the banner's to report: the decision is the tracker's business.
    }
  }
}

/** Removes the banner and gives focus back to where it was. */
function close() {
  if (host) {
    host.parentNode.removeChild(host);
    host = null;
  }
  if (returnTo && returnTo.isConnected && typeof returnTo.focus === "function") {
    returnTo.focus();
  }
  returnTo = null;
}

function button(row, action, text, kind, onClick) {
  var element = add(row, "button", text);
  element.type = "button";
  element.className = kind;
  element.setAttribute("data-action", action);
  element.addEventListener("click", onClick);
}

/** Appends a new `tag` element with `text` (as text, never HTML) to parent; returns it. */
function add(parent, tag, text) {
  var element = document.createElement(tag);
  element.textContent = text;
  parent.appendChild(element);
  return element;
}

function adoptStyles(root) {
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    // No constructable stylesheets (an old browser): the banner shows unstyled but works.
  }
}

function isText(value) {
  return typeof value === "string" && value !== "";
}

/** The text if it is one, else the fallback. */
function label(text, fallback) {
  return isText(text) ? text : fallback;
}

function strings(value) {
  return Array.isArray(value) ? value.filter(isText) : [];
}

try {
  document.dispatchEvent(new CustomEvent(BANNER_EVENT, { detail: { show: show } }));
} catch (e) {
  // Not in a browser, or a very old one: the tracker never gets a banner to show.
}
