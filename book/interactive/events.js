// Added by `cargo workbook serve` to every page it serves (never to the
// built files; workbook/src/serve/pages.rs), with the book's version in a
// <meta name="workbook-version">: the page's side of the server's event
// stream. (That meta is how the page's scripts know the page is served:
// core.js, served.)
//
// All tabs of the served book share one connection to /__workbook/events,
// held by a SharedWorker (events-worker.js). A browser opens at most six
// HTTP/1.1 connections to one host, and a stream holds its connection for as
// long as the page is open: with one stream per tab, a sixth tab could not
// fetch anything more, and a seventh could not load. Where there is no
// SharedWorker, the page opens its own EventSource.
//
// The page's scripts listen on `window.workbookEvents` (core.js, onNotice):
// addEventListener for "version" and "notice" events (whose `data` is the
// event's text; a notice is a Notice of contract.js), close() to stop
// hearing them, `heard` for the latest version heard. This script itself
// reloads the page when the book's version changes (a rebuild, or a restart
// of the server), unless an element marked `data-workbook-unsaved` holds
// edits: then it offers a Reload button.
(() => {
  "use strict";

  /** @type {Record<string, Array<(e: {type: string, data: string}) => void>>} */
  const listeners = { version: [], notice: [] };
  let closed = false;
  /** @type {MessagePort | null} */
  let port = null;
  /** @type {EventSource | null} */
  let source = null;
  const events = {
    /** @param {string} type @param {(e: {type: string, data: string}) => void} listener */
    addEventListener(type, listener) {
      listeners[type]?.push(listener);
    },
    close,
    // The latest version the stream said, null until it has said one: then
    // the page hears whatever comes next (the browser tests wait for it).
    /** @type {string | null} */
    heard: null,
  };
  window.workbookEvents = events;

  /** @param {string} type @param {string} data */
  function deliver(type, data) {
    if (closed || !listeners[type]) {
      return;
    }
    if (type === "version") {
      events.heard = data;
    }
    for (const listener of listeners[type].slice()) {
      listener({ type, data });
    }
  }

  function ownStream() {
    port = null;
    source = new EventSource("/__workbook/events");
    for (const type of Object.keys(listeners)) {
      source.addEventListener(type, (e) => deliver(type, /** @type {MessageEvent} */ (e).data));
    }
  }

  if (typeof SharedWorker === "function") {
    try {
      const worker = new SharedWorker("/__workbook/events-worker.js", { name: "workbook-events" });
      // The worker could not start (its script did not load): a stream of
      // the page's own after all.
      worker.onerror = () => {
        if (!closed && !source) {
          ownStream();
        }
      };
      port = worker.port;
      port.onmessage = (e) => deliver(e.data.type, e.data.data);
      port.start();
    } catch {
      port = null; // refused (a sandboxed frame, a private mode)
    }
  }
  if (!port) {
    ownStream();
  }

  function close() {
    closed = true;
    if (port) {
      port.postMessage("leave");
      port.close();
    }
    source?.close();
  }
  // A page that is gone leaves the worker's list (one kept for going back
  // in history, `persisted`, stays: it may be shown again).
  window.addEventListener("pagehide", (e) => {
    if (!e.persisted && port) {
      port.postMessage("leave");
    }
  });

  function offer() {
    if (document.getElementById("wb-reload-offer")) {
      return;
    }
    const bar = document.createElement("div");
    bar.id = "wb-reload-offer";
    bar.setAttribute("role", "status");
    bar.style.cssText =
      "position:fixed;bottom:1em;right:1em;z-index:200;padding:.6em 1em;background:#ffe;color:#111;border:2px solid #444;border-radius:6px";
    bar.textContent = "The book changed on disk. Your edits on this page are not saved there. ";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload the page";
    button.addEventListener("click", () => location.reload());
    bar.appendChild(button);
    document.body.appendChild(bar);
  }

  // The version this page was served at (the server writes it in), so a
  // rebuild between serving the page and joining the stream still counts.
  const meta = document.querySelector('meta[name="workbook-version"]');
  let seen = meta ? meta.getAttribute("content") : null;
  events.addEventListener("version", (e) => {
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
