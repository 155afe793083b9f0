/// <reference lib="dom" />
import { ApiError, publicPost } from '../api.js';
import { BusyButton, fieldError as fieldErrorOf, ProblemNote } from '../components.js';
import { navigate, type Services } from '../context.js';
import { PasswordRules } from '../password-rules.js';
import { takeReturnRoute } from '../return-to.js';
import { sessionFrom } from '../session.js';
import { Field, html, useState } from '../ui.js';

interface LoginAnswer {
  accessToken: string;
  expiresIn: number;
}

/** Log in, or sign up (then log in): the API's field errors appear next to their fields. */
export function AuthPage({
  services,
  mode,
  ended,
  back,
}: {
  services: Services;
  mode: 'login' | 'signup';
  /** The session ended by itself: say so. */
  ended?: boolean;
  /** The page shown again after logging in (a deep link, or where the session ended). */
  back?: string | undefined;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [message, setMessage] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      if (mode === 'signup') {
        await publicPost('auth/signup', { email, password, ...(name.trim() ? { name: name.trim() } : {}) });
      }
      const answer = await publicPost<LoginAnswer>('auth/login', { email, password });
      services.keeper.signIn(sessionFrom(email.trim().toLowerCase(), answer, Date.now()));
      // Back to the page the person was on (the hash is still that page's on a deep link).
      navigate(takeReturnRoute(sessionStorage));
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
      else setMessage(failure);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: string) => fieldErrorOf(error, field);
  // Field issues show next to their fields; anything else (a refusal, no answer) as a problem in words.
  const general = error && error.fields.length === 0 ? error : message;
  const title = mode === 'signup' ? 'Sign up' : 'Log in';
  return html`<section aria-labelledby="auth-title" class="card auth-card">
    <h1 id="auth-title">${title}</h1>
    ${ended ? html`<p class="notice" role="status" data-session-ended>Your session has ended. Log in again to carry on${back ? ` where you were (${back})` : ''}.</p>` : back ? html`<p class="notice" role="status">Log in to see ${back}.</p>` : null}
    <form onSubmit=${submit} novalidate>
      ${
        mode === 'signup'
          ? html`<${Field} id="name" label="Name (optional)" value=${name} onInput=${setName}
              error=${fieldError('name')} autocomplete="name" />`
          : null
      }
      <${Field} id="email" label="Email" type="email" value=${email} onInput=${setEmail}
        error=${fieldError('email')} required autocomplete="email" />
      <${Field} id="password" label="Password" type="password" value=${password} onInput=${setPassword}
        error=${fieldError('password')} required hint=${mode === 'signup' ? html`<${PasswordRules} password=${password} />` : undefined}
        autocomplete=${mode === 'signup' ? 'new-password' : 'current-password'} />
      <${ProblemNote} error=${general} doing=${mode === 'signup' ? 'sign up' : 'log in'} />
      <${BusyButton} type="submit" busy=${busy} label=${title} busyLabel=${mode === 'signup' ? 'Signing up…' : 'Logging in…'} />
    </form>
    <p>
      ${
        mode === 'signup'
          ? html`Have an account? <a href="#/login">Log in</a>`
          : html`New here? <a href="#/signup">Sign up</a>`
      }
    </p>
  </section>`;
}
