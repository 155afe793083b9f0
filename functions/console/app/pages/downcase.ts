/// <reference lib="dom" />
import { ActionProblem, BusyButton, fieldError, useAction } from '../components.js';
import type { Services } from '../context.js';
import { Field, html, useState } from '../ui.js';

/** Type text, see it lower-cased; its log-feed message shows up in the live panel. */
export function DowncasePage({ services }: { services: Services }) {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<string | undefined>();

  const downcase = useAction(async (_key: string, param: string) => {
    setAnswer(undefined);
    const result = await services.api.get<{ message: string }>(`downcase?param=${encodeURIComponent(param)}`);
    setAnswer(result.message);
  });
  const paramError = fieldError(downcase.error, 'param');

  return html`<section aria-labelledby="downcase-title">
    <h1 id="downcase-title">Downcase</h1>
    <form class="inline" onSubmit=${(event: Event) => {
      event.preventDefault();
      void downcase.start(text);
    }}>
      <${Field} id="downcase-text" label="Text" value=${text} onInput=${setText} error=${paramError} required />
      <${BusyButton} type="submit" busy=${downcase.busy} label="Downcase" busyLabel="Downcasing…" />
    </form>
    ${paramError ? null : html`<${ActionProblem} action=${downcase} doing="downcase the text" />`}
    ${answer ? html`<p class="answer" role="status" id="downcase-answer">${answer}</p>` : null}
  </section>`;
}
