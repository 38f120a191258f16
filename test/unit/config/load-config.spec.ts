import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig, parseManifest } from '../../../src/config/load-config.js';
import { isHandoverError } from '../../../src/core/errors.js';
import { renderSchemas } from '../../../src/config/json-schemas.js';

const shipped = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;

describe('manifest validation', () => {
  it('accepts the shipped manifest and freezes it', () => {
    const m = parseManifest(shipped);
    assert.equal(m.policy.lowConfidence.below, 0.6);
    assert.equal(m.policy.cost.humanContactUsd, 1.4);
    assert.ok(Object.isFrozen(m.policy.cost));
  });

  it('reports every problem at once, each naming its field', () => {
    const bad = {
      ...shipped,
      name: 'Not Valid',
      defaultLocale: 'es',
      locales: ['en'],
      policy: { ...(shipped.policy as object), lowConfidence: { below: 1.5 }, authFailed: { queue: 'nowhere' }, surprise: 1 },
    };
    try {
      parseManifest(bad);
      assert.fail('should throw');
    } catch (e) {
      assert.ok(isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
      const text = e.details.join('\n');
      assert.match(text, /manifest\.json: name:/);
      assert.match(text, /policy\.lowConfidence\.below/);
      assert.match(text, /policy: Unrecognized key\(s\) in object: 'surprise'/);
      assert.ok(e.details.length >= 3, text);
    }
  });

  it('validates the NLU bands per locale: accept above confirm, both in [0, 1]', () => {
    const nlu = { bands: { default: { accept: 0.7, confirm: 0.4 }, 'pt-BR': { accept: 0.5, confirm: 0.5 }, es: { accept: 1.2, confirm: 0.3 } }, interruptAbove: 0.9 };
    try {
      parseManifest({ ...shipped, nlu });
      assert.fail('should throw');
    } catch (e) {
      assert.ok(isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID'));
      const text = e.details.join('\n');
      assert.match(text, /nlu\.bands\.pt-BR: accept must be above confirm/);
      assert.match(text, /nlu\.bands\.es\.accept/);
    }
    assert.throws(() => parseManifest({ ...shipped, nlu: { fallbackBelow: 0.6 } }), /nlu: Unrecognized key/);
    const m = parseManifest({ ...shipped, nlu: { bands: { es: { accept: 0.8, confirm: 0.5 } } } });
    assert.deepEqual(m.nlu.bands.default, { accept: 0.7, confirm: 0.4 });
  });

  it('checks the environment: REDIS_URL and PORT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handover-'));
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(shipped));
    assert.equal(loadConfig(file, {}).store, 'memory');
    assert.equal(loadConfig(file, { REDIS_URL: 'redis://127.0.0.1:6379' }).store, 'redis://127.0.0.1:6379');
    assert.throws(() => loadConfig(file, { REDIS_URL: 'mysql://x', PORT: 'abc' }), (e: unknown) => isHandoverError(e) && e.details.length === 2);
    writeFileSync(file, '{ nope');
    assert.throws(() => loadConfig(file, {}), /not valid JSON/);
    assert.throws(() => loadConfig(join(dir, 'missing.json'), {}), /cannot read/);
  });

  it('ships JSON Schemas that match the zod schemas (run `npm run schemas` after a change)', () => {
    for (const [file, text] of Object.entries(renderSchemas())) assert.equal(readFileSync(file, 'utf8'), text, `${file} is stale`);
  });
});
