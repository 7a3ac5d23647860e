// A tiny hand-written fake of the browser globals the snippet and the tracker
// touch, for running the built code in node:vm. Not a test file itself.
import vm from "node:vm";

/** A fake <script> element that records its attributes and error listeners. */
class FakeScript {
  constructor() {
    this.tagName = "SCRIPT";
    this.async = false;
    this.src = "";
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

/**
 * Creates a fake window and a vm context for it.
 *
 * @param {object} options
 * @param {string} [options.href] the page URL
 * @param {string | null} [options.scriptSrc] src of document.currentScript, null for none
 * @param {unknown} [options.spor] the initial window._spor, left undefined if omitted
 * @param {boolean} [options.withHead] false to fake a document without document.head
 */
export function fakeBrowser({ href = "http://localhost:8080/demo/", scriptSrc = null, spor, withHead = true } = {}) {
  const appended = [];
  const container = {
    appendChild(element) {
      appended.push(element);
      return element;
    },
  };
  const document = {
    head: withHead ? container : null,
    currentScript: scriptSrc === null ? null : { src: scriptSrc },
    createElement(tag) {
      if (tag.toLowerCase() !== "script") {
        throw new Error(`unexpected createElement(${tag})`);
      }
      return new FakeScript();
    },
    getElementsByTagName(tag) {
      return tag.toLowerCase() === "script" ? [{ parentNode: container }] : [];
    },
  };
  const window = { document, location: { href }, URL };
  window.window = window;
  if (spor !== undefined) {
    window._spor = spor;
  }
  const context = vm.createContext(window);
  return {
    window,
    appended,
    run(code) {
      return vm.runInContext(code, context);
    },
  };
}
