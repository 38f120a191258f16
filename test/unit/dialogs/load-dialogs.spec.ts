import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadDialogs, outOfScopeWarning } from '../../../src/dialogs/load-dialogs.js';
import { parseManifest } from '../../../src/config/load-config.js';
import { isHandoverError } from '../../../src/core/errors.js';

const manifest = parseManifest(JSON.parse(readFileSync('manifest.json', 'utf8')));

describe('dialog and locale loading', () => {
  it('loads the whole Acme Shop domain with every locale complete', () => {
    const c = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    assert.equal(c.dialogs.size, 15);
    assert.deepEqual([...c.locales.keys()].sort(), ['en', 'es', 'pt-BR']);
    const en = Object.keys(c.locales.get('en')!).sort();
    for (const l of ['pt-BR', 'es']) assert.deepEqual(Object.keys(c.locales.get(l)!).sort(), en, `${l} keys differ from en`);
  });

  it('warns when dialogs have no out-of-scope examples beside them (no nlu/out-of-scope.json), naming the locales', () => {
    const shipped = loadDialogs({ dialogsDir: 'dialogs', localesDir: 'locales', manifest });
    assert.equal(outOfScopeWarning(shipped, manifest.locales), undefined, 'the sample ships them for every locale');
    const dir = mkdtempSync(join(tmpdir(), 'handover-no-oos-'));
    try {
      // dialogs/ and locales/ copied, nlu/ not: what a project that moved dialogs/ alone gets
      cpSync('dialogs', join(dir, 'dialogs'), { recursive: true });
      cpSync('locales', join(dir, 'locales'), { recursive: true });
      const bare = loadDialogs({ dialogsDir: join(dir, 'dialogs'), localesDir: join(dir, 'locales'), manifest });
      assert.match(outOfScopeWarning(bare, manifest.locales) ?? '', /^warning: no out-of-scope examples for en, pt-BR, es \(nlu\/out-of-scope\.json beside dialogs\/\)/);
      assert.equal(outOfScopeWarning({ dialogs: new Map(), locales: new Map() }, manifest.locales), undefined, 'no dialogs (a bot of its own): nothing to warn about');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every broken file and missing text at once, naming file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handover-dialogs-'));
    try {
      cpSync('dialogs', join(dir, 'dialogs'), { recursive: true });
      cpSync('locales', join(dir, 'locales'), { recursive: true });
      writeFileSync(join(dir, 'dialogs', 'broken.json'), '{ not json');
      writeFileSync(join(dir, 'dialogs', 'bad.json'), JSON.stringify({ intent: 'Bad Name', queue: 'nowhere', examples: { en: ['x'] }, steps: [{ say: 'missing.key' }] }));
      const es = JSON.parse(readFileSync(join(dir, 'locales', 'es.json'), 'utf8')) as Record<string, unknown>;
      delete es['handoff.notice'];
      writeFileSync(join(dir, 'locales', 'es.json'), JSON.stringify(es));
      try {
        loadDialogs({ dialogsDir: join(dir, 'dialogs'), localesDir: join(dir, 'locales'), manifest });
        assert.fail('should throw');
      } catch (e) {
        assert.ok(isHandoverError(e, 'HANDOVER_ERR_DIALOGS_INVALID'));
        const text = e.details.join('\n');
        assert.match(text, /broken\.json/);
        assert.match(text, /bad\.json: intent: lower_snake_case/);
        assert.match(text, /es\.json: handoff\.notice: missing/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
