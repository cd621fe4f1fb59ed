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

// <details data-menu>: a menu of actions. One is open at a time; Escape or a click outside
// closes it (Escape returns focus to its button). Without script it opens and closes on its
// button as any <details>.
function closeMenus(except) {
  document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
    if (menu !== except) {
      menu.open = false;
    }
  });
}
document.addEventListener("click", function (event) {
  closeMenus(event.target.closest("details[data-menu]"));
});
document.addEventListener("focusin", function (event) {
  closeMenus(event.target.closest("details[data-menu]"));
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") {
    return;
  }
  var menu = event.target.closest("details[data-menu][open]");
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});

// <svg data-timeline>: with many dependencies the curves would hide the markers, so only
// those of the milestone pointed at or focused are shown (with the script off, all are drawn
// faintly under the markers), together with its full label under the chart
// (<p data-timeline-focus>).
document.querySelectorAll("svg[data-timeline]").forEach(function (timeline) {
  timeline.dataset.dependencies = "focus";
});
function showTimelineMilestone(event) {
  var timeline = event.target.closest && event.target.closest("svg[data-timeline]");
  if (!timeline) {
    return;
  }
  var mark = event.target.closest("[data-milestone]");
  var id = mark && (event.type === "mouseover" || event.type === "focusin") ? mark.dataset.milestone : null;
  timeline.querySelectorAll(".dependency").forEach(function (path) {
    path.classList.toggle("is-shown", id !== null && (path.dataset.from === id || path.dataset.to === id));
  });
  timeline.querySelectorAll("[data-milestone]").forEach(function (other) {
    other.classList.toggle("is-selected", other === mark && id !== null);
  });
  var focus = timeline.parentElement.parentElement.querySelector("[data-timeline-focus]");
  if (focus) {
    focus.textContent = id !== null ? mark.getAttribute("aria-label") : "";
  }
}
["mouseover", "mouseout", "focusin", "focusout"].forEach(function (type) {
  document.addEventListener(type, showTimelineMilestone);
});
