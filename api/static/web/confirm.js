/* A form with data-confirm asks before it is sent (no inline handlers: the Content Security
   Policy allows scripts from the service only). ES5 for the old desktop browsers. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
}());
