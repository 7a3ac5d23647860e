// Consent log: the site owner's proof of consent, by date range, with a CSV download that is
// fetched with the key in its header and handed to the browser as a Blob (no key in any URL).
import { blob, get } from "../api.js";
import { h, message, replace, table } from "../dom.js";
import { count, dateTime } from "../format.js";
import { hashOf, rangeForm, rangeOf } from "./range.js";

const LIMIT = 100;

/** Columns: header, and how to read the cell from an entry. */
const COLUMNS = [
  ["Time", (e) => h("time", { datetime: e.decidedAt, text: dateTime(e.decidedAt) })],
  ["Action", (e) => e.action],
  ["Policy", (e) => `${e.policyId} (rev. ${e.policyRevision})`],
  ["Categories", (e) => (Array.isArray(e.categories) ? e.categories.join(", ") : e.categories) || "–"],
  ["Source", (e) => e.source || "–"],
  ["Page", (e) => `${e.domain || ""}${e.path || ""}` || "–"],
  ["Country", (e) => e.country || "–"],
  ["Consent id", (e) => h("span", { class: "mono", text: e.consentId })],
];

export async function consentLog(ctx) {
  const range = rangeOf(ctx.params);
  const offset = Math.max(0, Number.parseInt(ctx.params.get("offset") || "0", 10) || 0);
  const status = h("div", { class: "form-status", "aria-live": "polite" });
  const download = h("button", { type: "button", id: "download-csv", text: "Download CSV" });
  download.addEventListener("click", () => downloadCsv(ctx.site, range, download, status));
  ctx.main.append(
    h("h1", { text: "Consent log" }),
    h("p", { class: "lead", text: "Every accept, reject and revoke, with the policy and revision in force: your proof of consent. Addresses are stored only as a salted hash." }),
    rangeForm("consent", range, (r) => ctx.go(hashOf("/consent-log", r))),
    h("p", { class: "muted small", text: "Days of the consent log run from midnight to midnight UTC; times below are shown in your time zone." }),
    h("div", { class: "actions" }, download, status));
  const answer = await get("/consent-log", { site: ctx.site, from: range.from, to: range.to, offset, limit: LIMIT, format: "json" });
  if (ctx.stale()) {
    return;
  }
  const entries = answer.rows || [];
  const section = h("section", { class: "card", "aria-labelledby": "log-title" },
    h("h2", { id: "log-title", text: `Decisions (${count(answer.total)})` }));
  ctx.main.append(section);
  if (entries.length === 0) {
    section.append(message("note", "No decisions in this range."));
    return;
  }
  section.append(
    h("div", { class: "scroll" }, table(null, COLUMNS.map((c) => c[0]), entries.map((e) => COLUMNS.map((c) => c[1](e))),
      { id: "consent-table" })),
    pager(answer, entries.length, range));
}

function pager(answer, shown, range) {
  const at = (offset) => hashOf("/consent-log", { ...range, offset });
  const prev = answer.offset > 0 ? at(Math.max(0, answer.offset - answer.limit)) : null;
  const next = answer.offset + shown < answer.total ? at(answer.offset + answer.limit) : null;
  return h("nav", { class: "pager", "aria-label": "Pages of the consent log" },
    prev ? h("a", { href: prev, rel: "prev", text: "← Previous" }) : h("span", { class: "muted", text: "← Previous" }),
    h("span", { class: "muted small", text: `${count(answer.offset + 1)}–${count(answer.offset + shown)} of ${count(answer.total)}` }),
    next ? h("a", { href: next, rel: "next", text: "Next →" }) : h("span", { class: "muted", text: "Next →" }));
}

async function downloadCsv(site, range, button, status) {
  button.disabled = true;
  replace(status, message("note", "Preparing the CSV…"));
  try {
    const file = await blob("/consent-log", { site, from: range.from, to: range.to, format: "csv" });
    const url = URL.createObjectURL(file);
    const link = h("a", { href: url, download: `consent-log-${site}-${range.from}-to-${range.to}.csv`, class: "hidden" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    replace(status, message("ok", "CSV downloaded."));
  } catch (e) {
    if (e.status !== 401) {
      replace(status, message("error", `The download failed: ${e.message}`));
    }
  } finally {
    button.disabled = false;
  }
}
