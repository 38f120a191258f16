/**
 * Reads a request body of raw bytes (a file an agent sends) up to a limit: HANDOVER_ERR_PAYLOAD_TOO_LARGE
 * (413) as soon as it passes it — a declared Content-Length over it is refused without reading.
 *
 * @example
 * const bytes = await readFileBody(req, 5 * 1024 * 1024);
 */
import type { IncomingMessage } from 'node:http';
import { readBodyBytes } from '../server/http-json.js';

export function readFileBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return readBodyBytes(req, limitBytes, 'the file');
}
