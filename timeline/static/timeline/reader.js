// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A filtered timeline is a URL people share: drop empty fields so the URL stays short.
  document.querySelectorAll("form[data-filter-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[type=date], select").forEach(function (field) {
        if (!field.value) {
          field.disabled = true;
        }
      });
    });
  });
  // Wide screens have room for the filters beside the timeline: show them open there.
  if (window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  // Coming back with the Back button must not leave those fields disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-filter-form] [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });
  // On paper nobody can click "earlier positions": print them open.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
