/**
 * What the script tells the server about the page it runs on, and event ids.
 */

/**
 * A new random event id: 32 hex digits (128 random bits) from crypto.getRandomValues.
 * The server stores an event carrying an id it has already seen only once, so a repeated
 * request is never counted twice.
 *
 * @returns {string}
 */
export function eventId() {
  var bytes = crypto.getRandomValues(new Uint8Array(16));
  var id = "";
  for (var i = 0; i < bytes.length; i++) {
    id += (bytes[i] + 256).toString(16).slice(1);
  }
  return id;
}

/** The page's language, from <html lang>; "" when not set. */
export function pageLang() {
  return document.documentElement.lang;
}

/**
 * The current page as the server records it, with a new event id.
 *
 * @returns {{eventId: string, url: string, title: string, referrer: string}}
 */
export function pageEvent() {
  return {
    eventId: eventId(),
    url: location.href,
    title: document.title,
    referrer: document.referrer
  };
}
