/* Behaviour the pages declare with data attributes, so that no page needs inline script
   (the Content-Security-Policy allows none). Every page works without it. */
"use strict";

// <select data-submit-on-change>: choosing an option submits its form (the workspace switcher).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-submit-on-change]")) {
    event.target.form.requestSubmit();
  }
});

// <input data-select-on-focus>: focusing selects the whole value, ready to copy (new secrets).
document.addEventListener("focusin", function (event) {
  if (event.target.matches("input[data-select-on-focus]")) {
    event.target.select();
  }
});

// <button data-copy-target="id">: copies the value of the field `id` (a secret URL or token)
// to the clipboard and says so in the [data-copy-status] beside it; where the clipboard is
// refused (a page not served over HTTPS), the value is selected for the person to copy.
document.addEventListener("click", function (event) {
  const button = event.target.closest("button[data-copy-target]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector("[data-copy-status]");
  const say = function (text) {
    if (status) {
      status.textContent = text;
    }
  };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(
      function () { say("Copied."); },
      function () { say("Selected: press Ctrl+C (⌘C) to copy."); }
    );
  } else {
    say(document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.");
  }
});

// <fieldset data-labels-for="id" data-labels-from="json-id"> of radio buttons: the label of the
// field `id` follows the chosen button (a playbook's date: start date or launch date), with
// the labels in the JSON script element `json-id`.
document.addEventListener("change", function (event) {
  var group = event.target.closest("[data-labels-for]");
  if (!group || event.target.type !== "radio") {
    return;
  }
  var labels = JSON.parse(document.getElementById(group.dataset.labelsFrom).textContent);
  var label = document.querySelector('label[for="' + group.dataset.labelsFor + '"]');
  label.firstChild.textContent = labels[event.target.value] + " ";
});
