// Builds Spor's browser code into an output directory (default dist/):
//   spor.js    the tracker, an IIFE with the config placeholder for the server
//   banner.js  the consent banner, an IIFE the tracker loads only to show the banner
//              (served as-is at {alias}{endpoint}/b.js)
//   collect.js the collection chunk, an IIFE the tracker loads only when analytics is
//              allowed (served as-is at {alias}{endpoint}/c.js)
//   forms.js   the forms chunk, an IIFE the tracker loads only for a site with forms
//              (served as-is at {alias}{endpoint}/f.js)
//   snippet.js the paste-in snippet, with the base and path placeholders
//   console.js the site owner's web console (console/), an IIFE with its chart library;
//   console.css its styles; both served as built at /console/assets/ and never loaded by
//              a tracked page, so they have budgets of their own, outside the tracker's
// and fails when a placeholder is missing or duplicated or a size budget is exceeded. esbuild
// bundles; terser minifies the four bundles a tracked page may load once more.
//
// Usage: node build.mjs [--outdir <dir>]
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { minify } from "terser";

const here = dirname(fileURLToPath(import.meta.url));

/** Replaced by the server with the site's config as a JSON object literal. */
export const CONFIG_PLACEHOLDER = '"__SPOR_CONFIG__"';
/** Replaced by the server with a JSON array of base URL strings. */
export const BASES_PLACEHOLDER = "__SPOR_BASES__";
/** Replaced by the server with the script path as a JSON string. */
export const PATH_PLACEHOLDER = "__SPOR_PATH__";

/** Gzipped size budget of spor.js, in bytes. It only goes down. */
export const TRACKER_GZIP_BUDGET = 2190;
/** Gzipped size budget of collect.js, in bytes. It only goes down. */
export const COLLECT_GZIP_BUDGET = 1580;
/** Gzipped size budget of forms.js, in bytes. It only goes down. */
export const FORMS_GZIP_BUDGET = 970;
/** Gzipped size budget of banner.js, in bytes. It only goes down. */
export const BANNER_GZIP_BUDGET = 2010;
/** Gzipped size budget of console.js (the console and uPlot), in bytes. */
export const CONSOLE_GZIP_BUDGET = 40000;
/** Gzipped size budget of console.css, in bytes. */
export const CONSOLE_CSS_GZIP_BUDGET = 6000;
/** Size budget of the minified snippet template, in bytes. */
export const SNIPPET_BUDGET = 400;

/** Counts the non-overlapping occurrences of needle in text. */
export function count(text, needle) {
  return text.split(needle).length - 1;
}

/**
 * The JavaScript the bundles are written in: ES2019 (optional catch binding, which makes every
 * `try` a few bytes shorter), so browsers from 2018 on: Chrome and Edge 79, Firefox 58,
 * Safari 11.1.
 */
const TARGET = "es2019";
/**
 * The snippet stays ES2017: it is pasted into the sites' pages (and allowed by its hash under a
 * CSP), so any change to its bytes has every site paste it again.
 */
const SNIPPET_TARGET = "es2017";

/**
 * Property names used only between Spor's own bundles, never on the wire, in the public API,
 * in storage or in the DOM, each with the short name every bundle gives it: the object the
 * core hands to the chunks (see collect.js) and the consent object (consent.js). The tests
 * drive the built bundles through the page alone (the queue, fake answers, fake banners), so
 * none reads these; the banner's `show` and its options are read by the fake banners and keep
 * their names. One fixed map, so a bundle built alone agrees with the others.
 */
const INTERNAL_PROPS = {
  cfg: "c", send: "s", endpointUrl: "e", allowed: "a", tracking: "t", store: "w", stored: "r",
  held: "h", from: "f", set: "S", listen: "l",
};

/**
 * Terser's options for the second pass over each bundle esbuild made: its compressor (safe
 * transforms only, twice: single-use functions inlined, conditions merged) and its mangler,
 * which names variables by how often each letter appears in the code, so the gzipped bundle is
 * smaller than with esbuild's names.
 */
const TERSER = {
  ecma: 2019,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
};

/** Bundles and minifies one entry point of src/ into an IIFE; returns its code. */
async function bundle(entry) {
  const result = await esbuild.build({
    entryPoints: [join(here, "src", entry)],
    bundle: true,
    format: "iife",
    minify: true,
    target: TARGET,
    mangleProps: new RegExp(`^(${Object.keys(INTERNAL_PROPS).join("|")})$`),
    mangleCache: { ...INTERNAL_PROPS },
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return (await minify(result.outputFiles[0].text, TERSER)).code;
}

/** Bundles and minifies the tracker; returns its code after checking the placeholder. */
export async function buildTracker() {
  const code = await bundle("tracker.js");
  const n = count(code, CONFIG_PLACEHOLDER);
  if (n !== 1) {
    throw new Error(`spor.js must contain ${CONFIG_PLACEHOLDER} exactly once, found ${n} times`);
  }
  return code;
}

/** Bundles and minifies an entry the server serves unchanged; fails if it has a placeholder. */
async function buildServedAsIs(entry) {
  const code = await bundle(entry);
  if (count(code, "__SPOR_") !== 0) {
    throw new Error(`${entry} must not contain placeholders: the server serves it unchanged`);
  }
  return code;
}

/** Bundles and minifies the banner; returns its code. It has no placeholder: served as built. */
export function buildBanner() {
  return buildServedAsIs("banner.js");
}

/** Bundles and minifies the collection chunk; returns its code. Served as built, too. */
export function buildCollect() {
  return buildServedAsIs("collect.js");
}

/** Bundles and minifies the forms chunk; returns its code. Served as built, too. */
export function buildForms() {
  return buildServedAsIs("forms.js");
}

/**
 * Bundles and minifies the console's script and styles (console/main.js and console/console.css,
 * with uPlot and its stylesheet); returns `{ js, css }`. Served as built, so no placeholders.
 */
export async function buildConsole() {
  const build = (entry) => esbuild.build({
    entryPoints: [join(here, "console", entry)],
    bundle: true,
    format: entry.endsWith(".js") ? "iife" : undefined,
    minify: true,
    target: TARGET,
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  }).then((result) => result.outputFiles[0].text);
  const [js, css] = await Promise.all([build("main.js"), build("console.css")]);
  if (count(js, "__SPOR_") !== 0) {
    throw new Error("console.js must not contain placeholders: the server serves it unchanged");
  }
  return { js, css };
}

/**
 * Minifies the snippet; returns its code (no trailing newline, so the file is
 * exactly the text to put between <script> and </script>) after checking it.
 */
export async function buildSnippet() {
  const source = await readFile(join(here, "src/snippet.js"), "utf8");
  const result = await esbuild.transform(source, {
    minify: true,
    target: SNIPPET_TARGET,
    legalComments: "none",
    logLevel: "silent",
  });
  const code = result.code.trimEnd();
  for (const placeholder of [BASES_PLACEHOLDER, PATH_PLACEHOLDER]) {
    const n = count(code, placeholder);
    if (n !== 1) {
      throw new Error(`snippet.js must contain ${placeholder} exactly once, found ${n} times`);
    }
  }
  const size = Buffer.byteLength(code);
  if (size > SNIPPET_BUDGET) {
    throw new Error(`snippet.js is ${size} bytes, over its budget of ${SNIPPET_BUDGET}`);
  }
  return code;
}

/** The snippet as the server renders it: placeholders replaced by JSON. */
export function renderSnippet(snippet, bases, path) {
  return snippet
    .split(BASES_PLACEHOLDER).join(JSON.stringify(bases))
    .split(PATH_PLACEHOLDER).join(JSON.stringify(path));
}

/** Gzipped size of text at level 9, in bytes. */
export function gzipSize(text) {
  return gzipSync(text, { level: 9 }).length;
}

/** Fails unless the gzipped code fits its budget; returns the gzipped size. */
function checkBudget(name, code, budget) {
  const gzip = gzipSize(code);
  if (gzip > budget) {
    throw new Error(`${name} is ${gzip} bytes gzipped, over its budget of ${budget}`);
  }
  return gzip;
}

/** Builds every file into outdir, checking every budget before writing anything. */
export async function build(outdir) {
  const tracker = await buildTracker();
  const collect = await buildCollect();
  const forms = await buildForms();
  const banner = await buildBanner();
  const snippet = await buildSnippet();
  const consoleApp = await buildConsole();
  const trackerGzip = checkBudget("spor.js", tracker, TRACKER_GZIP_BUDGET);
  const collectGzip = checkBudget("collect.js", collect, COLLECT_GZIP_BUDGET);
  const formsGzip = checkBudget("forms.js", forms, FORMS_GZIP_BUDGET);
  const bannerGzip = checkBudget("banner.js", banner, BANNER_GZIP_BUDGET);
  const consoleGzip = checkBudget("console.js", consoleApp.js, CONSOLE_GZIP_BUDGET);
  const consoleCssGzip = checkBudget("console.css", consoleApp.css, CONSOLE_CSS_GZIP_BUDGET);
  await mkdir(outdir, { recursive: true });
  await writeFile(join(outdir, "spor.js"), tracker);
  await writeFile(join(outdir, "collect.js"), collect);
  await writeFile(join(outdir, "forms.js"), forms);
  await writeFile(join(outdir, "banner.js"), banner);
  await writeFile(join(outdir, "snippet.js"), snippet);
  await writeFile(join(outdir, "console.js"), consoleApp.js);
  await writeFile(join(outdir, "console.css"), consoleApp.css);
  console.log(`tracker: ${Buffer.byteLength(tracker)} bytes min, ${trackerGzip} bytes gzip (budget ${TRACKER_GZIP_BUDGET})`);
  console.log(`collect: ${Buffer.byteLength(collect)} bytes min, ${collectGzip} bytes gzip (budget ${COLLECT_GZIP_BUDGET})`);
  console.log(`forms: ${Buffer.byteLength(forms)} bytes min, ${formsGzip} bytes gzip (budget ${FORMS_GZIP_BUDGET})`);
  console.log(`banner: ${Buffer.byteLength(banner)} bytes min, ${bannerGzip} bytes gzip (budget ${BANNER_GZIP_BUDGET})`);
  console.log(`snippet: ${Buffer.byteLength(snippet)} bytes`);
  console.log(`console: ${Buffer.byteLength(consoleApp.js)} bytes min, ${consoleGzip} bytes gzip (budget ${CONSOLE_GZIP_BUDGET})`);
  console.log(`console.css: ${Buffer.byteLength(consoleApp.css)} bytes min, ${consoleCssGzip} bytes gzip (budget ${CONSOLE_CSS_GZIP_BUDGET})`);
}

function parseOutdir(args) {
  let outdir = "dist";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--outdir" && i + 1 < args.length) {
      outdir = args[++i];
    } else if (args[i].startsWith("--outdir=")) {
      outdir = args[i].slice("--outdir=".length);
    } else {
      throw new Error(`unknown argument: ${args[i]} (usage: node build.mjs [--outdir <dir>])`);
    }
  }
  return resolve(process.cwd(), outdir);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    await build(parseOutdir(process.argv.slice(2)));
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
