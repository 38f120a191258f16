/**
 * Reads a request body of raw bytes (a file an agent sends) up to a limit: HANDOVER_ERR_PAYLOAD_TOO_LARGE
 * (413) as soon as it passes it — a declared Content-Length over it is refused without reading.
 *
 * @example
 * const bytes = await readFileBody(req, 5 * 1024 * 1024);
 */
import type { IncomingMessage } from 'node:http';
import { HandoverError } from '../core/errors.js';

export async function readFileBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const tooLarge = (): HandoverError => new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `the file is larger than ${limitBytes} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limitBytes) {
        // discard the rest; give up on a sender that never stops
        if (size > limitBytes * 2) req.destroy();
        continue;
      }
      chunks.push(buf);
    }
  } catch (cause) {
    if (size > limitBytes) throw tooLarge();
    throw new HandoverError('HANDOVER_ERR_REQUEST_TIMEOUT', 'the connection closed before the file was complete', { cause });
  }
  if (size > limitBytes) throw tooLarge();
  return Buffer.concat(chunks);
}
