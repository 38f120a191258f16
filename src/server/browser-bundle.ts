/**
 * Bundles a folder of browser TypeScript (the web chat widget, the agent console) into one script
 * with esbuild, in memory at start, so a fresh clone serves it with no build step; or serves a
 * prebuilt file for installs without esbuild: `npm run build` writes `bundle.js` into the folder's
 * place under dist/ (scripts/build.mjs), which the installed package serves. The ETag is a hash
 * of the code.
 *
 * @example
 * const widget = await buildBrowserBundle({ dir: join(__dirname, 'widget'), what: 'widget', pathOption: 'widgetBundlePath' });
 * res.setHeader('etag', widget.etag); res.end(widget.code);
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HandoverError } from '../core/errors.js';

export interface BrowserBundle {
  readonly code: string;
  readonly etag: string;
}

export async function buildBrowserBundle(opts: {
  /** Folder holding main.ts and its tsconfig.json (sources), or bundle.js (under dist/, made by the build). */
  readonly dir: string;
  /** What it is, for error messages ("widget", "console"). */
  readonly what: string;
  /** The option that supplies a prebuilt file instead, for error messages. */
  readonly pathOption: string;
  readonly prebuiltPath?: string;
}): Promise<BrowserBundle> {
  if (opts.prebuiltPath !== undefined) {
    const code = await readFile(opts.prebuiltPath, 'utf8');
    return { code, etag: etagOf(code) };
  }
  // From the TypeScript sources (tsx, tests) esbuild bundles main.ts; the built package (dist/)
  // has the bundle the build made, so it needs no esbuild (a devDependency).
  const entry = path.join(opts.dir, 'main.ts');
  if (!existsSync(entry)) {
    const built = path.join(opts.dir, 'bundle.js');
    if (!existsSync(built)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `${opts.what} sources not found in ${opts.dir} (neither main.ts nor a built bundle.js): pass ${opts.pathOption}`);
    const code = await readFile(built, 'utf8');
    return { code, etag: etagOf(code) };
  }
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `esbuild is not installed: install devDependencies or pass ${opts.pathOption}`, { cause: e });
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
    tsconfig: path.join(opts.dir, 'tsconfig.json'),
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `esbuild produced no ${opts.what} bundle`);
  return { code, etag: etagOf(code) };
}

function etagOf(code: string): string {
  return `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
}
