// Proofs: place the numbered pins of comments on their previews, and pin a new comment to
// the point of a preview that is clicked. Positions are fractions of the preview's size,
// so pins stay on their spot at any width. Loaded as a file (no inline script or style
// attributes: the Content-Security-Policy allows neither).
(function () {
  "use strict";

  function place(pin, x, y) {
    pin.style.left = (x * 100) + "%";
    pin.style.top = (y * 100) + "%";
  }

  function placeAll(root) {
    root.querySelectorAll(".proof__page .pin[data-x]").forEach(function (pin) {
      place(pin, parseFloat(pin.dataset.x), parseFloat(pin.dataset.y));
    });
  }

  function describe(page, x, y) {
    return "Pinned to page " + page + " at " + Math.round(x * 100) + "% across, " +
      Math.round(y * 100) + "% down.";
  }

  function setPin(form, values) {
    ["file", "page", "x", "y"].forEach(function (name) {
      form.querySelector('[data-pin="' + name + '"]').value = values ? values[name] : "";
    });
    var status = form.querySelector("[data-pin-status]");
    var clear = form.querySelector("[data-pin-clear]");
    status.textContent = values ? describe(values.page, values.x, values.y)
      : "Not pinned: click a preview to pin the comment to a point.";
    clear.hidden = !values;
    document.querySelectorAll(".pin--new").forEach(function (pin) { pin.remove(); });
  }

  function pinHere(event) {
    var page = event.currentTarget;
    var form = document.getElementById(page.dataset.pinForm);
    var image = page.querySelector("img");
    if (!form || !image || event.target.closest("a.pin")) { return; }
    var box = image.getBoundingClientRect();
    var x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    var y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
    var values = {file: page.dataset.file, page: page.dataset.page, x: x.toFixed(4), y: y.toFixed(4)};
    setPin(form, values);
    var marker = document.createElement("span");
    marker.className = "pin pin--new";
    marker.textContent = "+";
    marker.setAttribute("aria-hidden", "true");
    page.appendChild(marker);
    place(marker, x, y);
    form.querySelector("textarea").focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    placeAll(document);
    document.querySelectorAll(".proof__page[data-pin-form]").forEach(function (page) {
      page.classList.add("proof__page--pinnable");
      page.addEventListener("click", pinHere);
    });
    document.querySelectorAll("[data-pin-clear]").forEach(function (button) {
      button.addEventListener("click", function () { setPin(button.closest("form"), null); });
    });
  });
})();
