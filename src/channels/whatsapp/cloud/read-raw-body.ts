import type { IncomingMessage } from 'node:http';

/** Outcome of {@link readRawBody}. */
export type RawBodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too_large'; readonly bytesRead: number }
  | { readonly ok: false; readonly reason: 'aborted'; readonly bytesRead: number };

/**
 * Reads a request body as raw bytes (the signature is over the bytes), stopping as soon as it passes
 * `limitBytes`: a 50 MB body is refused after ~1 MB is read, not after buffering it all. On refusal the
 * request stream is paused and detached; the caller answers 413 and closes the connection.
 *
 * @example
 * const r = await readRawBody(req, 1024 * 1024);
 * if (!r.ok) { res.writeHead(413).end(); return; }
 */
export function readRawBody(req: IncomingMessage, limitBytes: number): Promise<RawBodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytesRead = 0;
    let settled = false;
    const finish = (r: RawBodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('aborted', onAbort);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      bytesRead += chunk.length;
      if (bytesRead > limitBytes) {
        req.pause();
        chunks.length = 0; // let the partial body be collected now
        finish({ ok: false, reason: 'too_large', bytesRead });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, bytesRead) });
    const onAbort = (): void => finish({ ok: false, reason: 'aborted', bytesRead });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('aborted', onAbort);
  });
}
