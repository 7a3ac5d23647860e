// Contacts: find by email, or page through all.
import { get } from "../api.js";
import { h, message, table } from "../dom.js";
import { count, dateTime } from "../format.js";
import { hashOf } from "./range.js";

const LIMIT = 50;

export async function contacts(ctx) {
  const email = (ctx.params.get("email") || "").trim();
  const offset = Math.max(0, Number.parseInt(ctx.params.get("offset") || "0", 10) || 0);
  const input = h("input", { id: "contact-email", name: "email", type: "email", value: email, autocomplete: "off", spellcheck: "false" });
  ctx.main.append(
    h("h1", { text: "Contacts" }),
    h("form", {
      class: "search", role: "search",
      on: { submit: (e) => { e.preventDefault(); ctx.go(hashOf("/contacts", { email: input.value.trim() })); } },
    },
    h("div", { class: "field" }, h("label", { for: "contact-email", text: "Find by email" }), input),
    h("button", { type: "submit", class: "primary", text: "Search" }),
    email ? h("a", { href: "#/contacts", class: "chip", text: "Show all" }) : null));
  const answer = await get("/contacts", email ? { site: ctx.site, email } : { site: ctx.site, offset, limit: LIMIT });
  if (ctx.stale()) {
    return;
  }
  const list = answer.contacts || [];
  const results = h("section", { class: "card", "aria-labelledby": "contacts-results" });
  ctx.main.append(results);
  if (email) {
    results.append(h("h2", { id: "contacts-results", text: `Contacts with ${email}` }));
  } else {
    const shown = list.length === 0 ? "none" : `${count(answer.offset + 1)}–${count(answer.offset + list.length)}`;
    results.append(h("h2", { id: "contacts-results", text: `All contacts (${count(answer.total)})` }),
      h("p", { class: "muted small", id: "contacts-range", text: `Showing ${shown} of ${count(answer.total)}, newest first.` }));
  }
  if (list.length === 0) {
    results.append(message("note", email ? "No contact has this email." : "No contacts yet: they come from form submissions, identify, email links and CSV import."));
    return;
  }
  results.append(table(null, ["Email", "Other emails", "Cookies", "Created", "Updated"], list.map((c) => [
    h("a", { href: `#/contacts/${c.id}`, text: c.primaryEmail }),
    (c.emails || []).filter((e) => e !== c.primaryEmail).join(", ") || "–",
    count((c.visitors || []).length),
    dateTime(c.createdAt),
    dateTime(c.updatedAt),
  ]), { class: "contacts", id: "contacts-table" }));
  if (!email) {
    results.append(pager(answer, list.length));
  }
}

function pager(answer, shown) {
  const prev = answer.offset > 0 ? hashOf("/contacts", { offset: Math.max(0, answer.offset - answer.limit) }) : null;
  const next = answer.offset + shown < answer.total ? hashOf("/contacts", { offset: answer.offset + answer.limit }) : null;
  return h("nav", { class: "pager", "aria-label": "Pages of contacts" },
    prev ? h("a", { href: prev, rel: "prev", text: "← Previous" }) : h("span", { class: "muted", text: "← Previous" }),
    next ? h("a", { href: next, rel: "next", text: "Next →" }) : h("span", { class: "muted", text: "Next →" }));
}
