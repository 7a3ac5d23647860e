// A tiny single-page app: links with data-view switch between the three views
// with history.pushState; Back and Forward (popstate) switch back. The view is
// kept in the query string (app.html?view=reports), so a reload shows it too.
(function () {
  "use strict";

  var VIEWS = ["overview", "reports", "settings"];
  var TITLES = { overview: "Overview", reports: "Reports", settings: "Settings" };

  function viewFromUrl() {
    var view = new URLSearchParams(location.search).get("view");
    return VIEWS.indexOf(view) >= 0 ? view : VIEWS[0];
  }

  function render(view, moveFocus) {
    VIEWS.forEach(function (name) {
      document.getElementById("view-" + name).hidden = name !== view;
    });
    document.querySelectorAll("a[data-view]").forEach(function (link) {
      if (link.getAttribute("data-view") === view) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    document.title = TITLES[view] + " · Web app · Spor demo";
    if (moveFocus) {
      document.getElementById("view-" + view).focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-view]") : null;
    if (!link || event.defaultPrevented || event.button !== 0
        || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    var view = link.getAttribute("data-view");
    if (view !== viewFromUrl()) {
      history.pushState({ view: view }, "", link.href);
    }
    render(view, true);
  });

  window.addEventListener("popstate", function () {
    render(viewFromUrl(), false);
  });

  render(viewFromUrl(), false);
})();
