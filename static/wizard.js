// kbfix wizard: copy buttons for code, registry paths and the transcript. Progressive: the
// buttons stay hidden without this script, and the text is selectable as it stands.
"use strict";
(function () {
  function textOf(button) {
    var box = button.closest(".copyable");
    var target = box && box.querySelector("pre, code");
    return target ? target.textContent : "";
  }

  // Without the asynchronous clipboard (plain http on a network address), select the text
  // and copy the selection.
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(button) {
    var text = textOf(button);
    var done = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallback(text); })
      : fallback(text);
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    var reset = function () {
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    done.then(
      function () { button.textContent = "Copied"; reset(); },
      function () { button.textContent = "Select and copy by hand"; reset(); }
    );
  }

  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
