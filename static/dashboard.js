// Frontdesk dashboard: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A <select data-submit-on-change> sends its form as soon as it changes
  // (the tenant switcher); its explicit button is then not needed.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) {
        select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
      }
    });
  });
  document.querySelectorAll("[data-hide-with-js]").forEach(function (el) {
    el.hidden = true;
  });
  // <form data-confirm="Question?"> asks before it is sent.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
