// DOM helpers. Everything from the API is set as text (text nodes, textContent, attribute
// values), never parsed as HTML, and no element gets an inline style attribute or handler,
// so the console runs under a CSP without 'unsafe-inline'.

/**
 * Creates an element. `attrs` are attributes set with setAttribute (`class`, `href`, `aria-*`
 * ...), except `on` (an object of event listeners) and `text` (the element's text). Children
 * are nodes, strings (text nodes), null/false (skipped) or arrays of these.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "on") {
      for (const [event, listener] of Object.entries(value)) {
        el.addEventListener(event, listener);
      }
    } else if (name === "text") {
      el.textContent = String(value);
    } else if (name === "style" || name.startsWith("on")) {
      throw new Error(`no inline ${name}: the console's CSP forbids it`);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings as text, arrays; null and false skipped). */
export function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
  return el;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A table with a caption, header cells and rows of cells (strings or nodes). */
export function table(caption, headers, rows, attrs) {
  return h("table", attrs,
    caption ? h("caption", { text: caption }) : null,
    h("thead", null, h("tr", null, headers.map((text) => h("th", { scope: "col", text })))),
    h("tbody", null, rows.map((cells) => h("tr", null, cells.map((cell, i) =>
      i === 0 ? h("th", { scope: "row" }, cell) : h("td", null, cell))))));
}

/** A message box; kind is "error", "note" or "ok". Errors are announced (role=alert). */
export function message(kind, text) {
  return h("p", { class: `msg msg-${kind}`, role: kind === "error" ? "alert" : "status", text });
}
