// Served by `cargo workbook serve` at /__workbook/events-worker.js: one
// connection to the server's event stream for every tab of the served book
// (see events.js, which every served page runs). Each tab connects a port;
// every event goes to every port, and a tab that joins hears the latest
// version at once (the stream itself sends it only when it opens).
(() => {
  "use strict";

  /** @type {MessagePort[]} */
  let ports = [];
  /** @type {string | null} */
  let latestVersion = null;

  const source = new EventSource("/__workbook/events");
  for (const type of ["version", "notice"]) {
    source.addEventListener(type, (e) => {
      const data = /** @type {MessageEvent} */ (e).data;
      if (type === "version") {
        latestVersion = data;
      }
      for (const port of ports) {
        port.postMessage({ type, data });
      }
    });
  }

  // The stream dropped (the server stopped, or restarts): what it said last
  // may be out of date. A tab that joins now waits for the reconnected
  // stream's version rather than take the old one for a change and reload.
  source.addEventListener("error", () => {
    latestVersion = null;
  });

  /** @type {any} */ (self).onconnect = (/** @type {MessageEvent} */ e) => {
    const port = e.ports[0];
    ports.push(port);
    port.onmessage = (message) => {
      if (message.data === "leave") {
        ports = ports.filter((p) => p !== port);
      }
    };
    port.start();
    if (latestVersion !== null) {
      port.postMessage({ type: "version", data: latestVersion });
    }
  };
})();
