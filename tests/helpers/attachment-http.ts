import { createHash } from 'node:crypto';
import type { TestApp } from './test-app.js';

// The attachment routes as a browser or partner app calls them: Node's fetch, FormData and Blob.

export interface AttachmentJson {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  recordType: string;
  recordId: string;
  customerId: string;
  uploadedBy: { id: string; name: string };
  createdAt: string;
  version: number;
  downloadUrl: string;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export interface FileSpec {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  type?: string;
}

export interface UploadOptions {
  /** Put the file before the fields (the server must cope with either order). */
  fileFirst?: boolean;
  /** Add more file parts. */
  extraFiles?: FileSpec[];
}

const auth = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export async function upload(
  app: TestApp,
  token: string | undefined,
  fields: Record<string, string>,
  file: FileSpec | undefined,
  options: UploadOptions = {},
): Promise<HttpResult<{ attachment: AttachmentJson } & Partial<ErrorBody>>> {
  const form = new FormData();
  const addFile = (f: FileSpec) => form.append('file', new Blob([f.bytes], f.type ? { type: f.type } : {}), f.name);
  if (file && options.fileFirst) addFile(file);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file && !options.fileFirst) addFile(file);
  for (const extra of options.extraFiles ?? []) addFile(extra);
  const res = await fetch(`${app.url}/attachments`, { method: 'POST', body: form, headers: auth(token) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** Uploads to a customer and expects success. */
export async function uploadOk(app: TestApp, token: string, customerId: string, file: FileSpec): Promise<AttachmentJson> {
  const res = await upload(app, token, { customerId }, file);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.attachment;
}

export async function download(
  app: TestApp,
  token: string | undefined,
  attachmentId: string,
  headers: Record<string, string> = {},
): Promise<HttpResult<Uint8Array>> {
  const res = await fetch(`${app.url}/attachments/${attachmentId}`, { headers: { ...auth(token), ...headers } });
  return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
}

export function jsonOf<T = ErrorBody>(result: HttpResult<Uint8Array>): T {
  return JSON.parse(Buffer.from(result.body).toString('utf8')) as T;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every byte value, in a pattern that is not a plain ramp (so an offset error shows). */
export function binaryContent(length = 256 * 4 + 37): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, i) => (i * 167 + (i >> 8)) % 256);
}

export async function storedCounts(app: TestApp): Promise<{ rows: number; contents: number }> {
  const [row] = await app.orm.em
    .fork()
    .execute<{ rows: number; contents: number }[]>(
      'SELECT (SELECT count(*) FROM attachment)::int AS rows, (SELECT count(*) FROM attachment_content)::int AS contents',
    );
  return row!;
}
