/**
 * The console's few icons, inline SVG on a 24-unit grid drawn with the text
 * colour (`currentColor`); decorative, so hidden from screen readers: the
 * button or link they sit in carries the words.
 */
import { html } from './ui.js';

const PATHS = {
  menu: 'M4 6h16M4 12h16M4 18h16',
  close: 'M6 6l12 12M18 6L6 18',
  plus: 'M12 5v14M5 12h14',
  minus: 'M5 12h14',
  fit: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  globe: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  feed: 'M5 5a14 14 0 0 1 14 14M5 11a8 8 0 0 1 8 8M6 18h.01',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 5l12 7-12 7z',
  out: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  check: 'M5 12l4 4 10-10',
  dot: 'M12 11a1 1 0 1 0 0 2a1 1 0 1 0 0-2',
} as const;

export type IconName = keyof typeof PATHS;

/** An icon the size of the text around it. */
export function Icon({ name }: { name: IconName }) {
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d=${PATHS[name]} />
  </svg>`;
}
