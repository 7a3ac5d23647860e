// The site owner's API, called with the key from the session: always in the Authorization
// header, never in a URL. A 401 signs the console out (see main.js).

const KEY = "spor.console.key";
const SITE = "spor.console.site";
const SITES = "spor.console.sites";
const API = "/api/v1";

/** An answer of the API that is not 2xx: its status and the server's reason. */
export class ApiError extends Error {
  constructor(status, reason) {
    super(reason);
    this.status = status;
  }
}

/**
 * The signed-in session, kept in sessionStorage (gone when the tab closes; never
 * localStorage, never a cookie or a URL).
 */
export const session = {
  key: () => sessionStorage.getItem(KEY),
  site: () => sessionStorage.getItem(SITE),
  /** The sites the key may see, as listed by the server, or null when it cannot list them. */
  sites() {
    try {
      return JSON.parse(sessionStorage.getItem(SITES) || "null");
    } catch {
      return null;
    }
  },
  signIn(key, site, sites) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(SITE, site);
    if (sites) {
      sessionStorage.setItem(SITES, JSON.stringify(sites));
    } else {
      sessionStorage.removeItem(SITES);
    }
  },
  pick(site) {
    sessionStorage.setItem(SITE, site);
  },
  signOut() {
    for (const name of [KEY, SITE, SITES]) {
      sessionStorage.removeItem(name);
    }
  },
};

let onUnauthorized = () => {};

/** Sets what happens when the API answers 401 (the key was revoked or is wrong). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** The query string of params, without the empty ones. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") {
      q.set(name, String(value));
    }
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

async function call(method, path, params, body, key) {
  const headers = { Authorization: `Bearer ${key || session.key() || ""}`, Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(API + path + query(params), {
      method, headers, body, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
    });
  } catch {
    throw new ApiError(0, "The server could not be reached. Check the connection and try again.");
  }
  if (response.ok) {
    return response;
  }
  let reason = `${response.status} ${response.statusText}`.trim();
  try {
    const json = await response.json();
    if (json && typeof json.error === "string") {
      reason = json.error;
    }
  } catch {
    // not JSON: keep the status line
  }
  const error = new ApiError(response.status, reason);
  if (response.status === 401 && !key) {
    onUnauthorized(error);
  }
  throw error;
}

/** GET path?params as JSON. With `key`, uses that key (sign-in) and a 401 does not sign out. */
export async function get(path, params, key) {
  return (await call("GET", path, params, undefined, key)).json();
}

/** POST a JSON text body; the answer as JSON. */
export async function post(path, text, params) {
  return (await call("POST", path, params, text)).json();
}

/** GET path?params as a Blob (a CSV download, fetched so the key stays in the header). */
export async function blob(path, params) {
  return (await call("GET", path, params)).blob();
}
