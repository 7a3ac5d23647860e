/*
 * Spor tracker: the script served at <base><path> for each site, with the
 * site's configuration injected by the server (see config.js).
 *
 * Its only global is `window._spor`, the command queue (see queue.js). It replays the
 * commands queued before it loaded, then asks the server for the consent state and acts on
 * it (see commands.js). Two bundles are loaded only when needed: the collection chunk
 * (collect.js, served as c.js) when analytics is allowed, the banner (banner.js, b.js) when
 * it is shown.
 */
import { readConfig } from "./config.js";
import { findBase } from "./base.js";
import { startCore } from "./commands.js";

try {
  var cfg = readConfig();
  var queued = window._spor;
  // Anything but the snippet's array (or nothing) means a tracker already runs.
  if (cfg && (!queued || Array.isArray(queued))) {
    var script = document.currentScript || {};
    // The snippet's aliases, as pasted on this page, come before the configured ones.
    var pasted = queued && queued.b;
    if (Array.isArray(pasted) && pasted.every((b) => typeof b == "string")) {
      cfg.bases = pasted.concat(cfg.bases); // twice is harmless: the first counts
    }
    var base = findBase(cfg.bases, cfg.path, script.src || "");
    window._spor = startCore(cfg, base, script.nonce || "", queued || []);
  }
} catch (e) {
  // Never throw into the host page.
}
