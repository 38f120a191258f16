/**
 * Streams a large body (`mebibytes` chunks of 1 MiB) to a URL and reports how it ended, so a test
 * can prove a server refuses a huge body early without the client producing all of it.
 *
 * @example
 * const { outcome, produced } = await streamUpload(`${url}/webhooks/whatsapp`, 50, { 'x-hub-signature-256': 'sha256=00' });
 * assert.ok(outcome.status === 413 || outcome.error === 'ECONNRESET');
 * assert.ok(produced < 50);
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';

export interface UploadOutcome {
  readonly status?: number;
  readonly error?: string;
}

export async function streamUpload(url: string, mebibytes: number, headers: Record<string, string>): Promise<{ outcome: UploadOutcome; produced: number }> {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  let produced = 0;
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < mebibytes; i++) {
        produced += 1;
        yield chunk;
      }
    })(),
  );
  const outcome = await new Promise<UploadOutcome>((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? String(e) }));
    body.pipe(req);
  });
  body.destroy();
  return { outcome, produced };
}
