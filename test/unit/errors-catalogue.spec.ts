// The error catalogue (src/core/errors.ts), docs/errors.md and the codes used in src/ stay in step,
// and both HTTP edges answer with the catalogue's statuses (issue 18).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { ALL_ERROR_CODES, ERROR_CATALOGUE, ERROR_CODES, HandoverError, httpStatusOf, type ErrorCode } from '../../src/core/errors.js';
import * as httpJson from '../../src/server/http-json.js';
import * as webchatHttp from '../../src/channels/webchat/http-utils.js';
import { ERRORS_DOC_FILE, renderErrorsDoc } from '../../scripts/errors-doc.js';

/** Codes in the catalogue that nothing in src/ names yet, on purpose (none today). */
const RESERVED: readonly ErrorCode[] = [];

/** Every file under src/ with the HANDOVER_ERR_ literals in it, by path. */
function srcFiles(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return srcFiles(p);
    return /\.(ts|js|mjs|cjs|html|css|json|lua)$/.test(d.name) ? [p] : [];
  });
}

/** The HANDOVER_ERR_* literals of src/ (outside the catalogue itself), with where each is. */
function codesInSrc(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of srcFiles()) {
    if (relative('src', file) === join('core', 'errors.ts')) continue;
    for (const [code] of readFileSync(file, 'utf8').matchAll(/HANDOVER_ERR_[A-Z0-9_]*[A-Z0-9]/g)) {
      found.set(code, [...(found.get(code) ?? []), file]);
    }
  }
  return found;
}

/** Serves `send(res, error-for-code)` for `GET /?code=…`, so the real helpers write real responses. */
async function serve(send: (res: ServerResponse, e: unknown) => void): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://x').searchParams.get('code');
    send(res, code === 'plain' ? new Error('boom: secret detail') : new HandoverError(code as ErrorCode, `about ${code}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function answer(base: string, code: string): Promise<{ status: number; body: { error: { code: string; message: string } }; retryAfter: string | null }> {
  const r = await fetch(`${base}/?code=${code}`);
  return { status: r.status, body: (await r.json()) as { error: { code: string; message: string } }, retryAfter: r.headers.get('retry-after') };
}

describe('error catalogue (issue 18)', () => {
  it('docs/errors.md is what the generator writes', () => {
    const committed = readFileSync(ERRORS_DOC_FILE, 'utf8');
    assert.ok(committed === renderErrorsDoc(), `${ERRORS_DOC_FILE} is out of date with src/core/errors.ts: run npm run docs:errors`);
  });

  it('docs/errors.md has a row and a section for every code, and no other', () => {
    const doc = renderErrorsDoc();
    const rows = [...doc.matchAll(/^\| \[`(HANDOVER_ERR_[A-Z_]+)`\]\(#[a-z_]+\) \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(rows, ALL_ERROR_CODES.map((c) => [c, ERROR_CATALOGUE[c].status]));
    const sections = [...doc.matchAll(/^### (HANDOVER_ERR_[A-Z_]+)$/gm)].map((m) => m[1]);
    assert.deepEqual(sections, ALL_ERROR_CODES);
  });

  it('every HANDOVER_ERR_ literal in src/ is in the catalogue', () => {
    const unknown = [...codesInSrc()].filter(([code]) => !Object.hasOwn(ERROR_CATALOGUE, code)).map(([code, files]) => `${code} (${[...new Set(files)].join(', ')})`);
    assert.deepEqual(unknown, [], 'add these codes to ERROR_CATALOGUE in src/core/errors.ts, then run npm run docs:errors');
  });

  it('every catalogue code is used somewhere in src/, or listed as reserved', () => {
    const used = codesInSrc();
    const unused = ALL_ERROR_CODES.filter((c) => !used.has(c) && !RESERVED.includes(c));
    assert.deepEqual(unused, [], 'remove these codes from ERROR_CATALOGUE or list them in RESERVED');
    for (const c of RESERVED) assert.ok(!used.has(c), `${c} is used now: take it off RESERVED`);
  });

  it('every row has an error HTTP status, a one-line description and a fix', () => {
    for (const code of ALL_ERROR_CODES) {
      const spec: { status: number; description: string; fix: string; message?: string } = ERROR_CATALOGUE[code];
      assert.ok(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599 && STATUS_CODES[spec.status] !== undefined, `${code}: ${spec.status} is not an HTTP error status`);
      assert.match(spec.description, /^\S[^\n]*$/, `${code}: description`);
      assert.match(spec.fix, /^\S[^\n]*$/, `${code}: fix`);
      assert.equal(ERROR_CODES[code], spec.description, `${code}: ERROR_CODES follows the catalogue`);
    }
    assert.deepEqual(Object.keys(ERROR_CODES), ALL_ERROR_CODES);
  });

  it('keeps the statuses of the two former maps (console API and web chat), through both helpers', () => {
    const former: Record<string, number> = {
      HANDOVER_ERR_BAD_REQUEST: 400,
      HANDOVER_ERR_UNAUTHORIZED: 401,
      HANDOVER_ERR_CUSTOMER_TOKEN_INVALID: 401,
      HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED: 401,
      HANDOVER_ERR_FORBIDDEN: 403,
      HANDOVER_ERR_CROSS_SITE: 403,
      HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT: 403,
      HANDOVER_ERR_UNKNOWN_CONVERSATION: 404,
      HANDOVER_ERR_UNKNOWN_QUEUE: 404,
      HANDOVER_ERR_NOT_FOUND: 404,
      HANDOVER_ERR_METHOD_NOT_ALLOWED: 405,
      HANDOVER_ERR_REQUEST_TIMEOUT: 408,
      HANDOVER_ERR_ALREADY_TAKEN: 409,
      HANDOVER_ERR_NOT_IN_STATE: 409,
      HANDOVER_ERR_STATE_CONFLICT: 409,
      HANDOVER_ERR_PAYLOAD_TOO_LARGE: 413,
      HANDOVER_ERR_TOO_MANY_REQUESTS: 429,
      // the console API's 501; web chat's 405 for a wrong method now comes from HANDOVER_ERR_METHOD_NOT_ALLOWED
      HANDOVER_ERR_NOT_SUPPORTED: 501,
      HANDOVER_ERR_STORE_UNAVAILABLE: 503,
      HANDOVER_ERR_BUSY: 503,
    };
    for (const [code, status] of Object.entries(former)) {
      const e = new HandoverError(code as ErrorCode, 'x');
      assert.equal(httpJson.httpStatusOf(e), status, `console API: ${code}`);
      assert.equal(webchatHttp.statusForError(e), status, `web chat: ${code}`);
      assert.equal(httpStatusOf(code), status, `catalogue: ${code}`);
      assert.equal(e.status, status);
    }
    assert.equal(httpStatusOf(new Error('plain')), 500);
    assert.equal(httpStatusOf('HANDOVER_ERR_NO_SUCH_CODE'), 500);
  });

  it('the console API helper answers with the catalogue status and { error: { code, message } }', async () => {
    const { server, base } = await serve((res, e) => httpJson.sendError(res, e));
    try {
      assert.deepEqual(await answer(base, 'HANDOVER_ERR_UNKNOWN_QUEUE'), { status: 404, body: { error: { code: 'HANDOVER_ERR_UNKNOWN_QUEUE', message: 'about HANDOVER_ERR_UNKNOWN_QUEUE' } }, retryAfter: null });
      assert.equal((await answer(base, 'HANDOVER_ERR_CROSS_SITE')).status, 403);
      const busy = await answer(base, 'HANDOVER_ERR_TOO_MANY_REQUESTS');
      assert.deepEqual([busy.status, busy.retryAfter], [429, '60']);
      assert.equal((await answer(base, 'HANDOVER_ERR_NOT_SUPPORTED')).status, 501);
      // a 500 keeps its words in the log
      assert.deepEqual(await answer(base, 'plain'), { status: 500, body: { error: { code: 'HANDOVER_ERR_INTERNAL', message: 'internal error; it has been logged' } }, retryAfter: null });
      assert.equal((await answer(base, 'HANDOVER_ERR_STORE_DATA_INVALID')).body.error.code, 'HANDOVER_ERR_INTERNAL');
    } finally {
      server.close();
    }
  });

  it('the web chat helper answers with the catalogue status and { error: { code, message } }', async () => {
    const { server, base } = await serve((res, e) => webchatHttp.sendError(res, e));
    try {
      assert.deepEqual(await answer(base, 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED'), { status: 401, body: { error: { code: 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED', message: 'about HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED' } }, retryAfter: null });
      assert.equal((await answer(base, 'HANDOVER_ERR_METHOD_NOT_ALLOWED')).status, 405);
      assert.equal((await answer(base, 'HANDOVER_ERR_UNKNOWN_CONVERSATION')).status, 404);
      const away = await answer(base, 'HANDOVER_ERR_STORE_UNAVAILABLE');
      assert.deepEqual([away.status, away.body.error.code, away.retryAfter], [503, 'HANDOVER_ERR_STORE_UNAVAILABLE', '2']);
      assert.deepEqual(await answer(base, 'plain'), { status: 500, body: { error: { code: 'HANDOVER_ERR_INTERNAL', message: 'Internal error' } }, retryAfter: null });
    } finally {
      server.close();
    }
  });

  it('HandoverError.of fills the code\'s message template', () => {
    const e = HandoverError.of('HANDOVER_ERR_UNKNOWN_QUEUE', { queue: 'biling', known: 'support, billing' });
    assert.equal(e.code, 'HANDOVER_ERR_UNKNOWN_QUEUE');
    assert.equal(e.message, 'unknown queue "biling"; queues: support, billing');
    assert.equal(e.status, 404);
    // checked by tsc (npx tsc --noEmit -p .), never run:
    const typeChecks = (): HandoverError[] => [
      // @ts-expect-error -- the template's placeholders are the parameters: a missing one does not compile
      HandoverError.of('HANDOVER_ERR_UNKNOWN_QUEUE', { queue: 'x' }),
      // @ts-expect-error -- only codes with a template have .of
      HandoverError.of('HANDOVER_ERR_BAD_REQUEST', {}),
    ];
    assert.equal(typeof typeChecks, 'function');
  });
});
