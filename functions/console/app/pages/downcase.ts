/// <reference lib="dom" />
import { ApiError } from '../api.js';
import type { Services } from '../context.js';
import { Field, html, messageOf, useState } from '../ui.js';

/** Type text, see it lower-cased; its log-feed message shows up in the live panel. */
export function DowncasePage({ services }: { services: Services }) {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  async function submit(event: Event) {
    event.preventDefault();
    setError(undefined);
    try {
      const result = await services.api.get<{ message: string }>(
        `downcase?param=${encodeURIComponent(text)}`,
      );
      setAnswer(result.message);
    } catch (failure) {
      setAnswer(undefined);
      setError(
        failure instanceof ApiError ? (failure.fieldMessage('param') ?? failure.message) : messageOf(failure),
      );
    }
  }

  return html`<section aria-labelledby="downcase-title">
    <h1 id="downcase-title">Downcase</h1>
    <form class="inline" onSubmit=${submit}>
      <${Field} id="downcase-text" label="Text" value=${text} onInput=${setText} error=${error} required />
      <button type="submit">Downcase</button>
    </form>
    ${answer ? html`<p class="answer" role="status" id="downcase-answer">${answer}</p>` : null}
  </section>`;
}
