/// <reference lib="dom" />
/** The UI library, bound once: preact with htm templates (no build-time JSX). */
import { html } from 'htm/preact';
import { traceMentions, traceRoute } from './trace-view.js';

export { html, render } from 'htm/preact';
export { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';

/** A labelled form field with its error shown under it (and tied to it for screen readers). */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  type?: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  step?: string;
  min?: string;
  max?: string;
  /** What the field needs (rules, examples), shown under it from the start and read after its error. */
  hint?: unknown;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  return html`<div class="field">
    <label for=${props.id}>${props.label}</label>
    <input
      id=${props.id}
      name=${props.id}
      type=${props.type ?? 'text'}
      value=${props.value}
      required=${props.required ?? false}
      autocomplete=${props.autocomplete}
      inputmode=${props.inputmode}
      step=${props.step}
      min=${props.min}
      max=${props.max}
      aria-invalid=${props.error ? 'true' : 'false'}
      aria-describedby=${[props.error ? errorId : undefined, props.hint ? hintId : undefined].filter(Boolean).join(' ') || undefined}
      onInput=${(e: Event) => props.onInput((e.target as HTMLInputElement).value)}
    />
    ${props.error ? html`<p class="field-error" id=${errorId}>${props.error}</p>` : null}
    ${props.hint ? html`<div class="hint" id=${hintId}>${props.hint}</div>` : null}
  </div>`;
}

/** A message for the person: an error (role alert) or a notice; a trace it names links to the Trace page. */
export function Notice({ error, text }: { error?: boolean; text: string | undefined }) {
  if (!text) return null;
  const content = traceMentions(text).map((part) =>
    typeof part === 'string' ? part : html`<a href=${`#/${traceRoute(part.traceId)}`}>${part.text}</a>`,
  );
  return error
    ? html`<p class="notice error" role="alert">${content}</p>`
    : html`<p class="notice" role="status">${content}</p>`;
}

/** The message of anything thrown. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
