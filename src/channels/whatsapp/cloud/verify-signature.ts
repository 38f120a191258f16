import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` header: HMAC-SHA256 of the raw request bytes with
 * the app secret, compared in constant time. Always verify the bytes exactly as received — Meta signs
 * its own escaping of the JSON, so a re-serialized object would not match.
 *
 * @example
 * verifyHubSignature(rawBody, req.headers['x-hub-signature-256'], process.env.WHATSAPP_APP_SECRET!); // true | false
 */
export function verifyHubSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = header.slice('sha256='.length).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
