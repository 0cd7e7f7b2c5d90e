/* global workbook */
// The progress page (book/progress.md). Served by `cargo workbook`, it
// replaces the page's static text with the learner's progress per part of
// the course: which exercises pass, how many quiz questions were answered
// and how many right, which puzzles were solved. The counts are the
// server's (ProgressReply.parts), the same `cargo workbook list` prints,
// and they follow every check, answer and solved puzzle while the page is
// open (core.js, watchProgress). A static copy keeps the page's text, which
// says how to see the progress.
(() => {
  "use strict";

  const { el, clear, plural } = workbook;

  /** @type {Record<Status, string>} */
  const MARKS = { passed: "✓ passed", failed: "✗ failed", "not-started": "not started" };

  /** @param {number} done @param {number} all */
  const fraction = (done, all) => `${done} of ${all}`;

  /**
   * One part: a heading and a line per kind, with the exercises listed.
   * @param {PartProgress} part @param {ProgressReply} progress
   */
  function partSection(part, progress) {
    const section = el("section", { class: "progress-part", "data-testid": "progress-part" }, [
      el("h2", { text: part.title }),
    ]);
    const lines = el("ul", { class: "progress-lines" });
    if (part.exercises.length) {
      const list = el(
        "ul",
        { class: "progress-exercises" },
        part.exercises.map((name) => {
          const status = workbook.statusOf(progress, name);
          return el("li", { "data-status": status }, [
            el("a", { href: `exercises/${name}.html`, text: name }),
            ` ${MARKS[status]}`,
          ]);
        }),
      );
      lines.append(
        el("li", { "data-testid": "progress-exercises" }, [
          `Exercises: ${fraction(part.exercises_passed, part.exercises.length)} passed`,
          list,
        ]),
      );
    }
    if (part.questions.length) {
      lines.append(
        el("li", {
          "data-testid": "progress-quiz",
          text:
            `Quiz: ${fraction(part.questions_answered, part.questions.length)} questions answered` +
            (part.questions_answered ? `, ${part.questions_right} right` : ""),
        }),
      );
    }
    if (part.puzzles.length) {
      const solved = part.puzzles.filter((name) => progress.puzzles[name]);
      lines.append(
        el("li", {
          "data-testid": "progress-puzzles",
          text:
            `Puzzles: ${fraction(part.puzzles_solved, part.puzzles.length)} solved` +
            (solved.length ? ` (${solved.join(", ")})` : ""),
        }),
      );
    }
    section.append(lines);
    return section;
  }

  /** @param {HTMLElement} root @param {ProgressReply} progress */
  function render(root, progress) {
    clear(root);
    const total = (/** @type {(p: PartProgress) => number} */ f) => progress.parts.reduce((sum, p) => sum + f(p), 0);
    const exercises = total((p) => p.exercises.length);
    root.append(
      el("p", {
        class: "progress-total",
        "data-testid": "progress-total",
        text:
          `${fraction(
            total((p) => p.exercises_passed),
            exercises,
          )} exercises passed, ` +
          `${plural(
            total((p) => p.questions_answered),
            "quiz question",
          )} answered ` +
          `(${total((p) => p.questions_right)} right), ` +
          `${fraction(
            total((p) => p.puzzles_solved),
            total((p) => p.puzzles.length),
          )} puzzles solved.`,
      }),
    );
    if (progress.error) {
      root.append(el("p", { class: "progress-error", role: "alert", text: progress.error }));
    }
    for (const part of progress.parts) {
      root.append(partSection(part, progress));
    }
  }

  workbook.onReady(() => {
    const root = /** @type {HTMLElement | null} */ (document.getElementById("workbook-progress"));
    if (root) {
      workbook.watchProgress((progress) => render(root, progress));
    }
  });
})();
