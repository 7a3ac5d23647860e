// One contact: emails, properties, cookies, the timeline, and apart from it the visits that
// are only "possibly" this contact's (a forwarded or reused email link).
import { get } from "../api.js";
import { h, message, table } from "../dom.js";
import { cookieId, count, dateTime, preciseTime } from "../format.js";

const TYPES = {
  "page-view": "Page view",
  "possible-page-view": "Possibly this contact",
  "form-submission": "Form submission",
  "email-click": "Email click",
  event: "Event",
  download: "Download",
  "identity-change": "Identity change",
  consent: "Consent",
};

export async function contact(ctx) {
  const params = { site: ctx.site };
  const [found, timeline] = await Promise.all([
    get(`/contacts/${ctx.id}`, params), get(`/contacts/${ctx.id}/timeline`, params),
  ]);
  if (ctx.stale()) {
    return;
  }
  const items = (timeline.items || []).filter((item) => item.type !== "possible-page-view");
  ctx.main.append(
    h("p", { class: "back" }, h("a", { href: "#/contacts", text: "← All contacts" })),
    h("h1", { class: "contact-email", text: found.primaryEmail }),
    facts(found),
    h("section", { class: "card", "aria-labelledby": "timeline-title" },
      h("h2", { id: "timeline-title", text: `Timeline (${count(items.length)})` }),
      h("p", { class: "muted small", text: "Oldest first. Times in your browser's time zone." }),
      items.length === 0 ? message("note", "Nothing recorded yet.") : h("ol", { class: "timeline", id: "timeline" }, items.map(timelineItem))),
    possibly(found.possiblePageViews || []));
}

function facts(c) {
  const props = c.properties && typeof c.properties === "object" ? Object.entries(c.properties) : [];
  const visitors = c.visitors || [];
  return h("div", { class: "columns" },
    h("section", { class: "card", "aria-labelledby": "facts-title" },
      h("h2", { id: "facts-title", text: "Contact" }),
      h("dl", { class: "facts" },
        h("dt", { text: "Emails" }),
        h("dd", null, h("ul", { class: "plain" }, (c.emails || [c.primaryEmail]).map((e) =>
          h("li", null, e, e === c.primaryEmail ? h("span", { class: "badge", text: "primary" }) : null)))),
        h("dt", { text: "Created" }), h("dd", { text: dateTime(c.createdAt) }),
        h("dt", { text: "Updated" }), h("dd", { text: dateTime(c.updatedAt) }),
        h("dt", { text: `Cookies (${visitors.length})` }),
        h("dd", null, visitors.length === 0 ? "None linked: no consented browser is known for this contact."
          : h("ul", { class: "plain mono" }, visitors.map((v) => h("li", { title: v, text: v })))))),
    h("section", { class: "card", "aria-labelledby": "props-title" },
      h("h2", { id: "props-title", text: "Properties" }),
      props.length === 0 ? h("p", { class: "muted", text: "None." })
        : h("dl", { class: "facts" }, props.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: display(v) })]))));
}

function timelineItem(item) {
  const details = item.details && typeof item.details === "object" ? Object.entries(item.details) : [];
  return h("li", { class: `event event-${item.type}`, "data-type": item.type },
    h("div", { class: "event-head" },
      h("span", { class: "badge", text: TYPES[item.type] || item.type }),
      h("time", { datetime: item.at, text: preciseTime(item.at) })),
    h("p", { class: "event-summary", text: item.summary || "" }),
    item.visitorId ? h("p", { class: "muted small" }, "Cookie ", h("span", { class: "mono", title: item.visitorId, text: cookieId(item.visitorId) })) : null,
    details.length === 0 ? null : h("details", null, h("summary", { text: "Details" }),
      h("dl", { class: "facts" }, details.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: display(v) })]))));
}

function possibly(views) {
  return h("section", { class: "card possibly", "aria-labelledby": "possibly-title" },
    h("h2", { id: "possibly-title", text: `Possibly this contact (${count(views.length)})` }),
    h("p", { class: "note", text: "Page views from browsers that arrived with this contact's email link after it had "
      + "already been used (a forwarded email, another device). They may be someone else's, so they are kept apart "
      + "and not counted as this contact's." }),
    views.length === 0 ? h("p", { class: "muted", text: "None." })
      : table(null, ["Time", "Page", "Cookie"], views.map((v) => [
        h("time", { datetime: v.viewedAt, text: dateTime(v.viewedAt) }),
        v.title ? `${v.title} (${v.path})` : v.path,
        h("span", { class: "mono", title: v.visitorId, text: cookieId(v.visitorId) }),
      ]), { id: "possibly-table" }));
}

function display(value) {
  if (value === null || value === undefined) {
    return "–";
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
