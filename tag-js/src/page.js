/**
 * What the script tells the server about the page it runs on, and event ids. Pure helpers,
 * bundled into the tracker and into the collection chunk alike.
 */

/**
 * A new random event id: four random 32-bit numbers (128 bits) from crypto.getRandomValues,
 * in decimal, joined by "-". The server stores an event carrying an id it has already seen
 * only once, so a repeated request is never counted twice.
 *
 * @returns {string}
 */
export function eventId() {
  return crypto.getRandomValues(new Uint32Array(4)).join("-");
}

/** The page's language, from <html lang>; "" when not set. */
export function pageLang() {
  return document.documentElement.lang;
}
