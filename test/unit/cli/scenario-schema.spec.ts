import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { renderScenarioSchema, SCENARIO_SCHEMA_FILE } from '../../../src/cli/simulate-scenario-schema.js';
import { ScenarioSchema, scenarioProblems, unknownFields } from '../../../src/cli/scenario.js';
import { DialogSpecSchema } from '../../../src/dialogs/dialog-spec.js';

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const filesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
const ajv = new Ajv({ allErrors: true, strict: false });

describe('JSON Schema of scenario files (schemas/scenario.schema.json)', () => {
  const validate = ajv.compile(json(SCENARIO_SCHEMA_FILE) as object);
  const scenarioFiles = [...filesIn('test/scenarios'), ...filesIn('../shared/scenarios')];
  const good = { $schema: '../schemas/scenario.schema.json', name: 'hello', locale: 'en', customer: { id: 'c-1' }, turns: [{ at: 0, text: 'hi' }], expect: { handoff: null } };

  it('is the one generated from the zod schema simulate uses (npm run schemas)', () => {
    assert.equal(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8'), renderScenarioSchema());
  });

  it('accepts every scenario file of the repository and of the shared spec, as simulate does', () => {
    assert.ok(scenarioFiles.length >= 5, scenarioFiles.join(', '));
    for (const f of scenarioFiles) {
      const raw = json(f);
      assert.ok(validate(raw), `${f}: ${ajv.errorsText(validate.errors)}`);
      for (const s of Array.isArray(raw) ? raw : [raw]) {
        assert.deepEqual(scenarioProblems(s), [], f);
        assert.deepEqual(unknownFields(s), [], f);
      }
    }
  });

  it('refuses what simulate refuses, and takes "$schema"', () => {
    assert.ok(validate(good), ajv.errorsText(validate.errors));
    assert.ok(validate([good, good]));
    const bad: [string, unknown][] = [
      ['locale', { ...good, locale: 'fr' }],
      ['reason', { ...good, expect: { handoff: { turn: 1, reason: 'custmer_request', queue: 'support' } } }],
      ['turn 0', { ...good, expect: { handoff: { turn: 0, reason: 'cost', queue: 'support' } } }],
      ['no queue', { ...good, expect: { handoff: { turn: 1, reason: 'cost' } } }],
      ['at', { ...good, turns: [{ at: '5', text: 'hi' }] }],
      ['no turns', { ...good, turns: [] }],
      ['no customer id', { ...good, customer: {} }],
      ['tier', { ...good, customer: { id: 'c', tier: 'gold' } }],
      ['empty array', []],
    ];
    for (const [what, raw] of bad) {
      assert.equal(validate(raw), false, `schema accepts ${what}`);
      if (!Array.isArray(raw)) assert.equal(ScenarioSchema.safeParse(raw).success, false, `zod accepts ${what}`);
    }
  });

  it('marks a misspelt field, which simulate warns about', () => {
    const typo = { ...good, expcet: { handoff: null } };
    assert.equal(validate(typo), false);
    assert.deepEqual(unknownFields(typo), ['expcet: unknown field, ignored — did you mean "expect"?']);
  });
});

describe('JSON Schema of dialog files (schemas/dialog.schema.json)', () => {
  it('accepts every dialog of the sample bot, as the loader does', () => {
    const validate = ajv.compile(json('schemas/dialog.schema.json') as object);
    for (const f of filesIn('dialogs')) {
      const raw = json(f);
      assert.ok(validate(raw), `${f}: ${ajv.errorsText(validate.errors)}`);
      assert.ok(DialogSpecSchema.safeParse(raw).success, f);
    }
    const one = json('dialogs/order_status.json') as Record<string, unknown>;
    assert.equal(validate({ ...one, steps: [{ sya: 'order_status.answer' }] }), false);
    assert.equal(validate({ ...one, queue: 'Not A Queue' }), false);
  });
});
