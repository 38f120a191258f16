/**
 * A project folder for `handover start` with the repository's dialogs, locales, nlu and data and a
 * manifest.json changed by the test (e.g. short `limits`), plus a real `handover start` process run
 * in it.
 *
 * @example
 * const root = makeRoot((m) => ({ ...m, limits: { http: { headersTimeoutSeconds: 1 } } }));
 * const p = await spawnHandoverIn(root.dir, { WEBCHAT_MESSAGE_LIMITS: 'on' });
 * await p.stop(); root.remove();
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { startHandoverProcess, type HandoverProcess } from './handover-processes.js';

type Json = Record<string, unknown>;

const repo = path.resolve(__dirname, '../..');

/** A temporary root whose manifest.json is the repository's passed through `change`. */
export function makeRoot(change: (manifest: Json) => Json): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'handover-root-'));
  for (const d of ['dialogs', 'locales', 'nlu', 'data']) symlinkSync(join(repo, d), join(dir, d));
  const manifest = JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')) as Json;
  delete manifest['$schema'];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(change(manifest), null, 2));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `node bin/handover.cjs start --host 127.0.0.1` in `dir` (PORT=0, no Redis unless `env` names one), resolved at its banner. */
export function spawnHandoverIn(dir: string, env: Record<string, string>): Promise<HandoverProcess> {
  return startHandoverProcess({ REDIS_URL: '', ...env }, [], dir);
}
