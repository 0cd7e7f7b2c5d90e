// Served by `cargo workbook serve` at /__workbook/events-worker.js: one
// connection to the server's event stream for every tab of the served book
// (see events.js, which every served page runs). Each tab connects a port;
// every event goes to every port, and a tab that joins hears the latest
// version at once (the stream itself sends it only when it opens).
var ports = [];
var latestVersion = null;

var source = new EventSource("/__workbook/events");
["version", "notice"].forEach(function (type) {
  source.addEventListener(type, function (e) {
    if (type === "version") latestVersion = e.data;
    ports.forEach(function (port) {
      port.postMessage({ type: type, data: e.data });
    });
  });
});

// The stream dropped (the server stopped, or restarts): what it said last
// may be out of date. A tab that joins now waits for the reconnected
// stream's version rather than take the old one for a change and reload.
source.addEventListener("error", function () {
  latestVersion = null;
});

self.onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (message) {
    if (message.data === "leave") {
      ports = ports.filter(function (p) {
        return p !== port;
      });
    }
  };
  port.start();
  if (latestVersion !== null) port.postMessage({ type: "version", data: latestVersion });
};
