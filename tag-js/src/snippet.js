/*
 * Spor paste-in snippet: the only code a site owner pastes into their pages.
 *
 * It creates the command queue `window._spor` (an array until the tracker
 * replaces it) and loads the tracker asynchronously from the first script
 * alias; if that script fails to load it tries the next alias, and so on.
 * It gives the script element its own CSP nonce (document.currentScript.nonce),
 * so the tracker loads under a strict Content Security Policy with nonces; the
 * tracker passes the nonce on to the banner's script.
 * It never throws and never blocks rendering.
 *
 * Placeholders, replaced by the server in the minified output (they are free
 * identifiers, so the minifier keeps them as they are):
 *   __SPOR_BASES__  a JSON array of base URLs, e.g. ["https://t.example.com","/sb"]
 *   __SPOR_PATH__   a JSON string, the script's path, e.g. "/s/demo.js"
 */
(function (w, d, bases, path) {
  var next = 0;
  var nonce;

  function load() {
    try {
      if (next >= bases.length) {
        return;
      }
      var script = d.createElement("script");
      script.async = true;
      script.src = bases[next++] + path;
      if (nonce) {
        script.nonce = nonce;
      }
      script.onerror = function () {
        script.onerror = null;
        load();
      };
      (d.head || d.getElementsByTagName("script")[0].parentNode).appendChild(script);
    } catch (e) {
      // Never break the host page.
    }
  }

  try {
    // The queue, carrying the page's own alias list: the tracker fails over along it.
    (w._spor = w._spor || []).b = bases;
    // Read now: currentScript is null when load() runs again after an error.
    nonce = d.currentScript && d.currentScript.nonce;
    load();
  } catch (e) {
    // Never break the host page.
  }
})(window, document, __SPOR_BASES__, __SPOR_PATH__);
