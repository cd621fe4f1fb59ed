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
