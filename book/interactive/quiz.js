// Quizzes. The `quiz` preprocessor (workbook/src/quiz.rs) turns every ```quiz
// block into one form per question:
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
// open the explanation. Without JavaScript the form still reads, and the
// explanation opens by hand. Plain DOM, no framework, nothing fetched.
(function () {
  "use strict";

  var MARK_CLASSES = ["quiz-chosen", "quiz-right", "quiz-wrong"];

  function choiceOf(input) {
    return input.closest(".quiz-choice");
  }

  function labelOf(form, input) {
    return form.querySelector('label[for="' + input.id + '"]');
  }

  // The label's text without the marks this script added to it.
  function choiceText(form, input) {
    var label = labelOf(form, input);
    if (!label) return input.value;
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".quiz-mark").forEach(function (mark) {
      mark.remove();
    });
    return copy.textContent.trim();
  }

  function clearMarks(form) {
    form.querySelectorAll(".quiz-mark").forEach(function (mark) {
      mark.remove();
    });
    form.querySelectorAll(".quiz-choice").forEach(function (choice) {
      MARK_CLASSES.forEach(function (name) {
        choice.classList.remove(name);
      });
    });
    delete form.dataset.result;
  }

  // Adds a visible text mark, e.g. "✓ right answer", inside the choice's
  // label, so a screen reader reads it with the choice.
  function mark(form, input, className, symbol, words) {
    var choice = choiceOf(input);
    if (choice) choice.classList.add(className);
    var label = labelOf(form, input);
    if (!label) return;
    var span = document.createElement("span");
    span.className = "quiz-mark";
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = symbol + " ";
    span.appendChild(icon);
    span.appendChild(document.createTextNode(words));
    label.appendChild(document.createTextNode(" "));
    label.appendChild(span);
  }

  function check(form) {
    var feedback = form.querySelector(".quiz-feedback");
    var explanation = form.querySelector("details.quiz-explanation");
    var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type="radio"]'));
    var right = inputs.filter(function (input) {
      return input.value === form.dataset.answer;
    })[0];
    var chosen = inputs.filter(function (input) {
      return input.checked;
    })[0];

    clearMarks(form);
    feedback.classList.remove("quiz-feedback-correct", "quiz-feedback-wrong", "quiz-feedback-empty");

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

    var correct = chosen === right;
    form.dataset.result = correct ? "correct" : "wrong";
    form.dataset.answered = correct ? "correct" : "incorrect";
    var chosenChoice = choiceOf(chosen);
    if (chosenChoice) chosenChoice.classList.add("quiz-chosen");
    if (correct) {
      mark(form, right, "quiz-right", "✓", "your answer: right");
      feedback.textContent = "Correct.";
      feedback.classList.add("quiz-feedback-correct");
    } else {
      mark(form, chosen, "quiz-wrong", "✗", "your answer");
      mark(form, right, "quiz-right", "✓", "right answer");
      var text = choiceText(form, right);
      // "the answer is “60”." but "the answer is “2: one thread per core.”"
      feedback.textContent =
        "Not quite: the answer is \u201c" + text + "\u201d" + (/[.!?]$/.test(text) ? "" : ".");
      feedback.classList.add("quiz-feedback-wrong");
    }
    if (explanation) explanation.open = true;
  }

  function setUp(form) {
    if (form.dataset.quizReady) return;
    form.dataset.quizReady = "true";
    var button = form.querySelector(".quiz-check");
    if (button) {
      button.addEventListener("click", function () {
        check(form);
      });
    }
    // Enter must never submit the form and reload the page. If a browser
    // submits it anyway (implicit submission), treat it as "Check answer".
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      check(form);
    });
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && target && target.type === "radio") {
        event.preventDefault();
        check(form);
      }
    });
    // A new choice makes the old verdict stale: clear it, keep the
    // explanation as it is.
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "radio" && form.dataset.result) {
        clearMarks(form);
        var feedback = form.querySelector(".quiz-feedback");
        feedback.textContent = "";
        feedback.classList.remove("quiz-feedback-correct", "quiz-feedback-wrong", "quiz-feedback-empty");
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("form.quiz").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
