/**
 * Web chat upload limits (issue 16): defaults, the environment, size / type / signature checks and
 * the multipart reader, against bodies serialised by undici's own FormData (what browsers and
 * botframework-directlinejs send).
 */
import assert from 'node:assert/strict';
import { HandoverError } from '../../../src/core/errors.js';
import { checkUploadFile, parseMultipart, readUpload, uploadLimits, uploadLimitsFromEnv, DEFAULT_UPLOAD_MAX_BYTES } from '../../../src/channels/webchat/customer-uploads.js';
import { multipart } from '../../support/multipart.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
const PDF = Buffer.from('%PDF-1.4\n% invoice\n');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof HandoverError ? e.code : 'not a HandoverError';
  }
  return undefined;
}


describe('web chat uploads: limits', () => {
  const limits = uploadLimits({ maxBytes: 1024 });

  it('defaults: 10 MB, 4 files, images, PDF and office documents; the environment can change size and types', () => {
    const d = uploadLimits();
    assert.equal(d.maxBytes, DEFAULT_UPLOAD_MAX_BYTES);
    assert.equal(d.maxBytes, 10 * 1024 * 1024);
    assert.equal(d.maxFiles, 4);
    for (const t of ['image/jpeg', 'image/png', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']) assert.ok(d.allowedTypes.includes(t), t);
    for (const t of ['application/x-msdownload', 'text/html', 'image/svg+xml', 'application/javascript']) assert.ok(!d.allowedTypes.includes(t), t);
    assert.deepEqual(uploadLimitsFromEnv({ WEBCHAT_UPLOAD_MAX_MB: '2', WEBCHAT_UPLOAD_TYPES: 'image/png, Application/PDF' }), { maxBytes: 2 * 1024 * 1024, allowedTypes: ['image/png', 'application/pdf'] });
    assert.deepEqual(uploadLimitsFromEnv({}), {});
    assert.equal(codeOf(() => uploadLimitsFromEnv({ WEBCHAT_UPLOAD_MAX_MB: '40' })), 'HANDOVER_ERR_CONFIG_INVALID', 'the media store keeps at most 16 MB');
    assert.equal(codeOf(() => uploadLimitsFromEnv({ WEBCHAT_UPLOAD_MAX_MB: 'lots' })), 'HANDOVER_ERR_CONFIG_INVALID');
  });

  it('accepts a photo and a PDF within the size; refuses too large (413), a type not allowed and bytes that are not what they say (415), empty (400)', () => {
    assert.equal(codeOf(() => checkUploadFile({ name: 'box.png', contentType: 'image/png', bytes: PNG }, limits)), undefined);
    assert.equal(codeOf(() => checkUploadFile({ name: 'invoice.pdf', contentType: 'application/pdf; name=x', bytes: PDF }, limits)), undefined);
    assert.equal(codeOf(() => checkUploadFile({ name: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('hello') }, limits)), undefined);
    assert.equal(codeOf(() => checkUploadFile({ name: 'big.png', contentType: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(1024)]) }, limits)), 'HANDOVER_ERR_PAYLOAD_TOO_LARGE');
    assert.equal(codeOf(() => checkUploadFile({ name: 'setup.exe', contentType: 'application/x-msdownload', bytes: Buffer.from('MZ') }, limits)), 'HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE');
    assert.equal(codeOf(() => checkUploadFile({ name: 'page.html', contentType: 'text/html', bytes: Buffer.from('<script>') }, limits)), 'HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE');
    assert.equal(codeOf(() => checkUploadFile({ name: 'fake.png', contentType: 'image/png', bytes: Buffer.from('MZ not a png') }, limits)), 'HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE');
    assert.equal(codeOf(() => checkUploadFile({ name: 'fake.pdf', contentType: 'application/pdf', bytes: Buffer.from('<html>') }, limits)), 'HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE');
    assert.equal(codeOf(() => checkUploadFile({ name: 'empty.png', contentType: 'image/png', bytes: Buffer.alloc(0) }, limits)), 'HANDOVER_ERR_BAD_REQUEST');
    assert.match(String((() => { try { checkUploadFile({ name: 'big.png', contentType: 'image/png', bytes: Buffer.alloc(3 * 1024 * 1024, 1) }, uploadLimits({ maxBytes: 2 * 1024 * 1024 })); } catch (e) { return (e as Error).message; } })()), /big\.png is 3 MB: files up to 2 MB can be sent/);
  });

  it('reads a multipart upload: the activity part, the files in order with their names and types; too many files or too many bytes together are 413', async () => {
    const { body, contentType } = await multipart({ type: 'message', text: 'see', attachments: [{ name: 'box.png', contentType: 'image/png' }] }, [
      { name: 'box.png', type: 'image/png', bytes: PNG },
      { name: 'C:\\Users\\me\\invoice.pdf', type: 'application/pdf', bytes: PDF },
    ]);
    const parts = parseMultipart(body, contentType);
    assert.deepEqual(parts.map((p) => p.field), ['activity', 'file', 'file']);
    const { activity, files } = readUpload(parts, uploadLimits());
    assert.equal(activity['text'], 'see');
    assert.deepEqual(files.map((f) => [f.name, f.contentType, f.bytes.length]), [['box.png', 'image/png', PNG.length], ['invoice.pdf', 'application/pdf', PDF.length]]);
    assert.ok(files[0]!.bytes.equals(PNG), 'the bytes, exactly');
    assert.equal(codeOf(() => readUpload(parts, uploadLimits({ maxFiles: 1 }))), 'HANDOVER_ERR_PAYLOAD_TOO_LARGE');
    assert.equal(codeOf(() => readUpload(parts, uploadLimits({ maxBytes: PNG.length + 5 }))), 'HANDOVER_ERR_PAYLOAD_TOO_LARGE', 'each fits, not both');
    const noFile = await multipart({ type: 'message' }, []);
    assert.equal(codeOf(() => readUpload(parseMultipart(noFile.body, noFile.contentType), uploadLimits())), 'HANDOVER_ERR_BAD_REQUEST');
    assert.equal(codeOf(() => parseMultipart(body, 'application/json')), 'HANDOVER_ERR_BAD_REQUEST');
    assert.equal(codeOf(() => parseMultipart(body.subarray(0, body.length - 30), contentType)), 'HANDOVER_ERR_BAD_REQUEST');
  });
});
