import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import type { Manifest, Policy } from '../../../src/core/manifest.js';
import { ManifestSchema, PolicySchema, type ParsedManifestIsTheDomainManifest } from '../../../src/config/manifest-schema.js';
import type { SameShape } from '../../../src/config/same-shape.js';
import { evaluate } from '../../../src/policy/evaluate.js';

/*
 * The domain's hand-written manifest types (src/core/manifest.ts) and what the zod schema parses
 * (src/config/manifest-schema.ts) cannot drift: manifest-schema.ts states `SameShape<z.infer<typeof
 * ManifestSchema>, Manifest>` as a type that must be `true`, so `tsc --noEmit -p .` (CI's type-check,
 * which covers test/) fails as soon as a field is in one and not the other. The lines below fail that
 * same type-check if the proof or the checker stop working; the `it`s run the compiler on a drifted
 * copy of core/manifest.ts and see the proof fail.
 */
const proof: ParsedManifestIsTheDomainManifest = true;
// @ts-expect-error an optional field the schema does not have is drift too
const optionalField: SameShape<Manifest & { readonly extra?: string }, Manifest> = true;
// @ts-expect-error a nested field typed differently
const retyped: SameShape<Omit<Manifest, 'callbacks'> & { readonly callbacks: Omit<Manifest['callbacks'], 'priority'> & { readonly priority: string } }, Manifest> = true;
const readonlyAside: SameShape<{ a: [string, string][]; b?: number | undefined }, { readonly a: readonly (readonly [string, string])[]; readonly b?: number }> = true;

const repo = resolve(__dirname, '..', '..', '..');
const schemaFile = resolve(repo, 'src/config/manifest-schema.ts');
const domainFile = resolve(repo, 'src/core/manifest.ts');

/** tsc's errors in manifest-schema.ts, with core/manifest.ts replaced by `domainText`. */
function schemaErrors(domainText: string, oldProgram?: ts.Program): { errors: string[]; program: ts.Program } {
  const parsed = ts.getParsedCommandLineOfConfigFile(resolve(repo, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  assert.ok(parsed !== undefined, 'tsconfig.json');
  // no @types/node nor DOM: the schema and the domain need neither, and the check runs in a few seconds
  const options = { ...parsed.options, noEmit: true, types: [], lib: ['lib.es2022.d.ts'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, fresh) =>
    resolve(name) === domainFile ? ts.createSourceFile(name, domainText, lang) : getSourceFile(name, lang, onError, fresh);
  const program = ts.createProgram({ rootNames: [schemaFile], options, host, ...(oldProgram === undefined ? {} : { oldProgram }) });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => `${d.file === undefined ? '' : `${d.file.fileName}: `}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  return { errors, program };
}

describe('manifest types: the domain and the schema are one shape', () => {
  it('a parsed manifest is used as the domain Manifest, defaults filled in', () => {
    const shipped: unknown = JSON.parse(readFileSync(resolve(repo, 'manifest.json'), 'utf8'));
    const m: Manifest = ManifestSchema.parse(shipped);
    const policy: Policy = PolicySchema.parse({});
    assert.equal(policy.stalled.afterSeconds, 90);
    assert.equal(m.callbacks.priority, 8);
    assert.equal(evaluate(policy, []).handoff, false);
  });

  it('tsc fails on the proof when core/manifest.ts gains a field the schema lacks, and passes on the real one', function () {
    this.timeout(120_000); // two type-checks of the schema and everything it imports
    const real = readFileSync(domainFile, 'utf8');
    const clean = schemaErrors(real);
    assert.deepEqual(clean.errors, []);
    const marker = 'export interface CallbacksConfig {\n';
    assert.ok(real.includes(marker), 'core/manifest.ts declares CallbacksConfig');
    const drifted = schemaErrors(real.replace(marker, `${marker}  readonly reminderMinutes?: number;\n`), clean.program);
    assert.equal(drifted.errors.length, 1, drifted.errors.join('\n'));
    assert.match(drifted.errors[0]!, /manifest-schema\.ts: Type 'false' does not satisfy the constraint 'true'/);
  });
});
