/* Offline after the first visit (docs/sw.js), over http(s) only.

   Under file:// (service workers do not run there) and when the browser
   asks to save data, this does nothing at all. Otherwise it links the web
   app manifest, registers the service worker at the site's root once the
   page has loaded, and shows a notice when a new version of the notes has
   been fully downloaded: it opens on the reader's next page. A failed
   registration (a full quota, storage turned off) changes nothing: the
   site works online as before. */
(function () {
  "use strict";
  if (location.protocol !== "https:" && location.protocol !== "http:") return;
  if (!("serviceWorker" in navigator)) return;
  var c = navigator.connection;
  if (c && c.saveData) return;

  // This script lives at <root>/assets/offline/sw-register.js.
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);

  var manifest = document.createElement("link");
  manifest.rel = "manifest";
  manifest.href = new URL("assets/offline/manifest.webmanifest", root).href;
  document.head.appendChild(manifest);

  function notice() {
    if (document.querySelector(".notes-update")) return;
    var box = document.createElement("div");
    box.className = "notes-update";
    box.setAttribute("role", "status");
    box.textContent =
      "A new version of these notes is ready offline: it opens on your " +
      "next page.";
    document.body.appendChild(box);
  }

  function watch(worker) {
    if (!worker) return;
    function check() {
      // "installed" with a worker already in charge: an update waits.
      if (worker.state === "installed" && navigator.serviceWorker.controller) {
        notice();
      }
    }
    check();
    worker.addEventListener("statechange", check);
  }

  function register() {
    navigator.serviceWorker
      .register(new URL("sw.js", root).href, { scope: root.pathname })
      .then(function (reg) {
        if (reg.waiting && navigator.serviceWorker.controller) notice();
        watch(reg.installing);
        reg.addEventListener("updatefound", function () {
          watch(reg.installing);
        });
      })
      .catch(function () {
        /* No offline copy this time; the site itself is unaffected. */
      });
  }

  // After the page's own load: the precache (the whole site, within
  // hooks/offline.py's BUDGET_BYTES) then never competes with the first
  // page a reader opens.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
})();
