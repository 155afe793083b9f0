/** What the browser needs to know that the page's URL does not tell: where the live feed is. */
export interface ConsolePageConfig {
  liveFeedApiId: string;
  liveFeedStage: string;
  liveFeedUrl: string;
}

/** `<` cannot end the script element from inside JSON once escaped. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The console page: its files are relative (`console/app.js`), so it works under any base path. */
export function consolePage(config: ConsolePageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Microservices console</title>
  <link rel="stylesheet" href="console/app.css">
  <script id="console-config" type="application/json">${inlineJson(config)}</script>
  <script type="module" src="console/app.js"></script>
</head>
<body>
  <div id="app"><noscript>The console needs JavaScript.</noscript></div>
</body>
</html>
`;
}
