/**
 * Builds the console page script (`console/main.ts`) into one browser bundle with esbuild, in
 * memory, once per process — like the web chat widget, so a fresh clone needs no build step.
 * Pass `prebuiltPath` when esbuild is not installed (production install without devDependencies).
 *
 * @example
 * const { code, etag } = await buildConsoleBundle();
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HandoverError } from '../core/errors.js';

/**
 * The bundled console script and its ETag.
 *
 * @example
 * const { code, etag }: ConsoleBundle = await buildConsoleBundle();
 */
export interface ConsoleBundle {
  readonly code: string;
  readonly etag: string;
}

/**
 * Builds (or reads) the console script; throws `HANDOVER_ERR_CONFIG_INVALID` when it cannot.
 *
 * @example
 * const bundle = await buildConsoleBundle({ prebuiltPath: 'dist/console.js' });
 */
export async function buildConsoleBundle(opts: { prebuiltPath?: string } = {}): Promise<ConsoleBundle> {
  if (opts.prebuiltPath !== undefined) {
    const code = await readFile(opts.prebuiltPath, 'utf8');
    return { code, etag: etagOf(code) };
  }
  const entry = ['main.ts', 'main.js'].map((f) => path.join(__dirname, 'console', f)).find((f) => existsSync(f));
  if (entry === undefined) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `console sources not found next to ${__dirname}: pass consoleBundlePath`);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'esbuild is not installed: install devDependencies or pass consoleBundlePath', { cause: e });
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    tsconfig: path.join(__dirname, 'console', 'tsconfig.json'),
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'esbuild produced no console bundle');
  return { code, etag: etagOf(code) };
}

function etagOf(code: string): string {
  return `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
}
