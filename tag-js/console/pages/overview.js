// Overview: page views and cookies per day, top pages and referrers, consent acceptance.
import { get } from "../api.js";
import { barChart, dailyChart } from "../chart.js";
import { h, message, table } from "../dom.js";
import { count, day, timeZone } from "../format.js";
import { hashOf, rangeForm, rangeOf } from "./range.js";

const TOP = 10;
/** Shown beside every count of cookies (SPEC §1.4). */
export const COOKIES_NOTE = "Cookies are not people: one person can have many cookies (several browsers or devices, "
  + "or cookies cleared), and one shared browser can be used by several people.";

export async function overview(ctx) {
  const range = rangeOf(ctx.params);
  const tz = timeZone();
  const main = ctx.main;
  main.append(
    h("h1", { text: "Overview" }),
    rangeForm("overview", range, (r) => ctx.go(hashOf("/overview", r))));
  const base = { site: ctx.site, from: range.from, to: range.to, tz };
  const report = (groupBy) => get("/reports/pageviews", { ...base, groupBy });
  const [days, paths, referrers, consent] = await Promise.allSettled([
    report("day"), report("path"), report("referrer"), get("/reports/consent", { site: ctx.site, from: range.from, to: range.to, tz }),
  ]);
  if (ctx.stale()) {
    return null;
  }
  for (const failed of [days, paths, referrers, consent]) {
    if (failed.status === "rejected" && failed.reason.status === 401) {
      throw failed.reason;
    }
  }
  const chart = days.status === "fulfilled" ? dailyChart(days.value.rows, "Page views and cookies per day") : null;
  main.append(
    totals(days, range),
    section("Page views and cookies per day", days, () => chart.figure),
    h("div", { class: "columns" },
      section("Top pages", paths, (r) => topTable("Path", r)),
      section("Top referrers", referrers, (r) => topTable("Referrer", r, "(none: typed, bookmarked or hidden)"))),
    section("Consent acceptance by policy", consent, consentChart));
  if (chart) {
    chart.mount();
    return () => chart.destroy();
  }
  return null;
}

function totals(days, range) {
  if (days.status !== "fulfilled") {
    return null;
  }
  const r = days.value;
  return h("section", { class: "totals", "aria-label": "Totals" },
    h("div", { class: "tile" }, h("p", { class: "tile-label", text: "Page views" }),
      h("p", { class: "tile-value", id: "total-page-views", text: count(r.total.pageViews) })),
    h("div", { class: "tile" }, h("p", { class: "tile-label", text: "Cookies" }),
      h("p", { class: "tile-value", id: "total-cookies", text: count(r.total.cookies) })),
    h("p", { class: "note", id: "cookies-note", text: `${COOKIES_NOTE} Only browsers that allowed analytics are counted; bots are left out.` }),
    h("p", { class: "muted small", text: `${day(range.from)} to ${day(range.to)}, days in ${r.tz || "UTC"}.` }));
}

/** A titled section: the content from a settled request, or the reason it failed. */
function section(title, settled, content) {
  const id = `h-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return h("section", { class: "card", "aria-labelledby": id },
    h("h2", { id, text: title }),
    settled.status === "fulfilled" ? content(settled.value) : message("error", `Could not load: ${settled.reason.message}`));
}

function topTable(keyHeader, report, emptyKey) {
  const rows = [...report.rows].sort((a, b) => b.pageViews - a.pageViews || String(a.key).localeCompare(String(b.key))).slice(0, TOP);
  if (rows.length === 0) {
    return h("p", { class: "muted", text: "No page views in this range." });
  }
  return table(null, [keyHeader, "Page views", "Cookies"],
    rows.map((r) => [r.key === null || r.key === "" ? emptyKey || "(unknown)" : r.key, count(r.pageViews), count(r.cookies)]),
    { class: "top" });
}

function consentChart(report) {
  const policies = report.policies || [];
  if (policies.length === 0) {
    return h("p", { class: "muted", text: "No consent decisions in this range." });
  }
  return h("div", null,
    barChart(policies.map((p) => ({
      label: `${p.policy} (revision ${p.revision})`,
      share: p.acceptanceRate,
      detail: `${count(p.acceptedAnalytics)} of ${count(p.decisions)} decisions`,
    })), "Share of decisions that allowed analytics"),
    h("p", { class: "muted small", text: "Counts decisions in the consent log (accept, reject, custom, revoke, GPC), "
      + "not people: a browser that decides twice counts twice." }));
}
