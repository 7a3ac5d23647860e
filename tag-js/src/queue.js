import { freeze } from "./consent.js";

/**
 * A command: an array whose first item names the command, the rest are its
 * arguments, e.g. ["trackEvent", "signup", { plan: "pro" }].
 *
 * @typedef {[string, ...unknown[]]} SporCommand
 */

/**
 * The public command queue that replaces the snippet's `window._spor` array.
 *
 * @typedef {object} SporQueue
 * @property {(...commands: SporCommand[]) => void} push runs the given commands in order
 * @property {string} site       the site key (read-only)
 * @property {string | null} base the script alias that served the script, or null (read-only)
 */

/**
 * Creates the command queue and replays the commands queued before it existed.
 * Commands without a handler are ignored, as are malformed ones; a handler that
 * throws does not stop the commands after it.
 *
 * @param {string} site
 * @param {string | null} base
 * @param {Record<string, (...args: unknown[]) => void>} handlers command name to handler
 * @param {unknown[]} queued commands pushed before the script loaded (the snippet's array)
 * @returns {SporQueue} a frozen object
 */
export function createQueue(site, base, handlers, queued) {
  var run = (command) => {
    try {
      // Own names only: "constructor", "__proto__" and the like are no commands.
      if (handlers.hasOwnProperty(command[0])) {
        handlers[command[0]](...command.slice(1));
      }
    } catch (e) {
      // A failing or malformed command must not break the page or the commands after it.
    }
  };
  queued.forEach(run);
  return freeze({
    push: (...commands) => commands.forEach(run),
    site: site,
    base: base
  });
}
