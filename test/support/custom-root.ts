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
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { DESK_TOKEN, WEBCHAT_SECRET, type HandoverProcess } from './handover-processes.js';

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

/** `node bin/handover.cjs start --host 127.0.0.1` in `dir` (PORT=0), resolved at its banner. */
export async function spawnHandoverIn(dir: string, env: Record<string, string>): Promise<HandoverProcess> {
  const child = spawn(process.execPath, [join(repo, 'bin/handover.cjs'), 'start', '--host', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', REDIS_URL: '', WEBCHAT_SECRET, HANDOVER_API_TOKENS: `desk:${DESK_TOKEN}`, ...env },
    stdio: 'pipe',
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/Press Ctrl\+C to stop\./.test(out)) {
        child.stdout.off('data', onData);
        resolve(out);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`handover start exited with ${code} before its banner: ${out}\n${stderr}`)));
  });
  child.stdout.resume();
  const base = /handover is running on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
  if (base === undefined) throw new Error(`no address in the banner: ${banner}`);
  return {
    pid: child.pid!,
    base,
    ws: base.replace(/^http/, 'ws'),
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
