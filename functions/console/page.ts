/** What the browser needs to know that the page's URL does not tell: where the live feed is. */
export interface ConsolePageConfig {
  liveFeedApiId: string;
  liveFeedStage: string;
  liveFeedUrl: string;
}

/** Escapes text for a double-quoted HTML attribute. */
const attribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The console page: its files are relative (`console/app.js`), so it works
 * under any base path. It holds no inline script (its CSP allows none): the
 * configuration is JSON in a `<meta name="console-config">`, read by the app.
 */
export function consolePage(config: ConsolePageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="console-config" content="${attribute(JSON.stringify(config))}">
  <title>Microservices console</title>
  <link rel="stylesheet" href="console/app.css">
  <script type="module" src="console/app.js"></script>
</head>
<body>
  <div id="app"><noscript>The console needs JavaScript.</noscript></div>
</body>
</html>
`;
}
