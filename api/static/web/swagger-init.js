// Swagger UI's set-up (api/templates/swagger_ui.html), from a file: the service's
// Content-Security-Policy allows no inline script. The options of OPENAPI_SWAGGER_UI_CONFIG
// come in a JSON data block.
(function () {
  var container = document.getElementById("swagger-ui-container");
  var config = { url: container.getAttribute("data-spec-url"), dom_id: "#swagger-ui-container" };
  var extra = JSON.parse(document.getElementById("swagger-ui-config").textContent || "{}");
  for (var name in extra) {
    if (Object.prototype.hasOwnProperty.call(extra, name)) { config[name] = extra[name]; }
  }
  window.ui = SwaggerUIBundle(config);
})();
