/**
 * The package as a bot developer gets it, made once per test run: `npm pack` (after a build when
 * src/ is newer than dist/), the tarball unpacked into a fresh project's node_modules/handover, and
 * each of its `dependencies` linked from this repository's node_modules (their own dependencies
 * resolve from there). Only the declared dependencies are visible to the package, so a runtime
 * import of a devDependency (tsx, esbuild, typescript) or of an undeclared package fails there.
 * Offline. Removed when the test process exits.
 *
 * @example
 * const pkg = packedPackage();                       // { tmp, app, tarball, files, dependencies }
 * linkFromRepo(join(pkg.app, 'node_modules'), '@types/node');
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const repo = resolve(__dirname, '..', '..');

/**
 * The environment of the children that run the installed package: plain node (no tsx or mocha
 * loader inherited), the memory store, and the sample bot's trained model from this repository's
 * cache when a run has made it (keyed by the examples and the model version).
 */
export const packageEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', REDIS_URL: '', HANDOVER_NLU_CACHE: join(repo, 'node_modules', '.cache', 'handover-nlu') };

/** The child's stdout; fails with its status, stdout and stderr when it did not exit 0. */
export function check(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The same rule as bin/handover.cjs: dist/ is current when no file of src/ is newer than its build. */
export function distIsCurrent(): boolean {
  const stamp = join(repo, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > built));
  return !newer(join(repo, 'src'));
}

/** `npm run build` when src/ changed since dist/ was built (CI has just built, so usually nothing). */
export function buildIfStale(): void {
  if (!distIsCurrent()) check(spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8', env: packageEnv }), 'npm run build');
}

/** Links `name` (e.g. `botbuilder`, `@types/node`) from this repository's node_modules into `nodeModules`. */
export function linkFromRepo(nodeModules: string, name: string): void {
  const target = join(repo, 'node_modules', name);
  assert.ok(existsSync(target), `${name} is installed in this repository`);
  const link = join(nodeModules, name);
  if (existsSync(link)) return;
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, 'junction');
}

/** The packed and installed package. */
export interface PackedPackage {
  /** The temporary folder holding the tarball and `app`. */
  readonly tmp: string;
  /** The project that installed it: `app/node_modules/handover` and its dependencies. */
  readonly app: string;
  readonly tarball: string;
  /** Every path in the tarball. */
  readonly files: readonly string[];
  /** The package's declared `dependencies`, each linked into `app/node_modules`. */
  readonly dependencies: readonly string[];
}

let packed: PackedPackage | undefined;

/** Packs and installs the package on first call (builds first when dist/ is stale); later calls reuse it. */
export function packedPackage(): PackedPackage {
  if (packed !== undefined) return packed;
  buildIfStale();
  const tmp = mkdtempSync(join(tmpdir(), 'handover-pack-'));
  process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const out = JSON.parse(check(spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: repo, encoding: 'utf8', env: packageEnv }), 'npm pack')) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(tmp, out[0]!.filename);
  // "install": unpack into node_modules/handover, link the declared dependencies
  const app = join(tmp, 'app');
  const pkgDir = join(app, 'node_modules', 'handover');
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-bot', private: true, dependencies: { handover: `file:../${out[0]!.filename}` } }));
  check(spawnSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], { encoding: 'utf8' }), 'tar');
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const dependencies = Object.keys(manifest.dependencies);
  for (const dep of dependencies) linkFromRepo(join(app, 'node_modules'), dep);
  packed = { tmp, app, tarball, files: out[0]!.files.map((f) => f.path), dependencies };
  return packed;
}
