/*
 * Spor tracker: the script served at <base><path> for each site, with the
 * site's configuration injected by the server (see config.js).
 *
 * Its only global is `window._spor`, the command queue (see queue.js). On load it
 * asks the server for the consent state and acts on it (see commands.js); the
 * banner is a separate bundle (banner.js), loaded only when it is shown.
 */
import { readConfig } from "./config.js";
import { findBase } from "./base.js";
import { createQueue } from "./queue.js";
import { createCommands } from "./commands.js";

try {
  var cfg = readConfig();
  var queued = window._spor;
  // Anything but the snippet's array (or nothing) means a tracker already runs.
  if (cfg && (queued === undefined || Array.isArray(queued))) {
    var script = document.currentScript;
    var base = findBase(cfg.bases, cfg.path, script ? script.src : "", location.href);
    // Without an endpoint (an older server) the queue exists but nothing is sent.
    var commands = typeof cfg.endpoint === "string"
      ? createCommands(cfg, base, (script && script.nonce) || "")
      : { handlers: {}, start: function () {} };
    commands.start();
    window._spor = createQueue(cfg.site, base, commands.handlers, queued || []);
  }
} catch (e) {
  // Never throw into the host page.
}
