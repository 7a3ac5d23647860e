/**
 * Requests to the site's endpoint, with failover between the script aliases.
 *
 * Every request goes first to the alias that last worked (at the start, the one that
 * served the script). On a network error or a 5xx answer it is repeated on the other
 * aliases in their configured order; the first alias that answers below 500 is the one
 * used from then on, for the life of the page.
 *
 * Requests always carry the cookies (`credentials: "include"`): the consent and tracking
 * cookies are HttpOnly and set by the server, the script never reads or writes them.
 * POST bodies are JSON passed to fetch as a string, which fetch always sends as
 * `Content-Type: text/plain;charset=UTF-8`; with no other header set, a cross-origin
 * request stays "simple" (no CORS preflight).
 */

/**
 * @typedef {object} Transport
 * @property {(path: string, body?: object) => Promise<Response>} send requests `path` below
 *   the endpoint (e.g. "/state?url=..." or "/p"): a POST of `body` as JSON when given, else a
 *   GET; resolves to the last tried alias's response, rejects with the last network error
 * @property {() => string} current the alias the next request goes to first: the one that
 *   last answered below 500, at the start the one that served the script
 */

/**
 * @param {string | null} base  the alias that served the script
 * @param {string[]} bases      all aliases, in order of preference
 * @param {string} endpoint     the site's endpoint below each alias, e.g. "/s/demo"
 * @returns {Transport}
 */
export function createTransport(base, bases, endpoint) {
  var order = base ? [base] : [];
  for (var i = 0; i < bases.length; i++) {
    if (order.indexOf(bases[i]) < 0) {
      order.push(bases[i]);
    }
  }

  function send(path, body) {
    var init = body
      ? { method: "POST", credentials: "include", keepalive: true, body: JSON.stringify(body) }
      : { credentials: "include", cache: "no-store" };
    var tried = order.slice();

    function attempt(i) {
      var alias = tried[i];
      var more = i + 1 < tried.length;
      return fetch(alias + endpoint + path, init).then(function (response) {
        if (response.status >= 500 && more) {
          return attempt(i + 1);
        }
        if (response.status < 500) {
          order.splice(order.indexOf(alias), 1);
          order.unshift(alias);
        }
        return response;
      }, function (error) {
        if (more) {
          return attempt(i + 1);
        }
        throw error;
      });
    }

    return tried.length ? attempt(0) : Promise.reject();
  }

  return {
    send: send,
    current: function () {
      return order[0];
    }
  };
}
