import WebSocket from 'ws';

type Json = Record<string, unknown>;

/**
 * A `ws` client that records every JSON frame and lets a test wait for one matching a
 * predicate (event-driven: the mocha timeout is the only clock).
 *
 * @example
 * const c = await JsonSocket.open(streamUrl);
 * const frame = await c.waitFor((f) => hasText(f, 'You said: hi'));
 */
export class JsonSocket {
  readonly frames: Json[] = [];
  private waiters: Array<{ test: (f: Json) => boolean; resolve: (f: Json) => void }> = [];
  private closeWaiters: Array<(code: number) => void> = [];
  closedWith: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === '') return;
      const frame = JSON.parse(text) as Json;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
    ws.on('close', (code) => {
      this.closedWith = code;
      for (const w of this.closeWaiters.splice(0)) w(code);
    });
  }

  /** `localAddress`: connect from another loopback address (another client IP, e.g. 127.0.0.2). */
  static open(url: string, headers: Record<string, string> = {}, localAddress?: string): Promise<JsonSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, ...(localAddress === undefined ? {} : { localAddress }) });
      const client = new JsonSocket(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new UpgradeRefused(res.statusCode ?? 0)));
      ws.once('error', reject);
    });
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor(test: (f: Json) => boolean): Promise<Json> {
    const seen = this.frames.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Like waitFor but only frames arriving after this call. */
  next(test: (f: Json) => boolean): Promise<Json> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Every activity received so far, in order. */
  activities(): Json[] {
    return this.frames.flatMap((f) => (Array.isArray(f['activities']) ? (f['activities'] as Json[]) : []));
  }

  close(): Promise<number> {
    if (this.closedWith !== undefined) return Promise.resolve(this.closedWith);
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.ws.close();
    });
  }
}

/** The upgrade was answered with an HTTP status instead of 101. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`WebSocket upgrade refused with HTTP ${status}`);
  }
}

/** True when a frame carries an activity with this exact text (optionally matching more). */
export function hasActivity(frame: Json, match: (a: Json) => boolean): boolean {
  return Array.isArray(frame['activities']) && (frame['activities'] as Json[]).some(match);
}

export const withText = (text: string) => (a: Json): boolean => a['text'] === text;

/** JSON request helper for Direct Line endpoints. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: Json }> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers['Authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? {} : (JSON.parse(text) as Json) };
}
