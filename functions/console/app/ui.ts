/// <reference lib="dom" />
/** The UI library, bound once: preact with htm templates (no build-time JSX). */
import { html } from 'htm/preact';

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
}) {
  const errorId = `${props.id}-error`;
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
      aria-invalid=${props.error ? 'true' : 'false'}
      aria-describedby=${props.error ? errorId : undefined}
      onInput=${(e: Event) => props.onInput((e.target as HTMLInputElement).value)}
    />
    ${props.error ? html`<p class="field-error" id=${errorId}>${props.error}</p>` : null}
  </div>`;
}

/** A message for the person: an error (role alert) or a notice. */
export function Notice({ error, text }: { error?: boolean; text: string | undefined }) {
  if (!text) return null;
  return error
    ? html`<p class="notice error" role="alert">${text}</p>`
    : html`<p class="notice" role="status">${text}</p>`;
}

/** The message of anything thrown. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
