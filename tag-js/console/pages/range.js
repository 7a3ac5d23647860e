// The date-range form shared by the overview and the consent log: from and to as days,
// kept in the page's hash so a range can be bookmarked and reloaded.
import { h } from "../dom.js";
import { daysAgo } from "../format.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The range in the route's params, or the last 30 days (today included). */
export function rangeOf(params) {
  const from = params.get("from");
  const to = params.get("to");
  return {
    from: from && DAY.test(from) ? from : daysAgo(29),
    to: to && DAY.test(to) ? to : daysAgo(0),
  };
}

/**
 * The form: two date fields and presets. `apply(range)` is called with the new range.
 * @param {string} id a prefix for the fields' ids
 */
export function rangeForm(id, range, apply) {
  const from = h("input", { id: `${id}-from`, name: "from", type: "date", value: range.from, required: true });
  const to = h("input", { id: `${id}-to`, name: "to", type: "date", value: range.to, required: true });
  const error = h("p", { class: "field-error", role: "alert" });
  const preset = (days, label) => h("button", {
    type: "button", class: "chip", on: { click: () => apply({ from: daysAgo(days - 1), to: daysAgo(0) }) },
  }, label);
  return h("form", {
    class: "range", "aria-label": "Date range",
    on: {
      submit: (e) => {
        e.preventDefault();
        if (from.value > to.value) {
          error.textContent = "The start must not be after the end.";
          from.focus();
          return;
        }
        apply({ from: from.value, to: to.value });
      },
    },
  },
  h("div", { class: "field" }, h("label", { for: from.id, text: "From" }), from),
  h("div", { class: "field" }, h("label", { for: to.id, text: "To (included)" }), to),
  h("button", { type: "submit", class: "primary", text: "Show" }),
  h("div", { class: "presets", role: "group", "aria-label": "Presets" },
    preset(7, "7 days"), preset(30, "30 days"), preset(90, "90 days")),
  error);
}

/** The hash of a route with params (empty ones left out). */
export function hashOf(path, params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") {
      q.set(name, String(value));
    }
  }
  const text = q.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}
