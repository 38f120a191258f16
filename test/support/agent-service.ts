import type { DomainEvent } from '../../src/core/events.js';
import { startService, type RunningService, type StartOptions } from '../../src/cli/start.js';
import type { ServerLog } from '../../src/server/http-server.js';
import { JsonSocket } from './webchat-clients.js';

type Json = Record<string, unknown>;

/** The service as `handover start` composes it, in this process, on a free loopback port. */
export interface TestService {
  readonly svc: RunningService;
  readonly base: string;
  readonly ws: string;
  /** Error lines the service logged (tests assert there are none where they should be none). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** A password for the demo agents of manifest.json. */
export const demoPassword = (id: string): string => `${id}-demo-password`;

/**
 * Starts the real composition (`startService`) on 127.0.0.1:0 with the memory store.
 *
 * @example
 * const t = await startTestService(); … await t.close();
 */
export async function startTestService(opts: Partial<StartOptions> & { env?: NodeJS.ProcessEnv } = {}): Promise<TestService> {
  const errors: string[] = [];
  const log: ServerLog = { info: () => {}, error: (m, meta) => errors.push(`${m} ${meta === undefined ? '' : JSON.stringify(meta)}`) };
  // suites start hundreds of customers from 127.0.0.1: lift the per-IP limit on new conversations and the
  // message limits (docs/operations.md, "Limits") unless a test sets them
  const env = { ...process.env, REDIS_URL: '', PORT: '0', WEBCHAT_START_BURST: '1000000', WEBCHAT_MESSAGE_LIMITS: 'off', ...(opts.env ?? {}) };
  const svc = await startService({ port: 0, host: '127.0.0.1', store: 'memory', log, ...opts, env });
  const base = `http://127.0.0.1:${svc.port}`;
  return { svc, base, ws: `ws://127.0.0.1:${svc.port}`, errors, close: () => svc.close() };
}

/** Resolves with the first domain event (from now on) that matches. */
export function nextEvent(t: TestService, test: (e: DomainEvent) => boolean): Promise<DomainEvent> {
  return new Promise((resolve) => {
    const off = t.svc.stores.events.subscribe((e) => {
      if (!test(e)) return;
      off();
      resolve(e);
    });
  });
}

/** A customer on the widget socket, with the conversation key the console uses. */
export interface TestCustomer {
  readonly socket: JsonSocket;
  /** `webchat:<id>`: the id in console URLs. */
  readonly conversationId: string;
  say(text: string): void;
  /** Waits for an activity (already received or future) whose text matches. */
  waitForText(match: string | RegExp): Promise<Json>;
}

/**
 * Opens the widget socket and starts a conversation.
 *
 * @example
 * const c = await openCustomer(t); c.say('hi');
 */
export async function openCustomer(t: TestService): Promise<TestCustomer> {
  const socket = await JsonSocket.open(`${t.ws}/webchat/ws`);
  socket.send({ type: 'start', locale: 'en' });
  const session = await socket.waitFor((f) => f['type'] === 'session');
  const conversationId = `webchat:${String(session['conversationId'])}`;
  const matches = (match: string | RegExp) => (a: Json): boolean => typeof a['text'] === 'string' && (typeof match === 'string' ? a['text'] === match : match.test(a['text']));
  return {
    socket,
    conversationId,
    say: (text) => socket.send({ type: 'message', text }),
    waitForText: async (match) => {
      const f = await socket.waitFor((frame) => Array.isArray(frame['activities']) && (frame['activities'] as Json[]).some(matches(match)));
      return (f['activities'] as Json[]).find(matches(match))!;
    },
  };
}

/**
 * A customer who asks for a person; resolves once the handoff is queued.
 *
 * @example
 * const c = await customerHandsOff(t); // c.conversationId is in the support queue
 */
export async function customerHandsOff(t: TestService, text = 'I want to talk to a real person'): Promise<TestCustomer> {
  const c = await openCustomer(t);
  const queued = nextEvent(t, (e) => e.type === 'handoff.requested' && e.conversationId === c.conversationId);
  c.say(text);
  await queued;
  return c;
}

/** The answer of an API call. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Json;
}

/**
 * Calls the console API.
 *
 * @example
 * const r = await apiCall(t.base, 'GET', '/api/queues', { cookie });
 */
export async function apiCall(
  base: string,
  method: string,
  path: string,
  opts: { cookie?: string; bearer?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.cookie !== undefined) headers['Cookie'] = opts.cookie;
  if (opts.bearer !== undefined) headers['Authorization'] = `Bearer ${opts.bearer}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: Json = {};
  if (text !== '') {
    try {
      json = JSON.parse(text) as Json;
    } catch {
      json = { text };
    }
  }
  return { status: res.status, headers: res.headers, json };
}

/**
 * Signs a demo agent in; resolves with the `Cookie` header value to send.
 *
 * @example
 * const cookie = await signIn(t.base, 'ana');
 */
export async function signIn(base: string, id: string, password = demoPassword(id)): Promise<string> {
  const r = await apiCall(base, 'POST', '/api/login', { body: { id, password } });
  if (r.status !== 200) throw new Error(`sign-in of ${id} failed: ${r.status} ${JSON.stringify(r.json)}`);
  const set = r.headers.get('set-cookie') ?? '';
  return set.split(';')[0]!;
}

/** `/api/conversations/<id>[/<action>]` with the id encoded. */
export const conversationPath = (id: string, action?: string): string => `/api/conversations/${encodeURIComponent(id)}${action === undefined ? '' : `/${action}`}`;
