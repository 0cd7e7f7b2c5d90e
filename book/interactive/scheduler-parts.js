/* global workbook */
/* exported workbookSchedulerParts */
// The pieces the scheduler widget (scheduler.js) is built from: its
// buttons, its tables, and the words for a puzzle's atomics. DOM only, no
// state: the widget holds that.
const workbookSchedulerParts = (() => {
  "use strict";

  const { el, plain } = workbook;

  /** The threads' table row that says which values a thread's next load may read. */
  const MAY_READ = "Its next load may read";

  /** @param {string} text */
  const slug = (text) =>
    plain(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");

  /** @param {string} text */
  const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  /** @param {string} label @param {string} testid @param {() => void} onclick */
  const button = (label, testid, onclick) =>
    el("button", { type: "button", class: "sched-button", "data-testid": testid, onclick, text: label });

  /**
   * A table with a caption, column headers and row headers; cells[row][col].
   * @param {string} caption @param {string[]} columns @param {string[]} rowNames @param {string} testid
   */
  function stateTable(caption, columns, rowNames, testid) {
    /** @type {Record<string, HTMLElement[]>} */
    const cells = {};
    const body = rowNames.map((row) => {
      cells[row] = columns.slice(1).map((col) => el("td", { "data-testid": `${testid}-${slug(row)}-${slug(col)}` }));
      return el("tr", {}, [el("th", { scope: "row", rich: capitalized(row) }), ...cells[row]]);
    });
    const table = el("table", { class: "sched-table", "data-testid": testid }, [
      el("caption", { text: caption }),
      el("thead", {}, [
        el(
          "tr",
          {},
          columns.map((c) => (c ? el("th", { scope: "col", rich: c }) : el("td"))),
        ),
      ]),
      el("tbody", {}, body),
    ]);
    return { table, cells };
  }

  /** The shared-state table's row of an atomic's stores. @param {string} atomic */
  const storesRow = (atomic) => `\`${atomic}\`: its stores, oldest first`;

  /** A store as the shared-state table shows it: "0 (start)", "1 (A, Relaxed)". */
  const storeShort = (store) => `${store.value} (${store.by === null ? "start" : `${store.by}, ${store.order}`})`;

  /**
   * A thread's State cell: its kind (the cell's data-state) and its words.
   * A deadlock is a cycle of lock waits; "stuck" is every other way of
   * waiting forever (asleep, nobody left to wake it).
   * @param {{kind: string} | null} failure @param {any} next its next step @param {any} wait why it waits, or null
   */
  function threadState(failure, next, wait) {
    const failed = failure && failure.kind;
    if (!next) {
      return { kind: "finished", words: "finished" };
    }
    if (failed === "deadlock" || failed === "stuck") {
      const kind = failed === "deadlock" ? "deadlocked" : "stuck";
      return { kind, words: wait && `${kind}: ${wait.clause} forever` };
    }
    if (failed) {
      return { kind: "stopped", words: "stopped: the program has failed" };
    }
    return wait ? { kind: "blocked", words: wait.cell } : { kind: "ready", words: "ready" };
  }

  // The element ids of the first two widgets, from before puzzles had names.
  const LEGACY_IDS = { race: "race-scheduler", deadlock: "deadlock-scheduler" };

  /** Every element of the page that places puzzle `name`. @param {string} name */
  function mountsOf(name) {
    const roots = [...document.querySelectorAll(`[data-puzzle="${name}"]`)];
    const legacy = LEGACY_IDS[name] && document.getElementById(LEGACY_IDS[name]);
    if (legacy && !roots.includes(legacy)) {
      roots.push(legacy);
    }
    return roots;
  }

  return { MAY_READ, slug, capitalized, button, stateTable, storesRow, storeShort, mountsOf, threadState };
})();
