/**
 * The sign-in form. On success the page reloads into the console (the server now sees the
 * HttpOnly session cookie, which this script cannot read).
 *
 * @example
 * renderLogin(document.getElementById('app')!);
 */
import { api, ApiError } from './api-client.js';
import { h, replace } from './dom.js';

/** Tries of a sign-in answered 503 HANDOVER_ERR_BUSY, a second apart (the server's Retry-After). */
const BUSY_RETRIES = 5;
const BUSY_RETRY_MS = 1000;

/**
 * Shows the sign-in form in `root`, with an optional notice.
 *
 * @example
 * renderLogin(root, 'Your session ended. Sign in again.');
 */
export function renderLogin(root: HTMLElement, notice?: string): void {
  const id = h('input', { id: 'agent-id', name: 'id', autocomplete: 'username', required: true, autofocus: true, spellcheck: 'false' });
  const password = h('input', { id: 'agent-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'login-error', role: 'alert' }, notice ?? '');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Agent console'),
    h('p', { class: 'muted' }, 'Sign in with your agent id and password.'),
    h('label', { for: 'agent-id' }, 'Agent id'),
    id,
    h('label', { for: 'agent-password' }, 'Password'),
    password,
    submit,
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    const body = { id: id.value.trim(), password: password.value };
    // the server checks few passwords at once: while it is busy (503 HANDOVER_ERR_BUSY) try again by itself
    const attempt = (left: number): Promise<unknown> =>
      api('POST', '/api/login', body).catch(async (err: unknown) => {
        if (!(err instanceof ApiError && err.code === 'HANDOVER_ERR_BUSY') || left === 0) throw err;
        error.textContent = 'Many sign-ins right now, trying again…';
        await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
        return attempt(left - 1);
      });
    attempt(BUSY_RETRIES).then(
      () => window.location.assign('/agent'),
      (err: unknown) => {
        submit.disabled = false;
        password.value = '';
        password.focus();
        error.textContent = err instanceof ApiError && err.status === 401 ? 'Wrong agent id or password.' : err instanceof Error ? err.message : String(err);
      },
    );
  });
  replace(root, h('main', { class: 'login-page' }, form));
  id.focus();
}
