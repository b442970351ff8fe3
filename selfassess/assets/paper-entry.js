// Keying a paper form in: one key per rating on a question's radios, Enter to the next
// question. Without this script the page is an ordinary form that works the same, slower.
(function () {
  "use strict";
  var form = document.querySelector("[data-paper-entry]");
  if (!form) return;
  var questions = Array.prototype.slice.call(form.querySelectorAll(".app-paper-question"));

  function radioToFocus(question) {
    return question.querySelector(".govuk-radios__input:checked") ||
      question.querySelector(".govuk-radios__input");
  }

  function next(question) {
    var at = questions.indexOf(question);
    if (at >= 0 && at + 1 < questions.length) {
      var radio = radioToFocus(questions[at + 1]);
      radio.focus();
      questions[at + 1].scrollIntoView({ block: "center" });
    } else {
      var button = form.querySelector(".govuk-button");
      if (button) button.focus();
    }
  }

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    var question = target.closest && target.closest(".app-paper-question");
    if (!question || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter" && !event.shiftKey) {
      // Enter moves on instead of submitting the whole form or starting a new line.
      event.preventDefault();
      next(question);
      return;
    }
    if (target.type !== "radio" || event.key.length !== 1) return;
    var radio = question.querySelector('.govuk-radios__input[data-key="' + event.key.toLowerCase() + '"]');
    if (radio) {
      event.preventDefault();
      radio.checked = true;
      radio.focus();
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  if (questions.length) radioToFocus(questions[0]).focus();
})();
