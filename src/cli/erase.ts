/**
 * `handover erase --customer ID [--store redis://…] [--prefix P] [--force] [--by NAME]`: erases
 * everything stored for one customer on a deployment's Redis (docs/operations.md, "Retention and erasure") and
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

/** The parsed flags of erase (commands.ts); defaults: store REDIS_URL, prefix handover, by the user name. */
export interface EraseFlags {
  readonly customer: string;
  readonly store?: string;
  readonly prefix?: string;
  readonly force?: boolean;
  /** Recorded as `cli:<by>`. */
  readonly by?: string;
}

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
 * process.exitCode = await eraseCommand({ customer: 'c-1001' }, process.stdout, process.stderr, process.env);
 */
export async function eraseCommand(flags: EraseFlags, out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const fail = (message: string): number => {
    err.write(`handover erase: ${message}\n`);
    return 2;
  };
  let parsed: EraseArgs;
  try {
    parsed = withDefaults(flags, env);
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

function withDefaults(flags: EraseFlags, env: NodeJS.ProcessEnv): EraseArgs {
  checkCustomerId(flags.customer);
  return {
    customer: flags.customer,
    store: flags.store ?? (env['REDIS_URL']?.trim() || undefined),
    prefix: flags.prefix ?? 'handover',
    force: flags.force === true,
    by: `cli:${flags.by ?? safeUser()}`,
  };
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
