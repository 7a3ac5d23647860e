/**
 * Single-page apps: a page view per history navigation.
 *
 * A navigation is `history.pushState`, `history.replaceState` or the Back and Forward buttons
 * (`popstate`) that change the page's address; the fragment (`#...`) counts only when the
 * site's config says `"hash": true`. Checked once the page's own code has run (a zero-delay
 * timer), so the app has set the new title, and a router that pushes and replaces several
 * times for one navigation counts once; a pushState or replaceState to the same address
 * counts none.
 *
 * The collection chunk starts watching when it runs, a moment after the tracker: a navigation
 * in between (the page is no longer the landing page) counts once at the start.
 */

/**
 * @param {boolean} withHash whether a change of the fragment alone is a navigation
 * @param {() => void} navigated called once per navigation
 * @param {string} [from] the URL whose view is already counted (the landing page's);
 *   default: the page's URL now
 */
export function watchHistory(withHash, navigated, from) {
  var here = (href) => withHash ? href : href.split("#")[0];
  var last = here(from || location.href);
  var pending = 0;
  var check = () => {
    pending = pending || setTimeout(() => {
      pending = 0;
      try {
        if (last !== (last = here(location.href))) {
          navigated();
        }
      } catch (e) {
        // Never into the page.
      }
    });
  };
  ["pushState", "replaceState"].forEach((name) => {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      check();
      return result;
    };
  });
  addEventListener("popstate", check);
  addEventListener("hashchange", check);
  if (last !== here(location.href)) {
    check();
  }
}
