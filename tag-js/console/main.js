// Spor's web console: sign-in, the site picker, hash routing and the page frame. Pages live in
// pages/; each renders into <main> from the API and returns an optional clean-up function.
import { ApiError, get, session, whenUnauthorized } from "./api.js";
import { h, message, replace } from "./dom.js";
import { overview } from "./pages/overview.js";
import { contacts } from "./pages/contacts.js";
import { contact } from "./pages/contact.js";
import { consentLog } from "./pages/consent-log.js";
import { configCheck } from "./pages/config-check.js";

/** Navigation entries: hash path, label. */
const NAV = [
  ["/overview", "Overview"],
  ["/contacts", "Contacts"],
  ["/consent-log", "Consent log"],
  ["/config-check", "Config check"],
];

const frame = {
  header: document.getElementById("console-header"),
  main: document.getElementById("main"),
};

let cleanup = null;
let generation = 0;
/** Shown once on the sign-in form (why the console signed out). */
let signInNotice = null;

/** The current route: the hash's path and its query parameters. */
function route() {
  const hash = location.hash.startsWith("#/") ? location.hash.slice(1) : "/overview";
  const [path, search] = hash.split("?");
  return { path: path || "/overview", params: new URLSearchParams(search || "") };
}

/** Goes to a hash route; the same route again renders again. */
export function go(hash) {
  if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

function pageFor(path) {
  const contactId = /^\/contacts\/(\d{1,18})$/.exec(path);
  if (contactId) {
    return { page: contact, id: contactId[1], nav: "/contacts" };
  }
  const pages = {
    "/overview": overview, "/contacts": contacts, "/consent-log": consentLog, "/config-check": configCheck,
  };
  return pages[path] ? { page: pages[path], nav: path } : null;
}

async function render() {
  const mine = ++generation;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  if (!session.key() || !session.site()) {
    renderSignIn();
    return;
  }
  const { path, params } = route();
  const found = pageFor(path);
  renderHeader(found ? found.nav : null);
  const main = frame.main;
  replace(main);
  if (!found) {
    main.append(h("h1", { tabindex: "-1", text: "Not found" }), message("error", "There is no such page in the console."));
    focusHeading(main);
    return;
  }
  main.setAttribute("aria-busy", "true");
  const ctx = {
    site: session.site(), params, id: found.id, main, go,
    stale: () => mine !== generation,
  };
  try {
    const done = await found.page(ctx);
    if (mine === generation) {
      cleanup = typeof done === "function" ? done : null;
    } else if (typeof done === "function") {
      done();
    }
  } catch (e) {
    if (mine !== generation) {
      return;
    }
    if (!(e instanceof ApiError && e.status === 401)) {
      main.append(message("error", e instanceof ApiError ? `The server answered: ${e.message}` : `Something went wrong: ${e.message}`));
    }
  } finally {
    if (mine === generation) {
      main.removeAttribute("aria-busy");
    }
  }
  if (mine === generation) {
    focusHeading(main);
  }
}

/** Moves focus to the page's heading, so keyboard and screen-reader users land on the new page. */
function focusHeading(main) {
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
    document.title = `${heading.textContent} – Spor console`;
  }
}

function renderHeader(current) {
  const sites = session.sites();
  let picker;
  if (sites && sites.length > 1) {
    const select = h("select", { id: "site-picker", on: { change: (e) => switchSite(e.target.value) } },
      sites.map((s) => h("option", { value: s.key, selected: s.key === session.site(), text: siteLabel(s) })));
    picker = h("div", { class: "site" }, h("label", { for: "site-picker", text: "Site" }), select);
  } else {
    const only = sites && sites.length === 1 ? siteLabel(sites[0]) : session.site();
    picker = h("p", { class: "site" }, h("span", { class: "muted", text: "Site " }), h("strong", { text: only }));
  }
  replace(frame.header,
    h("div", { class: "bar" },
      h("a", { class: "brand", href: "#/overview", text: "Spor console" }),
      picker,
      h("button", { type: "button", class: "link-button", id: "sign-out", on: { click: () => signOut(null) } }, "Sign out")),
    h("nav", { "aria-label": "Console" },
      h("ul", null, NAV.map(([path, label]) => h("li", null,
        h("a", { href: `#${path}`, "aria-current": path === current ? "page" : null, text: label }))))));
}

function siteLabel(site) {
  return site.name && site.name !== site.key ? `${site.name} (${site.key})` : site.key;
}

function switchSite(key) {
  session.pick(key);
  // contact ids belong to one site: leave a contact's page for the list
  go(route().path.startsWith("/contacts/") ? "#/contacts" : location.hash || "#/overview");
}

function signOut(notice) {
  session.signOut();
  signInNotice = notice;
  generation++;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  renderSignIn();
}

function renderSignIn() {
  replace(frame.header, h("div", { class: "bar" }, h("span", { class: "brand", text: "Spor console" })));
  const key = h("input", {
    id: "api-key", name: "api-key", type: "password", required: true, autocomplete: "off", spellcheck: "false",
    "aria-describedby": "api-key-hint",
  });
  const site = h("input", {
    id: "site-key", name: "site-key", type: "text", autocomplete: "off", spellcheck: "false", pattern: "[a-z0-9-]{1,40}",
    "aria-describedby": "site-key-hint",
  });
  const status = h("div", { class: "form-status" }, signInNotice ? message("error", signInNotice) : null);
  signInNotice = null;
  const button = h("button", { type: "submit", class: "primary", text: "Sign in" });
  const form = h("form", { class: "card sign-in", id: "sign-in", on: { submit: (e) => submitSignIn(e, key, site, status, button) } },
    h("div", { class: "field" },
      h("label", { for: "api-key", text: "API key" }),
      key,
      h("p", { id: "api-key-hint", class: "hint", text: "Kept only in this browser tab (sessionStorage) until you sign out or close it, and sent to the API in the Authorization header; never in a URL." })),
    h("div", { class: "field" },
      h("label", { for: "site-key", text: "Site key (optional)" }),
      site,
      h("p", { id: "site-key-hint", class: "hint", text: "Leave empty to choose from the sites your key may see. Needed only when the server does not list sites; the built-in demo site's key is demo." })),
    button,
    status);
  replace(frame.main, h("h1", { text: "Sign in" }), form);
  document.title = "Sign in – Spor console";
  key.focus();
}

async function submitSignIn(event, keyInput, siteInput, status, button) {
  event.preventDefault();
  const key = keyInput.value.trim();
  const wanted = siteInput.value.trim();
  button.disabled = true;
  replace(status, message("note", "Checking the key…"));
  try {
    const { site, sites } = await checkKey(key, wanted);
    session.signIn(key, site, sites);
    if (!location.hash.startsWith("#/")) {
      history.replaceState(null, "", "#/overview");
    }
    render();
  } catch (e) {
    replace(status, message("error", e.message));
    button.disabled = false;
    keyInput.focus();
  }
}

/** The site to open and the sites the key may see (null when the server cannot list them). */
async function checkKey(key, wanted) {
  let sites = null;
  try {
    sites = (await get("/sites", null, key)).sites.map((s) => ({ key: s.key, name: s.name || null }));
  } catch (e) {
    if (e.status === 401) {
      throw new Error("That API key was not accepted.");
    }
    if (e.status !== 404 && e.status !== 405) {
      throw e;
    }
  }
  if (sites) {
    if (sites.length === 0) {
      throw new Error("This key may not see any site.");
    }
    if (wanted && !sites.some((s) => s.key === wanted)) {
      throw new Error(`This key may not see a site "${wanted}".`);
    }
    return { site: wanted || sites[0].key, sites };
  }
  if (!wanted) {
    throw new Error("This server does not list sites: enter the site key.");
  }
  try {
    await get("/contacts", { site: wanted, limit: 1 }, key);
  } catch (e) {
    throw new Error(e.status === 401 ? "That API key was not accepted." : e.status === 404 ? `This key may not see a site "${wanted}".` : e.message);
  }
  return { site: wanted, sites: null };
}

whenUnauthorized(() => signOut("You were signed out: the server no longer accepts this API key. Sign in again."));
window.addEventListener("hashchange", () => {
  if (location.hash.startsWith("#/") || !session.key()) {
    render();
  }
});
document.getElementById("skip").addEventListener("click", (e) => {
  e.preventDefault();
  const heading = frame.main.querySelector("h1");
  (heading || frame.main).focus();
});
render();
