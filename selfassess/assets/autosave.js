// Autosave for the rating page: when an answer changes, save that question without leaving the
// page and say "Saved" beside it. Without JavaScript the Save and continue button does the same.
// The words it shows come from the page, in the page's language (the form's data-text-* attributes).
(function () {
  "use strict";

  var form = document.getElementById("rating-form");
  if (!form || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var tokenInput = form.querySelector("input[name='csrf_token']");
  var token = tokenInput ? tokenInput.value : "";

  function text(name, fallback) {
    return form.getAttribute("data-text-" + name) || fallback;
  }

  function notSaved(reason) {
    return text("not-saved", "Not saved: {reason}").replace("{reason}", reason);
  }

  function fieldValue(item, suffix) {
    var key = item.id + "-" + suffix;
    if (suffix === "value") {
      var checked = item.querySelector("input[name='" + key + "']:checked");
      return checked ? checked.value : "";
    }
    var field = item.querySelector("[name='" + key + "']");
    return field ? field.value : "";
  }

  function show(item, message, isError) {
    var status = item.querySelector(".app-autosave-status");
    if (!status) {
      return;
    }
    status.textContent = message;
    status.classList.toggle("govuk-error-message", Boolean(isError));
  }

  function save(item) {
    show(item, text("saving", "Saving…"), false);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({
        item_id: item.getAttribute("data-item-id"),
        value: fieldValue(item, "value"),
        evidence: fieldValue(item, "evidence"),
        improvement: fieldValue(item, "improvement")
      })
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (result.ok && result.body.saved) {
          show(item, text("saved", "Saved"), false);
        } else {
          var errors = (result.body && result.body.errors) || {};
          var messages = Object.keys(errors).map(function (k) { return errors[k]; });
          show(item, notSaved(messages.join(". ") || text("try-button", "try the Save and continue button")), true);
        }
      })
      .catch(function () {
        show(item, text("offline", "Not saved: check your connection, or use the Save and continue button"), true);
      });
  }

  var timers = {};
  function schedule(item, delay) {
    var id = item.id;
    show(item, text("saving", "Saving…"), false);
    window.clearTimeout(timers[id]);
    timers[id] = window.setTimeout(function () { save(item); }, delay);
  }

  var items = form.querySelectorAll(".app-rating-item");
  Array.prototype.forEach.call(items, function (item) {
    item.addEventListener("change", function () { schedule(item, 100); });
    item.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") {
        schedule(item, 1500);
      }
    });
  });
  // Said once the answers save as they change (a slow phone may change one before this runs).
  form.setAttribute("data-autosave", "on");
})();
