/* Small progressive enhancements for every page. Every page works without this file; it is a
   static file because the content security policy allows no inline script. */
(function () {
  "use strict";

  /* After a failed submit the error summary takes the focus, so that it is what a screen
     reader reads first and what a keyboard user starts from (also after an htmx swap). */
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  /* A long list of checkboxes (data-choice-filter, see multiple_input.html) gets a text
     field above it that hides the options whose label does not contain what is typed.
     Checked options stay visible, so that what is chosen is always in sight. */
  var filters = 0;

  function normalise(text) {
    return text.toLocaleLowerCase("sv").replace(/\s+/g, " ").trim();
  }

  function addFilter(group) {
    if (group.hasAttribute("data-filter-ready")) {
      return;
    }
    group.setAttribute("data-filter-ready", "");
    filters += 1;
    var id = (group.id || "choice-group-" + filters) + "-filter";
    var options = Array.prototype.slice.call(group.querySelectorAll(".ds-field"));
    var field = document.createElement("div");
    field.className = "ds-field choice-filter";
    var label = document.createElement("label");
    label.className = "ds-label";
    label.setAttribute("for", id);
    label.textContent = group.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ds-input";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", id + "-status");
    if (group.id) {
      input.setAttribute("aria-controls", group.id);
    }
    var status = document.createElement("p");
    status.className = "ds-paragraph choice-filter__status";
    status.setAttribute("data-size", "sm");
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    field.appendChild(label);
    field.appendChild(input);
    field.appendChild(status);
    group.parentNode.insertBefore(field, group);

    function apply() {
      var wanted = normalise(input.value);
      var shown = 0;
      options.forEach(function (option) {
        var box = option.querySelector("input");
        var text = normalise(option.textContent);
        var show = !wanted || text.indexOf(wanted) !== -1 || (box && box.checked);
        option.hidden = !show;
        if (show) {
          shown += 1;
        }
      });
      status.textContent = wanted
        ? group.getAttribute("data-filter-status")
            .replace("%(shown)s", shown).replace("%(total)s", options.length)
        : "";
    }
    input.addEventListener("input", apply);
    // Enter in the filter must not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  function enhance(root) {
    Array.prototype.forEach.call(
      (root || document).querySelectorAll("[data-choice-filter]"), addFilter
    );
    focusErrorSummary(root);
  }

  enhance(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target);
  });
})();
