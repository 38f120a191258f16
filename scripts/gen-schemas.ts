// Writes schemas/manifest.schema.json, schemas/dialog.schema.json, schemas/out-of-scope.schema.json
// and schemas/scenario.schema.json from the zod schemas, so editors validate manifest.json,
// dialogs/*.json and scenario files as designers type. Unit tests fail when the committed files are
// out of date: run `npm run schemas`.
import { writeFileSync } from 'node:fs';
import { renderSchemas } from '../src/config/json-schemas.js';
import { renderScenarioSchema, SCENARIO_SCHEMA_FILE } from '../src/cli/simulate-scenario-schema.js';

for (const [file, schema] of Object.entries(renderSchemas())) writeFileSync(file, schema);
writeFileSync(SCENARIO_SCHEMA_FILE, renderScenarioSchema());
