/* global workbook */
// Quizzes. The `quiz` preprocessor (workbook/src/book/quiz.rs) turns every
// ```quiz block into one form per question:
//
//   <form class="quiz" data-answer="1">
//     <fieldset><legend>Question 1: ...</legend>
//       <div class="quiz-choice"><input type="radio" ...><label ...>...</label></div> ...
//       <button type="button" class="quiz-check">Check answer</button>
//       <p class="quiz-feedback" role="status" aria-live="polite"></p>
//       <details class="quiz-explanation"><summary>Explanation</summary>...</details>
//
// This script makes "Check answer" compare the chosen radio button with
// data-answer, say the result in words in .quiz-feedback, mark the chosen and
// the right choice with a class and a text label (never colour alone), and
// open the explanation. After the page's last question, a score line counts
// the questions answered and right, and offers "Retry the ones I got wrong".
// Served by `cargo workbook`, every answer is kept in the learner's progress
// file (the server decides whether it is right) and a reload, a rebuild or
// another browser shows it again. Without JavaScript the form still reads,
// and the explanation opens by hand; a static copy works the same, without
// keeping answers.
(() => {
  "use strict";

  const MARK_CLASSES = ["quiz-chosen", "quiz-right", "quiz-wrong"];
  const FEEDBACK_CLASSES = ["quiz-feedback-correct", "quiz-feedback-wrong", "quiz-feedback-empty"];

  /** @param {HTMLInputElement} input */
  const choiceOf = (input) => input.closest(".quiz-choice");

  /** @param {HTMLFormElement} form @param {HTMLInputElement} input */
  const labelOf = (form, input) => form.querySelector(`label[for="${input.id}"]`);

  /** The label's text without the marks this script added to it. @param {HTMLFormElement} form @param {HTMLInputElement} input */
  function choiceText(form, input) {
    const label = labelOf(form, input);
    if (!label) {
      return input.value;
    }
    const copy = /** @type {Element} */ (label.cloneNode(true));
    copy.querySelectorAll(".quiz-mark").forEach((mark) => mark.remove());
    return copy.textContent.trim();
  }

  /** @param {HTMLFormElement} form */
  function clearMarks(form) {
    form.querySelectorAll(".quiz-mark").forEach((mark) => mark.remove());
    form.querySelectorAll(".quiz-choice").forEach((choice) => choice.classList.remove(...MARK_CLASSES));
    delete form.dataset.result;
  }

  /**
   * Adds a visible text mark, e.g. "✓ right answer", inside the choice's
   * label, so a screen reader reads it with the choice.
   * @param {HTMLFormElement} form @param {HTMLInputElement} input
   * @param {string} className @param {string} symbol @param {string} words
   */
  function mark(form, input, className, symbol, words) {
    const choice = choiceOf(input);
    if (choice) {
      choice.classList.add(className);
    }
    const label = labelOf(form, input);
    if (!label) {
      return;
    }
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = `${symbol} `;
    const span = document.createElement("span");
    span.className = "quiz-mark";
    span.append(icon, words);
    label.append(" ", span);
  }

  /**
   * @param {HTMLFormElement} form
   * @param {boolean} [restored]  shown from the progress file, not answered now
   */
  function check(form, restored) {
    const feedback = form.querySelector(".quiz-feedback");
    const explanation = /** @type {HTMLDetailsElement | null} */ (form.querySelector("details.quiz-explanation"));
    const inputs = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('input[type="radio"]')]);
    const right = inputs.find((input) => input.value === form.dataset.answer);
    const chosen = inputs.find((input) => input.checked);

    clearMarks(form);
    feedback.classList.remove(...FEEDBACK_CLASSES);
    if (!chosen) {
      feedback.textContent = "Choose an answer first.";
      feedback.classList.add("quiz-feedback-empty");
      return;
    }
    if (!right) {
      // A malformed quiz (the preprocessor checks data-answer; this is a guard).
      feedback.textContent = "This question has no right answer to compare with.";
      return;
    }
    const correct = chosen === right;
    form.dataset.result = correct ? "correct" : "wrong";
    form.dataset.answered = correct ? "correct" : "incorrect";
    choiceOf(chosen)?.classList.add("quiz-chosen");
    if (correct) {
      mark(form, right, "quiz-right", "✓", "your answer: right");
      feedback.textContent = "Correct.";
      feedback.classList.add("quiz-feedback-correct");
    } else {
      mark(form, chosen, "quiz-wrong", "✗", "your answer");
      mark(form, right, "quiz-right", "✓", "right answer");
      const text = choiceText(form, right);
      // "the answer is “60”." but "the answer is “2: one thread per core.”"
      feedback.textContent = `Not quite: the answer is \u201c${text}\u201d${/[.!?]$/.test(text) ? "" : "."}`;
      feedback.classList.add("quiz-feedback-wrong");
    }
    if (explanation) {
      explanation.open = true;
    }
    if (!restored) {
      workbook.keepProgress(workbook.API.quizAnswer, { id: form.id, answer: Number(chosen.value) });
    }
    updateScore();
  }

  /** @returns {HTMLFormElement[]} */
  const forms = () => /** @type {HTMLFormElement[]} */ ([...document.querySelectorAll("form.quiz")]);

  /** @type {HTMLElement | null} */
  let score = null;

  /** The score line after the page's last question: made once, updated after each answer. */
  function updateScore() {
    const all = forms();
    if (all.length === 0) {
      return;
    }
    if (!score) {
      score = workbook.el("div", { class: "quiz-score", "data-testid": "quiz-score" });
      all[all.length - 1].after(score);
    }
    const answered = all.filter((f) => f.dataset.result);
    const wrong = answered.filter((f) => f.dataset.result === "wrong");
    const text = workbook.el("p", { role: "status", "aria-live": "polite" }, [
      answered.length === 0
        ? `Score: none of the ${workbook.plural(all.length, "question")} answered yet.`
        : `Score: ${answered.length - wrong.length} of ${all.length} right` +
          (answered.length < all.length ? ` (${answered.length} answered).` : "."),
    ]);
    workbook.clear(score);
    score.append(text);
    if (wrong.length > 0) {
      const retry = workbook.el("button", {
        type: "button",
        class: "quiz-retry",
        "data-testid": "quiz-retry",
        text: wrong.length === 1 ? "Retry the one I got wrong" : `Retry the ${wrong.length} I got wrong`,
      });
      retry.addEventListener("click", () => retryWrong(wrong));
      score.append(retry);
    }
  }

  /** Clears the wrong answers and goes to the first of them. @param {HTMLFormElement[]} wrong */
  function retryWrong(wrong) {
    for (const form of wrong) {
      clearMarks(form);
      const radios = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('input[type="radio"]')]);
      radios.forEach((radio) => {
        radio.checked = false;
      });
      const feedback = form.querySelector(".quiz-feedback");
      feedback.textContent = "";
      feedback.classList.remove(...FEEDBACK_CLASSES);
      const explanation = /** @type {HTMLDetailsElement | null} */ (form.querySelector("details.quiz-explanation"));
      if (explanation) {
        explanation.open = false;
      }
    }
    updateScore();
    const first = /** @type {HTMLInputElement | null} */ (wrong[0]?.querySelector('input[type="radio"]'));
    first?.focus();
    wrong[0]?.scrollIntoView({ block: "nearest" });
  }

  /**
   * Shows the answers the progress file keeps, on questions the learner
   * has not touched since the page loaded.
   * @param {ProgressReply} progress
   */
  function restore(progress) {
    for (const form of forms()) {
      const kept = (progress.quizzes || {})[form.id];
      const touched = form.dataset.result || form.querySelector('input[type="radio"]:checked');
      if (!kept || touched) {
        continue;
      }
      const input = /** @type {HTMLInputElement | null} */ (
        form.querySelector(`input[type="radio"][value="${kept.answer}"]`)
      );
      if (input) {
        input.checked = true;
        check(form, true);
      }
    }
  }

  /** @param {HTMLFormElement} form */
  function setUp(form) {
    if (form.dataset.quizReady) {
      return;
    }
    form.dataset.quizReady = "true";
    form.querySelector(".quiz-check")?.addEventListener("click", () => check(form));
    // Enter must never submit the form and reload the page. If a browser
    // submits it anyway (implicit submission), treat it as "Check answer".
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      check(form);
    });
    form.addEventListener("keydown", (event) => {
      const target = /** @type {HTMLInputElement} */ (event.target);
      if (event.key === "Enter" && target && target.type === "radio") {
        event.preventDefault();
        check(form);
      }
    });
    // A new choice makes the old verdict stale: clear it, keep the
    // explanation as it is.
    form.addEventListener("change", (event) => {
      const target = /** @type {HTMLInputElement} */ (event.target);
      if (target && target.type === "radio" && form.dataset.result) {
        clearMarks(form);
        updateScore();
        const feedback = form.querySelector(".quiz-feedback");
        feedback.textContent = "";
        feedback.classList.remove(...FEEDBACK_CLASSES);
      }
    });
  }

  workbook.onReady(() => {
    forms().forEach(setUp);
    updateScore();
    workbook.watchProgress(restore);
  });
})();
