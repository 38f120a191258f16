import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HandoverError } from '../../core/errors.js';

/** The bundled widget script and its ETag. */
export interface WidgetBundle {
  readonly code: string;
  readonly etag: string;
}

/**
 * Builds `widget/main.ts` into one browser script with esbuild, in memory, once per process
 * (about 100 ms) — so a fresh clone serves the widget with no build step. When esbuild is not
 * installed (a production install without devDependencies) pass `prebuiltPath` to a file made
 * at package build time.
 *
 * @example
 * const { code, etag } = await buildWidgetBundle();
 */
export async function buildWidgetBundle(opts: { prebuiltPath?: string } = {}): Promise<WidgetBundle> {
  if (opts.prebuiltPath !== undefined) {
    const code = await readFile(opts.prebuiltPath, 'utf8');
    return { code, etag: etagOf(code) };
  }
  // Works from the TypeScript sources (tsx, tests) and from tsc's output in dist/ alike.
  const entry = ['main.ts', 'main.js'].map((f) => path.join(__dirname, 'widget', f)).find((f) => existsSync(f));
  if (entry === undefined) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `Widget sources not found next to ${__dirname}: pass widgetBundlePath`);
  }
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'esbuild is not installed: install devDependencies or pass widgetBundlePath', { cause: e });
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
    tsconfig: path.join(__dirname, 'widget', 'tsconfig.json'),
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'esbuild produced no widget bundle');
  return { code, etag: etagOf(code) };
}

function etagOf(code: string): string {
  return `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
}
