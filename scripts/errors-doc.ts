// Writes docs/errors.md from the error catalogue (src/core/errors.ts): per code its HTTP status,
// what it means and what to do. test/unit/errors-catalogue.spec.ts fails when the committed file is
// out of date: run `npm run docs:errors`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_ERROR_CODES, ERROR_CATALOGUE, type ErrorSpec } from '../src/core/errors.js';

/** Where the generated page goes, from the package root. */
export const ERRORS_DOC_FILE = 'docs/errors.md';

/** A table cell: no line breaks, no stray pipes. */
const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

/**
 * The whole of docs/errors.md, from the catalogue (deterministic: catalogue order, no dates).
 *
 * @example
 * writeFileSync('docs/errors.md', renderErrorsDoc());
 */
export function renderErrorsDoc(): string {
  const rows = ALL_ERROR_CODES.map((code) => {
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    return `| [\`${code}\`](#${code.toLowerCase()}) | ${spec.status} | ${cell(spec.description)} |`;
  });
  const sections = ALL_ERROR_CODES.map((code) => {
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    return [
      `### ${code}`,
      '',
      `- **HTTP status:** ${spec.status}`,
      `- **Meaning:** ${spec.description}`,
      `- **What to do:** ${spec.fix}`,
      ...(spec.message === undefined ? [] : [`- **Message:** \`${spec.message}\``]),
      '',
    ].join('\n');
  });
  return [
    '# Errors',
    '',
    '<!-- Generated from src/core/errors.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every error handover raises on purpose is a `HandoverError` with a stable `code` from one catalogue',
    '(`src/core/errors.ts`): per code the HTTP status a client gets, what it means and what to do. Branch',
    'on `code`, never on the message; the message states the fact and the fix, and `details` lists every',
    'problem when there are several (a config check reports them all at once).',
    '',
    '```ts',
    "import { isHandoverError } from 'handover';",
    '',
    'try {',
    "  await service.transfer(conversationId, 'billing');",
    '} catch (e) {',
    "  if (isHandoverError(e, 'HANDOVER_ERR_UNKNOWN_QUEUE')) showQueuePicker();",
    '  else throw e;',
    '}',
    '```',
    '',
    '## How errors reach clients',
    '',
    '- **HTTP** (agent console API, health, the Direct Line endpoints of web chat): the status is the',
    "  code's status below and the body is `{ \"error\": { \"code\": \"HANDOVER_ERR_…\", \"message\": \"…\" } }`.",
    '  A 4xx says what was wrong with the request. A 500 never sends its message: the client gets',
    '  `HANDOVER_ERR_INTERNAL` and the details go to the log (so do the store\'s own words behind a 503).',
    '  `HANDOVER_ERR_TOO_MANY_REQUESTS` (429), `HANDOVER_ERR_STORE_UNAVAILABLE` and `HANDOVER_ERR_BUSY` (503)',
    '  come with `Retry-After` (seconds).',
    '  A refused WebSocket upgrade answers the same way before the socket closes.',
    '- **The web chat widget** (WebSocket): a frame that fails is answered with an error frame',
    '  `{ "type": "error", "code": "HANDOVER_ERR_…", "message": "…", "clientActivityId"?: "…", "retryAfterMs"?: 2000 }`;',
    '  `clientActivityId` names the message it refers to and `retryAfterMs` says when a retry can work.',
    '  Unexpected failures are `HANDOVER_ERR_INTERNAL` with no details.',
    '- **In code and on the command line** (`handover start`, `lint`, `simulate`, `eval`): the error itself,',
    '  with its code; the commands print the message and exit non-zero.',
    '',
    '## Codes',
    '',
    '| Code | HTTP status | Meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
    ...sections,
  ].join('\n');
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', ERRORS_DOC_FILE);
  writeFileSync(file, renderErrorsDoc());
  console.log(`wrote ${ERRORS_DOC_FILE} (${ALL_ERROR_CODES.length} codes)`);
}
