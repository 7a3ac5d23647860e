/**
 * Spor's browser API: the command queue `window._spor`.
 *
 * The paste-in snippet creates `window._spor` as an array, so commands can be
 * pushed before the script has loaded. The script then replaces the array with
 * a {@link SporQueue}, replays the queued commands and runs later ones at once.
 *
 * @example
 * window._spor = window._spor || [];
 * window._spor.push(["onConsentChange", (state) => console.log(state.analytics)]);
 */

/** A consent category. Spor's own tracking cookie belongs to "analytics". */
export type ConsentCategory = "necessary" | "analytics" | "functionality" | "advertisement" | (string & {});

/** A decision the visitor (or their browser's GPC signal) made, as the server stored it. */
export interface ConsentDecision {
  readonly action: "accept-all" | "reject-all" | "custom" | "revoke" | "gpc";
  /** The categories it granted, "necessary" included. */
  readonly categories: readonly ConsentCategory[];
  /** When it was made, an ISO 8601 time. */
  readonly at: string;
  /** Where it was made: "banner", "settings", "api", "gpc". */
  readonly source: string;
}

/** The consent state an {@link ConsentListener} receives. Frozen. */
export interface ConsentState {
  /** The categories granted now; always includes "necessary". */
  readonly categories: readonly ConsentCategory[];
  /** Spor records page views now. */
  readonly analytics: boolean;
  /** The stored decision; null when the visitor has not decided (or revoked). */
  readonly decision: ConsentDecision | null;
  /** The consent policy in force on this page; a new revision asks everyone again. */
  readonly policy: { readonly id: string; readonly revision: number };
}

/**
 * Called once with the current state as soon as it is known (at once if it already is),
 * then after every decision or revocation. A listener that throws does not stop the
 * others; its error is swallowed.
 */
export type ConsentListener = (state: ConsentState) => void;

/** Flat event or identify properties: at most 20; other values are left out. */
export type SporProperties = Record<string, string | number | boolean>;

/**
 * What identify takes: an email (`local@domain`, trimmed), flat properties and, for a site
 * that requires identity verification, `hmac`: the HMAC-SHA256 of the trimmed, lower-cased
 * email with the site's identity secret, hex, computed by the site's backend (it is sent
 * beside the properties, never as one).
 */
export interface SporIdentity {
  email: string;
  hmac?: string;
  [property: string]: string | number | boolean;
}

/**
 * A command: its name, then its arguments. At run time, commands the script does
 * not know and malformed commands are ignored silently.
 *
 * Page views and events leave only while the consent state allows analytics and
 * doNotTrack is off; they are sent by the collection chunk, which the script loads only
 * then. Commands pushed before are kept in order and handed to it.
 */
export type SporCommand =
  /**
   * The next page view (or event) is of `location.origin + path`, and so is every one
   * after it while the page's address (URL without fragment) stays the one it was first
   * used on. Ignored unless path starts with "/".
   */
  | ["setPath", string]
  /**
   * Sends a page view of the current URL (or setPath's), only if analytics is allowed. The
   * page the script loaded on, and single-page-app navigations, are sent without it; pushed
   * before the consent state is known for that same URL, it is not sent twice.
   */
  | ["trackPageView"]
  /** Sends an event named `name` (a non-empty string) with flat properties. */
  | ["trackEvent", string]
  | ["trackEvent", string, SporProperties]
  /**
   * Sends the email and properties with the next page view or event only (once). Ignored
   * when the email is junk: empty, "undefined", "null" or not `local@domain`.
   */
  | ["identify", SporIdentity]
  /**
   * Stops every page view, event, form submission and email click of this browser (every
   * tab, kept in localStorage) and empties the retry queue; `["doNotTrack", false]` undoes it.
   */
  | ["doNotTrack"]
  | ["doNotTrack", boolean]
  /** Opens the consent banner in its settings view, showing the current choices. */
  | ["showBanner"]
  /**
   * Withdraws consent: page views and events stop at once and the retry queue is emptied;
   * the server deletes the tracking cookie; listeners hear the new state.
   */
  | ["revokeConsent"]
  /** Adds a consent listener. */
  | ["onConsentChange", ConsentListener];

/**
 * The HTML attributes Spor reads; none needs a command. For JSX, add them to your element
 * types, e.g. `interface HTMLAttributes<T> extends SporAttributes {}`.
 */
export interface SporAttributes {
  /**
   * On a `<form>`: the id of a form in the site's config. Its submit is sent to Spor, even
   * without tracking consent (the server then creates or updates the contact without page
   * views), but not under doNotTrack; the submit is never prevented or delayed. A form that
   * cannot carry the attribute is found by its configured `selector` instead.
   */
  "data-spor-form"?: string;
  /**
   * On a form field, or on any element around fields (a fieldset, a div): those fields are
   * never sent. Passwords, one-time codes, hidden anti-forgery tokens, payment fields
   * (`autocomplete="cc-..."`) and values that are card numbers are never sent without it.
   */
  "data-spor-sensitive"?: string | boolean;
  /** On a link or button: a click opens the consent banner's settings (default prevented). */
  "data-spor-consent-settings"?: string | boolean;
}

/**
 * A link from a marketing email carries the query parameter `sptk` (a token): the script
 * takes it out of the address bar before anything reads the URL, keeping the other
 * parameters and the fragment, and posts the click. The name of that parameter:
 */
export type SporEmailTokenParameter = "sptk";

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
