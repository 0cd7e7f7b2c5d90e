// Added by `cargo workbook serve` to every page it serves (never to the
// built files): the page's side of the server's event stream.
//
// All tabs of the served book share one connection to /__workbook/events,
// held by a SharedWorker (events-worker.js). A browser opens at most six
// HTTP/1.1 connections to one host, and a stream holds its connection for as
// long as the page is open: with one stream per tab, a sixth tab could not
// fetch anything more, and a seventh could not load. Where there is no
// SharedWorker, the page opens its own EventSource, as before.
//
// The page's scripts listen on `window.workbookEvents`: addEventListener
// for "version" and "notice" events (whose `data` is the event's text),
// close() to stop hearing them, `heard` for the latest version heard. This
// script itself reloads the page when the book's version changes (a
// rebuild, or a restart of the server), unless an element marked
// `data-workbook-unsaved` holds edits: then it offers a Reload button.
(function () {
  var listeners = { version: [], notice: [] };
  var closed = false;
  var port = null;
  var source = null;
  var events = {
    addEventListener: function (type, listener) {
      if (listeners[type]) listeners[type].push(listener);
    },
    close: close,
    // The latest version the stream said, null until it has said one: then
    // the page hears whatever comes next (the browser tests wait for it).
    heard: null,
  };
  window.workbookEvents = events;

  function deliver(type, data) {
    if (closed || !listeners[type]) return;
    if (type === "version") events.heard = data;
    listeners[type].slice().forEach(function (listener) {
      listener({ type: type, data: data });
    });
  }

  function ownStream() {
    port = null;
    source = new EventSource("/__workbook/events");
    Object.keys(listeners).forEach(function (type) {
      source.addEventListener(type, function (e) {
        deliver(type, e.data);
      });
    });
  }
  if (typeof SharedWorker === "function") {
    try {
      var worker = new SharedWorker("/__workbook/events-worker.js", { name: "workbook-events" });
      // The worker could not start (its script did not load): a stream of
      // the page's own after all.
      worker.onerror = function () {
        if (!closed && !source) ownStream();
      };
      port = worker.port;
      port.onmessage = function (e) {
        deliver(e.data.type, e.data.data);
      };
      port.start();
    } catch (_) {
      port = null; // refused (a sandboxed frame, a private mode)
    }
  }
  if (!port) ownStream();

  function close() {
    closed = true;
    if (port) {
      port.postMessage("leave");
      port.close();
    }
    if (source) source.close();
  }
  // A page that is gone leaves the worker's list (one kept for going back
  // in history, `persisted`, stays: it may be shown again).
  window.addEventListener("pagehide", function (e) {
    if (!e.persisted && port) port.postMessage("leave");
  });

  function offer() {
    if (document.getElementById("wb-reload-offer")) return;
    var bar = document.createElement("div");
    bar.id = "wb-reload-offer";
    bar.setAttribute("role", "status");
    bar.style.cssText =
      "position:fixed;bottom:1em;right:1em;z-index:200;padding:.6em 1em;background:#ffe;color:#111;border:2px solid #444;border-radius:6px";
    bar.textContent = "The book changed on disk. Your edits on this page are not saved there. ";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload the page";
    button.addEventListener("click", function () {
      location.reload();
    });
    bar.appendChild(button);
    document.body.appendChild(bar);
  }
  // The version this page was served at (the server writes it in), so a
  // rebuild between serving the page and joining the stream still counts.
  var meta = document.querySelector('meta[name="workbook-version"]');
  var seen = meta ? meta.getAttribute("content") : null;
  events.addEventListener("version", function (e) {
    if (seen === null) {
      seen = e.data;
    } else if (e.data !== seen) {
      if (document.querySelector("[data-workbook-unsaved]")) {
        offer();
      } else {
        close();
        location.reload();
      }
    }
  });
})();
