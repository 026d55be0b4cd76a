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

// Test call (/test-call/{id}): its forms are sent without leaving the page
// (the page that comes back replaces this one's content, so the transcript
// grows in place); where the browser has them, "Speak" types what is said
// (SpeechRecognition) and the replies can be read aloud (speechSynthesis,
// off unless chosen). Without this, every form still works by reloading.
(function () {
  "use strict";
  if (!document.getElementById("test-call")) {
    return;
  }
  var SPEAK_KEY = "frontdesk.testCall.speakReplies";
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  var canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;

  function call() {
    return document.getElementById("test-call");
  }
  function read(storage, key) {
    try { return window[storage].getItem(key); } catch (e) { return null; }
  }
  function write(storage, key, value) {
    try { window[storage].setItem(key, value); } catch (e) { /* private mode */ }
  }

  // Reads aloud the receptionist's lines not read yet on this call (all of
  // them count as read while reading aloud is off).
  function speakNewLines() {
    var current = call();
    var key = "frontdesk.testCall.spoken." + current.getAttribute("data-call");
    var lines = Array.prototype.map.call(
      document.querySelectorAll("#transcript .bubble.receptionist .bubble-text"),
      function (p) { return p.textContent; }
    );
    var done = parseInt(read("sessionStorage", key) || "0", 10) || 0;
    if (canSpeak && read("localStorage", SPEAK_KEY) === "1") {
      lines.slice(done).forEach(function (line) {
        var utterance = new window.SpeechSynthesisUtterance(line);
        utterance.lang = current.getAttribute("data-language") || "";
        window.speechSynthesis.speak(utterance);
      });
    }
    write("sessionStorage", key, String(lines.length));
  }

  function setUp() {
    var options = document.getElementById("speech-options");
    var toggle = document.getElementById("speak-replies");
    var mic = document.getElementById("speak-button");
    if (options && (canSpeak || Recognition)) {
      options.hidden = false;
    }
    if (toggle) {
      toggle.checked = read("localStorage", SPEAK_KEY) === "1";
      toggle.closest("label").hidden = !canSpeak;
    }
    if (mic && Recognition) {
      mic.hidden = false;
    }
    var transcript = document.getElementById("transcript");
    if (transcript && transcript.lastElementChild) {
      transcript.lastElementChild.scrollIntoView({ block: "nearest" });
    }
    var text = document.getElementById("say-text");
    if (text) {
      text.focus();
    }
    speakNewLines();
  }

  function listen(mic) {
    var recognition = new Recognition();
    recognition.lang = call().getAttribute("data-language") || "";
    recognition.interimResults = false;
    recognition.maxAlternatives = 1;
    recognition.onresult = function (event) {
      var said = event.results[0][0].transcript;
      var input = document.getElementById("say-text");
      if (input && said) {
        input.value = said;
        var send = document.getElementById("send-button");
        input.form.requestSubmit ? input.form.requestSubmit(send) : input.form.submit();
      }
    };
    recognition.onend = function () {
      mic.setAttribute("aria-pressed", "false");
      mic.textContent = "Speak";
    };
    mic.setAttribute("aria-pressed", "true");
    mic.textContent = "Listening…";
    recognition.start();
  }

  // The form sent the old way, keeping the button that was pressed.
  function submitPlainly(form, submitter) {
    if (submitter && submitter.name) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = submitter.name;
      field.value = submitter.value;
      form.appendChild(field);
    }
    form.submit();
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "speak-replies") {
      write("localStorage", SPEAK_KEY, event.target.checked ? "1" : "0");
      if (!event.target.checked && canSpeak) {
        window.speechSynthesis.cancel();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var mic = event.target.closest ? event.target.closest("#speak-button") : null;
    if (mic && Recognition && mic.getAttribute("aria-pressed") !== "true") {
      listen(mic);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var current = call();
    if (!current || !current.contains(form) || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
      return;
    }
    event.preventDefault();
    if (current.getAttribute("aria-busy") === "true") {
      return;
    }
    var submitter = event.submitter;
    var body = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) {
      body.append(submitter.name, submitter.value);
    }
    current.setAttribute("aria-busy", "true");
    var shown = false;
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("main");
        var main = document.querySelector("main");
        if (!fresh || !main) {
          throw new Error("not a dashboard page");
        }
        main.replaceWith(document.adoptNode(fresh));
        shown = true;
        document.title = page.title;
        if (response.redirected) {
          window.history.replaceState(null, "", response.url);
        }
        if (call()) {
          setUp();
        }
      });
    }).catch(function () {
      // Not sent (offline, say), or the answer was no page: send it the
      // old way. Once the answer is shown, the form was sent: never twice.
      if (!shown) {
        submitPlainly(form, submitter);
      }
    });
  });

  setUp();
})();
