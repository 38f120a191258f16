/**
 * `handover erase --customer ID [--store redis://…] [--prefix P] [--force] [--by NAME]`: erases
 * everything stored for one customer on a deployment's Redis (README, "Retention and erasure") and
 * prints what went, per class, as JSON. The memory store lives inside its `handover start` process:
 * erase there through `DELETE /api/customers/{id}`.
 *
 * Exit status: 0 erased (the report on stdout), 2 bad input or refused (an open handoff without
 * --force, Redis unreachable), with the reason on stderr.
 *
 * @example
 * npx handover erase --customer c-1001 --store redis://127.0.0.1:6379 --prefix handover
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { isHandoverError } from '../core/errors.js';
import { DEFAULT_RETENTION, retentionFromDays, type RetentionPolicy } from '../core/ports/customer-data.js';
import { checkCustomerId, eraseCustomer } from '../handoff/customer-erasure.js';
import { openStores } from '../store/open-stores.js';

export const ERASE_USAGE = `  erase --customer ID [--store redis://HOST:PORT] [--prefix P] [--force] [--by NAME]
                     Erase everything stored for one customer (transcripts, memory, bot state, web
                     chat history, briefings, callbacks, WhatsApp data) on the deployment's Redis
                     (--store, default REDIS_URL; --prefix, default handover) and print what went
                     per class (JSON). Audited (who, when, counts). --force also erases an open
                     handoff (waiting, with an agent, booked). The memory store: DELETE /api/customers/{id}.`;

interface EraseArgs {
  customer: string;
  store: string | undefined;
  prefix: string;
  force: boolean;
  by: string;
}

/**
 * Runs the command; resolves with the exit status.
 *
 * @example
 * process.exitCode = await eraseCommand(['--customer', 'c-1001'], process.stdout, process.stderr, process.env);
 */
export async function eraseCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const fail = (message: string): number => {
    err.write(`handover erase: ${message}\n`);
    return 2;
  };
  let parsed: EraseArgs;
  try {
    parsed = parseArgs(args, env);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  if (parsed.store === undefined) return fail('no store: pass --store redis://HOST:PORT or set REDIS_URL');
  if (parsed.store === 'memory') {
    return fail('the memory store lives inside the running `handover start` process: erase there with DELETE /api/customers/{id} (a supervisor session or a bearer token)');
  }
  let stores: Awaited<ReturnType<typeof openStores>> | undefined;
  try {
    stores = await openStores(parsed.store, { prefix: parsed.prefix, retention: retentionOf() });
    const report = await eraseCustomer({ handoffs: stores.handoffs, documents: stores.documents, customers: stores.customers }, parsed.customer, {
      by: parsed.by,
      now: Date.now(),
      force: parsed.force,
    });
    out.write(`${JSON.stringify({ erased: true, store: redactUrl(parsed.store), prefix: parsed.prefix, ...report }, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (isHandoverError(e)) return fail(`${e.code}: ${e.message}`);
    throw e;
  } finally {
    await stores?.close();
  }
}

function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): EraseArgs {
  let customer: string | undefined;
  let store = env['REDIS_URL']?.trim() || undefined;
  let prefix = 'handover';
  let force = false;
  let by = `cli:${safeUser()}`;
  const value = (i: number, name: string): string => {
    const v = args[i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value\n\nUsage:\n${ERASE_USAGE}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const [name, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (): string => inline ?? value(++i, name);
    if (name === '--customer') customer = take();
    else if (name === '--store') store = take();
    else if (name === '--prefix') prefix = take();
    else if (name === '--by') by = `cli:${take()}`;
    else if (name === '--force') force = true;
    else throw new Error(`unknown option ${a}\n\nUsage:\n${ERASE_USAGE}`);
  }
  if (customer === undefined) throw new Error(`--customer ID is required\n\nUsage:\n${ERASE_USAGE}`);
  checkCustomerId(customer);
  return { customer, store, prefix, force, by };
}

/** manifest.json's retention when there is one here (the audit line's life), else the defaults. */
function retentionOf(): RetentionPolicy {
  const file = resolve('manifest.json');
  if (!existsSync(file)) return DEFAULT_RETENTION;
  try {
    return retentionFromDays(loadConfig(file).manifest.retention);
  } catch {
    return DEFAULT_RETENTION;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function redactUrl(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}
