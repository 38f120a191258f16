/**
 * manifest.json + environment -> one validated, deeply frozen Config. Every problem is reported at
 * once, each naming its field, in one `HandoverError('HANDOVER_ERR_CONFIG_INVALID')`.
 *
 * @example
 * const config = loadConfig('manifest.json');
 * config.manifest.policy.lowConfidence.below; // 0.6
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ZodIssue } from 'zod';
import { HandoverError } from '../core/errors.js';
import { ManifestSchema, type Manifest } from './manifest-schema.js';

export interface Config {
  readonly manifest: Manifest;
  /** `memory` or a `redis://` URL (REDIS_URL wins over the manifest). */
  readonly store: string;
  readonly port: number;
  readonly manifestPath: string;
}

function formatIssue(file: string, issue: ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${file}: ${field}: ${issue.message}`;
}

/** Validate an already-parsed manifest object; throws with every problem listed. */
export function parseManifest(raw: unknown, file = 'manifest.json'): Manifest {
  const parsed = ManifestSchema.safeParse(withOwnQueues(raw));
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => formatIssue(file, i));
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `${file} is invalid:\n  ${details.join('\n  ')}`, { details });
  }
  return deepFreeze(parsed.data);
}

/** The queues the policy routes to when a manifest does not name them (the sample bot's queues). */
const POLICY_QUEUE_DEFAULTS: readonly (readonly [string, string, string])[] = [
  ['authFailed', 'queue', 'support_l2'],
  ['highValue', 'salesQueue', 'sales'],
  ['transfers', 'seniorQueue', 'senior'],
];

/**
 * A manifest with queues of its own need not declare the sample's: a policy queue it does not
 * name (failed authentication → `support_l2`, buying → `sales`, 2nd transfer → `senior`) goes to
 * its `policy.defaultQueue` when the manifest has no queue of the sample's name, and
 * `policy.defaultQueue` itself to the only queue when there is one. Named queues are checked as
 * before (an unknown one is an error).
 *
 * @example
 * withOwnQueues({ queues: { help: {…} } }); // policy.defaultQueue 'help', transfers.seniorQueue 'help', …
 */
export function withOwnQueues(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const m = raw as Record<string, unknown>;
  const queues = m['queues'];
  if (typeof queues !== 'object' || queues === null || Array.isArray(queues)) return raw;
  const names = Object.keys(queues);
  const policy = typeof m['policy'] === 'object' && m['policy'] !== null && !Array.isArray(m['policy']) ? { ...(m['policy'] as Record<string, unknown>) } : {};
  if (policy['defaultQueue'] === undefined && !names.includes('support') && names.length === 1) policy['defaultQueue'] = names[0];
  const fallback = typeof policy['defaultQueue'] === 'string' ? policy['defaultQueue'] : 'support';
  for (const [section, field, sample] of POLICY_QUEUE_DEFAULTS) {
    const current = policy[section];
    if (current !== undefined && (typeof current !== 'object' || current === null || Array.isArray(current))) continue; // the schema reports it
    const part = { ...((current as Record<string, unknown> | undefined) ?? {}) };
    if (part[field] === undefined && !names.includes(sample)) {
      part[field] = fallback;
      policy[section] = part;
    }
  }
  return { ...m, policy };
}

/** Read, parse and validate manifest.json plus the environment. */
export function loadConfig(manifestPath = 'manifest.json', env: NodeJS.ProcessEnv = process.env): Config {
  const file = resolve(manifestPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const manifest = parseManifest(raw, manifestPath);
  const problems: string[] = [];
  const port = env.PORT === undefined ? 3978 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: "${env.PORT}" is not a TCP port`);
  const store = env.REDIS_URL !== undefined && env.REDIS_URL.trim() !== '' ? env.REDIS_URL.trim() : 'memory';
  if (store !== 'memory' && !/^rediss?:\/\//.test(store)) problems.push(`REDIS_URL: "${store}" is not a redis:// URL`);
  if (problems.length > 0) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `environment is invalid:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return deepFreeze({ manifest, store, port, manifestPath: file });
}

export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}
