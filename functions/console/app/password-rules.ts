/// <reference lib="dom" />
import { Icon } from './icons.js';
import { html } from './ui.js';

/** The symbols the user pool's password policy counts (as `newPassword` in functions/shared/http/fields.ts). */
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

/** The password policy (what `POST /auth/signup` checks), in words, each with its test. */
export const PASSWORD_RULES: Array<{ rule: string; holds: (password: string) => boolean }> = [
  { rule: '8 characters or more', holds: (p) => p.length >= 8 },
  { rule: 'a lowercase letter (a-z)', holds: (p) => /[a-z]/.test(p) },
  { rule: 'an uppercase letter (A-Z)', holds: (p) => /[A-Z]/.test(p) },
  { rule: 'a digit (0-9)', holds: (p) => /[0-9]/.test(p) },
  { rule: 'a symbol, such as ! @ # $ % & * ?', holds: (p) => [...p].some((c) => SYMBOLS.includes(c)) },
  { rule: 'no space at the start or end', holds: (p) => p === '' || p.trim() === p },
];

/** The rules shown before the first try, each ticked off as the password typed meets it. */
export function PasswordRules({ password }: { password: string }) {
  return html`<div class="rules">
    <p>Your password needs:</p>
    <ul class="rule-list">
      ${PASSWORD_RULES.map(({ rule, holds }) => {
        const met = password !== '' && holds(password);
        return html`<li key=${rule} class=${met ? 'met' : ''}>
          <${Icon} name=${met ? 'check' : 'dot'} />${rule}<span class="visually-hidden">${met ? ' (done)' : ''}</span>
        </li>`;
      })}
    </ul>
  </div>`;
}
