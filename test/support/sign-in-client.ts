/**
 * Sign-in requests from a chosen loopback address (Linux answers for all of 127.0.0.0/8, so
 * `localAddress: '127.0.0.2'` is another client address to the server), one connection each (no
 * keep-alive: a flood is that many parallel connections), timed.
 *
 * @example
 * const r = await signInFrom(base, { id: 'ana', password: 'x' }, { from: '127.0.0.9' });
 * r.status; r.retryAfter; r.ms;
 */
import http from 'node:http';

type Json = Record<string, unknown>;

/** The answer of one sign-in request. */
export interface SignInAnswer {
  readonly status: number;
  readonly json: Json;
  /** `Retry-After` in seconds, when sent. */
  readonly retryAfter: number | undefined;
  /** `Set-Cookie` values. */
  readonly cookies: readonly string[];
  /** Time from sending to the end of the answer. */
  readonly ms: number;
}

/** The `error.code` of an answer. */
export const codeOf = (r: { json: Json }): string => ((r.json['error'] as Json | undefined)?.['code'] as string | undefined) ?? '(no error body)';

/** `name=value` of the cookie `name` among `Set-Cookie` values, for a `Cookie` header. */
export const cookieNamed = (r: SignInAnswer, name: string): string | undefined => r.cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`));

/**
 * POSTs JSON to `path` (default /api/login) from `from` (default 127.0.0.1).
 *
 * @example
 * await signInFrom(base, { id: 'ana', password: 'ana-demo-password' }, { headers: { Origin: base } });
 */
export function signInFrom(base: string, body: unknown, opts: { from?: string; headers?: Record<string, string>; path?: string } = {}): Promise<SignInAnswer> {
  const url = new URL(opts.path ?? '/api/login', base);
  const data = JSON.stringify(body);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        localAddress: opts.from ?? '127.0.0.1',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)), ...(opts.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Json = {};
          try {
            json = text === '' ? {} : (JSON.parse(text) as Json);
          } catch {
            json = { text };
          }
          const ra = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            json,
            retryAfter: ra === undefined ? undefined : Number(ra),
            cookies: res.headers['set-cookie'] ?? [],
            ms: performance.now() - t0,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** How many answers had each status, e.g. `{ 401: 5, 429: 55 }`. */
export function statusCounts(answers: readonly { status: number }[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}
