/**
 * The headers of everything served to a browser (the console, Swagger UI and
 * their files): scripts, styles, images and fonts from the API's own origin
 * only, no inline script or style element, no framing, no MIME sniffing, no
 * referrer, HTTPS remembered for a year. A page that talks to another origin
 * (the live feed's WebSocket API on AWS) names it in `connectTo`.
 */
export function browserHeaders({
  connectTo = [],
}: {
  connectTo?: readonly string[];
} = {}): Record<string, string> {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Swagger UI's stylesheet draws its icons with data: SVGs.
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...connectTo].join(' '),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': policy,
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
  };
}
