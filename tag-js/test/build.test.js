import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import {
  BANNER_GZIP_BUDGET, COLLECT_GZIP_BUDGET, CONFIG_PLACEHOLDER, FORMS_GZIP_BUDGET, TRACKER_GZIP_BUDGET, SNIPPET_BUDGET, count, gzipSize,
} from "../build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

test("build_intoNewTempDir_writesTrackerCollectFormsBannerAndSnippetWithinBudgets", async () => {
  const parent = await mkdtemp(join(tmpdir(), "spor-build-"));
  try {
    const outdir = join(parent, "nested", "out");
    const { stdout } = await promisify(execFile)(process.execPath, ["build.mjs", "--outdir", outdir], { cwd: root });

    const tracker = await readFile(join(outdir, "spor.js"), "utf8");
    const snippet = await readFile(join(outdir, "snippet.js"), "utf8");
    const banner = await readFile(join(outdir, "banner.js"), "utf8");
    const collect = await readFile(join(outdir, "collect.js"), "utf8");
    const forms = await readFile(join(outdir, "forms.js"), "utf8");
    assert.equal(CONFIG_PLACEHOLDER, '"__SPOR_CONFIG__"');
    assert.equal(CONFIG_PLACEHOLDER.length, 17);
    assert.equal(count(tracker, CONFIG_PLACEHOLDER), 1);
    assert.ok(gzipSize(tracker) <= TRACKER_GZIP_BUDGET, `gzip size ${gzipSize(tracker)}`);
    assert.ok(TRACKER_GZIP_BUDGET <= 2190);
    assert.ok(Buffer.byteLength(snippet) <= SNIPPET_BUDGET, `snippet size ${Buffer.byteLength(snippet)}`);
    assert.equal(count(banner, "__SPOR_"), 0);
    assert.match(banner, /^\(\(\)=>\{/, "an IIFE");
    assert.ok(gzipSize(banner) <= BANNER_GZIP_BUDGET, `banner gzip size ${gzipSize(banner)}`);
    assert.ok(BANNER_GZIP_BUDGET <= 2010);
    assert.equal(count(collect, "__SPOR_"), 0);
    assert.match(collect, /^\(\(\)=>\{/, "an IIFE");
    assert.ok(gzipSize(collect) <= COLLECT_GZIP_BUDGET, `collect gzip size ${gzipSize(collect)}`);
    assert.ok(COLLECT_GZIP_BUDGET <= 1580);
    assert.equal(count(forms, "__SPOR_"), 0);
    assert.match(forms, /^\(\(\)=>\{/, "an IIFE");
    assert.ok(gzipSize(forms) <= FORMS_GZIP_BUDGET, `forms gzip size ${gzipSize(forms)}`);
    assert.ok(FORMS_GZIP_BUDGET <= 970);
    // Which fields are sent is the forms chunk's alone.
    for (const word of ["autocomplete", "data-spor-sensitive", "data-spor-form"]) {
      assert.equal(tracker.includes(word), false, word);
      assert.ok(forms.includes(word), word);
    }
    // The tracker carries no collection code: that is the chunk's.
    for (const word of ["sendBeacon", "pushState", "webdriver", "download"]) {
      assert.equal(tracker.includes(word), false, word);
      assert.ok(collect.includes(word), word);
    }
    assert.match(stdout, new RegExp(`tracker: ${Buffer.byteLength(tracker)} bytes min, ${gzipSize(tracker)} bytes gzip \\(budget ${TRACKER_GZIP_BUDGET}\\)`));
    assert.match(stdout, new RegExp(`collect: ${Buffer.byteLength(collect)} bytes min, ${gzipSize(collect)} bytes gzip \\(budget ${COLLECT_GZIP_BUDGET}\\)`));
    assert.match(stdout, new RegExp(`forms: ${Buffer.byteLength(forms)} bytes min, ${gzipSize(forms)} bytes gzip \\(budget ${FORMS_GZIP_BUDGET}\\)`));
    assert.match(stdout, new RegExp(`banner: ${Buffer.byteLength(banner)} bytes min, ${gzipSize(banner)} bytes gzip \\(budget ${BANNER_GZIP_BUDGET}\\)`));
    assert.match(stdout, new RegExp(`snippet: ${Buffer.byteLength(snippet)} bytes`));
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test("build_unknownArgument_failsWithMessage", async () => {
  await assert.rejects(
    promisify(execFile)(process.execPath, ["build.mjs", "--out", "x"], { cwd: root }),
    (error) => error.code === 1 && /build failed: unknown argument: --out/.test(error.stderr),
  );
});
