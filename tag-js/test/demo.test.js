import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { demoPages, demoSnippet, snippetOf } from "../scripts/demo-snippet.mjs";

test("demoPages_snippet_matchesCurrentBuild", async () => {
  const expected = await demoSnippet();
  const pages = await demoPages();
  assert.ok(pages.length >= 5, `found ${pages.length} pages`);
  for (const page of pages) {
    const html = await readFile(page, "utf8");
    assert.equal(snippetOf(html, page), expected, `${basename(page)} is stale: run npm run stamp-demo`);
  }
});

test("demoPages_noInlineScriptsOrStylesBesidesSnippet", async () => {
  for (const page of await demoPages()) {
    const html = await readFile(page, "utf8");
    const inlineScripts = html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) || [];
    assert.equal(inlineScripts.length, 1, `${basename(page)}: only the snippet may be inline`);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${basename(page)}: no inline styles or handlers`);
    assert.match(html, /<a href="#" data-spor-consent-settings>Cookie settings<\/a>/, basename(page));
  }
});
