/**
 * The JSON Schema of a scenario file (schemas/scenario.schema.json), generated from the zod schema
 * `simulate` validates with (`npm run schemas`); editors validate a file carrying
 * `"$schema": "../schemas/scenario.schema.json"` as it is typed. Not loaded by the command itself.
 *
 * @example
 * renderScenarioSchema(); // the JSON text of schemas/scenario.schema.json
 */
import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { ScenarioSchema } from './scenario.js';

export const SCENARIO_SCHEMA_FILE = 'schemas/scenario.schema.json';

export function renderScenarioSchema(): string {
  const file = z.union([ScenarioSchema, z.array(ScenarioSchema).min(1)]).describe('A handover scenario: one object, or an array of them (see the README, "Scenarios").');
  return `${JSON.stringify(zodToJsonSchema(file, { name: 'HandoverScenarioFile', $refStrategy: 'none' }), null, 2)}\n`;
}
