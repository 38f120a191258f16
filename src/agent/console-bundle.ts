/**
 * Builds the console page script (`console/main.ts`) into one browser bundle with esbuild, in
 * memory, once per process — like the web chat widget, so a fresh clone needs no build step.
 * Pass `prebuiltPath` when esbuild is not installed (production install without devDependencies).
 *
 * @example
 * const { code, etag } = await buildConsoleBundle();
 */
import path from 'node:path';
import { buildBrowserBundle, type BrowserBundle } from '../server/browser-bundle.js';

/**
 * The bundled console script and its ETag.
 *
 * @example
 * const { code, etag }: ConsoleBundle = await buildConsoleBundle();
 */
export type ConsoleBundle = BrowserBundle;

/**
 * Builds (or reads) the console script; throws `HANDOVER_ERR_CONFIG_INVALID` when it cannot.
 *
 * @example
 * const bundle = await buildConsoleBundle({ prebuiltPath: 'dist/console.js' });
 */
export async function buildConsoleBundle(opts: { prebuiltPath?: string } = {}): Promise<ConsoleBundle> {
  return buildBrowserBundle({ dir: path.join(__dirname, 'console'), what: 'console', pathOption: 'consoleBundlePath', ...opts });
}
