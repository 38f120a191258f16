/**
 * JSON Schemas of manifest.json, of a dialog file and of nlu/out-of-scope.json, generated from the zod schemas.
 *
 * @example
 * renderSchemas()['schemas/manifest.schema.json']; // the JSON text
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import { ManifestSchema } from './manifest-schema.js';
import { DialogSpecSchema, OutOfScopeSchema } from '../dialogs/dialog-spec.js';

export function renderSchemas(): Record<string, string> {
  const render = (schema: Parameters<typeof zodToJsonSchema>[0], name: string) =>
    `${JSON.stringify(zodToJsonSchema(schema, { name, $refStrategy: 'none' }), null, 2)}\n`;
  return {
    'schemas/manifest.schema.json': render(ManifestSchema, 'HandoverManifest'),
    'schemas/dialog.schema.json': render(DialogSpecSchema, 'HandoverDialog'),
    'schemas/out-of-scope.schema.json': render(OutOfScopeSchema, 'HandoverOutOfScope'),
  };
}
