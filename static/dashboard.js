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
// Settings (issue 12). A file chosen in <input type="file" data-fills="ID">
// is read into the textarea ID (the tenant file upload; pasting works
// without script). "Add a row" repeats the last row of a
// [data-rows] list with empty fields and the next row number.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-fills]").forEach(function (picker) {
    var target = document.getElementById(picker.getAttribute("data-fills"));
    if (!target || !window.FileReader) { return; }
    picker.hidden = false;
    document.querySelectorAll("label[for='" + picker.id + "']").forEach(function (l) { l.hidden = false; });
    picker.addEventListener("change", function () {
      var file = picker.files && picker.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () { target.value = reader.result; };
      reader.readAsText(file);
    });
  });
  document.querySelectorAll("[data-rows]").forEach(function (list) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.textContent = "Add a row";
    button.addEventListener("click", function () {
      var rows = list.querySelectorAll("[data-row]");
      var last = rows[rows.length - 1];
      if (!last) { return; }
      var next = rows.length;
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input, label, p.field-error").forEach(function (el) {
        if (el.matches("p.field-error")) { el.remove(); return; }
        ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/\d+/, String(next))); }
        });
        if (el.tagName === "INPUT") { el.value = ""; el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); }
      });
      list.appendChild(copy);
      var first = copy.querySelector("input");
      if (first) { first.focus(); }
    });
    list.parentNode.insertBefore(button, list.nextSibling);
  });
})();
