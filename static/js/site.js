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

// After a refused submit, focus goes to the first field in error (Django marks it
// aria-invalid), on a page that came back with errors and in a form htmx swapped in.
function focusFirstError(root) {
  var field = root.querySelector('[aria-invalid="true"]');
  if (field) {
    field.focus();
  }
}
focusFirstError(document);
document.addEventListener("htmx:afterSwap", function (event) {
  focusFirstError(event.detail.target);
});

// A form whose text is more than the server reads (<body data-max-body>, in bytes) is not
// sent: it would be refused and what was typed lost. The form says so and keeps it all.
// Files do not count (the server limits them apart); checked before htmx sees the submit.
function bodySize(form) {
  var fields = new URLSearchParams();
  var multipart = 0;
  new FormData(form).forEach(function (value, name) {
    if (typeof value === "string") {
      fields.append(name, value);
      multipart += new Blob([name, value]).size;
    }
  });
  return form.enctype === "multipart/form-data" ? multipart : fields.toString().length;
}
document.addEventListener(
  "submit",
  function (event) {
    var limit = Number(document.body.dataset.maxBody);
    var form = event.target;
    if (!limit || form.method !== "post" || bodySize(form) <= limit) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    var alert = form.querySelector("[data-too-large]");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "alert alert--error";
      alert.setAttribute("role", "alert");
      alert.setAttribute("tabindex", "-1");
      alert.dataset.tooLarge = "";
      form.prepend(alert);
    }
    alert.textContent =
      "This is more text than the server accepts (" +
      (limit >= 1048576 ? (limit / 1048576).toFixed(1) + " MB" : (limit / 1024).toFixed(1) + " KB") +
      " at most). Shorten the longest field and send it again: nothing was sent, " +
      "and what you typed is still here.";
    alert.focus();
  },
  true
);

// <button data-history-back>: back to the previous page, where the browser kept the form.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-history-back]")) {
    history.back();
  }
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
