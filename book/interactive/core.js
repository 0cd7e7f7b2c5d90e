/* exported workbook */
// What every page script shares: the one client of `cargo workbook serve`
// (whether this page is served by it at all, its API, the run stream, its
// notices, the learner's progress), the DOM helpers and the words every
// widget uses, and the one seconds formatter. The other scripts of
// book/interactive use it as the global `workbook` (a classic script's
// top-level `const` is shared by every script of the page); on its own it
// does nothing.
//
// The shapes the server sends are book/interactive/contract.js (JSDoc,
// mirroring workbook/src/serve/contract.rs). Loading this file runs nothing
// but definitions: tests/browser/unit/ loads it into Node as the page does.

const workbook = (() => {
  "use strict";

  // ------------------------------------------------------------ the server

  /** The server's routes, for every script that asks it something. */
  const API = {
    snippet: "/__workbook/api/run/snippet",
    example: "/__workbook/api/run/example",
    stop: "/__workbook/api/run/stop",
    progress: "/__workbook/status.json",
    quizAnswer: "/__workbook/api/progress/quiz",
    puzzleSolved: "/__workbook/api/progress/puzzle",
    /** @param {string} name @param {string} [action] */
    exercise: (name, action) => `/__workbook/api/exercise/${encodeURIComponent(name)}${action ? "/" + action : ""}`,
  };

  /**
   * Whether `cargo workbook serve` serves this page: only it writes the
   * book's version into a page (`<meta name="workbook-version">`, which is
   * no secret) and adds the event stream's script (events.js). A static copy
   * of the book (`mdbook build`, file://, any plain HTTP server) has neither.
   */
  function served() {
    return (
      typeof document !== "undefined" &&
      document.querySelector('meta[name="workbook-version"]') !== null &&
      /^https?:$/.test(location.protocol) &&
      typeof window.fetch === "function"
    );
  }

  /** Whether this page may run code: served, able to read a stream, and not
   * the print version (every chapter at once: for paper, not for runs). */
  function runnable() {
    return served() && typeof window.ReadableStream === "function" && !/\/print\.html$/.test(location.pathname);
  }

  /**
   * What a page says when the server answers 401: this browser has no valid
   * sign-in cookie for this server (it signed in over a week ago, the key in
   * .workbook/server was deleted, or the page is open at another address:
   * localhost is not 127.0.0.1 to a browser). The page itself never sees a
   * secret: the browser sends its HttpOnly cookie with every request.
   */
  const NOT_SIGNED_IN =
    "this browser is not signed in to `cargo workbook`: run `cargo workbook open` to sign in again.";

  /**
   * A request to the server; a POST's body is `json`. Resolves to the
   * Response (a run's answer is a stream: see readRun). The browser adds
   * the sign-in cookie itself (`credentials` stays "same-origin").
   * @param {string} path
   * @param {{method?: "GET" | "POST", json?: unknown, signal?: AbortSignal}} [options]
   * @returns {Promise<Response>}
   */
  function send(path, { method = "GET", json, signal } = {}) {
    /** @type {Record<string, string>} */
    const headers = {};
    /** @type {RequestInit} */
    const init = { method, headers, cache: "no-store", signal };
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    return fetch(path, init);
  }

  /**
   * @typedef {object} Reply
   * @property {number} status
   * @property {boolean} ok
   * @property {any} body  the JSON answer, or `{error}` with a plain-text answer's text
   */

  /**
   * A request whose answer is JSON (the exercise API, the progress).
   * @param {string} path
   * @param {{method?: "GET" | "POST", json?: unknown}} [options]
   * @returns {Promise<Reply>}
   */
  async function call(path, options) {
    const response = await send(path, options);
    const text = await response.text();
    const body = parseJson(text) ?? { error: text.trim() };
    return { status: response.status, ok: response.ok, body };
  }

  /** @param {string} text @returns {any} the value, or null if it is not JSON */
  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  /**
   * Reads a run's answer, a stream of JSON lines (NDJSON), and calls
   * `onEvent` with each event as it comes. Resolves to whether the `done`
   * line came; a line cut by a dropped connection is skipped (the missing
   * `done` says the stream broke off).
   * @param {Response} response
   * @param {(event: RunEvent) => void} onEvent
   * @returns {Promise<boolean>}
   */
  async function readRun(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    let sawDone = false;
    for (;;) {
      const chunk = await reader.read();
      pending += decoder.decode(chunk.value, { stream: !chunk.done });
      const lines = pending.split("\n");
      pending = chunk.done ? "" : lines.pop();
      for (const line of lines) {
        const event = line.trim() ? parseJson(line) : null;
        if (event && typeof event.event === "string") {
          sawDone = sawDone || event.event === "done";
          onEvent(event);
        }
      }
      if (chunk.done) {
        return sawDone;
      }
    }
  }

  /**
   * Calls `handler` with every notice the server's event stream brings (a
   * learner's file or the progress changed on disk). Nothing happens on a
   * page that is not served.
   * @param {(notice: Notice) => void} handler
   */
  function onNotice(handler) {
    const events = typeof window === "undefined" ? undefined : window.workbookEvents;
    if (!events) {
      return;
    }
    events.addEventListener("notice", (e) => {
      const notice = parseJson(e.data);
      if (notice && typeof notice.kind === "string") {
        handler(notice);
      }
    });
  }

  /** The event a script of the page sends after it changed the progress. */
  const PROGRESS_CHANGED = "workbook:progress";

  /** Says to the page's other scripts that the progress may have changed. */
  function progressChanged() {
    document.dispatchEvent(new CustomEvent(PROGRESS_CHANGED));
  }

  /**
   * The learner's progress now, and again after every change (a check from
   * a page or a terminal, a reset): `handler` gets each ProgressReply. No
   * call on a page that is not served, or when the server does not answer.
   * @param {(progress: ProgressReply) => void} handler
   */
  function watchProgress(handler) {
    if (!served()) {
      return;
    }
    const load = () =>
      call(API.progress)
        .then((reply) => {
          if (reply.ok && reply.body && typeof reply.body.exercises === "object") {
            handler(reply.body);
          }
        })
        .catch(() => {
          // The server went away; the page stays as it is.
        });
    load();
    document.addEventListener(PROGRESS_CHANGED, load);
    onNotice((notice) => {
      if (notice.kind === "progress") {
        load();
      }
    });
  }

  /**
   * Keeps something the learner did in their progress file (a quiz answer,
   * a solved puzzle), then tells the page's other scripts. Resolves to the
   * new ProgressReply, or null where the page is not served or the server
   * refused (the page goes on as if nothing was kept).
   * @param {string} path  API.quizAnswer or API.puzzleSolved
   * @param {QuizAnswerRequest | PuzzleSolvedRequest} request
   * @returns {Promise<ProgressReply | null>}
   */
  async function keepProgress(path, request) {
    if (!served()) {
      return null;
    }
    try {
      const reply = await call(path, { method: "POST", json: request });
      if (!reply.ok) {
        return null;
      }
      progressChanged();
      return reply.body;
    } catch {
      return null;
    }
  }

  /**
   * One exercise's status in a ProgressReply.
   * @param {ProgressReply} progress
   * @param {string} name
   * @returns {Status}
   */
  function statusOf(progress, name) {
    const entry = progress.exercises[name];
    return entry ? entry.status : "not-started";
  }

  // ------------------------------------------------------------ words

  /**
   * "812 µs", "52.1 ms", "1.23 s": a duration a person reads, as the
   * examples print it (parallel_workbook::report::format_seconds).
   * @param {number} seconds
   */
  function formatSeconds(seconds) {
    if (typeof seconds !== "number" || !isFinite(seconds)) {
      return "?";
    }
    if (seconds < 1e-3) {
      return `${(seconds * 1e6).toFixed(0)} µs`;
    }
    if (seconds < 1) {
      return `${(seconds * 1e3).toFixed(1)} ms`;
    }
    return `${seconds.toFixed(2)} s`;
  }

  /** "1 run", "3 runs". @param {number} n @param {string} one @param {string} [many] */
  function plural(n, one, many) {
    return `${n.toLocaleString("en")} ${n === 1 ? one : many || one + "s"}`;
  }

  /** "a", "a and b", "a, b and c". @param {string[]} items */
  function listWords(items) {
    if (items.length <= 1) {
      return items.join("");
    }
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  }

  /** The text as a sentence: a capital first, a full stop last. @param {string} text */
  function sentence(text) {
    const t = text.trim();
    const capital = t ? t[0].toUpperCase() + t.slice(1) : t;
    return /[.!?]$/.test(capital) ? capital : `${capital}.`;
  }

  // ------------------------------------------------------------ compiler messages

  /**
   * The places in the file named `file` (`main.rs`, `08_fix_the_race.rs`)
   * that a compiler message names (`--> src/main.rs:LINE:COLUMN`), in order;
   * not those in an exercise check's own file of the same name
   * (`checks/NAME.rs`). The exercise page and the snippet editor both put a
   * "Go to line" button and a gutter mark at each.
   * @param {string} rendered @param {string} file
   * @returns {Array<{line: number, column: number}>}
   */
  function errorPlaces(rendered, file) {
    const places = [];
    for (const m of rendered.matchAll(/-->\s+([^\s:]+):(\d+):(\d+)/g)) {
      const path = m[1].replace(/\\/g, "/");
      if (path.split("/").pop() === file && !/checks\/[^/]+$/.test(path)) {
        places.push({ line: Number(m[2]), column: Number(m[3]) });
      }
    }
    return places;
  }

  // ------------------------------------------------------------ the DOM

  /**
   * Makes an element: el("p", {class: "x", text: "words"}, [child, "text"]).
   * Attributes: `text` sets the text, `rich` the text with `code` marks (see
   * setRich), `on<event>` adds a listener; null, undefined and false leave
   * the attribute out, true sets it empty.
   * @param {string} tag
   * @param {Record<string, any>} [attrs]
   * @param {Array<Node | string>} [children]
   * @returns {any}
   */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key === "text") {
        node.textContent = value;
      } else if (key === "rich") {
        setRich(node, value);
      } else if (/^on[a-z]+$/.test(key)) {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** Removes every child of `node`. @param {Node} node */
  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  /**
   * Sets text in which `backticks` mark code: "call `notify_one`".
   * @param {Node} node
   * @param {string} text
   */
  function setRich(node, text) {
    clear(node);
    String(text)
      .split("`")
      .forEach((part, i) => {
        if (part) {
          node.appendChild(i % 2 ? el("code", { text: part }) : document.createTextNode(part));
        }
      });
  }

  /** The same text as a screen reader hears it: without the backticks. @param {string} text */
  function plain(text) {
    return String(text).replace(/`/g, "");
  }

  let counter = 0;
  /** An id no other element of the page has. @param {string} prefix */
  function uniqueId(prefix) {
    counter += 1;
    return `wb-${prefix}-${counter}`;
  }

  /**
   * Marks a button unavailable without taking it out of the tab order (the
   * keyboard focus stays where it was), or available again.
   * @param {Element} button
   * @param {boolean} unavailable
   */
  function setUnavailable(button, unavailable) {
    if (unavailable) {
      button.setAttribute("aria-disabled", "true");
    } else {
      button.removeAttribute("aria-disabled");
    }
  }

  /** Whether a button is marked unavailable. @param {Element} button */
  function isUnavailable(button) {
    return button.getAttribute("aria-disabled") === "true";
  }

  /** Whether the page shows one of mdBook's dark themes. */
  function darkTheme() {
    const c = document.documentElement.classList;
    return c.contains("coal") || c.contains("navy") || c.contains("ayu");
  }

  /**
   * Ace's scrollbars are scrolling boxes, which Chromium puts in the Tab
   * order: invisible stops between an editor and the controls around it
   * (Tab from a snippet's editor, Shift+Tab from Save). Takes them out; the
   * editor's own input stays its one stop. @param {HTMLElement} box Ace's element
   */
  function untabAceScrollbars(box) {
    for (const bar of box.querySelectorAll(".ace_scrollbar")) {
      bar.setAttribute("tabindex", "-1");
    }
  }

  /** Runs `start` once the page's elements are all there. @param {() => void} start */
  function onReady(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  return {
    API,
    errorPlaces,
    NOT_SIGNED_IN,
    served,
    runnable,
    send,
    call,
    parseJson,
    readRun,
    onNotice,
    progressChanged,
    watchProgress,
    keepProgress,
    statusOf,
    formatSeconds,
    plural,
    listWords,
    sentence,
    el,
    clear,
    setRich,
    plain,
    uniqueId,
    setUnavailable,
    isUnavailable,
    darkTheme,
    untabAceScrollbars,
    onReady,
  };
})();
