/*
 * Spor tracker: the script served at <base><path> for each site, with the
 * site's configuration injected by the server (see config.js).
 *
 * Its only global is `window._spor`, the command queue (see queue.js).
 */
import { readConfig } from "./config.js";
import { findBase } from "./base.js";
import { createQueue } from "./queue.js";

/**
 * Command handlers by name. None yet; later features (trackPageView, consent,
 * ...) add theirs here.
 *
 * @type {Record<string, (...args: unknown[]) => void>}
 */
var handlers = {};

try {
  var cfg = readConfig();
  var queued = window._spor;
  // Anything but the snippet's array (or nothing) means a tracker already runs.
  if (cfg && (queued === undefined || Array.isArray(queued))) {
    var script = document.currentScript;
    var base = findBase(cfg.bases, cfg.path, script ? script.src : "", location.href);
    window._spor = createQueue(cfg.site, base, handlers, queued || []);
  }
} catch (e) {
  // Never throw into the host page.
}
