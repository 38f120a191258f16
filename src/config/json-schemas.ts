/**
 * JSON Schemas of manifest.json and of a dialog file, generated from the zod schemas.
 *
 * @example
 * renderSchemas()['schemas/manifest.schema.json']; // the JSON text
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import { ManifestSchema } from './manifest-schema.js';
import { DialogSpecSchema } from '../dialogs/dialog-spec.js';

export function renderSchemas(): Record<string, string> {
  const render = (schema: Parameters<typeof zodToJsonSchema>[0], name: string) =>
    `${JSON.stringify(zodToJsonSchema(schema, { name, $refStrategy: 'none' }), null, 2)}\n`;
  return {
    'schemas/manifest.schema.json': render(ManifestSchema, 'HandoverManifest'),
    'schemas/dialog.schema.json': render(DialogSpecSchema, 'HandoverDialog'),
  };
}
