/**
 * Files web chat customers send (a photo, a PDF, an Office document): the limits, the multipart
 * body Direct Line's `POST /v3/directline/conversations/{id}/upload` carries (what
 * botframework-directlinejs' `postActivity` with attachments and Microsoft Web Chat send, and
 * what our widget sends too), and keeping the files in the deployment's `CustomerMedia` store so
 * the agent console shows them through its signed-in proxy (`GET /api/media/{id}`), as it does
 * WhatsApp photos.
 *
 * Limits (`UploadLimits`): at most `maxBytes` (default 10 MB) of files per upload, at most
 * `maxFiles` (default 4) files, each of an allowed type (`allowedTypes`: JPEG, PNG, GIF, WebP,
 * PDF, plain text, CSV, Word, Excel, PowerPoint, OpenDocument). A file declared as an image or a
 * PDF must start like one (its first bytes are checked), so an executable renamed `.png` is
 * refused. Refusals: `HANDOVER_ERR_PAYLOAD_TOO_LARGE` (413) and
 * `HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE` (415), with a message that names the file and the limit.
 *
 * @example
 * const limits = uploadLimits({ maxBytes: 5 * 1024 * 1024 });
 * checkUploadFile({ name: 'box.png', contentType: 'image/png', bytes }, limits); // throws when refused
 */
import { HandoverError } from '../../core/errors.js';

/** Upload limits of the web chat front doors. */
export interface UploadLimits {
  /** Bytes of files in one upload (all its files together); default 10 MB. */
  readonly maxBytes: number;
  /** Files in one upload; default 4. */
  readonly maxFiles: number;
  /** MIME types accepted (lower case, no parameters); default {@link DEFAULT_UPLOAD_TYPES}. */
  readonly allowedTypes: readonly string[];
}

/** Images, PDF and the common document formats. */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = Object.freeze([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

/** 10 MB. */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The limits with defaults filled in.
 *
 * @example
 * uploadLimits({}).maxBytes; // 10485760
 */
export function uploadLimits(partial: Partial<UploadLimits> = {}): UploadLimits {
  return {
    maxBytes: partial.maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES,
    maxFiles: partial.maxFiles ?? 4,
    allowedTypes: (partial.allowedTypes ?? DEFAULT_UPLOAD_TYPES).map((t) => t.toLowerCase()),
  };
}

/** One file of an upload. */
export interface UploadedFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  /** The form field (`activity`, `file`). */
  readonly field: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly bytes: Buffer;
}

/** `image/png; charset=x` → `image/png`. */
export function bareType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Refuses a file past the limits: empty or over `maxBytes` (413), a type not allowed or whose
 * bytes are not what it says (415).
 *
 * @example
 * checkUploadFile({ name: 'a.exe', contentType: 'application/x-msdownload', bytes }, uploadLimits()); // throws 415
 */
export function checkUploadFile(file: UploadedFile, limits: UploadLimits): void {
  const type = bareType(file.contentType);
  if (file.bytes.length === 0) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', `${file.name} is empty`);
  if (file.bytes.length > limits.maxBytes) {
    throw new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `${file.name} is ${megabytes(file.bytes.length)}: files up to ${megabytes(limits.maxBytes)} can be sent`);
  }
  if (!limits.allowedTypes.includes(type)) {
    throw new HandoverError('HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE', `${file.name}: files of type ${type === '' ? '(none)' : type} cannot be sent; photos (JPEG, PNG, GIF, WebP), PDF and office documents can`);
  }
  if (!looksLike(type, file.bytes)) {
    throw new HandoverError('HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE', `${file.name} is not a ${type} file`);
  }
}

/** The first bytes of the types that have a signature; other allowed types are taken as declared. */
function looksLike(type: string, b: Buffer): boolean {
  const starts = (...bytes: number[]): boolean => bytes.every((x, i) => b[i] === x);
  switch (type) {
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/gif':
      return b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a';
    case 'image/webp':
      return b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP';
    case 'application/pdf':
      return b.subarray(0, 5).toString('latin1') === '%PDF-';
    default:
      return true;
  }
}

function megabytes(n: number): string {
  const mb = n / (1024 * 1024);
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/**
 * Splits a multipart/form-data body into its parts (RFC 7578). Throws HANDOVER_ERR_BAD_REQUEST
 * when the body is not one (no boundary, no closing delimiter, a part without headers).
 *
 * @example
 * const parts = parseMultipart(body, req.headers['content-type']);
 * parts.find((p) => p.field === 'activity');
 */
export function parseMultipart(body: Buffer, contentTypeHeader: string | undefined): MultipartPart[] {
  const m = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentTypeHeader ?? '');
  const boundary = m?.[1] ?? m?.[2];
  if (boundary === undefined) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'An upload is a multipart/form-data body (with a boundary)');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'The multipart body has no part');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString('latin1') === '--') break; // the closing delimiter
    if (body.subarray(at, at + 2).toString('latin1') === '\r\n') at += 2;
    const headEnd = body.indexOf('\r\n\r\n', at);
    if (headEnd < 0) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'A multipart part has no headers');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'The multipart body is not closed');
    const headers = body.subarray(at, headEnd).toString('utf8').split('\r\n');
    const header = (name: string): string | undefined => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const disposition = header('content-disposition') ?? '';
    const field = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    parts.push({ field, filename, contentType: header('content-type'), bytes: body.subarray(headEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}

/**
 * The template activity and the files of a Direct Line upload: the `activity` part (JSON; its
 * attachments, if any, give names and types in file order) and every other part with a file.
 * Applies the limits to the files.
 *
 * @example
 * const { activity, files } = readUpload(parts, uploadLimits());
 */
export function readUpload(parts: readonly MultipartPart[], limits: UploadLimits): { activity: Record<string, unknown>; files: UploadedFile[] } {
  const activityPart = parts.find((p) => p.field === 'activity');
  let activity: Record<string, unknown> = { type: 'message' };
  if (activityPart !== undefined) {
    try {
      const parsed = JSON.parse(activityPart.bytes.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      activity = parsed as Record<string, unknown>;
    } catch {
      throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'The upload\'s "activity" part is not a JSON activity');
    }
  }
  const fileParts = parts.filter((p) => p !== activityPart && p.filename !== undefined);
  if (fileParts.length === 0) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'The upload has no file');
  if (fileParts.length > limits.maxFiles) throw new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `${fileParts.length} files in one upload: up to ${limits.maxFiles} can be sent at once`);
  const described = Array.isArray(activity['attachments']) ? (activity['attachments'] as Array<{ name?: unknown; contentType?: unknown }>) : [];
  const files = fileParts.map((p, i): UploadedFile => {
    const d = described[i];
    const name = cleanName(p.filename || (typeof d?.name === 'string' ? d.name : '') || `file-${i + 1}`);
    const contentType = bareType(p.contentType) || (typeof d?.contentType === 'string' ? bareType(d.contentType) : '');
    return { name, contentType, bytes: p.bytes };
  });
  for (const f of files) checkUploadFile(f, limits);
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > limits.maxBytes) throw new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `These files are ${megabytes(total)} together: up to ${megabytes(limits.maxBytes)} can be sent at once`);
  return { activity, files };
}

/** A file name as shown to people: no path, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base === '' ? 'file' : base).slice(0, 200);
}

/** Keeps a customer's file where the console can read it (`CustomerMedia.put`): its URL, or undefined when it cannot be kept. */
export type KeepCustomerFile = (file: { contentType: string; name: string | null; bytes: Buffer }, conversationId: string) => Promise<string | undefined>;

/** Options of web chat uploads (`WebChatChannelOptions.uploads`). */
export interface WebChatUploadOptions {
  /** Where files go: `(file, id) => customerMedia.put(file, id)`; the id is the handover conversation id (`webchat:wc_…`). */
  readonly keep: KeepCustomerFile;
  readonly limits?: Partial<UploadLimits>;
}

/**
 * The uploaded files kept, as activity attachments (`contentUrl`: the console's `/api/media/{id}`).
 * A file the store refuses (too large for it) is HANDOVER_ERR_PAYLOAD_TOO_LARGE.
 *
 * @example
 * const attachments = await keepUploads(files, 'webchat:wc_1', keep);
 */
export async function keepUploads(files: readonly UploadedFile[], conversationKey: string, keep: KeepCustomerFile): Promise<Array<{ contentType: string; name: string; contentUrl: string }>> {
  const out: Array<{ contentType: string; name: string; contentUrl: string }> = [];
  for (const f of files) {
    const url = await keep({ contentType: f.contentType, name: f.name, bytes: f.bytes }, conversationKey);
    if (url === undefined) throw new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `${f.name} could not be kept: it is too large`);
    out.push({ contentType: f.contentType, name: f.name, contentUrl: url });
  }
  return out;
}

/**
 * Upload limits from the environment: `WEBCHAT_UPLOAD_MAX_MB` (default 10), `WEBCHAT_UPLOAD_TYPES`
 * (comma-separated MIME types; default {@link DEFAULT_UPLOAD_TYPES}).
 *
 * @example
 * uploadLimitsFromEnv({ WEBCHAT_UPLOAD_MAX_MB: '5' }).maxBytes; // 5242880
 */
export function uploadLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<UploadLimits> {
  const out: { maxBytes?: number; allowedTypes?: string[] } = {};
  const mb = Number(env['WEBCHAT_UPLOAD_MAX_MB']);
  if (env['WEBCHAT_UPLOAD_MAX_MB'] !== undefined && env['WEBCHAT_UPLOAD_MAX_MB'] !== '') {
    if (!Number.isFinite(mb) || mb <= 0 || mb > 16) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'WEBCHAT_UPLOAD_MAX_MB must be a number of megabytes above 0 and at most 16');
    out.maxBytes = Math.floor(mb * 1024 * 1024);
  }
  const types = env['WEBCHAT_UPLOAD_TYPES'];
  if (types !== undefined && types.trim() !== '') out.allowedTypes = types.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
  return out;
}
