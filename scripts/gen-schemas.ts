// Writes schemas/manifest.schema.json and schemas/dialog.schema.json from the zod schemas, so
// editors validate manifest.json and dialogs/*.json as designers type. A unit test fails when the
// committed files are out of date: run `npm run schemas`.
import { writeFileSync } from 'node:fs';
import { renderSchemas } from '../src/config/json-schemas.js';

for (const [file, schema] of Object.entries(renderSchemas())) writeFileSync(file, schema);
