/**
 * Agents send an image or a document to a WhatsApp customer through the console API
 * (`POST /api/conversations/{id}/files`): kept in the shared store, uploaded to Graph's
 * `/<phone-number-id>/media` (multipart, checked against Meta's documented upload format by the
 * fake) and sent as an image / document message by media id inside the 24-hour window; outside it
 * nothing is sent and the agent gets a note. The real `handover start --whatsapp-cloud`; only Meta is fake.
 */
import assert from 'node:assert/strict';
import { apiCall, conversationPath, nextEvent, signIn } from '../../support/agent-service.js';
import { solidPng, startWhatsAppCloudService, type WhatsAppCloudService } from '../../support/whatsapp-cloud-service.js';

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function postFile(w: WhatsAppCloudService, cookie: string, bytes: Buffer, contentType: string, name: string, caption?: string, id = w.conversationId): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${w.t.base}${conversationPath(id, 'files')}${caption === undefined ? '' : `?caption=${encodeURIComponent(caption)}`}`, {
    method: 'POST',
    headers: { cookie, 'content-type': contentType, 'x-file-name': encodeURIComponent(name), origin: w.t.base },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('agents send files to WhatsApp customers (Cloud API)', function () {
  this.timeout(60_000);
  let w: WhatsAppCloudService;
  let cookie: string;

  beforeEach(async () => {
    w = await startWhatsAppCloudService();
    const requested = nextEvent(w.t, (e) => e.type === 'handoff.requested' && e.conversationId === w.conversationId);
    await w.customer({ type: 'text', text: { body: 'I want to talk to a real person' } });
    await requested;
    cookie = await signIn(w.t.base, 'ana');
    const accepted = await apiCall(w.t.base, 'POST', conversationPath(w.conversationId, 'accept'), { cookie, body: {}, headers: { Origin: w.t.base } });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
  });
  afterEach(async () => {
    await w.close();
  });

  it('a photo goes up to /media (multipart, as Meta documents) and out as an image message with its caption; a PDF as a document with its name', async () => {
    const png = solidPng(30, 20);
    const r = await postFile(w, cookie, png, 'image/png', 'return label ✓.png', 'Your return label');
    assert.equal(r.status, 202, JSON.stringify(r.json));
    assert.deepEqual(r.json['file'], { name: 'return label ✓.png', contentType: 'image/png', size: png.length, kind: 'image' });
    const image = await until('the image message', () => w.graph.delivered.find((d) => d['type'] === 'image'));
    assert.equal(w.graph.uploads.length, 1);
    const up = w.graph.uploads[0]!;
    assert.equal(up.mimeType, 'image/png');
    assert.equal(up.filename, 'return label ✓.png');
    assert.ok(up.bytes.equals(png), 'the bytes Meta got are the file');
    assert.deepEqual(image, { messaging_product: 'whatsapp', recipient_type: 'individual', to: w.waId, type: 'image', image: { id: up.id, caption: 'Your return label' } });

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    assert.equal((await postFile(w, cookie, pdf, 'application/pdf', 'invoice-K48213.pdf')).status, 202);
    const doc = await until('the document message', () => w.graph.delivered.find((d) => d['type'] === 'document'));
    assert.deepEqual(doc['document'], { id: w.graph.uploads[1]!.id, filename: 'invoice-K48213.pdf' });
    assert.deepEqual(w.graph.violations, [], 'every request matched Meta\'s formats');

    // the agent's lines say what was sent; the files are not kept once sent
    const lines = (await w.t.svc.stores.transcripts.read(w.conversationId as never)).filter((e) => e.from === 'agent');
    assert.deepEqual(lines.map((e) => e.text), ['📎 return label ✓.png: Your return label', '📎 invoice-K48213.pdf']);
    assert.deepEqual((lines[0]!.meta?.['attachments'] as unknown[])[0], { contentType: 'image/png', name: 'return label ✓.png', url: null });
  });

  it('refuses a type WhatsApp does not take (400) and an image over 5 MB (413) without uploading anything', async () => {
    const gif = await postFile(w, cookie, Buffer.from('GIF89a....'), 'image/gif', 'cat.gif');
    assert.equal(gif.status, 400);
    assert.match(String((gif.json['error'] as { message?: string } | undefined)?.message ?? JSON.stringify(gif.json)), /JPEG or PNG image, or a PDF/);
    const big = await postFile(w, cookie, Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'image/png', 'huge.png');
    assert.equal(big.status, 413);
    const notWhatsApp = await postFile(w, cookie, solidPng(2, 2), 'image/png', 'a.png', undefined, 'webchat:abc');
    assert.equal(notWhatsApp.status, 400);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(w.graph.uploads.length, 0);
    assert.equal(w.graph.delivered.filter((d) => d['type'] === 'image').length, 0);
  });

  it('outside the 24-hour window nothing is sent and the agent is told in the transcript', async () => {
    // the customer last wrote 25 hours ago
    const key = `whatsapp-cloud:000000000000000:conv:${w.waId}`;
    const doc = await w.t.svc.stores.documents.read<{ lastInboundAt: number }>(key);
    assert.ok(doc !== undefined);
    await w.t.svc.stores.documents.write(key, { ...doc.value, lastInboundAt: Date.now() - 25 * 3_600_000 }, doc.eTag);
    assert.equal((await postFile(w, cookie, solidPng(4, 4), 'image/png', 'label.png')).status, 202);
    const note = await until('the note', async () =>
      (await w.t.svc.stores.transcripts.read(w.conversationId as never)).find((e) => e.meta?.['name'] === 'whatsapp.file_not_sent'),
    );
    assert.equal(note.text, 'The 24-hour window is closed: label.png was not sent (files are not held); send it again once the customer writes');
    assert.equal(note.meta?.['reason'], 'window_closed');
    assert.equal(w.graph.uploads.length, 0);
    assert.equal(w.graph.delivered.filter((d) => d['type'] === 'image' || d['type'] === 'template').length, 0, 'no image, and no template for a file');
  });
});
