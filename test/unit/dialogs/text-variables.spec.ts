import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { SYSTEM_KEYS, TEXT_VARIABLES } from '../../../src/dialogs/load-dialogs.js';

/** Every .ts file under dir. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Per text key of locales/en.json rendered by the code: the variable names its calls pass — the
 * object literal (or arrow returning one) right after the key, as in render(locale, 'handoff.notice',
 * { queue, wait }), tellCustomer(s, id, 'handoff.resolved', { agent }, …), notifyCustomer(id, key, (l) => ({ … })).
 */
function renderedByCode(keys: ReadonlySet<string>): Map<string, { names: Set<string>; dynamic: boolean; at: string[] }> {
  const found = new Map<string, { names: Set<string>; dynamic: boolean; at: string[] }>();
  for (const file of sources('src')) {
    if (file.includes(`${join('src', 'dialogs', 'load-dialogs.ts')}`)) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        node.arguments.forEach((arg, i) => {
          if (!ts.isStringLiteral(arg) || !keys.has(arg.text)) return;
          const entry = found.get(arg.text) ?? { names: new Set<string>(), dynamic: false, at: [] };
          found.set(arg.text, entry);
          entry.at.push(`${file}:${sf.getLineAndCharacterOfPosition(arg.getStart()).line + 1}`);
          let next: ts.Node | undefined = node.arguments[i + 1];
          if (next === undefined) return;
          if (ts.isArrowFunction(next)) next = next.body;
          while (next !== undefined && ts.isParenthesizedExpression(next)) next = next.expression;
          if (next === undefined || !ts.isObjectLiteralExpression(next)) {
            // a string (a kind, a label) is no variables; anything else cannot be read here
            if (next !== undefined && !ts.isStringLiteral(next)) entry.dynamic = true;
            return;
          }
          for (const p of next.properties) {
            if (ts.isSpreadAssignment(p)) entry.dynamic = true;
            else if (p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) entry.names.add(p.name.text);
            else entry.dynamic = true;
          }
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('text variables (what lint checks placeholders against)', () => {
  const en = JSON.parse(readFileSync('locales/en.json', 'utf8')) as Record<string, unknown>;
  const keys = new Set(Object.keys(en).filter((k) => !k.startsWith('queue.') && !k.startsWith('value.')));
  const found = renderedByCode(keys);

  it('finds the calls that render texts (the scan works)', () => {
    assert.deepEqual([...(found.get('handoff.notice')?.names ?? [])].sort(), ['queue', 'wait']);
    assert.deepEqual([...(found.get('handoff.callback_moved')?.names ?? [])].sort(), ['previous', 'time']);
    assert.ok(found.size >= 15, `only ${found.size} keys found`);
  });

  it('TEXT_VARIABLES names exactly the variables every call passes, for every text the code renders', () => {
    const wrong: string[] = [];
    for (const [key, { names, dynamic, at }] of found) {
      const declared = TEXT_VARIABLES[key];
      if (declared === undefined) {
        wrong.push(`${key} (rendered at ${at.join(', ')} with ${[...names].join(', ') || 'no values'}) is missing from TEXT_VARIABLES in src/dialogs/load-dialogs.ts`);
        continue;
      }
      if (dynamic) continue;
      const d = [...declared].sort().join(', ');
      const n = [...names].sort().join(', ');
      if (d !== n) wrong.push(`${key}: TEXT_VARIABLES says [${d}], the code (${at.join(', ')}) passes [${n}]`);
    }
    assert.deepEqual(wrong, []);
  });

  it('every text the middleware needs has its variables declared', () => {
    for (const k of SYSTEM_KEYS) assert.ok(TEXT_VARIABLES[k] !== undefined, k);
  });
});
