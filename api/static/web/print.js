// The print view's 打印 button (api/templates/publicity/print.html): a handler from a file,
// since the Content-Security-Policy allows no inline script or javascript: link.
(function () {
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
