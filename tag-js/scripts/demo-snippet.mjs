// The demo site's snippet: what the server renders for the demo config, and
// where it sits in each page of webapp/demo/.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSnippet, renderSnippet } from "../build.mjs";

export const DEMO_DIR = fileURLToPath(new URL("../../webapp/demo/", import.meta.url));
export const DEMO_BASES = ["/sa", "/sb"];
export const DEMO_PATH = "/s/demo.js";
export const START_MARKER = "<!-- spor-snippet --><script>";
export const END_MARKER = "</script><!-- /spor-snippet -->";

/** The demo snippet built from the current source, as the server renders it. */
export async function demoSnippet() {
  return renderSnippet(await buildSnippet(), DEMO_BASES, DEMO_PATH);
}

/** Absolute paths of the demo's HTML pages, sorted. */
export async function demoPages() {
  const names = await readdir(DEMO_DIR);
  return names.filter((name) => name.endsWith(".html")).sort().map((name) => join(DEMO_DIR, name));
}

/**
 * Returns the text between the markers of a page.
 * Throws unless the page has exactly one pair of markers, in order.
 */
export function snippetOf(html, page) {
  const start = html.indexOf(START_MARKER);
  const end = html.indexOf(END_MARKER);
  if (start < 0 || end < start || html.indexOf(START_MARKER, start + 1) >= 0
      || html.indexOf(END_MARKER, end + 1) >= 0) {
    throw new Error(`${page}: needs exactly one ${START_MARKER}...${END_MARKER} line`);
  }
  return html.slice(start + START_MARKER.length, end);
}

/** Returns the page with the text between its markers replaced by snippet. */
export function stamp(html, snippet, page) {
  const old = snippetOf(html, page);
  const start = html.indexOf(START_MARKER) + START_MARKER.length;
  return html.slice(0, start) + snippet + html.slice(start + old.length);
}
