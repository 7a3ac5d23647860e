// A tiny hand-written fake of the browser globals the snippet and the tracker
// touch, for running the built code in node:vm. Not a test file itself.
import vm from "node:vm";
import { setImmediate as macrotask } from "node:timers/promises";

/**
 * The shape of an event id (see page.js): the time in base 36, then three random 32-bit
 * numbers in decimal, joined by "-"; within the server's rule, 8 to 64 of [A-Za-z0-9_-].
 */
export const EVENT_ID = /^(?=[A-Za-z0-9_-]{8,64}$)[0-9a-z]{8}-\d{1,10}-\d{1,10}-\d{1,10}$/;

/** A fake <script> element that records its attributes and error listeners. */
class FakeScript {
  constructor() {
    this.tagName = "SCRIPT";
    this.async = false;
    this.src = "";
    this.nonce = "";
    this.onerror = null;
    this.listeners = [];
  }

  addEventListener(type, listener) {
    if (type === "error") {
      this.listeners.push(listener);
    }
  }

  /** Simulates a failed load: fires the error event as a browser would. */
  fail() {
    const event = { type: "error", target: this };
    if (typeof this.onerror === "function") {
      this.onerror(event);
    }
    for (const listener of this.listeners) {
      listener.call(this, event);
    }
  }
}

/** The CustomEvent constructor: type and detail. */
class FakeCustomEvent {
  constructor(type, init = {}) {
    this.type = type;
    this.detail = init.detail === undefined ? null : init.detail;
    this.defaultPrevented = false;
  }
}

/**
 * A fake element for click tests: `closest` matches a selector of the form
 * "[attribute]" against its own attributes and its ancestors'.
 */
export class FakeElement {
  constructor(attributes = {}, parent = null) {
    this.attributes = attributes;
    this.parentElement = parent;
  }

  closest(selector) {
    const attribute = /^\[([a-z-]+)\]$/.exec(selector);
    if (!attribute) {
      throw new Error(`FakeElement.closest does not understand ${selector}`);
    }
    for (let element = this; element; element = element.parentElement) {
      if (Object.prototype.hasOwnProperty.call(element.attributes, attribute[1])) {
        return element;
      }
    }
    return null;
  }
}

/**
 * A fake form field (input, select, textarea, button) inside `parent`, for the forms chunk:
 * `props` are its DOM properties (tagName, type, name, value, checked, disabled,
 * autocomplete, options); `attributes` are for `closest`.
 */
export class FakeField extends FakeElement {
  constructor(props = {}, parent = null, attributes = {}) {
    super(attributes, parent);
    Object.assign(this, { tagName: "INPUT", type: "text", name: "", value: "", disabled: false, checked: false }, props);
  }
}

/**
 * A fake form: `elements` are its fields, `attributes` its attributes (`data-spor-form`),
 * `selectors` the CSS selectors it matches; `matches` throws a SyntaxError for a selector
 * starting with "!" (one the browser does not understand) or "".
 */
export class FakeForm extends FakeElement {
  constructor({ attributes = {}, selectors = [], elements = [] } = {}) {
    super(attributes, null);
    this.tagName = "FORM";
    this.selectors = selectors;
    this.elements = elements;
  }

  getAttribute(name) {
    return Object.prototype.hasOwnProperty.call(this.attributes, name) ? this.attributes[name] : null;
  }

  matches(selector) {
    if (selector === "" || selector.startsWith("!")) {
      throw new SyntaxError(`'${selector}' is not a valid selector`);
    }
    return this.selectors.includes(selector);
  }
}

/**
 * A fake fetch that records every call and answers through `respond`.
 *
 * @param {(request: {url: string, method: string, body: any, init: object}) =>
 *   ({status: number, body?: unknown} | Promise<{status: number, body?: unknown}>)} respond
 *   returns the response, or throws (the fetch rejects: a network error)
 */
export function fakeFetch(respond) {
  const calls = [];
  async function fetch(url, init = {}) {
    const request = {
      url,
      method: init.method || "GET",
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      init,
    };
    calls.push(request);
    const answer = await respond(request);
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      json: async () => {
        if (answer.body === undefined) {
          throw new SyntaxError("no JSON body");
        }
        return JSON.parse(JSON.stringify(answer.body));
      },
    };
  }
  return { fetch, calls };
}

/** A fake Storage (localStorage, sessionStorage); pass one to several browsers to share it. */
export class FakeStorage {
  constructor(items = {}) {
    this.items = { ...items };
  }

  getItem(key) {
    return Object.prototype.hasOwnProperty.call(this.items, key) ? this.items[key] : null;
  }

  setItem(key, value) {
    this.items[key] = String(value);
  }

  removeItem(key) {
    delete this.items[key];
  }
}

/** Fake timers: setTimeout and clearTimeout that run only when a test advances the clock. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = [];
  return {
    setTimeout(fn, ms = 0) {
      const id = nextId++;
      pending.push({ id, at: now + Math.max(0, Number(ms) || 0), fn });
      return id;
    },
    clearTimeout(id) {
      const i = pending.findIndex((timer) => timer.id === id);
      if (i >= 0) {
        pending.splice(i, 1);
      }
    },
    /** Runs, in time order, every timer due within `ms` from now (those they set too). */
    advance(ms) {
      const until = now + ms;
      for (;;) {
        pending.sort((a, b) => a.at - b.at || a.id - b.id);
        if (!pending.length || pending[0].at > until) {
          break;
        }
        const timer = pending.shift();
        now = timer.at;
        timer.fn();
      }
      now = until;
    },
    /** Delays of the timers waiting, in ms from now. */
    waiting() {
      return pending.map((timer) => timer.at - now);
    },
  };
}

/**
 * Creates a fake window and a vm context for it.
 *
 * @param {object} options
 * @param {string} [options.href] the page URL
 * @param {string | null} [options.scriptSrc] src of document.currentScript, null for none
 * @param {string} [options.nonce] nonce of document.currentScript
 * @param {unknown} [options.spor] the initial window._spor, left undefined if omitted
 * @param {boolean} [options.withHead] false to fake a document without document.head
 * @param {Function} [options.fetch] window.fetch, left undefined if omitted
 * @param {string} [options.lang] document.documentElement.lang
 * @param {string} [options.title] document.title
 * @param {string} [options.referrer] document.referrer
 * @param {FakeStorage | null} [options.localStorage] window.localStorage; null: access throws
 * @param {FakeStorage | null} [options.sessionStorage] window.sessionStorage; null: access throws
 * @param {boolean} [options.webdriver] navigator.webdriver
 * @param {boolean} [options.sendBeacon] whether navigator.sendBeacon exists (it records calls)
 * @param {(src: string) => string | null | undefined} [options.serve] the code of a script
 *   element appended with `src`, run in the page a moment later as a browser would (after
 *   the current task); null or undefined: the element just stays (never loads nor fails)
 */
export function fakeBrowser({
  href = "http://localhost:8080/demo/",
  scriptSrc = null,
  nonce = "",
  spor,
  withHead = true,
  fetch,
  lang = "en",
  title = "Spor demo",
  referrer = "",
  localStorage = new FakeStorage(),
  sessionStorage = new FakeStorage(),
  webdriver = false,
  sendBeacon = true,
  serve = () => null,
} = {}) {
  const appended = [];
  const beacons = [];
  const timers = fakeTimers();
  const created = [];
  const listeners = {};
  const windowListeners = {};
  const container = {
    appendChild(element) {
      appended.push(element);
      const code = element instanceof FakeScript ? serve(element.src) : null;
      if (typeof code === "string") {
        setImmediate(() => vm.runInContext(code, context));
      }
      return element;
    },
  };
  const document = {
    head: withHead ? container : null,
    documentElement: { lang, appendChild: container.appendChild },
    title,
    referrer,
    currentScript: scriptSrc === null ? null : { src: scriptSrc, nonce },
    createElement(tag) {
      created.push(tag);
      if (tag.toLowerCase() !== "script") {
        throw new Error(`unexpected createElement(${tag})`);
      }
      return new FakeScript();
    },
    getElementsByTagName(tag) {
      return tag.toLowerCase() === "script" ? [{ parentNode: container }] : [];
    },
    addEventListener(type, listener) {
      listeners[type] = listeners[type] || [];
      if (!listeners[type].includes(listener)) {
        listeners[type].push(listener);
      }
    },
    removeEventListener(type, listener) {
      listeners[type] = (listeners[type] || []).filter((l) => l !== listener);
    },
    dispatchEvent(event) {
      for (const listener of [...(listeners[event.type] || [])]) {
        listener.call(document, event);
      }
      return !event.defaultPrevented;
    },
  };
  document.hidden = false;
  const location = {
    href,
    get origin() {
      return new URL(this.href).origin;
    },
    get pathname() {
      return new URL(this.href).pathname;
    },
    get search() {
      return new URL(this.href).search;
    },
    get hash() {
      return new URL(this.href).hash;
    },
  };
  const navigate = (url) => {
    location.href = new URL(url, location.href).href;
  };
  const history = {
    length: 1,
    state: null,
    pushState(state, title, url) {
      this.length++;
      this.state = state;
      if (url !== undefined && url !== null) {
        navigate(url);
      }
    },
    replaceState(state, title, url) {
      this.state = state;
      if (url !== undefined && url !== null) {
        navigate(url);
      }
    },
  };
  const navigator = { webdriver };
  if (sendBeacon) {
    navigator.sendBeacon = (url, data) => {
      beacons.push({ url, body: JSON.parse(data), type: typeof data });
      return true;
    };
  }
  const window = {
    document,
    location,
    history,
    navigator,
    URL,
    URLSearchParams,
    crypto: globalThis.crypto,
    CustomEvent: FakeCustomEvent,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    addEventListener(type, listener) {
      (windowListeners[type] = windowListeners[type] || []).push(listener);
    },
    removeEventListener(type, listener) {
      windowListeners[type] = (windowListeners[type] || []).filter((l) => l !== listener);
    },
  };
  for (const [name, storage] of [["localStorage", localStorage], ["sessionStorage", sessionStorage]]) {
    Object.defineProperty(window, name, {
      enumerable: true,
      get() {
        if (storage === null) {
          throw new Error(`SecurityError: ${name} is disabled`);
        }
        return storage;
      },
    });
  }
  window.window = window;
  if (spor !== undefined) {
    window._spor = spor;
  }
  if (fetch !== undefined) {
    window.fetch = fetch;
  }
  const context = vm.createContext(window);
  return {
    window,
    document,
    appended,
    /** navigator.sendBeacon calls: {url, body (parsed), type}. */
    beacons,
    /** The fake clock: advance(ms) runs the timers due; waiting() lists their delays. */
    timers,
    /** Tag names passed to document.createElement, in order (also those it refused). */
    created,
    run(code) {
      return vm.runInContext(code, context);
    },
    /** Dispatches an event of `type` on document; returns the event (see defaultPrevented). */
    dispatch(type, fields = {}) {
      const event = {
        type,
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
        ...fields,
      };
      document.dispatchEvent(event);
      return event;
    },
    /** Dispatches an event of `type` on window (popstate, pagehide, ...). */
    dispatchWindow(type, fields = {}) {
      const event = { type, ...fields };
      for (const listener of [...(windowListeners[type] || [])]) {
        listener.call(window, event);
      }
      return event;
    },
    /** Hides the page (tab switched or page being left): visibilitychange, then pagehide if asked. */
    hide({ pagehide = false } = {}) {
      document.hidden = true;
      document.dispatchEvent({ type: "visibilitychange" });
      if (pagehide) {
        this.dispatchWindow("pagehide");
      }
    },
    /** Number of listeners for `type` on document. */
    listenerCount(type) {
      return (listeners[type] || []).length;
    },
  };
}

/** Waits until every pending promise job (fake fetches included) has run. */
export async function settle() {
  for (let i = 0; i < 3; i++) {
    await macrotask();
  }
}
