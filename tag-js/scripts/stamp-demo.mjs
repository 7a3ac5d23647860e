// Rewrites the snippet between the markers in every webapp/demo/*.html page
// with the snippet built from the current src/snippet.js, rendered for the demo
// config. Run it (npm run stamp-demo) whenever the snippet changes; the tests
// fail while the pages are out of date.
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { demoPages, demoSnippet, stamp } from "./demo-snippet.mjs";

try {
  const snippet = await demoSnippet();
  for (const page of await demoPages()) {
    const html = await readFile(page, "utf8");
    const stamped = stamp(html, snippet, page);
    if (stamped !== html) {
      await writeFile(page, stamped);
      console.log(`stamped ${basename(page)}`);
    } else {
      console.log(`up to date ${basename(page)}`);
    }
  }
} catch (e) {
  console.error(`stamp-demo failed: ${e.message}`);
  process.exit(1);
}
