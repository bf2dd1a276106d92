// The notification bell: fetches the unread count after the page has loaded and every minute,
// so rendering a page costs no query for it. No inline script: the CSP forbids it.
(function () {
  "use strict";
  var bell = document.getElementById("notification-bell-link");
  var badge = document.getElementById("notification-unread-count");
  if (!bell || !badge || !window.fetch) {
    return;
  }
  function refresh() {
    fetch(bell.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.classList.toggle("d-none", data.unread === 0);
        bell.title = data.label;
      })
      .catch(function () {});
  }
  refresh();
  window.setInterval(refresh, 60000);
})();
