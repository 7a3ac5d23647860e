/**
 * What the script tells the server about the page it runs on, and event ids. Pure helpers,
 * bundled into the tracker and into the collection chunk alike.
 */

/**
 * A new event id: the time in milliseconds in base 36 (8 characters until 2059), "-", then
 * three random 32-bit numbers (96 bits) from crypto.getRandomValues, in decimal, joined by
 * "-"; 14 to 41 characters of [0-9a-z-], within the server's 8 to 64 of [A-Za-z0-9_-]. Time
 * first, so ids sort in the order they were made and the server's unique index on (site,
 * event id) grows at its end instead of at a random page. The server stores an event carrying
 * an id it has already seen only once, so a repeated request is never counted twice.
 *
 * @returns {string}
 */
export function eventId() {
  return Date.now().toString(36) + "-" + crypto.getRandomValues(new Uint32Array(3)).join("-");
}

/** The page's language, from <html lang>; "" when not set. */
export function pageLang() {
  return document.documentElement.lang;
}
