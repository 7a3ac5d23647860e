/**
 * Spor's browser API: the command queue `window._spor`.
 *
 * The paste-in snippet creates `window._spor` as an array, so commands can be
 * pushed before the script has loaded. The script then replaces the array with
 * a {@link SporQueue}, replays the queued commands and runs later ones at once.
 *
 * @example
 * window._spor = window._spor || [];
 * window._spor.push(["trackPageView"]);
 */

/**
 * A command: its name, then its arguments. Commands the script does not know
 * (none are implemented yet) and malformed commands are ignored silently.
 */
export type SporCommand = [name: string, ...args: unknown[]];

/** The command queue, once the script has loaded. Frozen. */
export interface SporQueue {
  /** Runs the given commands in order. Never throws. */
  push(...commands: SporCommand[]): void;
  /** The site key the script was served for, e.g. "demo". */
  readonly site: string;
  /**
   * The script alias (base URL, as configured) that served the script, e.g.
   * "/sb" or "https://t.example.com"; null when it cannot be determined.
   */
  readonly base: string | null;
}

declare global {
  interface Window {
    /** An array of commands before the script loads, the {@link SporQueue} after. */
    _spor: SporCommand[] | SporQueue;
  }
}
