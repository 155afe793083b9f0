/// <reference lib="dom" />
import { ApiError, publicPost } from '../api.js';
import { navigate, type Services } from '../context.js';
import { sessionFrom } from '../session.js';
import { Field, html, messageOf, Notice, useState } from '../ui.js';

interface LoginAnswer {
  accessToken: string;
  expiresIn: number;
}

/** Log in, or sign up (then log in): the API's field errors appear next to their fields. */
export function AuthPage({ services, mode }: { services: Services; mode: 'login' | 'signup' }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [message, setMessage] = useState<string | undefined>();
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
      navigate('tasks');
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
      else setMessage(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: string) => error?.fieldMessage(field);
  const general = error && error.fields.length === 0 ? error.message : message;
  const title = mode === 'signup' ? 'Sign up' : 'Log in';
  return html`<section aria-labelledby="auth-title">
    <h1 id="auth-title">${title}</h1>
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
        error=${fieldError('password')} required
        autocomplete=${mode === 'signup' ? 'new-password' : 'current-password'} />
      <${Notice} error text=${general} />
      <button type="submit" disabled=${busy}>${title}</button>
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
