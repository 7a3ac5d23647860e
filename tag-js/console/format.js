// Formatting of numbers, dates and times for display (the browser's locale and time zone).

const numbers = new Intl.NumberFormat();

/** A count, with the locale's digit grouping. */
export function count(n) {
  return n === null || n === undefined ? "–" : numbers.format(n);
}

/** A share 0..1 as a percentage with at most one decimal. */
export function percent(share) {
  if (share === null || share === undefined || Number.isNaN(share)) {
    return "–";
  }
  return `${(Math.round(share * 1000) / 10).toLocaleString()} %`;
}

/** An ISO-8601 instant as local date and time, or "–". */
export function dateTime(iso) {
  if (!iso) {
    return "–";
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

/** An ISO-8601 instant as local date and time to the second (timeline entries often share a minute). */
export function preciseTime(iso) {
  const d = new Date(iso);
  return !iso || Number.isNaN(d.getTime()) ? String(iso || "–") : d.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
}

/** A calendar day (YYYY-MM-DD) as a short local date. */
export function day(key) {
  const d = parseDay(key);
  return d ? d.toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" }) : String(key);
}

/** YYYY-MM-DD as a Date at local noon (so no time zone moves it to another day), or null. */
export function parseDay(key) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(key));
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12) : null;
}

/** A local Date as YYYY-MM-DD. */
export function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Today minus `days`, as YYYY-MM-DD. */
export function daysAgo(days) {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return isoDay(d);
}

/** The browser's IANA time zone, or UTC. */
export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** A tracking cookie id, shortened for display (the full id is in the title). */
export function cookieId(id) {
  return id && id.length > 10 ? `${id.slice(0, 8)}…` : String(id || "–");
}
