// Charts: uPlot for the daily series, plain elements for bars. Every chart comes with its
// figures as a table (the text alternative), and says how many points it has in data-points.
import uPlot from "uplot";
import { h, table } from "./dom.js";
import { count, day, parseDay, percent } from "./format.js";

const HEIGHT = 260;
const DAY_SECONDS = 86400;

/**
 * A line chart of page views and cookies per day, with its table.
 * @param {{key: string, pageViews: number, cookies: number}[]} rows day rows, zero days included
 * @returns {{figure: HTMLElement, mount: () => void, destroy: () => void}}
 */
export function dailyChart(rows, title) {
  const plot = h("div", {
    class: "chart-plot", role: "img",
    "aria-label": `${title}: a line chart of ${rows.length} days; the same figures are in the table below it.`,
  });
  const figure = h("figure", { class: "chart", id: "daily-chart", "data-points": rows.length },
    h("figcaption", { class: "visually-hidden", text: title }),
    plot,
    h("details", { class: "chart-table" },
      h("summary", { text: "Show the figures as a table" }),
      table(null, ["Day", "Page views", "Cookies"],
        rows.map((r) => [day(r.key), count(r.pageViews), count(r.cookies)]))));
  let chart = null;
  let observer = null;
  const data = [
    rows.map((r) => parseDay(r.key).getTime() / 1000),
    rows.map((r) => r.pageViews),
    rows.map((r) => r.cookies),
  ];
  const options = (width) => ({
    width,
    height: HEIGHT,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    axes: [
      { stroke: "#4b5563", grid: { stroke: "#eef0f3" }, ticks: { stroke: "#d1d5db" }, space: 60,
        incrs: [1, 2, 7, 14, 28, 91, 182, 364].map((d) => d * DAY_SECONDS),
        values: (u, splits) => splits.map((v) => new Date(v * 1000).toLocaleDateString(undefined, { month: "short", day: "numeric" })) },
      { stroke: "#4b5563", grid: { stroke: "#eef0f3" }, ticks: { stroke: "#d1d5db" }, size: 50,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1e6],
        values: (u, splits) => splits.map((v) => count(v)) },
    ],
    series: [
      { label: "Day", value: (u, v) => (v === null ? "–" : new Date(v * 1000).toLocaleDateString()) },
      { label: "Page views", stroke: "#1d4ed8", width: 2, fill: "rgba(29, 78, 216, 0.08)",
        points: { size: 6 }, value: (u, v) => count(v) },
      { label: "Cookies", stroke: "#b45309", width: 2, dash: [6, 4], points: { size: 6 }, value: (u, v) => count(v) },
    ],
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
  });
  return {
    figure,
    mount() {
      if (rows.length === 0) {
        plot.replaceChildren(h("p", { class: "muted", text: "No days in this range." }));
        return;
      }
      chart = new uPlot(options(Math.max(280, plot.clientWidth)), data, plot);
      observer = new ResizeObserver(() => {
        const width = Math.max(280, plot.clientWidth);
        if (chart && Math.abs(chart.width - width) > 2) {
          chart.setSize({ width, height: HEIGHT });
        }
      });
      observer.observe(plot);
    },
    destroy() {
      if (observer) {
        observer.disconnect();
      }
      if (chart) {
        chart.destroy();
      }
    },
  };
}

/**
 * A horizontal bar chart of shares (0..1), one bar per item, with its figures as text beside
 * each bar and as a table. Bar widths are set through the CSSOM, which a strict CSP allows.
 * @param {{label: string, share: number|null, detail: string}[]} items
 */
export function barChart(items, title) {
  const bars = h("ul", { class: "bars", "aria-hidden": "true" }, items.map((item) => {
    const fill = h("span", { class: "bar-fill" });
    fill.style.width = `${Math.max(0, Math.min(1, item.share || 0)) * 100}%`;
    return h("li", null,
      h("span", { class: "bar-label", text: item.label }),
      h("span", { class: "bar-track" }, fill),
      h("span", { class: "bar-value" }, percent(item.share), h("span", { class: "muted small", text: ` ${item.detail}` })));
  }));
  return h("figure", { class: "chart", id: "consent-chart", "data-points": items.length },
    h("figcaption", { text: title }),
    bars,
    h("div", { class: "visually-hidden" }, table(null, ["Policy", "Acceptance rate", "Allowed analytics"],
      items.map((item) => [item.label, percent(item.share), item.detail]), { class: "chart-figures" })));
}
