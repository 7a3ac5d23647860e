/**
 * Downloads: links to files are never page views. A click on one is sent as a `download`
 * event instead, named by the file's absolute URL.
 */

/** File extensions that make a link a download when the site's config names none. */
export var DOWNLOADS = "pdf zip dmg exe docx xlsx pptx csv mp3 mp4".split(" ");

/**
 * Whether a URL is a download: a file Spor hosts (`/files/...` on the page's origin or below
 * any alias) or a path ending in one of the download extensions.
 *
 * @param {string} href an absolute URL
 * @param {import("./config.js").SporConfig} cfg its `bases`, and its `downloads`: the
 *   extensions, lower case without the dot ({@link DOWNLOADS} when it has none)
 * @returns {boolean}
 */
export function isDownload(href, cfg) {
  var url = new URL(href, location.href);
  var extension = /\.(\w+)$/.exec(url.pathname);
  return !!extension && (cfg.downloads || DOWNLOADS).indexOf(extension[1].toLowerCase()) >= 0
    || [""].concat(cfg.bases).some((base) => !url.href.indexOf(new URL(base + "/files/", location.href).href));
}
