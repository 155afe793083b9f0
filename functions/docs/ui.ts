/**
 * The Swagger UI page: loads the files served beside it and the document one
 * level up. It holds no inline script or style (its CSP allows neither), so
 * Swagger UI is started by {@link SWAGGER_START}, served as `docs/swagger-start.js`.
 */
export const SWAGGER_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Microservices API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/swagger-ui-standalone-preset.js"></script>
  <script src="docs/swagger-start.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on the document, within the page's CSP: no top bar (its
 * logo is an SVG with an inline style element, and its box loads documents
 * from other origins), and no validator badge (an image from
 * validator.swagger.io).
 */
export const SWAGGER_START = `window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  plugins: [() => ({ components: { Topbar: () => null } })],
  layout: 'StandaloneLayout',
  validatorUrl: null,
});
`;
